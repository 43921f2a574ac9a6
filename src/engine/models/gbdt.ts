/**
 * Gradient-boosted trees for a binary direction label (J. H. Friedman, "Greedy Function Approximation: A Gradient
 * Boosting Machine", Annals of Statistics 2001; second-order boosting as in XGBoost, Chen & Guestrin 2016).
 *
 * The model's margin is a base score, the log-odds of the training labels' mean, plus the sum of its trees'
 * outputs; the probability of label 1 is the sigmoid of the margin. Each round takes the logistic loss's
 * gradient p − y and hessian p(1 − p) at the current margin of every training row and grows one tree on them
 * (./gbdt-tree.ts: Newton leaf values with L2 penalty λ, histogram split search over quantile bins made once at
 * fit by ./binning.ts, a learned default direction for missing values), on a share of the rows and of the
 * features drawn by the seeded random source. With a validation set, the fit stops when the validation log loss
 * has not improved for `earlyStoppingRounds` rounds and keeps the trees of its best round.
 *
 * Attributions of a prediction to features: ./treeshap.ts.
 */
import { Random } from '../random.js';
import { binMatrix, checkLabels, checkMatrix, checkRow, MAX_BINS, type Matrix } from './binning.js';
import { binnedOutput, deserializeTree, serializeTree, type SerializedTree, type Tree, TreeGrower, treeOutput } from './gbdt-tree.js';
import { decodeFloat64, encodeFloat64, type Model, ModelError, modelName, type SerializedModel } from './model.js';

const TYPE = 'GradientBoostedTrees';
const FORMAT_VERSION = 1;
/** Deeper trees overfit long before this; the cap also bounds recursion and TreeSHAP's path buffers. */
const MAX_DEPTH_LIMIT = 16;
/** The base score's label mean is kept this far from 0 and 1, so a one-class training set has a finite margin. */
const BASE_RATE_FLOOR = 1e-6;
/** The least hessian a row contributes, so that no node's cover is zero when its probabilities saturate. */
const HESSIAN_FLOOR = 1e-16;

export interface GbdtParams {
  /** Boosting rounds: the most trees the model holds. */
  readonly rounds: number;
  readonly maxDepth: number;
  /** Shrinkage applied to each tree's leaf values. */
  readonly learningRate: number;
  /** L2 penalty on leaf values (λ). */
  readonly lambda: number;
  /** The least hessian sum a child of a split may have. */
  readonly minChildWeight: number;
  /** The most bins per feature, besides the missing bin. */
  readonly maxBins: number;
  /** The share of rows each tree is grown on, drawn without replacement. */
  readonly subsample: number;
  /** The share of features each tree may split on. */
  readonly colsample: number;
  /** With a validation set: rounds without a lower validation log loss before the fit stops. */
  readonly earlyStoppingRounds: number;
  readonly seed: number;
}

export const DEFAULT_GBDT_PARAMS: GbdtParams = Object.freeze({
  rounds: 200,
  maxDepth: 4,
  learningRate: 0.05,
  lambda: 1,
  minChildWeight: 1,
  maxBins: 64,
  subsample: 0.8,
  colsample: 0.8,
  earlyStoppingRounds: 20,
  seed: 7,
});

export interface GbdtFitOptions {
  /** Held-out rows for early stopping. */
  readonly validation?: { readonly X: Matrix; readonly y: readonly number[] };
  /** One name per feature; `x0`, `x1`, … when absent. */
  readonly featureNames?: readonly string[];
}

export interface GbdtFitReport {
  /** Trees kept: every round, or the best round's count when early stopping ended the fit. */
  readonly trees: number;
  /** Mean training log loss with the base score alone, then after each round fitted. */
  readonly trainLoss: readonly number[];
  /** The same on the validation set; null without one. */
  readonly validationLoss: readonly number[] | null;
  /** True when early stopping ended the fit before `rounds`. */
  readonly stoppedEarly: boolean;
}

