/**
 * Isolation forest (F. T. Liu, K. M. Ting, Z.-H. Zhou, "Isolation Forest", ICDM 2008).
 *
 * Anomalies are few and different, so random axis-parallel cuts isolate them in fewer steps than normal rows.
 * Each tree is grown on ψ rows drawn without replacement. At a node a feature is drawn at random and cut at a
 * uniform point between its min and max among the node's rows; features that are constant in the node are
 * skipped, and the node becomes a leaf when it holds one row, when all its rows are equal, or at the depth
 * limit. A row's path length in a tree is the depth of the leaf it reaches plus c(size of that leaf), the
 * average depth of the subtree left unbuilt there. The anomaly score is
 *
 *   s(x, ψ) = 2^(−E[h(x)] / c(ψ)),   c(n) = 2·H(n−1) − 2(n−1)/n  (n > 2),  c(2) = 1,  c(n ≤ 1) = 0,
 *
 * with H(i) ≈ ln(i) + γ. It is close to 1 for rows that are isolated early, well below 0.5 for ordinary
 * rows, and about 0.5 everywhere when nothing stands out.
 *
 * The trees are stored flat, in preorder: node i's left child is i + 1, and typed arrays hold each node's
 * feature (−1 for a leaf), threshold, children and training-row count. The artifact keeps only the feature
 * code and one value per node (the threshold of a split, the row count of a leaf); the links are rebuilt by
 * the same walk after fitting and after reading an artifact, so both score identically.
 */
import { Random } from '../random.js';
import { decodeFloat64, encodeFloat64, type Model, ModelError, modelName, type SerializedModel } from './model.js';

const EULER_GAMMA = 0.5772156649;
/** Deeper trees change nothing in practice (the paper stops at ceil(log2 ψ)); the cap also bounds recursion. */
const MAX_DEPTH_LIMIT = 100;
const FORMAT_VERSION = 1;
const TYPE = 'IsolationForest';

export interface IsolationForestParams {
  /** Number of trees. */
  readonly trees: number;
  /** Rows per tree (ψ), drawn without replacement; all rows when the training set is smaller. */
  readonly sampleSize: number;
  /** Depth limit of a tree. */
  readonly maxDepth: number;
  /** Seed of the random source that draws subsamples, features and cuts. */
  readonly seed: number;
}

export interface IsolationForestState {
  /** Width of the rows the forest was fitted on. */
  readonly dims: number;
  /** Rows each tree was grown on: min(sampleSize, training rows). */
  readonly psi: number;
  /** Per node, in preorder, tree after tree: the split feature, or −1 for a leaf (base64 float64). */
  readonly feature: string;
  /** Per node: the threshold of a split (left when x[f] <= threshold), or the row count of a leaf (base64 float64). */
  readonly value: string;
}

export type SerializedIsolationForest = SerializedModel<IsolationForestParams, IsolationForestState>;

/** c(n): the average path length of an unsuccessful search in a binary search tree of n keys. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** The fitted trees, flat. */
interface Forest {
  readonly dims: number;
  readonly psi: number;
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly size: Int32Array;
  /** c(size) of each leaf, the path length credited for the subtree not built there. */
  readonly leafPath: Float64Array;
  /** The two arrays of the artifact, kept as fitted. */
  readonly featureCodes: Float64Array;
  readonly values: Float64Array;
}

export class IsolationForest implements Model {
  readonly kind = 'anomaly' as const;
  readonly name: string;
  readonly params: IsolationForestParams;
  #forest: Forest | null = null;

  constructor(params: Partial<IsolationForestParams> = {}) {
    const sampleSize = params.sampleSize ?? 256;
    this.params = Object.freeze({
      trees: params.trees ?? 100,
      sampleSize,
      maxDepth: params.maxDepth ?? Math.max(1, Math.ceil(Math.log2(sampleSize))),
      seed: params.seed ?? 0,
    });
    const { trees, maxDepth, seed } = this.params;
    requireInteger('trees', trees, 1, 100_000);
    requireInteger('sampleSize', sampleSize, 2, 1 << 24);
    requireInteger('maxDepth', maxDepth, 1, MAX_DEPTH_LIMIT);
    requireInteger('seed', seed, 0, 2 ** 32 - 1);
    this.name = modelName(TYPE, { trees, sample: sampleSize, depth: maxDepth, seed });
  }

  get fitted(): boolean {
    return this.#forest !== null;
  }

