/**
 * Bayesian online changepoint detection (R. P. Adams, D. J. C. MacKay, "Bayesian Online Changepoint
 * Detection", 2007), for a series of Gaussian observations whose mean and variance are both unknown.
 *
 * The run length r_t is the number of observations since the last changepoint. After each observation x_t
 * the posterior over r_t is updated by the message-passing recursion
 *
 *   P(r_t = r + 1, x_1..t) = P(r_{t−1} = r, x_1..t−1) · π_r(x_t) · (1 − H)        (the run grows)
 *   P(r_t = 0,     x_1..t) = Σ_r P(r_{t−1} = r, x_1..t−1) · π_r(x_t) · H          (a new run starts)
 *
 * with a constant hazard H = 1/λ and π_r the posterior predictive of the run's last r observations. Each run
 * has a Normal-Inverse-Gamma posterior, updated from the prior (μ0, κ0, α0, β0) by
 *   κ' = κ + 1,  α' = α + ½,  μ' = μ + (x − μ)/κ',  β' = β + κ (x − μ)² / (2κ'),
 * so its predictive is a Student t with 2α degrees of freedom, location μ and scale² β(κ + 1)/(ακ). Since
 * κ and α depend only on r, the state per run length is just μ and β.
 *
 * Probabilities are kept as logarithms, normalized after each step. Run lengths above `maxRunLength` are
 * dropped (their mass is removed and the rest renormalized), which bounds the cost of a step to
 * O(maxRunLength); on a stretch longer than that, the most probable run length stays at `maxRunLength`.
 *
 * What a step reports, and why. The textbook output P(r_t = 0 | x_1..t) is H whatever the data (both terms
 * above are weighed with the same π_r(x_t)), a little more once truncation has removed mass; it is returned
 * as `changepointProbability` for completeness but says nothing. A change shows instead as posterior mass
 * moving to short runs that began after the change: `shortRunProbability` = P(r_t <= k | x_1..t) (k =
 * `shortRunLength`) rises towards 1 within a few observations of a clear change and stays near k·H
 * otherwise, and the most probable (MAP) run length falls from the length of the old run to the few
 * observations since the change, so `runStart` = t − mapRunLength jumps to where the new run began.
 */
import { decodeFloat64, encodeFloat64, type Model, ModelError, modelName, type SerializedModel } from './model.js';

const FORMAT_VERSION = 1;
const TYPE = 'Bocpd';
/** Beyond this magnitude the squared deviations of the sufficient statistics could overflow. */
const MAX_ABS_INPUT = 1e150;

export interface BocpdParams {
  /** Expected observations between changepoints; the hazard is 1/hazardLambda. */
  readonly hazardLambda: number;
  /** Prior mean of the observations. */
  readonly mu0: number;
  /** Prior pseudo-observations for the mean. */
  readonly kappa0: number;
  /** Prior shape of the precision; above 1 so that every predictive has a variance. */
  readonly alpha0: number;
  /** Prior rate of the precision; β0/(α0 − 1) is the prior mean of the variance. */
  readonly beta0: number;
  /** Longest run length kept. */
  readonly maxRunLength: number;
  /** k of `shortRunProbability` = P(r_t <= k). */
  readonly shortRunLength: number;
}

/** Defaults for a standardized series (mean near 0, variance near 1); set mu0 and beta0 for a raw one. */
export const DEFAULT_BOCPD_PARAMS: BocpdParams = {
  hazardLambda: 250,
  mu0: 0,
  kappa0: 1,
  alpha0: 2,
  beta0: 1,
  maxRunLength: 500,
  shortRunLength: 5,
};

export interface ChangepointStep {
  /** Observations seen so far, this one included. */
  readonly t: number;
  /** P(r_t = 0 | x_1..t): equals the hazard under a constant hazard (see the header); kept for completeness. */
  readonly changepointProbability: number;
  /** P(r_t <= shortRunLength | x_1..t): the probability that a change happened within the last k observations. */
  readonly shortRunProbability: number;
  /** The most probable run length (the smallest one on a tie). */
  readonly mapRunLength: number;
  /** 0-based index of the first observation of the MAP run: t − mapRunLength. */
  readonly runStart: number;
  /** log p(x_t | x_1..t−1): low when this observation surprised the model. */
  readonly logPredictive: number;
  /** Mean of the predictive for the next observation (mixed over run lengths). */
  readonly predictiveMean: number;
  /** Standard deviation of the predictive for the next observation. */
  readonly predictiveStd: number;
}

export interface BocpdState {
  /** Observations seen. */
  readonly t: number;
  /** log P(r_t = r | x_1..t) for r = 0..n−1 (base64 float64). */
  readonly logProbabilities: string;
  /** μ of each run length's posterior (base64 float64). */
  readonly mu: string;
  /** β of each run length's posterior (base64 float64). */
  readonly beta: string;
}

export type SerializedBocpd = SerializedModel<BocpdParams, BocpdState>;

