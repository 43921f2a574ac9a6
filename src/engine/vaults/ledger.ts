/**
 * The ledger: fills applied to a vault's cash and positions, and marks to market. Pure functions over
 * decimal strings; the service saves what they return.
 *
 * Accounting: a position keeps its signed quantity and the cost of that quantity at entry prices. A fill
 * that adds to a position adds its notional to the cost; one that reduces it releases the reduced share of
 * the cost (rounded to 12 places; a full close releases exactly what is left, so the realized PnL over a
 * position's life is exactly proceeds minus costs). A fill larger than the position closes it and opens the
 * remainder the other way at the fill price (a flip). Fees are paid in cash and charged to realized PnL
 * when they occur, so equity = cash + Σ quantity × price and equity moves by exactly realized + unrealized.
 */
import type { OrderSide } from '../execution/broker.js';
import { Dec, dec, DECIMAL_RE, POSITIVE_DECIMAL_RE, RATIO_PLACES, str, ZERO } from './decimal.js';
import { VaultError, type VaultIssue } from './errors.js';
import { liabilities, type Position, STOPPED_MEMORY, type VaultState } from './state.js';

export interface VaultFill {
  /** Unique per vault; a fill applied twice is applied once (the repository remembers the ids). */
  readonly fillId: string;
  readonly vaultId: string;
  readonly instrument: string;
  readonly side: OrderSide;
  /** Positive decimal strings; the fee is in the vault's base currency. */
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
  readonly ts: number;
  /** From the intent the order came from. */
  readonly convictionId?: string | null;
  /** When that conviction expires: what the TTL rule acts on later. */
  readonly convictionExpiresAt?: number | null;
  readonly leg?: number;
  /** The intent's reason: `open`, `rebalance`, `reduce`, `close`, `expire`, `stop`. */
  readonly reason?: string;
  /** The event that reported the fill, for causation. */
  readonly eventId?: string;
}

export interface FillRules {
  /** Whether the fill may leave the position short. */
  readonly allowShort: boolean;
  /** A loan vault: cash may never go below zero, since it can borrow from no one. */
  readonly isolated: boolean;
}

export interface FillOutcome {
  readonly state: VaultState;
  /** Realized PnL of this fill, net of its fee. */
  readonly realizedPnl: string;
  readonly position: Position | null;
}

const EXITS = new Set(['reduce', 'close', 'expire', 'stop']);

export function validateFill(state: VaultState, fill: VaultFill): void {
  const issues: VaultIssue[] = [];
  if (fill.vaultId !== state.vaultId) issues.push({ path: 'vaultId', message: `fill is for ${fill.vaultId}, not ${state.vaultId}` });
  if (!fill.fillId) issues.push({ path: 'fillId', message: 'must not be empty' });
  if (!fill.instrument) issues.push({ path: 'instrument', message: 'must not be empty' });
  if (fill.side !== 'BUY' && fill.side !== 'SELL') issues.push({ path: 'side', message: 'must be BUY or SELL' });
  if (!POSITIVE_DECIMAL_RE.test(fill.quantity)) issues.push({ path: 'quantity', message: 'must be a positive decimal string' });
  if (!POSITIVE_DECIMAL_RE.test(fill.price)) issues.push({ path: 'price', message: 'must be a positive decimal string' });
  if (!DECIMAL_RE.test(fill.fee)) issues.push({ path: 'fee', message: 'must be a non-negative decimal string' });
  if (!Number.isSafeInteger(fill.ts)) issues.push({ path: 'ts', message: 'must be epoch milliseconds' });
  if (fill.leg !== undefined && !(Number.isSafeInteger(fill.leg) && fill.leg >= 0)) {
    issues.push({ path: 'leg', message: 'must be a non-negative integer' });
  }
  if (issues.length) throw new VaultError('FILL_INVALID', 'fill invalid', issues);
}

