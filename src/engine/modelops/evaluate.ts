/**
 * Judging convictions against what the market then did, the way the product is used: each day, act on the
 * strongest convictions. A run's convictions become one call per instrument and day (its strongest directional
 * conviction of the day), whose realized outcome is the log return from the conviction's time to the end of its
 * TTL; calls whose TTL runs past the data are left out. `models/evaluation.ts` then gives Precision@k, hit rate,
 * IC, rank IC and Brier score against the no-skill baselines.
 */
import { type Call, type Evaluation, evaluateCalls } from '../models/evaluation.js';
import type { ScoredConviction } from './harness.js';
import type { PriceSeries } from '../price-series.js';

export function dailyCalls(convictions: readonly ScoredConviction[], prices: PriceSeries): Call[] {
  const best = new Map<string, Call>();
  for (const c of convictions) {
    const v = c.vector;
    if (v.direction === 'NEUTRAL') continue;
    const realized = prices.logReturn(v.instrument, c.tsEvent, c.tsEvent + v.ttl * 1000);
    if (realized === null) continue;
    const day = new Date(c.tsEvent).toISOString().slice(0, 10);
    const key = `${day}|${v.instrument}`;
    const prev = best.get(key);
    if (!prev || Math.abs(v.convictionScore) > Math.abs(prev.score)) {
      best.set(key, { day, instrument: v.instrument, score: v.convictionScore, realized });
    }
  }
  return [...best.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.instrument < b.instrument ? -1 : 1));
}

export function evaluateRun(convictions: readonly ScoredConviction[], prices: PriceSeries, k = 5): Evaluation {
  return evaluateCalls(dailyCalls(convictions, prices), k);
}