export class Bocpd implements Model {
  readonly kind = 'changepoint' as const;
  readonly name: string;
  readonly params: BocpdParams;
  readonly #logHazard: number;
  readonly #logSurvival: number;
  /** lnΓ(α_r + ½) − lnΓ(α_r) for each run length: the constant of the Student-t log density. */
  readonly #logGammaRatio: Float64Array;
  readonly #logR: Float64Array;
  readonly #mu: Float64Array;
  readonly #beta: Float64Array;
  /** Scratch: log P(r_{t−1} = r, x_t | x_1..t−1). */
  readonly #joint: Float64Array;
  /** Run lengths currently held: 0..length−1. */
  #length = 1;
  #t = 0;

  constructor(params: Partial<BocpdParams> = {}) {
    const p = (this.params = Object.freeze({ ...DEFAULT_BOCPD_PARAMS, ...params }));
    requireNumber('hazardLambda', p.hazardLambda, (v) => v > 1, 'above 1');
    requireNumber('mu0', p.mu0, () => true, 'finite');
    requireNumber('kappa0', p.kappa0, (v) => v > 0, 'positive');
    requireNumber('alpha0', p.alpha0, (v) => v > 1, 'above 1');
    requireNumber('beta0', p.beta0, (v) => v > 0, 'positive');
    requireNumber('maxRunLength', p.maxRunLength, (v) => Number.isInteger(v) && v >= 1 && v <= 1_000_000, 'an integer in [1, 1000000]');
    requireNumber('shortRunLength', p.shortRunLength, (v) => Number.isInteger(v) && v >= 0 && v <= p.maxRunLength, 'an integer in [0, maxRunLength]');
    this.name = modelName(TYPE, {
      lambda: p.hazardLambda,
      mu0: p.mu0,
      kappa0: p.kappa0,
      alpha0: p.alpha0,
      beta0: p.beta0,
      maxRun: p.maxRunLength,
      k: p.shortRunLength,
    });
    this.#logHazard = -Math.log(p.hazardLambda);
    this.#logSurvival = Math.log1p(-1 / p.hazardLambda);
    const size = p.maxRunLength + 1;
    this.#logGammaRatio = Float64Array.from({ length: size }, (_, r) => {
      const alpha = p.alpha0 + r / 2;
      return logGamma(alpha + 0.5) - logGamma(alpha);
    });
    this.#logR = new Float64Array(size);
    this.#mu = new Float64Array(size);
    this.#beta = new Float64Array(size);
    this.#joint = new Float64Array(size);
    this.reset();
  }

  /** Observations seen since construction or the last reset. */
  get t(): number {
    return this.#t;
  }

  /** Forgets every observation: a changepoint is assumed just before the next one. */
  reset(): void {
    this.#length = 1;
    this.#t = 0;
    this.#logR[0] = 0;
    this.#mu[0] = this.params.mu0;
    this.#beta[0] = this.params.beta0;
  }

  /** Takes the next observation of the series. */
  update(x: number): ChangepointStep {
    if (typeof x !== 'number' || !Number.isFinite(x) || Math.abs(x) > MAX_ABS_INPUT) {
      throw new ModelError('MODEL_INPUT_INVALID', `${TYPE} takes finite numbers up to ${MAX_ABS_INPUT} in magnitude, got ${x}`);
    }
    const { kappa0, maxRunLength } = this.params;
    const logR = this.#logR;
    const mu = this.#mu;
    const beta = this.#beta;
    const joint = this.#joint;
    const length = this.#length;

    for (let r = 0; r < length; r++) joint[r] = (logR[r] as number) + this.#logPredictive(x, r);
    const logEvidence = logSumExp(joint, length);

    // Grow every run by x, from the longest down so each one reads its predecessor before it is overwritten.
    // At the cap, the longest run has no slot to grow into: its mass joins the top slot, whose statistics
    // are those of the last maxRunLength observations.
    const atCap = length === maxRunLength + 1;
    const next = atCap ? length : length + 1;
    for (let r = next - 1; r >= 1; r--) {
      const kappa = kappa0 + r - 1;
      const d = x - (mu[r - 1] as number);
      const grown = atCap && r === maxRunLength ? logAddExp(joint[r - 1] as number, joint[r] as number) : (joint[r - 1] as number);
      logR[r] = grown + this.#logSurvival;
      beta[r] = (beta[r - 1] as number) + (kappa * d * d) / (2 * (kappa + 1));
      mu[r] = (mu[r - 1] as number) + d / (kappa + 1);
    }
    logR[0] = logEvidence + this.#logHazard;
    mu[0] = this.params.mu0;
    beta[0] = this.params.beta0;

    const norm = logSumExp(logR, next);
    for (let r = 0; r < next; r++) logR[r] = (logR[r] as number) - norm;
    this.#length = next;
    this.#t++;
    return this.#summary(logEvidence);
  }

  /** P(r_t = r | x_1..t) for r = 0.. (the longest run length held). */
  runLengthDistribution(): Float64Array {
    return Float64Array.from(this.#logR.subarray(0, this.#length), Math.exp);
  }

  serialize(): SerializedBocpd {
    const n = this.#length;
    return {
      type: TYPE,
      formatVersion: FORMAT_VERSION,
      params: { ...this.params },
      state: {
        t: this.#t,
        logProbabilities: encodeFloat64(this.#logR.subarray(0, n)),
        mu: encodeFloat64(this.#mu.subarray(0, n)),
        beta: encodeFloat64(this.#beta.subarray(0, n)),
      },
    };
  }

  static deserialize(s: SerializedModel): Bocpd {
    if (s?.type !== TYPE) throw invalidArtifact(`expected type ${TYPE}, got ${JSON.stringify(s?.type)}`);
    if (s.formatVersion !== FORMAT_VERSION) throw invalidArtifact(`unknown formatVersion ${JSON.stringify(s.formatVersion)}`);
    let model: Bocpd;
    try {
      model = new Bocpd(s.params as BocpdParams);
    } catch (err) {
      throw invalidArtifact(`bad params: ${(err as Error).message}`);
    }
    const state = s.state as Partial<BocpdState> | null;
    if (!state || typeof state.logProbabilities !== 'string' || typeof state.mu !== 'string' || typeof state.beta !== 'string') {
      throw invalidArtifact('state needs logProbabilities, mu and beta');
    }
    const t = state.t as number;
    if (!Number.isSafeInteger(t) || t < 0) throw invalidArtifact('state.t must be a non-negative integer');
    const logR = decodeFloat64(state.logProbabilities);
    const mu = decodeFloat64(state.mu);
    const beta = decodeFloat64(state.beta);
    const n = logR.length;
    if (mu.length !== n || beta.length !== n) throw invalidArtifact('logProbabilities, mu and beta differ in length');
    if (n < 1 || n > Math.min(t, model.params.maxRunLength) + 1) throw invalidArtifact(`${n} run lengths do not fit t=${t}`);
    if (!logR.every((v) => v <= 0 && v > -Infinity) || Math.abs(logSumExp(logR, n)) > 1e-9) {
      throw invalidArtifact('logProbabilities are not a normalized distribution');
    }
    if (!mu.every(Number.isFinite) || !beta.every((v) => Number.isFinite(v) && v > 0)) throw invalidArtifact('mu and beta must be finite, beta positive');
    model.#logR.set(logR);
    model.#mu.set(mu);
    model.#beta.set(beta);
    model.#length = n;
    model.#t = t;
    return model;
  }

  /** log of the Student-t predictive of run length r at x. */
  #logPredictive(x: number, r: number): number {
    const { kappa0, alpha0 } = this.params;
    const kappa = kappa0 + r;
    const alpha = alpha0 + r / 2;
    const beta = this.#beta[r] as number;
    const d = x - (this.#mu[r] as number);
    // ν·scale² = 2α · β(κ + 1)/(ακ) = 2β(κ + 1)/κ
    const spread = (2 * beta * (kappa + 1)) / kappa;
    return (this.#logGammaRatio[r] as number) - 0.5 * Math.log(Math.PI * spread) - (alpha + 0.5) * Math.log1p((d * d) / spread);
  }

  #summary(logPredictive: number): ChangepointStep {
    const { kappa0, alpha0, shortRunLength } = this.params;
    const n = this.#length;
    let map = 0;
    let short = 0;
    let mean = 0;
    for (let r = 0; r < n; r++) {
      const p = Math.exp(this.#logR[r] as number);
      if ((this.#logR[r] as number) > (this.#logR[map] as number)) map = r;
      if (r <= shortRunLength) short += p;
      mean += p * (this.#mu[r] as number);
    }
    // Mixture variance: Σ p_r (Var_r + (μ_r − mean)²), with the Student-t variance β(κ + 1)/(κ(α − 1)).
    let variance = 0;
    for (let r = 0; r < n; r++) {
      const kappa = kappa0 + r;
      const alpha = alpha0 + r / 2;
      const d = (this.#mu[r] as number) - mean;
      const v = ((this.#beta[r] as number) * (kappa + 1)) / (kappa * (alpha - 1));
      variance += Math.exp(this.#logR[r] as number) * (v + d * d);
    }
    return {
      t: this.#t,
      changepointProbability: Math.exp(this.#logR[0] as number),
      shortRunProbability: Math.min(1, short),
      mapRunLength: map,
      runStart: this.#t - map,
      logPredictive,
      predictiveMean: mean,
      predictiveStd: Math.sqrt(variance),
    };
  }
}

function logAddExp(a: number, b: number): number {
  const max = Math.max(a, b);
  return max === -Infinity ? -Infinity : max + Math.log(Math.exp(a - max) + Math.exp(b - max));
}

function logSumExp(values: Float64Array, n: number): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if ((values[i] as number) > max) max = values[i] as number;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp((values[i] as number) - max);
  return max + Math.log(sum);
}

/** Lanczos coefficients (g = 7, n = 9), accurate to about 1e-15 for positive arguments. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) a += (LANCZOS[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function requireNumber(name: string, value: number, ok: (v: number) => boolean, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new ModelError('MODEL_INPUT_INVALID', `${TYPE} ${name} must be ${what}, got ${value}`);
  }
}

function invalidArtifact(message: string): ModelError {
  return new ModelError('MODEL_ARTIFACT_INVALID', `${TYPE} artifact: ${message}`);
}
