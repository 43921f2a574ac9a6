/**
 * One regression tree of the boosted ensemble: its flat form, prediction, its artifact form, and growth from
 * gradient histograms.
 *
 * Growth is second order, as in XGBoost (T. Chen, C. Guestrin, "XGBoost: A Scalable Tree Boosting System",
 * KDD 2016): with G and H the sums of the loss's gradients and hessians over a node's rows, the node's output
 * is the Newton step −G/(H+λ), shrunk by the learning rate, and splitting it into L and R reduces the
 * regularised loss by half of
 *
 *   gain = G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ).
 *
 * The candidates are the bin edges of each feature (./binning.ts), scanned over a histogram of G and H per bin;
 * a split needs a hessian sum of at least `minChildWeight` on each side and a positive gain. The rows whose
 * value is missing are tried on both sides and go to the better one, which becomes the node's default
 * direction; a node that saw no missing value sends them to its child with the larger cover. Only the smaller
 * child's histogram is built from its rows: the larger child's is its parent's minus it. Children at the depth
 * limit are leaves and need no histogram.
 */
import type { BinnedMatrix } from './binning.js';
import { decodeFloat64, encodeFloat64, ModelError } from './model.js';

/** A tree as flat arrays indexed by node; node 0 is the root. */
export interface Tree {
  /** The split feature, or −1 for a leaf. */
  readonly feature: Int32Array;
  /** A row goes left when its value is <= the threshold (a raw value, not a bin). */
  readonly threshold: Float64Array;
  /** 1 when a missing value goes left. */
  readonly defaultLeft: Uint8Array;
  /** Children, −1 for a leaf. */
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** A leaf's output in margin units, the learning rate applied; 0 at a split. */
  readonly value: Float64Array;
  /** The hessian sum of the training rows that reached the node. */
  readonly cover: Float64Array;
}

/** The artifact form of a tree: integer arrays as JSON numbers, real ones as base64 float64. */
export interface SerializedTree {
  readonly feature: number[];
  readonly threshold: string;
  readonly defaultLeft: number[];
  readonly left: number[];
  readonly right: number[];
  readonly value: string;
  readonly cover: string;
}

/** The child of split node `node` that `value` goes to. */
export function childFor(tree: Tree, node: number, value: number): number {
  const goLeft = Number.isNaN(value) ? tree.defaultLeft[node] === 1 : value <= tree.threshold[node]!;
  return goLeft ? tree.left[node]! : tree.right[node]!;
}

/** The leaf value `row` reaches. */
export function treeOutput(tree: Tree, row: readonly number[]): number {
  let node = 0;
  let f: number;
  while ((f = tree.feature[node]!) >= 0) node = childFor(tree, node, row[f]!);
  return tree.value[node]!;
}

export function serializeTree(tree: Tree): SerializedTree {
  return {
    feature: Array.from(tree.feature),
    threshold: encodeFloat64(tree.threshold),
    defaultLeft: Array.from(tree.defaultLeft),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    value: encodeFloat64(tree.value),
    cover: encodeFloat64(tree.cover),
  };
}

function integers(values: unknown, name: string): Int32Array {
  if (!Array.isArray(values) || !values.every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31)) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `tree ${name} must be an array of integers`);
  }
  return Int32Array.from(values as number[]);
}

function reals(base64: unknown, name: string): Float64Array {
  if (typeof base64 !== 'string') throw new ModelError('MODEL_ARTIFACT_INVALID', `tree ${name} must be base64 float64`);
  return decodeFloat64(base64);
}

/**
 * Reads a tree back and checks that it is one: a binary tree rooted at node 0 whose children come after their
 * parent, each node reached once, features below `features`, depth at most `maxDepth`, finite thresholds and
 * values, and positive covers (TreeSHAP divides by them).
 */
