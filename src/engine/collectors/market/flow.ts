/**
 * Trade-flow analytics shared by the market sources: block trades (one print whose notional is above a
 * threshold) and sweeps (an aggressor walking the book: several fills on the same side, each at the same
 * or a worse price than the one before, within a short window). Pure functions over exact decimals; the
 * sources turn what they find into `trade` signals.
 */
import { add, cmp, mul, ZERO, type Decimal } from './decimal.js';

export type AggressorSide = 'buy' | 'sell';

/** One print on the tape. */
export interface Fill {
  readonly id: string;
  /** Epoch ms. */
  readonly ts: number;
  /** The taker's side: `buy` when a buyer lifted an offer. Null when the venue does not say. */
  readonly side: AggressorSide | null;
  readonly price: Decimal;
  readonly amount: Decimal;
}

export interface BlockTrade {
  readonly fill: Fill;
  /** Price × amount × the quote currency's USD price. */
  readonly notionalUsd: Decimal;
}

export interface Sweep {
  readonly side: AggressorSide;
  /** In tape order. */
  readonly fills: readonly Fill[];
  readonly notionalUsd: Decimal;
  /** The first and last prices: the sweep walked from one to the other. */
  readonly priceFrom: Decimal;
  readonly priceTo: Decimal;
  /** Distinct prices taken. */
  readonly levels: number;
  /** Base quantity in total. */
  readonly amount: Decimal;
}

export interface SweepRule {
  /** How far apart, at most, the first and last fills of one sweep may be. */
  readonly windowMs: number;
  /** Fills at least (a sweep is "several"). */
  readonly minFills: number;
  /** Distinct price levels at least (a sweep walks the book; one level is just a large order). */
  readonly minLevels: number;
  /** Total notional in USD at least. */
  readonly minNotionalUsd: Decimal;
}

const ONE: Decimal = { units: 1n, scale: 0 };

export function notional(fill: Fill, quoteUsd: Decimal = ONE): Decimal {
  return mul(mul(fill.price, fill.amount), quoteUsd);
}

/** +1 for a buyer-initiated print, −1 for a seller-initiated one, 0 when the side is unknown. */
export function polarityOf(side: AggressorSide | null): number {
  return side === 'buy' ? 1 : side === 'sell' ? -1 : 0;
}

/** Orders fills by time, then id, which is how venues number their tape. */
export function tapeOrder(fills: readonly Fill[]): Fill[] {
  return [...fills].sort((a, b) => a.ts - b.ts || compareIds(a.id, b.id));
}

function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sweeps in a tape (fills in tape order). A run continues while fills keep the side, stay within the
 * window of the run's first fill and never improve on the last price (a buyer pays the same or more, a
 * seller accepts the same or less); a run that meets the rule is a sweep.
 */
export function detectSweeps(fills: readonly Fill[], rule: SweepRule, quoteUsd: Decimal = ONE): Sweep[] {
  const sweeps: Sweep[] = [];
  let run: Fill[] = [];
  const close = (): void => {
    const first = run[0];
    const last = run[run.length - 1];
    if (first?.side && last && run.length >= rule.minFills) {
      const levels = new Set(run.map((f) => `${f.price.units}e-${f.price.scale}`)).size;
      const total = run.reduce((acc, f) => add(acc, notional(f, quoteUsd)), ZERO);
      if (levels >= rule.minLevels && cmp(total, rule.minNotionalUsd) >= 0) {
        sweeps.push({
          side: first.side,
          fills: run,
          notionalUsd: total,
          priceFrom: first.price,
          priceTo: last.price,
          levels,
          amount: run.reduce((acc, f) => add(acc, f.amount), ZERO),
        });
      }
    }
    run = [];
  };
  for (const fill of fills) {
    const first = run[0];
    const prev = run[run.length - 1];
    const continues =
      first !== undefined &&
      prev !== undefined &&
      fill.side !== null &&
      fill.side === first.side &&
      fill.ts - first.ts <= rule.windowMs &&
      (fill.side === 'buy' ? cmp(fill.price, prev.price) >= 0 : cmp(fill.price, prev.price) <= 0);
    if (!continues) {
      close();
      if (fill.side === null) continue;
    }
    run.push(fill);
  }
  close();
  return sweeps;
}

/** Prints at or above the threshold, skipping those already reported as part of a sweep. */
export function detectBlocks(
  fills: readonly Fill[],
  minNotionalUsd: Decimal,
  quoteUsd: Decimal = ONE,
  exclude: ReadonlySet<string> = new Set(),
): BlockTrade[] {
  const blocks: BlockTrade[] = [];
  for (const fill of fills) {
    if (exclude.has(fill.id)) continue;
    const value = notional(fill, quoteUsd);
    if (cmp(value, minNotionalUsd) >= 0) blocks.push({ fill, notionalUsd: value });
  }
  return blocks;
}

/**
 * The aggressor side by the tick rule, for tapes that do not carry it (consolidated equity prints): a
 * print above the previous price was bought, below it sold, and at the same price inherits the side of
 * the last price change. `previous` carries the state across polls.
 */
export function tickRule(
  prices: readonly Decimal[],
  previous: { price: Decimal; side: AggressorSide | null } | null,
): { sides: (AggressorSide | null)[]; last: { price: Decimal; side: AggressorSide | null } | null } {
  let state = previous;
  const sides = prices.map((price) => {
    let side: AggressorSide | null = null;
    if (state) {
      const c = cmp(price, state.price);
      side = c > 0 ? 'buy' : c < 0 ? 'sell' : state.side;
    }
    state = { price, side };
    return side;
  });
  return { sides, last: state };
}
