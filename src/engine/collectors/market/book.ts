/**
 * Order-book imbalance: how much resting liquidity sits on the bid against the ask near the mid.
 *
 * Depth is measured in quote currency (Σ price × quantity over the levels within `bps` basis points of
 * the mid), so a level far from the mid does not outweigh one at the touch just because it holds more
 * coins. The imbalance is (bid − ask) / (bid + ask), in -1..1: positive when buyers are deeper.
 * Everything up to that one division is exact.
 */
import { add, cmp, mul, ratio, sub, ZERO, type Decimal } from './decimal.js';

export interface BookLevel {
  readonly price: Decimal;
  readonly amount: Decimal;
}

export interface Imbalance {
  readonly bestBid: Decimal;
  readonly bestAsk: Decimal;
  readonly mid: Decimal;
  /** Quote-currency depth within the band, per side. */
  readonly bidDepth: Decimal;
  readonly askDepth: Decimal;
  /** Levels counted per side. */
  readonly bidLevels: number;
  readonly askLevels: number;
  /** (bid − ask) / (bid + ask), in -1..1; 0 when the band is empty. */
  readonly imbalance: number;
}

const HALF: Decimal = { units: 5n, scale: 1 };
const BPS: Decimal = { units: 10_000n, scale: 0 };

function depth(levels: readonly BookLevel[], inBand: (price: Decimal) => boolean): { value: Decimal; count: number } {
  let value = ZERO;
  let count = 0;
  for (const level of levels) {
    if (!inBand(level.price)) continue;
    value = add(value, mul(level.price, level.amount));
    count += 1;
  }
  return { value, count };
}

/**
 * The imbalance within `bps` basis points of the mid. `bids` best (highest) first, `asks` best (lowest)
 * first. Null when a side is empty.
 */
export function bookImbalance(bids: readonly BookLevel[], asks: readonly BookLevel[], bps: Decimal): Imbalance | null {
  const bestBid = bids[0]?.price;
  const bestAsk = asks[0]?.price;
  if (!bestBid || !bestAsk) return null;
  const mid = mul(add(bestBid, bestAsk), HALF);
  // price ≥ mid × (1 − bps/10⁴)  ⟺  price × 10⁴ ≥ mid × (10⁴ − bps), kept in integers.
  const bidFloor = mul(mid, sub(BPS, bps));
  const askCeiling = mul(mid, add(BPS, bps));
  const bid = depth(bids, (p) => cmp(mul(p, BPS), bidFloor) >= 0);
  const ask = depth(asks, (p) => cmp(mul(p, BPS), askCeiling) <= 0);
  const total = add(bid.value, ask.value);
  const diff = sub(bid.value, ask.value);
  return {
    bestBid,
    bestAsk,
    mid,
    bidDepth: bid.value,
    askDepth: ask.value,
    bidLevels: bid.count,
    askLevels: ask.count,
    imbalance: ratio(diff, total) ?? 0,
  };
}