export function deserializeTree(s: SerializedTree, features: number, maxDepth: number): Tree {
  const fail = (message: string): never => {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `tree: ${message}`);
  };
  if (typeof s !== 'object' || s === null) fail('not an object');
  const tree: Tree = {
    feature: integers(s.feature, 'feature'),
    threshold: reals(s.threshold, 'threshold'),
    defaultLeft: Uint8Array.from(integers(s.defaultLeft, 'defaultLeft')),
    left: integers(s.left, 'left'),
    right: integers(s.right, 'right'),
    value: reals(s.value, 'value'),
    cover: reals(s.cover, 'cover'),
  };
  const m = tree.feature.length;
  if (m === 0) fail('no nodes');
  for (const array of Object.values(tree)) if ((array as ArrayLike<number>).length !== m) fail('arrays differ in length');
  const depth = new Int32Array(m).fill(-1);
  depth[0] = 0;
  for (let k = 0; k < m; k++) {
    const f = tree.feature[k]!;
    const cover = tree.cover[k]!;
    if (depth[k] === -1) fail(`node ${k} is not reached from the root`);
    if (!(cover > 0 && Number.isFinite(cover))) fail(`node ${k} has cover ${cover}`);
    if (!Number.isFinite(tree.value[k]!)) fail(`node ${k} has a non-finite value`);
    if (f === -1) {
      if (tree.left[k] !== -1 || tree.right[k] !== -1) fail(`leaf ${k} has children`);
      continue;
    }
    if (f < 0 || f >= features) fail(`node ${k} splits on feature ${f} of ${features}`);
    if (!Number.isFinite(tree.threshold[k]!)) fail(`node ${k} has a non-finite threshold`);
    if (tree.defaultLeft[k]! > 1) fail(`node ${k} has defaultLeft ${tree.defaultLeft[k]}`);
    if (depth[k]! >= maxDepth) fail(`node ${k} splits at depth ${depth[k]}, the limit is ${maxDepth}`);
    for (const child of [tree.left[k]!, tree.right[k]!]) {
      if (child <= k || child >= m || depth[child] !== -1) fail(`node ${k} has a bad child ${child}`);
      depth[child] = depth[k]! + 1;
    }
  }
  return tree;
}

export interface GrowthSettings {
  readonly maxDepth: number;
  readonly lambda: number;
  readonly minChildWeight: number;
  readonly learningRate: number;
}

/** A tree just grown, with the bin of each split so that training rows can be routed without raw values. */
export interface GrownTree {
  readonly tree: Tree;
  readonly splitBin: Int32Array;
}

interface Split {
  readonly feature: number;
  readonly bin: number;
  readonly defaultLeft: boolean;
  readonly gradLeft: number;
  readonly hessLeft: number;
}

