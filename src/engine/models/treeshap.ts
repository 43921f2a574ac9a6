/**
 * Exact TreeSHAP for the boosted trees (S. M. Lundberg, G. G. Erion, S.-I. Lee, "Consistent Individualized
 * Feature Attribution for Tree Ensembles", 2018, Algorithm 2; the recursion of the `shap` package's tree_shap.h).
 *
 * A row's SHAP values are the Shapley values of the game v(S) = E[f(x) | x_S], where the expectation is
 * path-dependent: a split on a feature in S follows the row, a split on any other feature averages its two
 * children weighted by their covers (the hessian sums of the training rows that reached them). Enumerating
 * subsets costs 2^M; Algorithm 2 instead walks every root-to-leaf path once, carrying for each distinct feature
 * on the path the share of cover that flows through when the feature is unknown (its zero fraction) and whether
 * the row itself takes the path (its one fraction), plus the permutation weights of every subset size. EXTEND
 * adds a feature to the path, UNWIND removes one (to re-add it when it splits again lower down, with the two
 * splits' fractions multiplied), and at a leaf the weight of each feature's subsets times (one − zero) times the
 * leaf value is its contribution: O(leaves · depth²) per tree. Missing values follow each split's default
 * direction, as in prediction. Values are in margin (log-odds) units and add up: base + Σ values = margin.
 */
import { childFor, type Tree } from './gbdt-tree.js';
import { checkRow } from './binning.js';
import type { GradientBoostedTrees } from './gbdt.js';

export interface ShapExplanation {
  /** The expected margin: the base score plus each tree's cover-weighted mean leaf value. */
  readonly base: number;
  /** Per feature, its contribution to the row's margin; `base` plus their sum is the margin. */
  readonly values: Float64Array;
}

/** A tree's output when nothing is known of the row: its leaves weighted by the share of cover reaching them. */
export function expectedTreeOutput(tree: Tree, node = 0): number {
  const left = tree.left[node]!;
  if (left < 0) return tree.value[node]!;
  const right = tree.right[node]!;
  const cover = tree.cover[node]!;
  return (tree.cover[left]! / cover) * expectedTreeOutput(tree, left) + (tree.cover[right]! / cover) * expectedTreeOutput(tree, right);
}

/** The model's expected margin, the `base` of every explanation. */
export function expectedMargin(model: GradientBoostedTrees): number {
  let base = model.baseScore;
  for (const tree of model.trees) base += expectedTreeOutput(tree);
  return base;
}

/** The SHAP values of one row (NaN for a missing value) under the model, in margin units. */
export function shapValues(model: GradientBoostedTrees, row: readonly number[]): ShapExplanation {
  checkRow(row, model.numFeatures);
  const values = new Float64Array(model.numFeatures);
  const walker = new PathWalker(model.params.maxDepth);
  for (const tree of model.trees) walker.explain(tree, row, values);
  return { base: expectedMargin(model), values };
}

/**
 * The decision paths of Algorithm 2, as parallel arrays. Each node of the recursion works on its own copy of its
 * parent's path, stored right after the parent's, so a tree of depth D needs (D+1)(D+2)/2 elements. Element 0
 * of every path is a placeholder (feature −1) that carries the weight of the empty subset.
 */
class PathWalker {
  readonly #feature: Int32Array;
  readonly #zero: Float64Array;
  readonly #one: Float64Array;
  readonly #weight: Float64Array;
  #tree: Tree | null = null;
  #row: readonly number[] = [];
  #phi: Float64Array = new Float64Array(0);

  constructor(maxDepth: number) {
    const size = ((maxDepth + 1) * (maxDepth + 2)) / 2;
    this.#feature = new Int32Array(size);
    this.#zero = new Float64Array(size);
    this.#one = new Float64Array(size);
    this.#weight = new Float64Array(size);
  }

  /** Adds the tree's SHAP values for `row` into `phi`. */
  explain(tree: Tree, row: readonly number[], phi: Float64Array): void {
    this.#tree = tree;
    this.#row = row;
    this.#phi = phi;
    this.#recurse(0, 0, 0, 1, 1, -1);
  }