  /** Grows the forest on `rows` (at least two rows of one width, all values finite); replaces any earlier fit. */
  fit(rows: readonly (readonly number[])[]): this {
    const { data, dims } = toMatrix(rows);
    const n = rows.length;
    const psi = Math.min(this.params.sampleSize, n);
    const grower = new TreeGrower(data, dims, this.params.maxDepth, new Random(this.params.seed));
    const pool = Int32Array.from({ length: n }, (_, i) => i);
    for (let t = 0; t < this.params.trees; t++) {
      // A partial Fisher–Yates shuffle puts a uniform subsample without replacement in pool[0, psi).
      for (let i = 0; i < psi; i++) swap(pool, i, grower.random.int(i, n - 1));
      grower.grow(pool.slice(0, psi));
    }
    this.#forest = link(Float64Array.from(grower.featureCodes), Float64Array.from(grower.values), this.params.trees, dims, this.params.maxDepth, psi);
    return this;
  }

  /** The anomaly score of one row, in (0, 1). */
  score(row: readonly number[]): number {
    const forest = this.#require();
    checkRow(row, forest.dims);
    return this.#score(forest, row);
  }

  scoreMany(rows: readonly (readonly number[])[]): Float64Array {
    const forest = this.#require();
    for (const row of rows) checkRow(row, forest.dims);
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.#score(forest, rows[i] as readonly number[]);
    return out;
  }

  serialize(): SerializedIsolationForest {
    const forest = this.#require();
    return {
      type: TYPE,
      formatVersion: FORMAT_VERSION,
      params: { ...this.params },
      state: { dims: forest.dims, psi: forest.psi, feature: encodeFloat64(forest.featureCodes), value: encodeFloat64(forest.values) },
    };
  }

  static deserialize(s: SerializedModel): IsolationForest {
    if (s?.type !== TYPE) throw invalidArtifact(`expected type ${TYPE}, got ${JSON.stringify(s?.type)}`);
    if (s.formatVersion !== FORMAT_VERSION) throw invalidArtifact(`unknown formatVersion ${JSON.stringify(s.formatVersion)}`);
    let model: IsolationForest;
    try {
      model = new IsolationForest(s.params as IsolationForestParams);
    } catch (err) {
      throw invalidArtifact(`bad params: ${(err as Error).message}`);
    }
    const state = s.state as Partial<IsolationForestState> | null;
    if (!state || typeof state.feature !== 'string' || typeof state.value !== 'string') throw invalidArtifact('state needs feature and value');
    if (!Number.isInteger(state.dims) || (state.dims as number) < 1) throw invalidArtifact('state.dims must be a positive integer');
    if (!Number.isInteger(state.psi) || (state.psi as number) < 2 || (state.psi as number) > model.params.sampleSize) {
      throw invalidArtifact('state.psi must be an integer in [2, sampleSize]');
    }
    const featureCodes = decodeFloat64(state.feature);
    const values = decodeFloat64(state.value);
    if (featureCodes.length !== values.length) throw invalidArtifact('feature and value differ in length');
    model.#forest = link(featureCodes, values, model.params.trees, state.dims as number, model.params.maxDepth, state.psi as number);
    return model;
  }

  #require(): Forest {
    if (!this.#forest) throw new ModelError('MODEL_NOT_FITTED', `${this.name} is used before it was fitted`);
    return this.#forest;
  }

  #score(forest: Forest, row: readonly number[]): number {
    const { roots, feature, threshold, left, right, leafPath } = forest;
    let total = 0;
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t] as number;
      let depth = 0;
      let f: number;
      while ((f = feature[node] as number) >= 0) {
        node = (row[f] as number) <= (threshold[node] as number) ? (left[node] as number) : (right[node] as number);
        depth++;
      }
      total += depth + (leafPath[node] as number);
    }
    return 2 ** (-(total / roots.length) / averagePathLength(forest.psi));
  }
}

/** Grows trees in preorder into two growing lists: the feature code and the value of each node. */
class TreeGrower {
  readonly featureCodes: number[] = [];
  readonly values: number[] = [];
  readonly #order: Int32Array;

  constructor(
    private readonly data: Float64Array,
    private readonly dims: number,
    private readonly maxDepth: number,
    readonly random: Random,
  ) {
    this.#order = Int32Array.from({ length: dims }, (_, i) => i);
  }

  /** Grows one tree on the rows listed in `sample` (reordered in place). */
  grow(sample: Int32Array): void {
    this.#node(sample, 0, sample.length, 0);
  }

  #node(rows: Int32Array, lo: number, hi: number, depth: number): void {
    const split = hi - lo > 1 && depth < this.maxDepth ? this.#split(rows, lo, hi) : null;
    if (!split) {
      this.featureCodes.push(-1);
      this.values.push(hi - lo);
      return;
    }
    this.featureCodes.push(split.feature);
    this.values.push(split.threshold);
    const mid = partition(this.data, this.dims, rows, lo, hi, split.feature, split.threshold);
    this.#node(rows, lo, mid, depth + 1);
    this.#node(rows, mid, hi, depth + 1);
  }

  /** A random feature that varies among rows[lo, hi), cut uniformly in [min, max); null when all rows are equal. */
  #split(rows: Int32Array, lo: number, hi: number): { feature: number; threshold: number } | null {
    const { data, dims, random } = this;
    const order = this.#order;
    for (let k = 0; k < dims; k++) {
      swap(order, k, random.int(k, dims - 1));
      const f = order[k] as number;
      let min = Infinity;
      let max = -Infinity;
      for (let i = lo; i < hi; i++) {
        const v = data[(rows[i] as number) * dims + f] as number;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max > min) {
        let threshold = min + random.next() * (max - min);
        // Rounding (or an overflowing range) must not put every row on one side.
        if (!(threshold >= min && threshold < max)) threshold = min;
        return { feature: f, threshold };
      }
    }
    return null;
  }
}