/** The leaf value training row `i` reaches, routed by bins. */
export function binnedOutput(grown: GrownTree, data: BinnedMatrix, i: number): number {
  const { tree, splitBin } = grown;
  const base = i * data.features;
  let node = 0;
  let f: number;
  while ((f = tree.feature[node]!) >= 0) {
    const bin = data.bins[base + f]!;
    const goLeft = bin === data.edges[f]!.length + 1 ? tree.defaultLeft[node] === 1 : bin <= splitBin[node]!;
    node = goLeft ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

/** Grows trees on one binned training matrix; holds the histogram layout and scratch space between trees. */
export class TreeGrower {
  /** Where feature f's bins start in a histogram, in slots of (gradient, hessian). */
  readonly #offset: Int32Array;
  readonly #slots: number;
  readonly #scratch: Uint32Array;
  // The tree being grown.
  #grad: Float64Array = new Float64Array(0);
  #hess: Float64Array = new Float64Array(0);
  #rows: Uint32Array = new Uint32Array(0);
  #features: Int32Array = new Int32Array(0);
  readonly #nodes: Record<keyof Tree | 'splitBin', number[]> = {
    feature: [],
    threshold: [],
    defaultLeft: [],
    left: [],
    right: [],
    value: [],
    cover: [],
    splitBin: [],
  };

  constructor(
    private readonly data: BinnedMatrix,
    private readonly settings: GrowthSettings,
  ) {
    this.#offset = new Int32Array(data.features);
    let slots = 0;
    for (let f = 0; f < data.features; f++) {
      this.#offset[f] = slots;
      slots += data.edges[f]!.length + 2; // the bins, then the missing bin
    }
    this.#slots = slots;
    this.#scratch = new Uint32Array(data.rows);
  }

  /**
   * Grows a tree on `rows` (training row indices, reordered in place) with splits on `features` only, from
   * each row's gradient and hessian.
   */
  grow(grad: Float64Array, hess: Float64Array, rows: Uint32Array, features: Int32Array): GrownTree {
    this.#grad = grad;
    this.#hess = hess;
    this.#rows = rows;
    this.#features = features;
    for (const list of Object.values(this.#nodes)) list.length = 0;
    let G = 0;
    let H = 0;
    for (const i of rows) {
      G += grad[i]!;
      H += hess[i]!;
    }
    this.#grow(0, rows.length, this.#histogram(0, rows.length), G, H, 0);
    const n = this.#nodes;
    return {
      tree: {
        feature: Int32Array.from(n.feature),
        threshold: Float64Array.from(n.threshold),
        defaultLeft: Uint8Array.from(n.defaultLeft),
        left: Int32Array.from(n.left),
        right: Int32Array.from(n.right),
        value: Float64Array.from(n.value),
        cover: Float64Array.from(n.cover),
      },
      splitBin: Int32Array.from(n.splitBin),
    };
  }

  /** Grows the subtree of rows[start, end); `hist` is their histogram, null at the depth limit. Returns its node. */
  #grow(start: number, end: number, hist: Float64Array | null, G: number, H: number, depth: number): number {
    const { lambda, maxDepth, learningRate } = this.settings;
    const n = this.#nodes;
    const node = n.feature.length;
    const split = hist ? this.#bestSplit(hist, G, H) : null;
    n.feature.push(split ? split.feature : -1);
    n.threshold.push(split ? this.data.edges[split.feature]![split.bin]! : 0);
    n.defaultLeft.push(split?.defaultLeft ? 1 : 0);
    n.left.push(-1);
    n.right.push(-1);
    n.value.push(split ? 0 : (-G / (H + lambda)) * learningRate);
    n.cover.push(H);
    n.splitBin.push(split ? split.bin : -1);
    if (!split) return node;

    const mid = this.#partition(start, end, split);
    let leftHist: Float64Array | null = null;
    let rightHist: Float64Array | null = null;
    if (hist && depth + 1 < maxDepth) {
      const leftSmaller = mid - start <= end - mid;
      const small = leftSmaller ? this.#histogram(start, mid) : this.#histogram(mid, end);
      for (let s = 0; s < hist.length; s++) hist[s]! -= small[s]!;
      leftHist = leftSmaller ? small : hist;
      rightHist = leftSmaller ? hist : small;
    }
    const { gradLeft, hessLeft } = split;
    n.left[node] = this.#grow(start, mid, leftHist, gradLeft, hessLeft, depth + 1);
    n.right[node] = this.#grow(mid, end, rightHist, G - gradLeft, H - hessLeft, depth + 1);
    return node;
  }

  /** Gradient and hessian sums per bin of each sampled feature over rows[start, end). */
  #histogram(start: number, end: number): Float64Array {
    const hist = new Float64Array(this.#slots * 2);
    const { bins, features: p } = this.data;
    const grad = this.#grad;
    const hess = this.#hess;
    const rows = this.#rows;
    const features = this.#features;
    const offset = this.#offset;
    for (let k = start; k < end; k++) {
      const i = rows[k]!;
      const g = grad[i]!;
      const h = hess[i]!;
      const base = i * p;
      for (let c = 0; c < features.length; c++) {
        const f = features[c]!;
        const s = (offset[f]! + bins[base + f]!) * 2;
        hist[s]! += g;
        hist[s + 1]! += h;
      }
    }
    return hist;
  }

  /** The split of largest positive gain, or null. Ties go to the earlier feature and the lower edge. */
  #bestSplit(hist: Float64Array, G: number, H: number): Split | null {
    const { lambda, minChildWeight } = this.settings;
    const parentScore = (G * G) / (H + lambda);
    let best: Split | null = null;
    let bestGain = 0;
    const consider = (feature: number, bin: number, gl: number, hl: number, missingLeft: boolean | null): void => {
      const gr = G - gl;
      const hr = H - hl;
      if (hl < minChildWeight || hr < minChildWeight || !(hl > 0 && hr > 0)) return;
      const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        best = { feature, bin, defaultLeft: missingLeft ?? hl >= hr, gradLeft: gl, hessLeft: hl };
      }
    };
    for (const f of this.#features) {
      const o = this.#offset[f]!;
      const bins = this.data.edges[f]!.length + 1;
      const gMissing = hist[(o + bins) * 2]!;
      const hMissing = hist[(o + bins) * 2 + 1]!;
      let gl = 0;
      let hl = 0;
      for (let j = 0; j < bins - 1; j++) {
        gl += hist[(o + j) * 2]!;
        hl += hist[(o + j) * 2 + 1]!;
        if (hMissing > 0) {
          consider(f, j, gl, hl, false);
          consider(f, j, gl + gMissing, hl + hMissing, true);
        } else {
          consider(f, j, gl, hl, null);
        }
      }
    }
    return best;
  }

  /** Stable partition of rows[start, end): rows going left first. Returns where the right ones start. */
  #partition(start: number, end: number, split: Split): number {
    const { bins, features: p, edges } = this.data;
    const missingBin = edges[split.feature]!.length + 1;
    const rows = this.#rows;
    const scratch = this.#scratch;
    let l = start;
    let r = 0;
    for (let k = start; k < end; k++) {
      const i = rows[k]!;
      const bin = bins[i * p + split.feature]!;
      if (bin === missingBin ? split.defaultLeft : bin <= split.bin) rows[l++] = i;
      else scratch[r++] = i;
    }
    rows.set(scratch.subarray(0, r), l);
    return l;
  }
}
