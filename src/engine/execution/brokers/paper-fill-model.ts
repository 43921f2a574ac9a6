/**
 * How the paper broker fills one order on one bar: pure, so that the same bar, order and random draw always
 * give the same fill.
 *
 * - Latency: the order reaches the book at submit time + latency; a bar that ends before that cannot fill it.
 * - Reference price: an order already resting when the bar opened meets the open (and, for a limit, the bar's
 *   whole range); one that arrived during the bar only meets the close, since the path inside it is unknown.
 * - Size: at most `participation` of the bar's volume per bar, rounded down to the quantity step; the rest
 *   waits for the next bar (a partial fill).
 * - Market orders pay half the spread, a fixed slippage, a random slippage drawn from the seeded source, and
 *   an impact proportional to the share of the bar's volume taken; the price is rounded against the trader.
 * - Limit orders fill at their limit or better, without slippage; touching the limit is enough.
 * - Fees: `feeBps` of notional, at least `minFee`, rounded up to the fee currency's places.
 */
import { Decimal } from 'decimal.js';
import type { OrderSide, OrderType } from '../broker.js';
import { BPS, dec, Money, ZERO, type Dec } from '../money.js';

export interface PaperCosts {
  /** The full quoted spread, in bps of price; a market order pays half. */
  readonly spreadBps: Dec;
  readonly slippageBps: Dec;
  /** Up to this many bps more, uniformly drawn. */
  readonly randomSlippageBps: Dec;
  /** Bps added for an order taking the whole bar's volume, prorated to the share taken. */
  readonly impactBps: Dec;
  readonly feeBps: Dec;
  readonly minFee: Dec;
  /** Share of a bar's volume one order may take, in (0, 1]. */
  readonly participation: Dec;
  readonly priceDecimals: number;
  readonly quantityDecimals: number;
  readonly feeDecimals: number;
}

export interface PaperBar {
  readonly open: Dec;
  readonly high: Dec;
  readonly low: Dec;
  readonly close: Dec;
  readonly volume: Dec;
  /** Bar start and end (epoch ms). */
  readonly start: number;
  readonly end: number;
}

export interface RestingOrder {
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly limitPrice: Dec | null;
  readonly remaining: Dec;
  /** When the order reached the book: submit time + latency. */
  readonly arrivalTs: number;
}

export interface PaperFillQuote {
  readonly quantity: Dec;
  readonly price: Dec;
  readonly fee: Dec;
}

export function paperBar(bar: { open: number; high: number; low: number; close: number; volume: number; intervalMs: number }, end: number): PaperBar {
  // Bars carry plain numbers; each becomes the decimal its shortest text spells, the value the source printed.
  return {
    open: dec(bar.open),
    high: dec(bar.high),
    low: dec(bar.low),
    close: dec(bar.close),
    volume: dec(bar.volume),
    start: end - bar.intervalMs,
    end,
  };
}

/** The fill the bar gives the order, or null. `draw` is a uniform in [0, 1) from the broker's seeded source. */
export function fillOnBar(order: RestingOrder, bar: PaperBar, costs: PaperCosts, draw: number): PaperFillQuote | null {
  if (order.arrivalTs > bar.end || order.remaining.lte(0)) return null;
  const resting = order.arrivalTs <= bar.start;
  const cap = bar.volume.times(costs.participation).toDecimalPlaces(costs.quantityDecimals, Decimal.ROUND_DOWN);
  const quantity = Money.min(order.remaining, cap);
  if (quantity.lte(0)) return null;
  const buy = order.side === 'BUY';
  let price: Dec | null;
  if (order.type === 'MARKET') {
    const reference = resting ? bar.open : bar.close;
    const share = bar.volume.isZero() ? ZERO : quantity.div(bar.volume);
    const bps = costs.spreadBps
      .div(2)
      .plus(costs.slippageBps)
      .plus(costs.randomSlippageBps.times(dec(draw)))
      .plus(costs.impactBps.times(share));
    const factor = buy ? BPS.plus(bps).div(BPS) : BPS.minus(bps).div(BPS);
    price = reference.times(factor).toDecimalPlaces(costs.priceDecimals, buy ? Decimal.ROUND_UP : Decimal.ROUND_DOWN);
  } else {
    price = limitFill(order, bar, resting);
  }
  if (price === null || price.lte(0)) return null;
  const fee = Money.max(costs.minFee, quantity.times(price).times(costs.feeBps).div(BPS)).toDecimalPlaces(costs.feeDecimals, Decimal.ROUND_UP);
  return { quantity, price, fee };
}

function limitFill(order: RestingOrder, bar: PaperBar, resting: boolean): Dec | null {
  const limit = order.limitPrice;
  if (limit === null) return null;
  if (order.side === 'BUY') {
    if (!resting) return bar.close.lte(limit) ? bar.close : null;
    if (bar.open.lte(limit)) return bar.open; // gapped through the limit: the open is the better price
    return bar.low.lte(limit) ? limit : null;
  }
  if (!resting) return bar.close.gte(limit) ? bar.close : null;
  if (bar.open.gte(limit)) return bar.open;
  return bar.high.gte(limit) ? limit : null;
}