export function applyFill(state: VaultState, fill: VaultFill, rules: FillRules): FillOutcome {
  validateFill(state, fill);
  const qty = dec(fill.quantity);
  const price = dec(fill.price);
  const fee = dec(fill.fee);
  const dq = fill.side === 'BUY' ? qty : qty.neg();
  const existing = state.positions.find((p) => p.instrument === fill.instrument) ?? null;
  const q = existing ? dec(existing.quantity) : ZERO;
  let cost = existing ? dec(existing.costBasis) : ZERO;

  const cash = dec(state.cash).sub(dq.mul(price)).sub(fee);
  if (rules.isolated && cash.lt(0)) {
    throw new VaultError('LOAN_ISOLATION', `fill ${fill.fillId} needs ${str(cash.neg())} more cash than loan vault ${state.vaultId} holds`);
  }

  let gross = ZERO;
  const next = q.add(dq);
  let flipped = false;
  if (q.isZero() || q.lt(0) === dq.lt(0)) {
    cost = cost.add(qty.mul(price));
  } else {
    const open = q.abs();
    const closing = Dec.min(qty, open);
    const released = closing.eq(open) ? cost : cost.mul(closing).div(open).toDecimalPlaces(RATIO_PLACES);
    gross = q.gt(0) ? closing.mul(price).sub(released) : released.sub(closing.mul(price));
    cost = cost.sub(released);
    const remainder = qty.sub(closing);
    if (remainder.gt(0)) {
      cost = remainder.mul(price);
      flipped = true;
    }
  }
  if (next.lt(0) && !rules.allowShort) {
    throw new VaultError('FILL_REJECTED', `fill ${fill.fillId} would leave ${fill.instrument} short ${str(next.neg())} in long-only vault ${state.vaultId}`);
  }
  const realized = gross.sub(fee);

  let position: Position | null = null;
  if (!next.isZero()) {
    const fresh = existing === null || flipped;
    const base = fresh ? null : existing;
    const convictionId = fill.convictionId ?? null;
    const leg = fill.leg ?? 0;
    const sameConviction = base !== null && convictionId !== null && base.convictionId === convictionId;
    // A new conviction takes over the position when it adds to it; an exit leaves the backing as it was.
    const adopt = convictionId !== null && !sameConviction && (base === null || !EXITS.has(fill.reason ?? ''));
    const keptLeg = base?.nextLeg ?? 0;
    position = {
      instrument: fill.instrument,
      quantity: str(next),
      costBasis: str(cost),
      avgPrice: str(cost.div(next.abs()).toDecimalPlaces(RATIO_PLACES)),
      realizedPnl: str(dec(existing?.realizedPnl ?? '0').add(realized)),
      openedAt: fresh ? fill.ts : (existing as Position).openedAt,
      convictionId: adopt ? convictionId : (base?.convictionId ?? null),
      convictionExpiresAt: adopt
        ? (fill.convictionExpiresAt ?? null)
        : sameConviction && fill.convictionExpiresAt != null
          ? fill.convictionExpiresAt
          : (base?.convictionExpiresAt ?? null),
      nextLeg: adopt ? leg + 1 : sameConviction ? Math.max(keptLeg, leg + 1) : keptLeg,
      expiryHandled: adopt ? false : fill.reason === 'expire' || (base?.expiryHandled ?? false),
    };
  }

  const positions = state.positions.filter((p) => p.instrument !== fill.instrument);
  if (position) positions.push(position);
  positions.sort((a, b) => (a.instrument < b.instrument ? -1 : a.instrument > b.instrument ? 1 : 0));

  const stopped =
    fill.reason === 'stop' && fill.convictionId && !state.stoppedConvictions.includes(fill.convictionId)
      ? [...state.stoppedConvictions, fill.convictionId].slice(-STOPPED_MEMORY)
      : state.stoppedConvictions;

  return {
    state: {
      ...state,
      cash: str(cash),
      realizedPnl: str(dec(state.realizedPnl).add(realized)),
      uncompoundedPnl: str(dec(state.uncompoundedPnl).add(realized)),
      fees: str(dec(state.fees).add(fee)),
      positions,
      stoppedConvictions: stopped,
      updatedAt: Math.max(state.updatedAt, fill.ts),
    },
    realizedPnl: str(realized),
    position,
  };
}

export interface PositionMark {
  readonly instrument: string;
  readonly quantity: string;
  readonly price: string;
  /** Signed market value: negative for a short. */
  readonly value: string;
  readonly unrealizedPnl: string;
  /** True when no price was given and the average price stood in. */
  readonly stale: boolean;
}

export interface Valuation {
  readonly cash: string;
  /** cash + Σ quantity × price. */
  readonly equity: string;
  /** Equity less what a loan vault owes its lender (unpaid interest and profit share). */
  readonly nav: string;
  readonly grossExposure: string;
  readonly unrealizedPnl: string;
  readonly marks: readonly PositionMark[];
}

/** Marks every position at the given price, or at its average price when none is given. */
export function markToMarket(state: VaultState, prices: Readonly<Record<string, string>>): Valuation {
  let equity = dec(state.cash);
  let gross = ZERO;
  let unrealized = ZERO;
  const marks: PositionMark[] = [];
  for (const p of state.positions) {
    const given = prices[p.instrument];
    const usable = given !== undefined && POSITIVE_DECIMAL_RE.test(given);
    const price = usable ? dec(given) : dec(p.avgPrice);
    const q = dec(p.quantity);
    const value = q.mul(price);
    const pnl = q.gt(0) ? value.sub(dec(p.costBasis)) : dec(p.costBasis).add(value);
    equity = equity.add(value);
    gross = gross.add(value.abs());
    unrealized = unrealized.add(pnl);
    marks.push({ instrument: p.instrument, quantity: p.quantity, price: str(price), value: str(value), unrealizedPnl: str(pnl), stale: !usable });
  }
  return {
    cash: state.cash,
    equity: str(equity),
    nav: str(equity.sub(liabilities(state))),
    grossExposure: str(gross),
    unrealizedPnl: str(unrealized),
    marks,
  };
}

/** One point of a vault's growth curve. */
export interface GrowthPoint {
  readonly vaultId: string;
  readonly ts: number;
  readonly equity: string;
  readonly nav: string;
  readonly cash: string;
  readonly reserve: string;
  readonly withdrawn: string;
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
  /** What the vault's owner has: nav + reserve + withdrawn. */
  readonly totalValue: string;
}

export function growthPoint(state: VaultState, valuation: Valuation, ts: number): GrowthPoint {
  return {
    vaultId: state.vaultId,
    ts,
    equity: valuation.equity,
    nav: valuation.nav,
    cash: state.cash,
    reserve: state.reserve,
    withdrawn: state.withdrawn,
    realizedPnl: state.realizedPnl,
    unrealizedPnl: valuation.unrealizedPnl,
    totalValue: str(dec(valuation.nav).add(dec(state.reserve)).add(dec(state.withdrawn))),
  };
}
