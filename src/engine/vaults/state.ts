/**
 * A vault's books: cash, positions, realized PnL, the reserve profits are swept to, and, for a loan vault,
 * its account with the lender. Money and quantities are decimal strings; the ledger computes on them with
 * decimal.js. Every state carries a `revision` that the repository checks on save.
 */
import { dec, str, ZERO } from './decimal.js';
import type { VaultConfig } from './vault-schema.js';

export interface Position {
  readonly instrument: string;
  /** Signed: negative is short. Never `0`: a closed position is removed. */
  readonly quantity: string;
  /** What the open quantity cost at its entry prices (positive for longs and shorts alike). */
  readonly costBasis: string;
  /** costBasis / |quantity|, rounded to 12 places; for display and stop-loss checks. */
  readonly avgPrice: string;
  /** Realized PnL of this instrument, net of its fees, since the vault began. */
  readonly realizedPnl: string;
  readonly openedAt: number;
  /** The conviction behind the position's latest trade; null for a position not opened on a conviction. */
  readonly convictionId: string | null;
  /** When that conviction expires (epoch ms); null when unknown (the position then never expires by TTL). */
  readonly convictionExpiresAt: number | null;
  /** The next leg number for an intent caused by `convictionId`. */
  readonly nextLeg: number;
  /** True once the TTL rule has acted on the position for its current conviction. */
  readonly expiryHandled: boolean;
}

/** A loan vault's account with its lender (see loan.ts). */
export interface LoanAccount {
  readonly lender: string;
  readonly principal: string;
  /** Net asset value after the lender's share was last settled; profit is shared only above it. */
  readonly highWaterMark: string;
  /** Interest accrued and not yet paid. */
  readonly interestOwed: string;
  readonly interestPaid: string;
  /** The lender's profit share settled and not yet paid (cash was short). */
  readonly lenderOwed: string;
  readonly lenderPaid: string;
  /** The vault's part of settled profit, since the vault began. */
  readonly vaultShare: string;
  /** Interest is accrued for every whole UTC day up to here (epoch ms, a UTC midnight). */
  readonly accruedThrough: number;
}

export interface VaultState {
  readonly vaultId: string;
  /** Bumped on every save; the repository refuses a save from a stale revision. */
  readonly revision: number;
  readonly cash: string;
  /** Profit swept out of trading by `reinvest_fraction`. */
  readonly reserve: string;
  /** Profit withdrawn by `fixed_base`. */
  readonly withdrawn: string;
  /** Realized PnL net of fees, since the vault began. */
  readonly realizedPnl: string;
  /** Realized PnL since the last compounding (negative: losses carried forward). */
  readonly uncompoundedPnl: string;
  /** Swept profit owed to the reserve that cash could not yet pay. */
  readonly pendingSweep: string;
  readonly fees: string;
  /** Sorted by instrument. */
  readonly positions: readonly Position[];
  /** Convictions stopped out: not traded again by this vault. Most recent last, bounded. */
  readonly stoppedConvictions: readonly string[];
  readonly lastCompoundedAt: number | null;
  readonly loan: LoanAccount | null;
  readonly updatedAt: number;
}

/** How many stopped convictions are remembered: a conviction lives hours, a vault sees far fewer stops. */
export const STOPPED_MEMORY = 256;

export const DAY_MS = 86_400_000;

export function utcMidnight(ts: number): number {
  return Math.floor(ts / DAY_MS) * DAY_MS;
}

export function initialState(config: VaultConfig, now: number): VaultState {
  return {
    vaultId: config.id,
    revision: 0,
    cash: str(dec(config.startingCapital)),
    reserve: '0',
    withdrawn: '0',
    realizedPnl: '0',
    uncompoundedPnl: '0',
    pendingSweep: '0',
    fees: '0',
    positions: [],
    stoppedConvictions: [],
    lastCompoundedAt: null,
    loan: config.loan
      ? {
          lender: config.loan.lender,
          principal: str(dec(config.loan.principal)),
          highWaterMark: str(dec(config.loan.principal)),
          interestOwed: '0',
          interestPaid: '0',
          lenderOwed: '0',
          lenderPaid: '0',
          vaultShare: '0',
          accruedThrough: utcMidnight(now),
        }
      : null,
    updatedAt: now,
  };
}

/** Liabilities a loan vault carries against its equity: unpaid interest and unpaid profit share. */
export function liabilities(state: VaultState) {
  if (!state.loan) return ZERO;
  return dec(state.loan.interestOwed).add(dec(state.loan.lenderOwed));
}
