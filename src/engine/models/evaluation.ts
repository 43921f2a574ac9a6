/**
 * How good a set of directional calls is, measured the way the product is used: each day, the strongest
 * convictions are acted on, so what matters most is whether the top few were right.
 *
 * - **Precision@k:** per day, of the k calls with the largest |score|, the share whose direction the realized
 *   return confirmed; averaged over days that had at least k calls.
 * - **Hit rate:** the same share over every call with a direction.
 * - **IC / rank IC:** Pearson and Spearman correlation between score and realized return, per day, averaged
 *   (the usual cross-sectional information coefficient); with a single day, over all calls.
 * - **Brier score:** mean squared error of the probability of an up move against the 0/1 outcome.
 * - **No-skill baselines:** the same measures for a call that always says "up" with the base rate as its
 *   probability (Brier of the climatology), and the expected Precision@k of random picks (the base rate of the
 *   majority direction among all calls).
 */

export interface Call {
  /** The day (or any period) the call belongs to, e.g. `2024-03-01`. */
  readonly day: string;
  readonly instrument: string;
  /** Signed conviction, −1..1 (or any signed strength). */
  readonly score: number;
  /** Probability of an up move, 0..1; from the score when not given: (score + 1) / 2. */
  readonly probability?: number;
  /** The realized return over the call's horizon. */
  readonly realized: number;
}

export interface Evaluation {
  readonly calls: number;
  readonly days: number;
  readonly precisionAtK: number | null;
  readonly k: number;
  readonly daysWithK: number;
  readonly hitRate: number | null;
  readonly ic: number | null;
  readonly rankIc: number | null;
  readonly brier: number | null;
  readonly baseline: {
    /** Share of calls whose realized return was up. */
    readonly upRate: number | null;
    /** Brier score of always forecasting `upRate`. */
    readonly brier: number | null;
    /** Expected Precision@k of picking directions at random: 0.5. Of always calling up: `upRate`. */
    readonly precisionAlwaysUp: number | null;
  };
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const direction = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 3 || n !== y.length) return null;
  const mx = mean(x)!;
  const my = mean(y)!;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

/** Ranks from 1, ties sharing their average rank. */
export function ranks(x: readonly number[]): number[] {
  const order = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

export function spearman(x: readonly number[], y: readonly number[]): number | null {
  return pearson(ranks(x), ranks(y));
}

export function evaluateCalls(calls: readonly Call[], k = 5): Evaluation {
  const byDay = new Map<string, Call[]>();
  for (const c of calls) byDay.set(c.day, [...(byDay.get(c.day) ?? []), c]);
  const directional = calls.filter((c) => direction(c.score) !== 0 && direction(c.realized) !== 0);

  const precisions: number[] = [];
  const ics: number[] = [];
  const rankIcs: number[] = [];
  for (const day of [...byDay.keys()].sort()) {
    const list = byDay.get(day)!;
    const top = list
      .filter((c) => direction(c.score) !== 0)
      .sort((a, b) => Math.abs(b.score) - Math.abs(a.score) || (a.instrument < b.instrument ? -1 : 1))
      .slice(0, k);
    if (top.length === k) precisions.push(top.filter((c) => direction(c.score) === direction(c.realized)).length / k);
    const ic = pearson(list.map((c) => c.score), list.map((c) => c.realized));
    const ric = spearman(list.map((c) => c.score), list.map((c) => c.realized));
    if (ic !== null) ics.push(ic);
    if (ric !== null) rankIcs.push(ric);
  }
  const singleDay = byDay.size <= 1;
  const outcomes = calls.filter((c) => c.realized !== 0);
  const upRate = mean(outcomes.map((c) => (c.realized > 0 ? 1 : 0)));
  const brierOf = (p: (c: Call) => number) => mean(outcomes.map((c) => (p(c) - (c.realized > 0 ? 1 : 0)) ** 2));
  return {
    calls: calls.length,
    days: byDay.size,
    k,
    precisionAtK: mean(precisions),
    daysWithK: precisions.length,
    hitRate: mean(directional.map((c) => (direction(c.score) === direction(c.realized) ? 1 : 0))),
    ic: singleDay ? pearson(calls.map((c) => c.score), calls.map((c) => c.realized)) : mean(ics),
    rankIc: singleDay ? spearman(calls.map((c) => c.score), calls.map((c) => c.realized)) : mean(rankIcs),
    brier: brierOf((c) => c.probability ?? (c.score + 1) / 2),
    baseline: {
      upRate,
      brier: upRate === null ? null : brierOf(() => upRate),
      precisionAlwaysUp: upRate,
    },
  };
}
