/**
 * Options analytics over one expiration's chain: implied-volatility skew and unusual volume. Pure.
 *
 * Skew is measured at 25 delta: the implied volatility of the put whose delta is −0.25 minus that of the
 * call whose delta is +0.25, each interpolated linearly in delta between the two listed strikes that
 * bracket the target. Delta, unlike a fixed moneyness, puts both wings at the same probability of
 * finishing in the money whatever the expiry and the level of volatility, which is the convention desks
 * quote ("25-delta risk reversal"). Positive skew means puts are bid over calls: demand for protection.
 */
import { add, cmp, mul, type Decimal, ZERO } from './decimal.js';
import type { OptionQuote } from './tradier-parse.js';

export interface Skew {
  readonly putIv: number;
  readonly callIv: number;
  /** putIv − callIv, in volatility points as a fraction (0.03 = 3 vol points). */
  readonly skew: number;
}

interface Point {
  readonly delta: number;
  readonly iv: number;
}

/** The IV at `target` delta, interpolated between the nearest points either side; null without both. */
export function ivAtDelta(points: readonly Point[], target: number): number | null {
  let below: Point | null = null;
  let above: Point | null = null;
  for (const p of points) {
    if (p.delta <= target && (!below || p.delta > below.delta)) below = p;
    if (p.delta >= target && (!above || p.delta < above.delta)) above = p;
  }
  if (!below || !above) return null;
  if (above.delta === below.delta) return (above.iv + below.iv) / 2;
  const w = (target - below.delta) / (above.delta - below.delta);
  return below.iv + w * (above.iv - below.iv);
}

function points(chain: readonly OptionQuote[], type: 'call' | 'put'): Point[] {
  return chain.flatMap((o) => {
    const iv = o.greeks?.midIv;
    // A zero IV is ORATS' "no quote", not a volatility.
    return o.type === type && o.greeks && iv !== null && iv !== undefined && iv > 0 ? [{ delta: o.greeks.delta, iv }] : [];
  });
}

/** The 25-delta skew of one expiration, or null when either wing cannot be bracketed. */
export function skew25(chain: readonly OptionQuote[]): Skew | null {
  const putIv = ivAtDelta(points(chain, 'put'), -0.25);
  const callIv = ivAtDelta(points(chain, 'call'), 0.25);
  if (putIv === null || callIv === null) return null;
  return { putIv, callIv, skew: putIv - callIv };
}

/**
 * The price a contract traded at: its last print, or the mid of its quote when it has not printed.
 * Null when it has neither.
 */
export function premiumPrice(o: OptionQuote): Decimal | null {
  if (o.last && o.last.units > 0n) return o.last;
  if (o.bid && o.ask && o.ask.units > 0n) return mul(add(o.bid, o.ask), { units: 5n, scale: 1 });
  return null;
}

/** Premium traded today: volume × price × contract size, exact. */
export function premiumTraded(o: OptionQuote): Decimal {
  const price = premiumPrice(o);
  if (!price || o.volume === 0) return ZERO;
  return mul(price, { units: BigInt(o.volume * o.contractSize), scale: 0 });
}

export interface UnusualRule {
  /** Volume at least this (small contracts trade at high ratios on a handful of lots). */
  readonly minVolume: number;
  /** Volume / open interest at least this. A contract with no open interest counts as unusual. */
  readonly minVolumeOiRatio: number;
  /** Premium traded, in USD, at least this. */
  readonly minPremiumUsd: Decimal;
}

export interface UnusualVolume {
  readonly option: OptionQuote;
  /** Null when open interest is 0. */
  readonly volumeOiRatio: number | null;
  readonly premiumUsd: Decimal;
}

export function unusualVolume(chain: readonly OptionQuote[], rule: UnusualRule): UnusualVolume[] {
  const out: UnusualVolume[] = [];
  for (const option of chain) {
    if (option.volume < rule.minVolume) continue;
    const ratio = option.openInterest > 0 ? option.volume / option.openInterest : null;
    if (ratio !== null && ratio < rule.minVolumeOiRatio) continue;
    const premiumUsd = premiumTraded(option);
    if (cmp(premiumUsd, rule.minPremiumUsd) < 0) continue;
    out.push({ option, volumeOiRatio: ratio, premiumUsd });
  }
  return out;
}

/** Skew as a direction: rich puts are bearish. 5 vol points read as about −0.76 (tanh(1)). */
export const SKEW_SCALE = 0.05;
export function skewPolarity(skew: number): number {
  return -Math.tanh(skew / SKEW_SCALE);
}