export interface GbdtState {
  readonly baseScore: number;
  readonly featureNames: readonly string[];
  /** Per feature, the bin edges fitting used (base64 float64). */
  readonly binEdges: readonly string[];
  readonly trees: readonly SerializedTree[];
}

export type SerializedGbdt = SerializedModel<GbdtParams, GbdtState>;

interface Fitted {
  readonly baseScore: number;
  readonly featureNames: readonly string[];
  readonly binEdges: readonly Float64Array[];
  readonly trees: readonly Tree[];
}

export function sigmoid(margin: number): number {
  if (margin >= 0) return 1 / (1 + Math.exp(-margin));
  const e = Math.exp(margin);
  return e / (1 + e);
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Mean logistic loss of margins against 0/1 labels. */
function logLoss(margin: Float64Array, y: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < margin.length; i++) total += softplus(y[i] === 1 ? -margin[i]! : margin[i]!);
  return total / margin.length;
}

/** `k` of the values in `pool`, drawn without replacement (a partial Fisher–Yates shuffle of `pool`), ascending. */
function drawSorted<A extends Uint32Array | Int32Array>(random: Random, pool: A, k: number): A {
  if (k < pool.length) {
    for (let i = 0; i < k; i++) {
      const j = random.int(i, pool.length - 1);
      const t = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = t;
    }
  }
  return pool.slice(0, k).sort() as A;
}

/** The parameters `given` sets, defaults for the others; throws on a value out of range. */
function resolveParams(given: Partial<GbdtParams>): GbdtParams {
  const d = DEFAULT_GBDT_PARAMS;
  const p: GbdtParams = Object.freeze({
    rounds: given.rounds ?? d.rounds,
    maxDepth: given.maxDepth ?? d.maxDepth,
    learningRate: given.learningRate ?? d.learningRate,
    lambda: given.lambda ?? d.lambda,
    minChildWeight: given.minChildWeight ?? d.minChildWeight,
    maxBins: given.maxBins ?? d.maxBins,
    subsample: given.subsample ?? d.subsample,
    colsample: given.colsample ?? d.colsample,
    earlyStoppingRounds: given.earlyStoppingRounds ?? d.earlyStoppingRounds,
    seed: given.seed ?? d.seed,
  });
  const check = (name: keyof GbdtParams, ok: boolean, rule: string): void => {
    if (!ok || typeof p[name] !== 'number') throw new ModelError('MODEL_INPUT_INVALID', `${name} must be ${rule}, got ${String(p[name])}`);
  };
  const integer = (name: keyof GbdtParams, min: number, max: number): void =>
    check(name, Number.isInteger(p[name]) && p[name] >= min && p[name] <= max, `an integer in [${min}, ${max}]`);
  const share = (name: keyof GbdtParams): void => check(name, p[name] > 0 && p[name] <= 1, 'in (0, 1]');
  integer('rounds', 1, 100_000);
  integer('maxDepth', 1, MAX_DEPTH_LIMIT);
  integer('maxBins', 2, MAX_BINS);
  integer('earlyStoppingRounds', 1, 100_000);
  integer('seed', 0, 2 ** 32 - 1);
  check('learningRate', p.learningRate > 0 && p.learningRate <= 1, 'in (0, 1]');
  check('lambda', p.lambda >= 0 && Number.isFinite(p.lambda), 'a finite number >= 0');
  check('minChildWeight', p.minChildWeight >= 0 && Number.isFinite(p.minChildWeight), 'a finite number >= 0');
  share('subsample');
  share('colsample');
  return p;
}

export class GradientBoostedTrees implements Model {
  readonly kind = 'classifier' as const;
  readonly name: string;
  readonly params: GbdtParams;
  #fitted: Fitted | null = null;

