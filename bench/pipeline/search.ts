/**
 * A step search for the highest rate a deployment sustains: double (or halve) from a starting rate until the
 * outcome flips, then bisect between the highest rate that kept up and the lowest that did not, until the two
 * are within `precision` of each other. Each step is a full trial on a fresh deployment.
 */
import type { TrialResult } from './trial.js';

export interface SearchSettings {
  readonly from: number;
  readonly min: number;
  readonly max: number;
  /** Stop when the failing rate is within this factor of the passing one (1.1 = 10%). */
  readonly precision: number;
}

export interface SearchOutcome {
  /** The highest rate that was sustained, or null when even `min` was not. */
  readonly best: TrialResult | null;
  readonly trials: readonly TrialResult[];
}

/** Rates are rounded to a step that keeps tables readable (100/s, or 10/s below 1,000/s). */
const roundRate = (rate: number): number => (rate >= 1000 ? Math.round(rate / 100) * 100 : Math.max(10, Math.round(rate / 10) * 10));

export async function searchSustainedRate(
  run: (rate: number) => Promise<TrialResult>,
  settings: SearchSettings,
  onTrial: (result: TrialResult) => void = () => {},
): Promise<SearchOutcome> {
  const trials: TrialResult[] = [];
  const attempt = async (rate: number): Promise<TrialResult> => {
    const result = await run(rate);
    trials.push(result);
    onTrial(result);
    return result;
  };

  let pass: TrialResult | null = null;
  let fail: TrialResult | null = null;
  let rate = roundRate(settings.from);
  // Bracket: move by factors of two until one rate passes and the other fails (or a bound is hit).
  for (;;) {
    const result = await attempt(rate);
    if (result.sustained) pass = result;
    else fail = result;
    if (pass && fail) break;
    const next = roundRate(result.sustained ? rate * 2 : rate / 2);
    if (next > settings.max || next < settings.min || next === rate) break;
    rate = next;
  }
  // Narrow: bisect the bracket.
  while (pass && fail && fail.targetRate / pass.targetRate > settings.precision) {
    const mid = roundRate((pass.targetRate + fail.targetRate) / 2);
    if (mid === pass.targetRate || mid === fail.targetRate) break;
    const result = await attempt(mid);
    if (result.sustained) pass = result;
    else fail = result;
  }
  return { best: pass, trials };
}
