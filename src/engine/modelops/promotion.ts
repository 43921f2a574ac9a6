/**
 * Shadow versus live: whether a shadow version has earned the live alias, judged on the two versions' calls
 * (evaluation.ts) on the same days of a trailing window.
 *
 * **The test.** Per day, Precision@k and IC of each version; the paired difference (shadow − live) per day; a
 * paired bootstrap over days (days resampled with replacement, a seeded `Random`) of the mean difference. The
 * shadow is promoted only when, for both metrics, the bootstrap's one-sided lower bound at 1 − α clears the
 * margin (p = share of resampled means at or below the margin, < α), over at least `minDays` days. Requiring
 * both at level α is an intersection–union test: valid at level α without a correction for the two metrics.
 *
 * **Why the bootstrap and not a sign test.** A day's Precision@5 takes one of six values, so many paired
 * differences are exactly zero: a sign test throws those days away and ignores how large the rest are, and so
 * needs many more days to see the same edge. The bootstrap uses the magnitudes, copes with ties, and gives an
 * interval in the metric's own units for the evidence. It treats days as exchangeable; markets have regimes,
 * so serial correlation makes it somewhat optimistic, which `minDays` and a margin above zero offset.
 *
 * **Demotion.** A live version under a drift alarm is demoted unless the shadow has earned promotion (then the
 * promotion replaces it). A shadow under a drift alarm is never promoted.
 */
import { eventId } from '../canonical.js';
import { type Call, evaluateCalls } from '../models/evaluation.js';
import { Random } from '../random.js';
import { ModelOpsError } from './errors.js';
import { mean, quantileSorted } from './stats.js';

export interface PromotionConfig {
  /** The trailing days compared (of the days both versions have calls). */
  readonly windowDays: number;
  readonly minDays: number;
  readonly k: number;
  readonly resamples: number;
  /** One-sided level of each metric's test. */
  readonly alpha: number;
  /** What the shadow must beat live by, per metric, in the metric's units. */
  readonly margins: { readonly precisionAtK: number; readonly ic: number };
  readonly seed: number;
}

export const DEFAULT_PROMOTION: PromotionConfig = Object.freeze({
  windowDays: 30,
  minDays: 20,
  k: 5,
  resamples: 2000,
  alpha: 0.05,
  margins: { precisionAtK: 0, ic: 0 },
  seed: 1,
});

export interface VersionCalls {
  readonly model: string;
  readonly version: string;
  readonly calls: readonly Call[];
}

export interface DayDifference {
  readonly day: string;
  readonly live: number;
  readonly shadow: number;
  readonly diff: number;
}

export interface MetricEvidence {
  readonly metric: 'precisionAtK' | 'ic';
  /** Days where both versions have the metric (Precision@k needs k calls, IC three). */
  readonly perDay: readonly DayDifference[];
  readonly meanDiff: number | null;
  /** The bootstrap's percentile interval at level 1 − 2α: its lower end is the one-sided bound tested. */
  readonly interval: { readonly lower: number; readonly upper: number; readonly level: number } | null;
  readonly margin: number;
  readonly pValue: number | null;
  readonly significant: boolean;
}

export type PromotionVerdict = 'promote' | 'keep' | 'demote';

export interface PromotionDecision {
  /** Derived from the versions and the window: the causation id of the registry change it leads to. */
  readonly id: string;
  readonly decision: PromotionVerdict;
  readonly reasons: readonly string[];
  readonly method: 'paired-bootstrap';
  readonly live: { readonly model: string; readonly version: string };
  readonly shadow: { readonly model: string; readonly version: string };
  /** First and last day of the window compared; null when the versions share no day. */
  readonly window: { readonly from: string; readonly to: string } | null;
  readonly days: number;
  readonly evidence: { readonly precisionAtK: MetricEvidence; readonly ic: MetricEvidence };
  readonly liveDriftAlarm: string | null;
  readonly shadowDriftAlarm: string | null;
  readonly config: PromotionConfig;
}

export interface PromotionInput {
  readonly live: VersionCalls;
  readonly shadow: VersionCalls;
  /** The id of a standing drift alarm on the live version, if there is one. */
  readonly liveDriftAlarm?: string | null;
  readonly shadowDriftAlarm?: string | null;
}

function checkConfig(c: PromotionConfig): void {
  const bad = (why: string) => new ModelOpsError('PROMOTION_INPUT_INVALID', why);
  if (!(Number.isInteger(c.windowDays) && c.windowDays >= 1)) throw bad('windowDays must be a positive integer');
  if (!(Number.isInteger(c.minDays) && c.minDays >= 2 && c.minDays <= c.windowDays)) throw bad('minDays must be an integer in 2..windowDays');
  if (!(Number.isInteger(c.k) && c.k >= 1)) throw bad('k must be a positive integer');
  if (!(Number.isInteger(c.resamples) && c.resamples >= 100)) throw bad('resamples must be an integer of at least 100');
  if (!(c.alpha > 0 && c.alpha < 0.5)) throw bad('alpha must be in (0, 0.5)');
  if (!(Number.isFinite(c.margins.precisionAtK) && Number.isFinite(c.margins.ic))) throw bad('margins must be finite');
}

