/**
 * Compounding: what becomes of realized PnL, on a schedule the caller drives (a job calls `compound` and
 * the schedule says whether it is due). Losses are carried forward: a later profit first makes them good
 * before any of it is swept or withdrawn.
 *
 * - `reinvest_all`: profit stays in the vault's cash and trades.
 * - `reinvest_fraction` f: of a profit P, centsDown(P × (1 − f)) is owed to the reserve and the rest stays;
 *   what is owed is moved out of cash as far as cash allows, the remainder when it next does.
 * - `fixed_base` B (default: the starting capital): the vault's equity at cost (cash + positions at cost −
 *   loan liabilities) above B is withdrawn, as far as cash allows; unrealized gains are never withdrawn.
 * A loan vault settles with its lender first (loan.ts); what leaves the vault afterwards lowers its
 * high-water mark.
 */
import { centsDown, dec, maxDec, minDec, str, ZERO } from './decimal.js';
import { lowerHighWaterMark, type LoanSettlement, settleLoan } from './loan.js';
import { DAY_MS as DAY, liabilities, type VaultState } from './state.js';
import type { CompoundingSchedule, VaultConfig } from './vault-schema.js';

/** The first moment after `last` at which compounding is due again; null when it is always due. */
export function nextCompoundingAt(schedule: CompoundingSchedule, last: number): number | null {
  const d = new Date(last);
  switch (schedule) {
    case 'manual':
      return null;
    case 'daily':
      return Math.floor(last / DAY) * DAY + DAY;
    case 'weekly': {
      // Weeks start on Monday 00:00 UTC.
      const midnight = Math.floor(last / DAY) * DAY;
      const daysToMonday = ((8 - new Date(midnight).getUTCDay()) % 7) || 7;
      return midnight + daysToMonday * DAY;
    }
    case 'monthly':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
}

export function isCompoundingDue(schedule: CompoundingSchedule, last: number | null, now: number): boolean {
  if (last === null) return true;
  const next = nextCompoundingAt(schedule, last);
  return next === null || now >= next;
}

export interface CompoundingResult {
  readonly rule: VaultConfig['compounding']['rule'];
  /** Realized PnL since the last compounding, after the lender's settlement (losses carried included). */
  readonly realizedPnl: string;
  readonly reinvested: string;
  /** Moved to the reserve by this compounding. */
  readonly swept: string;
  /** Withdrawn by this compounding (`fixed_base`). */
  readonly withdrawn: string;
  /** Losses carried forward to the next compounding (≤ 0). */
  readonly carriedForward: string;
  /** Sweep still owed to the reserve because cash was short. */
  readonly pendingSweep: string;
  readonly loan: LoanSettlement | null;
}

export type CompoundingOutcome =
  | { readonly due: false; readonly nextAt: number | null }
  | { readonly due: true; readonly state: VaultState; readonly result: CompoundingResult };

export function compound(
  state0: VaultState,
  config: VaultConfig,
  prices: Readonly<Record<string, string>>,
  now: number,
): CompoundingOutcome {
  const rule = config.compounding;
  if (!isCompoundingDue(rule.schedule, state0.lastCompoundedAt, now)) {
    return { due: false, nextAt: state0.lastCompoundedAt === null ? null : nextCompoundingAt(rule.schedule, state0.lastCompoundedAt) };
  }
  let state = state0;
  let loan: LoanSettlement | null = null;
  if (config.loan && state.loan) {
    const settled = settleLoan(state, config.loan, prices, now);
    state = settled.state;
    loan = settled.settlement;
  }

  const pnl = dec(state.uncompoundedPnl);
  const profit = maxDec(pnl, ZERO);
  const carried = minDec(pnl, ZERO);
  let cash = dec(state.cash);
  let pendingSweep = dec(state.pendingSweep);
  let reinvested = profit;
  let swept = ZERO;
  let withdrawn = ZERO;

  if (rule.rule === 'reinvest_fraction') {
    const owed = centsDown(profit.mul(dec(1).sub(dec(rule.fraction))));
    reinvested = profit.sub(owed);
    pendingSweep = pendingSweep.add(owed);
    swept = minDec(pendingSweep, centsDown(maxDec(cash, ZERO)));
    pendingSweep = pendingSweep.sub(swept);
    cash = cash.sub(swept);
  } else if (rule.rule === 'fixed_base') {
    const base = dec(rule.base ?? config.startingCapital);
    let atCost = cash.sub(liabilities(state));
    for (const p of state.positions) atCost = dec(p.quantity).gt(0) ? atCost.add(dec(p.costBasis)) : atCost.sub(dec(p.costBasis));
    withdrawn = centsDown(minDec(maxDec(atCost.sub(base), ZERO), maxDec(cash, ZERO)));
    reinvested = maxDec(profit.sub(withdrawn), ZERO);
    cash = cash.sub(withdrawn);
  }

  state = {
    ...state,
    cash: str(cash),
    reserve: str(dec(state.reserve).add(swept)),
    withdrawn: str(dec(state.withdrawn).add(withdrawn)),
    pendingSweep: str(pendingSweep),
    uncompoundedPnl: str(carried),
    lastCompoundedAt: now,
    updatedAt: Math.max(state.updatedAt, now),
  };
  state = lowerHighWaterMark(state, swept.add(withdrawn));
  return {
    due: true,
    state,
    result: {
      rule: rule.rule,
      realizedPnl: str(pnl),
      reinvested: str(reinvested),
      swept: str(swept),
      withdrawn: str(withdrawn),
      carriedForward: str(carried),
      pendingSweep: str(pendingSweep),
      loan,
    },
  };
}
