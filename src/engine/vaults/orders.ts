/**
 * From target quantities to order intents: legs, dust, and the cash a vault has.
 *
 * - A position that must change sign or go flat is closed by one leg; the new side, if any, is opened by
 *   the next leg (many venues refuse an order that reverses a position in one go).
 * - Legs are numbered from the position's `nextLeg` when the same conviction placed its earlier legs, from 0
 *   otherwise, so planning twice from the same state gives the same client order ids (the venue then
 *   answers the retry with the order it holds).
 * - Opens, rebalances and reductions below `trading.minNotional` are dust and dropped; closes, stops and
 *   expiries never are, so a position can always be taken to zero.
 * - A held position off its target by no more than `rebalanceBand` × |target| is left as it is: equity moves
 *   with every fill and every price, and resizing for each move would trade a lot back and forth. A cap can
 *   so be exceeded by drift, by at most that share; what the allocator buys never exceeds it.
 * - Buys must be paid from the vault's own cash: the cash held plus the proceeds of sells that reduce long
 *   positions, less a fee allowance of `feeRate` on every leg. Short-sale proceeds are collateral and never
 *   fund buys. Covers of shorts are paid first, then the rest by instrument; a buy that does not fit is
 *   shrunk to what fits (in whole lots) or dropped.
 * Sells come first in the output, then buys, each by instrument and leg.
 */
import type { OrderIntent, OrderSide, TimeInForce } from '../execution/broker.js';
import { Dec, floorToLot, str, ZERO } from './decimal.js';

export type ExitAction = 'close' | 'stop' | 'expire';

export interface TargetLine {
  readonly instrument: string;
  readonly current: Dec;
  /** Signed target quantity, a whole number of lots (or zero). */
  readonly target: Dec;
  readonly price: Dec;
  readonly lot: Dec;
  /** `target` for a conviction's target; an exit otherwise. */
  readonly action: 'target' | ExitAction;
  readonly convictionId: string | null;
  readonly firstLeg: number;
  readonly venue: string;
  readonly timeInForce: TimeInForce;
}

export interface OrderContext {
  readonly vaultId: string;
  readonly cash: Dec;
  readonly feeRate: Dec;
  readonly minNotional: Dec;
  /** Share of |target| within which a held position is not resized. */
  readonly rebalanceBand: Dec;
  readonly now: number;
}

export interface DroppedLeg {
  readonly instrument: string;
  readonly reason: 'dust' | 'cash' | 'within_band';
}

interface Leg {
  readonly line: TargetLine;
  readonly side: OrderSide;
  quantity: Dec;
  readonly leg: number;
  readonly reason: string;
  /** Reduces a long (its proceeds fund buys) or a short (a cover, paid first). */
  readonly reducing: boolean;
}

const notional = (l: Leg) => l.quantity.mul(l.line.price);

function legsOf(line: TargetLine): Leg[] {
  const { current: cur, target } = line;
  if (cur.eq(target)) return [];
  const legs: Leg[] = [];
  let next = line.firstLeg;
  const exitReason = line.action === 'target' ? 'close' : line.action;
  const crosses = !cur.isZero() && (target.isZero() || cur.lt(0) !== target.lt(0));
  if (crosses) {
    legs.push({ line, side: cur.gt(0) ? 'SELL' : 'BUY', quantity: cur.abs(), leg: next++, reason: exitReason, reducing: true });
    if (!target.isZero()) {
      legs.push({ line, side: target.gt(0) ? 'BUY' : 'SELL', quantity: target.abs(), leg: next, reason: 'open', reducing: false });
    }
    return legs;
  }
  const diff = target.abs().sub(cur.abs());
  if (diff.gt(0)) {
    const reason = cur.isZero() ? 'open' : 'rebalance';
    legs.push({ line, side: target.gt(0) ? 'BUY' : 'SELL', quantity: floorToLot(diff, line.lot), leg: next, reason, reducing: false });
  } else {
    const reason = line.action === 'expire' ? 'expire' : line.action === 'stop' ? 'stop' : 'reduce';
    legs.push({ line, side: cur.gt(0) ? 'SELL' : 'BUY', quantity: diff.abs(), leg: next, reason, reducing: true });
  }
  return legs;
}

const byInstrumentLeg = (a: Leg, b: Leg) =>
  a.line.instrument < b.line.instrument ? -1 : a.line.instrument > b.line.instrument ? 1 : a.leg - b.leg;

export function planOrders(lines: readonly TargetLine[], ctx: OrderContext): { intents: OrderIntent[]; dropped: DroppedLeg[] } {
  const dropped: DroppedLeg[] = [];
  const legs: Leg[] = [];
  for (const line of lines) {
    for (const leg of legsOf(line)) {
      if (leg.quantity.isZero()) continue;
      const resize = leg.reason === 'rebalance' || leg.reason === 'reduce';
      if (resize && !line.target.isZero() && leg.quantity.lte(line.target.abs().mul(ctx.rebalanceBand))) {
        dropped.push({ instrument: line.instrument, reason: 'within_band' });
        continue;
      }
      const mayDust = leg.reason === 'open' || leg.reason === 'rebalance' || leg.reason === 'reduce';
      if (mayDust && notional(leg).lt(ctx.minNotional)) {
        dropped.push({ instrument: line.instrument, reason: 'dust' });
        continue;
      }
      legs.push(leg);
    }
  }

  const sells = legs.filter((l) => l.side === 'SELL').sort(byInstrumentLeg);
  let available = ctx.cash;
  for (const s of sells) {
    if (s.reducing) available = available.add(notional(s));
    available = available.sub(notional(s).mul(ctx.feeRate));
  }
  const buys = legs
    .filter((l) => l.side === 'BUY')
    .sort((a, b) => Number(b.reducing) - Number(a.reducing) || byInstrumentLeg(a, b));
  const kept: Leg[] = [];
  const perUnit = (l: Leg) => l.line.price.mul(ctx.feeRate.add(1));
  for (const b of buys) {
    const need = b.quantity.mul(perUnit(b));
    if (need.gt(available)) {
      const fits = available.gt(0) ? floorToLot(available.div(perUnit(b)), b.line.lot) : ZERO;
      const quantity = Dec.min(fits, b.quantity);
      if (quantity.isZero() || (!b.reducing && quantity.mul(b.line.price).lt(ctx.minNotional))) {
        dropped.push({ instrument: b.line.instrument, reason: 'cash' });
        continue;
      }
      b.quantity = quantity;
    }
    available = available.sub(b.quantity.mul(perUnit(b)));
    kept.push(b);
  }

  const ordered = [...sells, ...kept.sort(byInstrumentLeg)];
  return { intents: ordered.map((l) => intentOf(l, ctx)), dropped };
}

function intentOf(l: Leg, ctx: OrderContext): OrderIntent {
  return {
    vaultId: ctx.vaultId,
    // An expiry is caused by time, not by a conviction (see clientOrderIdOf).
    convictionId: l.reason === 'expire' ? null : l.line.convictionId,
    instrument: l.line.instrument,
    side: l.side,
    quantity: str(l.quantity),
    type: 'MARKET',
    limitPrice: null,
    timeInForce: l.line.timeInForce,
    leg: l.reason === 'expire' ? 0 : l.leg,
    reason: l.reason,
    venue: l.line.venue,
    createdAt: ctx.now,
  };
}