function byDay(calls: readonly Call[]): Map<string, Call[]> {
  const out = new Map<string, Call[]>();
  for (const c of calls) {
    const list = out.get(c.day);
    if (list) list.push(c);
    else out.set(c.day, [c]);
  }
  return out;
}

function bootstrap(metric: MetricEvidence['metric'], perDay: readonly DayDifference[], margin: number, c: PromotionConfig, random: Random): MetricEvidence {
  const diffs = perDay.map((d) => d.diff);
  if (diffs.length < 2) return { metric, perDay, meanDiff: diffs.length ? diffs[0]! : null, interval: null, margin, pValue: null, significant: false };
  const means: number[] = [];
  for (let b = 0; b < c.resamples; b++) {
    let sum = 0;
    for (let i = 0; i < diffs.length; i++) sum += diffs[Math.floor(random.next() * diffs.length)]!;
    means.push(sum / diffs.length);
  }
  means.sort((a, b) => a - b);
  const atOrBelow = means.filter((m) => m <= margin).length;
  // (1 + count) / (B + 1): a bootstrap p-value is never exactly zero.
  const pValue = (1 + atOrBelow) / (c.resamples + 1);
  return {
    metric,
    perDay,
    meanDiff: mean(diffs),
    interval: { lower: quantileSorted(means, c.alpha), upper: quantileSorted(means, 1 - c.alpha), level: 1 - 2 * c.alpha },
    margin,
    pValue,
    significant: diffs.length >= c.minDays && pValue < c.alpha,
  };
}

export function decidePromotion(input: PromotionInput, config: Partial<PromotionConfig> = {}): PromotionDecision {
  const c: PromotionConfig = Object.freeze({ ...DEFAULT_PROMOTION, ...config, margins: { ...DEFAULT_PROMOTION.margins, ...config.margins } });
  checkConfig(c);
  const live = byDay(input.live.calls);
  const shadow = byDay(input.shadow.calls);
  const days = [...live.keys()].filter((d) => shadow.has(d)).sort().slice(-c.windowDays);
  const precision: DayDifference[] = [];
  const ic: DayDifference[] = [];
  for (const day of days) {
    const l = evaluateCalls(live.get(day)!, c.k);
    const s = evaluateCalls(shadow.get(day)!, c.k);
    if (l.precisionAtK !== null && s.precisionAtK !== null) precision.push({ day, live: l.precisionAtK, shadow: s.precisionAtK, diff: s.precisionAtK - l.precisionAtK });
    if (l.ic !== null && s.ic !== null) ic.push({ day, live: l.ic, shadow: s.ic, diff: s.ic - l.ic });
  }
  // One stream per metric, so that adding days to one metric leaves the other's resamples unchanged.
  const root = new Random(c.seed);
  const evidence = {
    precisionAtK: bootstrap('precisionAtK', precision, c.margins.precisionAtK, c, root.fork('precisionAtK')),
    ic: bootstrap('ic', ic, c.margins.ic, c, root.fork('ic')),
  };
  const liveAlarm = input.liveDriftAlarm ?? null;
  const shadowAlarm = input.shadowDriftAlarm ?? null;
  const reasons: string[] = [];
  const enoughDays = days.length >= c.minDays;
  if (!enoughDays) reasons.push(`${days.length} common days, fewer than the ${c.minDays} needed`);
  for (const e of [evidence.precisionAtK, evidence.ic]) {
    const name = e.metric === 'ic' ? 'IC' : `Precision@${c.k}`;
    if (e.pValue === null) reasons.push(`${name}: too few days to compare`);
    else if (e.perDay.length < c.minDays) reasons.push(`${name}: ${e.perDay.length} days with the metric, fewer than ${c.minDays}`);
    else reasons.push(`${name}: shadow − live = ${e.meanDiff!.toFixed(4)} (p = ${e.pValue.toFixed(4)}, ${e.significant ? 'significant' : 'not significant'} at ${c.alpha} over margin ${e.margin})`);
  }
  if (shadowAlarm) reasons.push(`the shadow is under drift alarm ${shadowAlarm}`);
  const earned = enoughDays && evidence.precisionAtK.significant && evidence.ic.significant && !shadowAlarm;
  let decision: PromotionVerdict = earned ? 'promote' : 'keep';
  if (liveAlarm) {
    reasons.push(`the live version is under drift alarm ${liveAlarm}`);
    if (!earned) decision = 'demote';
  }
  return {
    id: eventId('prm', input.live.model, input.live.version, input.shadow.model, input.shadow.version, days.at(-1) ?? null, liveAlarm, shadowAlarm),
    decision,
    reasons,
    method: 'paired-bootstrap',
    live: { model: input.live.model, version: input.live.version },
    shadow: { model: input.shadow.model, version: input.shadow.version },
    window: days.length ? { from: days[0]!, to: days[days.length - 1]! } : null,
    days: days.length,
    evidence,
    liveDriftAlarm: liveAlarm,
    shadowDriftAlarm: shadowAlarm,
    config: c,
  };
}
