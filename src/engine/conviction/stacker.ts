/**
 * The meta stacker: regularized logistic regression over the ensemble's outputs, giving the probability that the
 * next horizon moves up. Its signed contributions (weight × input) are what the conviction's reason vector
 * reports for the models.
 *
 * - **Fit:** Newton's method (iteratively reweighted least squares) on the L2-penalized log-likelihood; the
 *   intercept is not penalized. The inputs are few (one per model output), so each step solves a small dense
 *   system by Cholesky: exact, deterministic, and converged in a handful of iterations.
 * - **Walk-forward:** `walkForward` refits on a trailing window and predicts only what comes after it, so an
 *   evaluation never scores a sample with a model that saw it.
 * - **Reinforcement bias:** `ReinforcementBias` nudges each input's weight by that model's realized hit rate
 *   (an exponentially weighted share of calls whose sign the outcome confirmed), within bounds, and records
 *   every change with the outcome that caused it.
 */
import { decodeFloat64, encodeFloat64, type Model, ModelError, modelName, type SerializedModel } from '../models/model.js';

export interface StackerParams {
  /** The names of the inputs, in order (e.g. `IsolationForest(...)`, `GBDT(...)`). */
  readonly inputs: readonly string[];
  /** L2 penalty on the weights (not the intercept). */
  readonly l2: number;
  readonly maxIterations: number;
  /** Stop when the largest change of a coefficient is below this. */
  readonly tolerance: number;
}

const DEFAULTS = { l2: 1, maxIterations: 50, tolerance: 1e-10 } as const;
const FORMAT_VERSION = 1;