  constructor(params: Partial<GbdtParams> = {}) {
    const p = resolveParams(params);
    this.params = p;
    this.name = modelName('GBDT', {
      rounds: p.rounds,
      depth: p.maxDepth,
      lr: p.learningRate,
      lambda: p.lambda,
      bins: p.maxBins,
      minChild: p.minChildWeight,
      subsample: p.subsample,
      colsample: p.colsample,
      patience: p.earlyStoppingRounds,
      seed: p.seed,
    });
  }

  get fitted(): boolean {
    return this.#fitted !== null;
  }

  get featureNames(): readonly string[] {
    return this.#require().featureNames;
  }

  get numFeatures(): number {
    return this.#require().featureNames.length;
  }

  /** The margin before any tree: the log-odds of the training labels' mean. */
  get baseScore(): number {
    return this.#require().baseScore;
  }

  /** The fitted trees, in boosting order; read-only. */
  get trees(): readonly Tree[] {
    return this.#require().trees;
  }

  /**
   * Fits the ensemble to rows `X` (NaN for a missing value) and labels `y` (0 or 1); replaces any earlier fit.
   * The same data, options and seed give the same model, byte for byte.
   */
  fit(X: Matrix, y: readonly number[], options: GbdtFitOptions = {}): GbdtFitReport {
    const p = checkMatrix(X, 'X');
    checkLabels(y, X.length, 'y');
    const featureNames = options.featureNames ? [...options.featureNames] : Array.from({ length: p }, (_, f) => `x${f}`);
    if (featureNames.length !== p || !featureNames.every((s) => typeof s === 'string')) {
      throw new ModelError('MODEL_INPUT_INVALID', `featureNames must be ${p} strings, one per feature`);
    }
    const validation = options.validation;
    if (validation) {
      checkMatrix(validation.X, 'validation.X', p);
      checkLabels(validation.y, validation.X.length, 'validation.y');
    }

    const { rounds, subsample, colsample, earlyStoppingRounds } = this.params;
    const n = X.length;
    const data = binMatrix(X, this.params.maxBins);
    const random = new Random(this.params.seed);
    const grower = new TreeGrower(data, this.params);

    const baseRate = Math.min(1 - BASE_RATE_FLOOR, Math.max(BASE_RATE_FLOOR, y.reduce((a, b) => a + b, 0) / n));
    const baseScore = Math.log(baseRate / (1 - baseRate));
    const margin = new Float64Array(n).fill(baseScore);
    const grad = new Float64Array(n);
    const hess = new Float64Array(n);
    const rowPool = Uint32Array.from({ length: n }, (_, i) => i);
    const featurePool = Int32Array.from({ length: p }, (_, f) => f);
    const rowCount = Math.max(1, Math.round(subsample * n));
    const featureCount = Math.max(1, Math.round(colsample * p));
    const validationMargin = validation ? new Float64Array(validation.X.length).fill(baseScore) : null;

    const trees: Tree[] = [];
    const trainLoss = [logLoss(margin, y)];
    const validationLoss = validation && validationMargin ? [logLoss(validationMargin, validation.y)] : null;
    let best = 0;
    for (let round = 1; round <= rounds; round++) {
      for (let i = 0; i < n; i++) {
        const prob = sigmoid(margin[i]!);
        grad[i] = prob - y[i]!;
        hess[i] = Math.max(prob * (1 - prob), HESSIAN_FLOOR);
      }
      const rows = drawSorted(random, rowPool, rowCount);
      const features = drawSorted(random, featurePool, featureCount);
      const grown = grower.grow(grad, hess, rows, features);
      trees.push(grown.tree);
      for (let i = 0; i < n; i++) margin[i]! += binnedOutput(grown, data, i);
      trainLoss.push(logLoss(margin, y));

      if (validation && validationMargin && validationLoss) {
        validation.X.forEach((row, i) => (validationMargin[i]! += treeOutput(grown.tree, row)));
        validationLoss.push(logLoss(validationMargin, validation.y));
        if (validationLoss[round]! < validationLoss[best]!) best = round;
        else if (round - best >= earlyStoppingRounds) break;
      }
    }
    const stoppedEarly = trees.length < rounds;
    if (validationLoss) trees.length = best;
    this.#fitted = { baseScore, featureNames, binEdges: data.edges, trees };
    return { trees: trees.length, trainLoss, validationLoss, stoppedEarly };
  }

