/**
 * Loan mode: a vault funded by a lender's principal, settled on its own books. Nothing here can reach
 * another vault: the loan account lives in the vault's state, and the ledger refuses any fill the loan
 * vault's own cash cannot pay for (no cross-collateral).
 *
 *   interest   accrued per whole UTC day: cents(principal × rate / 365), simple interest, owed until paid
 *   NAV        equity − interest owed − profit share owed
 *   gain       NAV − high-water mark; only a positive gain is shared
 *   lender     cents(gain × lenderShare), half to even
 *   vault      gain − lender, so lender + vault = gain exactly
 *   HWM        becomes NAV after the lender's part (= old HWM + vault part); it falls by what is swept or
 *              withdrawn from the vault afterwards, so the lender is never charged twice on one profit.
 * What is owed is paid from cash, interest first, as far as cash (in whole cents) allows.
 */
import { cents, centsDown, Dec, dec, maxDec, minDec, str, ZERO } from './decimal.js';
import { markToMarket } from './ledger.js';
import { DAY_MS, type LoanAccount, utcMidnight, type VaultState } from './state.js';
import type { LoanTerms } from './vault-schema.js';

export interface LoanSettlement {
  /** Interest accrued by this settlement (whole days since the last accrual). */
  readonly interestAccrued: string;
  readonly navBefore: string;
  readonly highWaterMarkBefore: string;
  readonly gain: string;
  readonly lenderPart: string;
  readonly vaultPart: string;
  readonly interestPaid: string;
  readonly lenderPaid: string;
  readonly highWaterMark: string;
}

function account(state: VaultState): LoanAccount {
  if (!state.loan) throw new Error(`vault ${state.vaultId} has no loan account`);
  return state.loan;
}

/** Interest for every whole UTC day from the last accrual up to `now`. */
export function accrueInterest(state: VaultState, terms: LoanTerms, now: number): { state: VaultState; accrued: string } {
  const loan = account(state);
  const through = utcMidnight(now);
  const days = Math.max(0, Math.floor((through - loan.accruedThrough) / DAY_MS));
  if (days === 0) return { state, accrued: '0' };
  const daily = cents(dec(loan.principal).mul(new Dec(terms.interestRateAnnual)).div(365));
  const accrued = daily.mul(days);
  return {
    state: { ...state, loan: { ...loan, interestOwed: str(dec(loan.interestOwed).add(accrued)), accruedThrough: through } },
    accrued: str(accrued),
  };
}

/**
 * Accrues interest, shares profit above the high-water mark, and pays what cash allows. Interest and the
 * lender's part are charged to the vault's uncompounded PnL: they are not the vault's profit to reinvest.
 */
export function settleLoan(
  state0: VaultState,
  terms: LoanTerms,
  prices: Readonly<Record<string, string>>,
  now: number,
): { state: VaultState; settlement: LoanSettlement } {
  const { state: state1, accrued } = accrueInterest(state0, terms, now);
  const loan = account(state1);
  const nav = dec(markToMarket(state1, prices).nav);
  const hwm = dec(loan.highWaterMark);
  const gain = nav.sub(hwm);
  const lenderPart = gain.gt(0) ? cents(gain.mul(new Dec(terms.lenderShare))) : ZERO;
  const vaultPart = gain.gt(0) ? gain.sub(lenderPart) : ZERO;
  const newHwm = gain.gt(0) ? hwm.add(vaultPart) : hwm;

  let interestOwed = dec(loan.interestOwed);
  let lenderOwed = dec(loan.lenderOwed).add(lenderPart);
  let cash = dec(state1.cash);
  const payable = centsDown(maxDec(cash, ZERO));
  const interestPaid = minDec(interestOwed, payable);
  const lenderPaid = minDec(lenderOwed, payable.sub(interestPaid));
  cash = cash.sub(interestPaid).sub(lenderPaid);
  interestOwed = interestOwed.sub(interestPaid);
  lenderOwed = lenderOwed.sub(lenderPaid);

  const state: VaultState = {
    ...state1,
    cash: str(cash),
    uncompoundedPnl: str(dec(state1.uncompoundedPnl).sub(dec(accrued)).sub(lenderPart)),
    loan: {
      ...loan,
      highWaterMark: str(newHwm),
      interestOwed: str(interestOwed),
      interestPaid: str(dec(loan.interestPaid).add(interestPaid)),
      lenderOwed: str(lenderOwed),
      lenderPaid: str(dec(loan.lenderPaid).add(lenderPaid)),
      vaultShare: str(dec(loan.vaultShare).add(vaultPart)),
    },
  };
  return {
    state,
    settlement: {
      interestAccrued: accrued,
      navBefore: str(nav),
      highWaterMarkBefore: str(hwm),
      gain: str(gain),
      lenderPart: str(lenderPart),
      vaultPart: str(vaultPart),
      interestPaid: str(interestPaid),
      lenderPaid: str(lenderPaid),
      highWaterMark: str(newHwm),
    },
  };
}

/** Lowers the high-water mark by what left the vault (a sweep or a withdrawal of the vault's own profit). */
export function lowerHighWaterMark(state: VaultState, amount: Dec): VaultState {
  if (!state.loan || amount.isZero()) return state;
  return { ...state, loan: { ...state.loan, highWaterMark: str(dec(state.loan.highWaterMark).sub(amount)) } };
}

/** True when NAV has fallen below the high-water mark by more than the loan's drawdown limit. */
export function loanDrawdownBreached(terms: LoanTerms, loan: LoanAccount, nav: Dec): boolean {
  const floor = dec(loan.highWaterMark).mul(dec(1).sub(dec(terms.maxDrawdown)));
  return nav.lt(floor);
}