/** Moves rows with x[f] <= threshold to the front of [lo, hi); returns where the others start. */
function partition(data: Float64Array, dims: number, rows: Int32Array, lo: number, hi: number, f: number, threshold: number): number {
  let i = lo;
  let j = hi - 1;
  while (i <= j) {
    if ((data[(rows[i] as number) * dims + f] as number) <= threshold) i++;
    else swap(rows, i, j--);
  }
  return i;
}

/**
 * Rebuilds the links of `trees` preorder trees from their feature codes and values, checking every node, so an
 * artifact that does not describe exactly such a forest is refused rather than scored.
 */
function link(featureCodes: Float64Array, values: Float64Array, trees: number, dims: number, maxDepth: number, psi: number): Forest {
  const n = featureCodes.length;
  const feature = new Int32Array(n);
  const threshold = new Float64Array(n);
  const left = new Int32Array(n).fill(-1);
  const right = new Int32Array(n).fill(-1);
  const size = new Int32Array(n);
  const leafPath = new Float64Array(n);
  const roots = new Int32Array(trees);

  /** Links the subtree rooted at `node`; returns the index just past it. */
  const walk = (node: number, depth: number): number => {
    if (node >= n) throw invalidArtifact('a tree is cut short');
    const code = featureCodes[node] as number;
    const value = values[node] as number;
    if (code === -1) {
      if (!Number.isInteger(value) || value < 1 || value > psi) throw invalidArtifact(`leaf ${node} has an invalid size`);
      feature[node] = -1;
      size[node] = value;
      leafPath[node] = averagePathLength(value);
      return node + 1;
    }
    if (!Number.isInteger(code) || code < 0 || code >= dims) throw invalidArtifact(`node ${node} splits on an invalid feature`);
    if (!Number.isFinite(value)) throw invalidArtifact(`node ${node} has a non-finite threshold`);
    if (depth >= maxDepth) throw invalidArtifact(`node ${node} is deeper than maxDepth`);
    feature[node] = code;
    threshold[node] = value;
    left[node] = node + 1;
    right[node] = walk(node + 1, depth + 1);
    const end = walk(right[node] as number, depth + 1);
    size[node] = (size[node + 1] as number) + (size[right[node] as number] as number);
    return end;
  };

  let next = 0;
  for (let t = 0; t < trees; t++) {
    roots[t] = next;
    next = walk(next, 0);
    if (size[roots[t] as number] !== psi) throw invalidArtifact(`tree ${t} does not hold psi=${psi} rows`);
  }
  if (next !== n) throw invalidArtifact(`${n - next} nodes follow the last tree`);
  return { dims, psi, roots, feature, threshold, left, right, size, leafPath, featureCodes, values };
}

/** Training rows as one row-major matrix, after checking they are usable. */
function toMatrix(rows: readonly (readonly number[])[]): { data: Float64Array; dims: number } {
  if (!Array.isArray(rows) || rows.length < 2) throw new ModelError('MODEL_INPUT_INVALID', 'fitting needs at least two rows');
  const dims = (rows[0] as readonly number[] | undefined)?.length ?? 0;
  if (dims < 1) throw new ModelError('MODEL_INPUT_INVALID', 'rows need at least one feature');
  const data = new Float64Array(rows.length * dims);
  rows.forEach((row, i) => {
    checkRow(row, dims, i);
    data.set(row, i * dims);
  });
  return { data, dims };
}

function checkRow(row: readonly number[], dims: number, index?: number): void {
  const which = index === undefined ? 'row' : `row ${index}`;
  if (!Array.isArray(row) || row.length !== dims) {
    throw new ModelError('MODEL_INPUT_INVALID', `${which} has ${Array.isArray(row) ? row.length : 'no'} values, expected ${dims}`);
  }
  for (let j = 0; j < dims; j++) {
    if (typeof row[j] !== 'number' || !Number.isFinite(row[j])) throw new ModelError('MODEL_INPUT_INVALID', `${which} has a non-finite value at ${j}`);
  }
}

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ModelError('MODEL_INPUT_INVALID', `${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

function invalidArtifact(message: string): ModelError {
  return new ModelError('MODEL_ARTIFACT_INVALID', `${TYPE} artifact: ${message}`);
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}