  /** The log-odds of label 1 for one row. */
  predictMargin(row: readonly number[]): number {
    const fitted = this.#require();
    checkRow(row, fitted.featureNames.length);
    return this.#margin(fitted, row);
  }

  /** The probability of label 1 for one row. */
  predictProba(row: readonly number[]): number {
    return sigmoid(this.predictMargin(row));
  }

  predictProbaMany(rows: Matrix): Float64Array {
    const fitted = this.#require();
    rows.forEach((row, i) => checkRow(row, fitted.featureNames.length, `rows[${i}]`));
    return Float64Array.from(rows, (row) => sigmoid(this.#margin(fitted, row)));
  }

  serialize(): SerializedGbdt {
    const fitted = this.#require();
    return {
      type: TYPE,
      formatVersion: FORMAT_VERSION,
      params: { ...this.params },
      state: {
        baseScore: fitted.baseScore,
        featureNames: [...fitted.featureNames],
        binEdges: fitted.binEdges.map((edges) => encodeFloat64(edges)),
        trees: fitted.trees.map(serializeTree),
      },
    };
  }

  static deserialize(s: SerializedModel): GradientBoostedTrees {
    const invalid = (message: string): ModelError => new ModelError('MODEL_ARTIFACT_INVALID', `${TYPE} artifact: ${message}`);
    if (s?.type !== TYPE) throw invalid(`expected type ${TYPE}, got ${JSON.stringify(s?.type)}`);
    if (s.formatVersion !== FORMAT_VERSION) throw invalid(`unknown formatVersion ${JSON.stringify(s.formatVersion)}`);
    let model: GradientBoostedTrees;
    try {
      model = new GradientBoostedTrees(s.params as GbdtParams);
    } catch (err) {
      throw invalid(`bad params: ${(err as Error).message}`);
    }
    const state = s.state as Partial<GbdtState> | null;
    if (typeof state !== 'object' || state === null) throw invalid('state is missing');
    const { baseScore, featureNames, binEdges, trees } = state;
    if (typeof baseScore !== 'number' || !Number.isFinite(baseScore)) throw invalid('baseScore must be a finite number');
    if (!Array.isArray(featureNames) || featureNames.length === 0 || !featureNames.every((f) => typeof f === 'string')) {
      throw invalid('featureNames must be a non-empty array of strings');
    }
    const p = featureNames.length;
    if (!Array.isArray(binEdges) || binEdges.length !== p) throw invalid(`binEdges must hold ${p} arrays, one per feature`);
    const edges = binEdges.map((e) => {
      if (typeof e !== 'string') throw invalid('bin edges must be base64 float64');
      const decoded = decodeFloat64(e);
      const increasing = decoded.every((v, j) => Number.isFinite(v) && (j === 0 || v > decoded[j - 1]!));
      if (!increasing || decoded.length >= model.params.maxBins) throw invalid('bin edges must be finite, increasing and fewer than maxBins');
      return decoded;
    });
    if (!Array.isArray(trees) || trees.length > model.params.rounds) throw invalid(`trees must be an array of at most ${model.params.rounds}`);
    model.#fitted = {
      baseScore,
      featureNames: [...featureNames],
      binEdges: edges,
      trees: trees.map((tree) => deserializeTree(tree, p, model.params.maxDepth)),
    };
    return model;
  }

  #require(): Fitted {
    if (!this.#fitted) throw new ModelError('MODEL_NOT_FITTED', `${this.name} is used before it was fitted`);
    return this.#fitted;
  }

  #margin(fitted: Fitted, row: readonly number[]): number {
    let margin = fitted.baseScore;
    for (const tree of fitted.trees) margin += treeOutput(tree, row);
    return margin;
  }
}
