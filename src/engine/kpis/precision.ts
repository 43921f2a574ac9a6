/**
 * Rolling Precision@5, the way the product is used: each day, act on the five strongest convictions. As in
 * `modelops/evaluate.ts`, a day's calls are one per instrument (its strongest directional conviction of the
 * day), and a call is confirmed when the log return from its scoring time to the end of its TTL (the next
 * horizon) has its direction's sign. Calls whose horizon has not yet passed in the bars seen are left out, so
 * today's precision fills in as the day's horizons end.
 */
import type { Direction } from '../types.js';
import type { PriceSeries } from '../price-series.js';

export interface JudgedConviction {
  readonly instrument: string;
  readonly score: number;
  readonly direction: Direction;
  readonly scoredAt: number;
  readonly horizonMs: number;
}

export interface DayPrecision {
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  /** Calls judged (at most k): the day's strongest, whose horizon has passed. */
  readonly calls: number;
  readonly hits: number;
  /** hits / calls; null when no call could be judged yet. */
  readonly precision: number | null;
}

export interface PrecisionReport {
  readonly k: number;
  readonly days: readonly DayPrecision[];
  /** Mean precision over the days that had k judged calls; null when none had. */
  readonly rolling: number | null;
  readonly daysWithK: number;
}

export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function precisionAtK(convictions: Iterable<JudgedConviction>, prices: PriceSeries, k = 5): PrecisionReport {
  const best = new Map<string, { readonly day: string; readonly score: number; readonly realized: number }>();
  for (const c of convictions) {
    if (c.direction === 'NEUTRAL') continue;
    const realized = prices.logReturn(c.instrument, c.scoredAt, c.scoredAt + c.horizonMs);
    if (realized === null) continue;
    const day = dayOf(c.scoredAt);
    const key = `${day}|${c.instrument}`;
    const prev = best.get(key);
    if (!prev || Math.abs(c.score) > Math.abs(prev.score)) best.set(key, { day, score: c.score, realized });
  }
  const byDay = new Map<string, { score: number; realized: number; key: string }[]>();
  for (const [key, call] of best) {
    let list = byDay.get(call.day);
    if (!list) byDay.set(call.day, (list = []));
    list.push({ score: call.score, realized: call.realized, key });
  }
  const days: DayPrecision[] = [];
  for (const day of [...byDay.keys()].sort()) {
    const top = byDay
      .get(day)!
      .sort((a, b) => Math.abs(b.score) - Math.abs(a.score) || (a.key < b.key ? -1 : 1))
      .slice(0, k);
    const hits = top.filter((c) => Math.sign(c.score) === Math.sign(c.realized) && c.realized !== 0).length;
    days.push({ day, calls: top.length, hits, precision: top.length > 0 ? hits / top.length : null });
  }
  const full = days.filter((d) => d.calls >= k);
  return {
    k,
    days,
    rolling: full.length > 0 ? full.reduce((s, d) => s + d.precision!, 0) / full.length : null,
    daysWithK: full.length,
  };
}
