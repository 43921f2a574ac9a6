/**
 * How the input vector (inputs.ts) becomes a conviction score in -1..1, with each input's signed share of it.
 *
 * - `StackerCombiner`: the trained meta stacker (a `LogisticStacker` over the inputs), times the reinforcement
 *   multipliers in force. The score is `2·P(up) − 1 = tanh(margin / 2)`; the intercept's share is reported as
 *   the prior.
 * - `PriorWeightsCombiner`: fixed weights from the literature's ranking of the evidence (insider purchases and
 *   exchange flows best documented, then attention, then news and volume), for a deployment whose stacker has
 *   not been trained yet. Score `tanh(1.5 × Σ wᵢxᵢ)`.
 *
 * Shares are rescaled so that they add up to the score exactly: a reader sees how much of the conviction each
 * piece of evidence carries, in the score's own units.
 */
import type { LogisticStacker } from './stacker.js';
import { CONVICTION_INPUTS, type ConvictionInput } from './inputs.js';

export interface Combination {
  readonly score: number;
  /** Each input's share of the score, in the order of CONVICTION_INPUTS; they add up to `score − prior`. */
  readonly shares: readonly number[];
  /** The share of the score no input carries (the stacker's intercept); 0 for fixed weights. */
  readonly prior: number;
  /** The weight each input was multiplied by (stacker weight × reinforcement multiplier). */
  readonly weights: readonly number[];
}

export interface Combiner {
  /** Carries the parameters, e.g. `LogisticStacker(inputs=11,l2=1)`. */
  readonly name: string;
  readonly version: string;
  combine(values: readonly number[]): Combination;
}

const round = (x: number, digits = 6): number => Number(x.toFixed(digits));

/** Rescales `raw` (in any units, summing with `rawPrior` to `rawTotal`) so the parts add up to `score`. */
function rescale(score: number, raw: readonly number[], rawPrior: number): { shares: number[]; prior: number } {
  const total = raw.reduce((a, b) => a + b, rawPrior);
  const scale = total === 0 ? 0 : score / total;
  return { shares: raw.map((r) => round(r * scale)), prior: round(rawPrior * scale) };
}

export const PRIOR_WEIGHTS: Readonly<Record<ConvictionInput, number>> = {
  'zscore:insider': 0.5,
  'zscore:whale': 0.4,
  'zscore:mentions': 0.35,
  'zscore:news': 0.25,
  'zscore:volume': 0.25,
  'classifier:gbdt': 0.6,
  'classifier:mlp': 0.4,
  forecaster: 0.3,
  'graph:insider_cluster': 0.6,
  'graph:co_trading_community': 0.3,
  anomaly: 0.2,
};

const PRIOR_GAIN = 1.5;

export class PriorWeightsCombiner implements Combiner {
  readonly name = `PriorWeights(gain=${PRIOR_GAIN})`;
  readonly version = '1';
  readonly #weights = CONVICTION_INPUTS.map((name) => PRIOR_WEIGHTS[name]);

  combine(values: readonly number[]): Combination {
    const raw = values.map((x, i) => this.#weights[i]! * x);
    const score = round(Math.tanh(PRIOR_GAIN * raw.reduce((a, b) => a + b, 0)));
    return { score, ...rescale(score, raw, 0), weights: this.#weights };
  }
}

export class StackerCombiner implements Combiner {
  readonly name: string;
  /** Which column of the stacker each conviction input feeds; -1 where the stacker has no such input. */
  readonly #columns: readonly number[];

  constructor(
    readonly stacker: LogisticStacker,
    readonly version: string,
    /** The reinforcement multipliers in force, in the stacker's input order; all 1 when not given. */
    private readonly multipliers: () => readonly number[] = () => stacker.params.inputs.map(() => 1),
  ) {
    this.name = stacker.name;
    this.#columns = CONVICTION_INPUTS.map((name) => stacker.params.inputs.indexOf(name));
  }

  combine(values: readonly number[]): Combination {
    const row = this.stacker.params.inputs.map((name) => values[CONVICTION_INPUTS.indexOf(name as ConvictionInput)] ?? 0);
    const multipliers = this.multipliers();
    const parts = this.stacker.contributions(row, multipliers);
    const margin = this.stacker.intercept + parts.reduce((a, b) => a + b, 0);
    const score = round(Math.tanh(margin / 2));
    const raw = this.#columns.map((c) => (c < 0 ? 0 : parts[c]!));
    const weights = this.#columns.map((c) => (c < 0 ? 0 : round(this.stacker.weights[c]! * (multipliers[c] ?? 1))));
    return { score, ...rescale(score, raw, this.stacker.intercept), weights };
  }
}