  /**
   * Visits `node`. Its path is its parent's (`length` elements at `offset`) copied after it and extended with
   * the split that led here: `feature`, with the fractions of cover (`zero`) and of the row (`one`) that flow in.
   */
  #recurse(node: number, offset: number, length: number, zero: number, one: number, feature: number): void {
    const tree = this.#tree!;
    const at = offset + length;
    this.#feature.copyWithin(at, offset, at);
    this.#zero.copyWithin(at, offset, at);
    this.#one.copyWithin(at, offset, at);
    this.#weight.copyWithin(at, offset, at);
    this.#extend(at, length, zero, one, feature);
    let depth = length; // the path now holds depth + 1 elements, the placeholder included

    const split = tree.feature[node]!;
    if (split < 0) {
      const value = tree.value[node]!;
      for (let i = 1; i <= depth; i++) {
        const w = this.#unwoundSum(at, depth, i);
        const f = this.#feature[at + i]!;
        this.#phi[f]! += w * (this.#one[at + i]! - this.#zero[at + i]!) * value;
      }
      return;
    }

    const hot = childFor(tree, node, this.#row[split]!);
    const cold = hot === tree.left[node] ? tree.right[node]! : tree.left[node]!;
    const cover = tree.cover[node]!;
    // A feature already on the path is taken off and comes back with both splits' fractions multiplied.
    let incomingZero = 1;
    let incomingOne = 1;
    for (let i = 1; i <= depth; i++) {
      if (this.#feature[at + i] !== split) continue;
      incomingZero = this.#zero[at + i]!;
      incomingOne = this.#one[at + i]!;
      this.#unwind(at, depth, i);
      depth--;
      break;
    }
    this.#recurse(hot, at, depth + 1, (tree.cover[hot]! / cover) * incomingZero, incomingOne, split);
    this.#recurse(cold, at, depth + 1, (tree.cover[cold]! / cover) * incomingZero, 0, split);
  }

  /** EXTEND: appends an element to the path at `at` of `depth` elements and updates the subset-size weights. */
  #extend(at: number, depth: number, zero: number, one: number, feature: number): void {
    const w = this.#weight;
    this.#feature[at + depth] = feature;
    this.#zero[at + depth] = zero;
    this.#one[at + depth] = one;
    w[at + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      w[at + i + 1]! += (one * w[at + i]! * (i + 1)) / (depth + 1);
      w[at + i] = (zero * w[at + i]! * (depth - i)) / (depth + 1);
    }
  }

  /** UNWIND: removes element `index` from the path at `at` of `depth + 1` elements, undoing its EXTEND. */
  #unwind(at: number, depth: number, index: number): void {
    const w = this.#weight;
    const one = this.#one[at + index]!;
    const zero = this.#zero[at + index]!;
    let next = w[at + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const kept = w[at + i]!;
        w[at + i] = (next * (depth + 1)) / ((i + 1) * one);
        next = kept - (w[at + i]! * zero * (depth - i)) / (depth + 1);
      } else {
        w[at + i] = (w[at + i]! * (depth + 1)) / (zero * (depth - i));
      }
    }
    for (let i = index; i < depth; i++) {
      this.#feature[at + i] = this.#feature[at + i + 1]!;
      this.#zero[at + i] = this.#zero[at + i + 1]!;
      this.#one[at + i] = this.#one[at + i + 1]!;
    }
  }

  /** The total weight UNWIND of element `index` would leave, without changing the path. */
  #unwoundSum(at: number, depth: number, index: number): number {
    const w = this.#weight;
    const one = this.#one[at + index]!;
    const zero = this.#zero[at + index]!;
    let total = 0;
    if (one !== 0) {
      let next = w[at + depth]!;
      for (let i = depth - 1; i >= 0; i--) {
        const share = next / ((i + 1) * one);
        total += share;
        next = w[at + i]! - share * zero * (depth - i);
      }
    } else {
      for (let i = depth - 1; i >= 0; i--) total += w[at + i]! / (zero * (depth - i));
    }
    return total * (depth + 1);
  }
}