interface StackerState {
  readonly intercept: number;
  readonly weights: string;
  readonly trainedOn: number;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export class LogisticStacker implements Model {
  readonly kind = 'stacker' as const;
  readonly params: StackerParams;
  #intercept = 0;
  #weights: Float64Array | null = null;
  #trainedOn = 0;

  constructor(params: Partial<StackerParams> & Pick<StackerParams, 'inputs'>) {
    this.params = Object.freeze({ ...DEFAULTS, ...params, inputs: Object.freeze([...params.inputs]) });
    if (this.params.inputs.length === 0) throw new ModelError('MODEL_INPUT_INVALID', 'a stacker needs at least one input');
    if (!(this.params.l2 >= 0)) throw new ModelError('MODEL_INPUT_INVALID', `l2 must be >= 0, got ${this.params.l2}`);
  }

  get name(): string {
    return modelName('LogisticStacker', { inputs: this.params.inputs.length, l2: this.params.l2 });
  }

  get fitted(): boolean {
    return this.#weights !== null;
  }

  get intercept(): number {
    return this.#intercept;
  }

  /** A copy of the weights, in the order of `params.inputs`. */
  get weights(): readonly number[] {
    return [...this.#fittedWeights()];
  }

  /** Samples the last fit saw. */
  get trainedOn(): number {
    return this.#trainedOn;
  }

  fit(rows: readonly (readonly number[])[], labels: readonly number[]): this {
    const p = this.params.inputs.length;
    if (rows.length === 0 || rows.length !== labels.length) {
      throw new ModelError('MODEL_INPUT_INVALID', `need as many labels as rows (at least one), got ${rows.length} and ${labels.length}`);
    }
    rows.forEach((row) => this.#check(row));
    labels.forEach((y, i) => {
      if (y !== 0 && y !== 1) throw new ModelError('MODEL_INPUT_INVALID', `label ${i} is ${y}, not 0 or 1`);
    });
    // Coefficients: [intercept, w_1..w_p]; Newton steps on the penalized negative log-likelihood.
    const beta = new Float64Array(p + 1);
    for (let iter = 0; iter < this.params.maxIterations; iter++) {
      const grad = new Float64Array(p + 1);
      const hess = new Float64Array((p + 1) * (p + 1));
      for (let n = 0; n < rows.length; n++) {
        const row = rows[n]!;
        let z = beta[0]!;
        for (let j = 0; j < p; j++) z += beta[j + 1]! * row[j]!;
        const mu = sigmoid(z);
        const r = mu - labels[n]!;
        const w = Math.max(mu * (1 - mu), 1e-12);
        for (let a = 0; a <= p; a++) {
          const xa = a === 0 ? 1 : row[a - 1]!;
          grad[a]! += r * xa;
          for (let b = 0; b <= a; b++) hess[a * (p + 1) + b]! += w * xa * (b === 0 ? 1 : row[b - 1]!);
        }
      }
      for (let a = 1; a <= p; a++) {
        grad[a]! += this.params.l2 * beta[a]!;
        hess[a * (p + 1) + a]! += this.params.l2;
      }
      hess[0]! += 1e-9; // keeps the system positive definite when every label is the same
      const step = solveSymmetric(hess, grad, p + 1);
      let largest = 0;
      for (let a = 0; a <= p; a++) {
        beta[a]! -= step[a]!;
        largest = Math.max(largest, Math.abs(step[a]!));
      }
      if (largest < this.params.tolerance) break;
    }
    this.#intercept = beta[0]!;
    this.#weights = beta.slice(1);
    this.#trainedOn = rows.length;
    return this;
  }

  /** Log-odds of an up move. */
  predictMargin(row: readonly number[], multipliers?: readonly number[]): number {
    this.#check(row);
    const w = this.#fittedWeights();
    let z = this.#intercept;
    for (let j = 0; j < w.length; j++) z += w[j]! * (multipliers?.[j] ?? 1) * row[j]!;
    return z;
  }

  predictProba(row: readonly number[], multipliers?: readonly number[]): number {
    return sigmoid(this.predictMargin(row, multipliers));
  }

  /** Each input's signed share of the margin (weight × multiplier × input), in the order of `params.inputs`. */
  contributions(row: readonly number[], multipliers?: readonly number[]): number[] {
    this.#check(row);
    const w = this.#fittedWeights();
    return [...w].map((wj, j) => wj * (multipliers?.[j] ?? 1) * row[j]!);
  }

  serialize(): SerializedModel<StackerParams, StackerState> {
    return {
      type: 'LogisticStacker',
      formatVersion: FORMAT_VERSION,
      params: this.params,
      state: { intercept: this.#intercept, weights: encodeFloat64(this.#fittedWeights()), trainedOn: this.#trainedOn },
    };
  }

  static deserialize(artifact: SerializedModel): LogisticStacker {
    if (artifact.type !== 'LogisticStacker' || artifact.formatVersion !== FORMAT_VERSION) {
      throw new ModelError('MODEL_ARTIFACT_INVALID', `not a LogisticStacker v${FORMAT_VERSION} artifact: ${artifact.type} v${artifact.formatVersion}`);
    }
    const params = artifact.params as StackerParams;
    const state = artifact.state as StackerState;
    const model = new LogisticStacker(params);
    const weights = decodeFloat64(state.weights);
    if (weights.length !== params.inputs.length) {
      throw new ModelError('MODEL_ARTIFACT_INVALID', `${weights.length} weights for ${params.inputs.length} inputs`);
    }
    model.#intercept = state.intercept;
    model.#weights = weights;
    model.#trainedOn = state.trainedOn;
    return model;
  }

  #fittedWeights(): Float64Array {
    if (!this.#weights) throw new ModelError('MODEL_NOT_FITTED', `${this.name} has not been fitted`);
    return this.#weights;
  }

  #check(row: readonly number[]): void {
    if (row.length !== this.params.inputs.length) {
      throw new ModelError('MODEL_INPUT_INVALID', `expected ${this.params.inputs.length} inputs, got ${row.length}`);
    }
    for (const x of row) if (!Number.isFinite(x)) throw new ModelError('MODEL_INPUT_INVALID', `input ${x} is not finite`);
  }
}

/** Solves H x = g for a symmetric positive definite H (lower triangle filled) by Cholesky. */
function solveSymmetric(h: Float64Array, g: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = h[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = i === j ? Math.sqrt(Math.max(sum, 1e-300)) : sum / l[j * n + j]!;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = g[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!;
    y[i] = sum / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
  return x;
}
