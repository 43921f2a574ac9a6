import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { DEFAULT_GBDT_PARAMS, GradientBoostedTrees } from './gbdt.js';
import { childFor, type Tree } from './gbdt-tree.js';
import { encodeFloat64 } from './model.js';
import { expectedMargin, shapValues } from './treeshap.js';

/** y = 1 iff x0 > 0.2 and x2 < 0 (5% of labels flipped); the other features are noise; `missing` of values NaN. */
function ruleData(n: number, p: number, seed: number, missing = 0): { X: number[][]; y: number[] } {
  const random = new Random(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: p }, () => random.next() * 2 - 1);
    const label = row[0]! > 0.2 && row[2]! < 0 ? 1 : 0;
    y.push(random.chance(0.05) ? 1 - label : label);
    X.push(row.map((v) => (random.chance(missing) ? NaN : v)));
  }
  return { X, y };
}

/** E[tree(x) | x_S], path-dependent: splits on a known feature follow the row, others weigh children by cover. */
function conditionalExpectation(tree: Tree, node: number, row: readonly number[], known: (f: number) => boolean): number {
  const f = tree.feature[node]!;
  if (f < 0) return tree.value[node]!;
  if (known(f)) return conditionalExpectation(tree, childFor(tree, node, row[f]!), row, known);
  const [l, r] = [tree.left[node]!, tree.right[node]!];
  const cover = tree.cover[node]!;
  return (
    (tree.cover[l]! / cover) * conditionalExpectation(tree, l, row, known) +
    (tree.cover[r]! / cover) * conditionalExpectation(tree, r, row, known)
  );
}

/** Shapley values by enumerating every subset S of the other features: Σ |S|!(M−|S|−1)!/M! · (v(S ∪ i) − v(S)). */
function bruteForceShap(model: GradientBoostedTrees, row: readonly number[]): { base: number; values: number[] } {
  const M = model.numFeatures;
  const v = (mask: number): number =>
    model.trees.reduce((sum, tree) => sum + conditionalExpectation(tree, 0, row, (f) => (mask & (1 << f)) !== 0), model.baseScore);
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  const values = new Array<number>(M).fill(0);
  for (let i = 0; i < M; i++) {
    for (let mask = 0; mask < 1 << M; mask++) {
      if (mask & (1 << i)) continue;
      let size = 0;
      for (let f = 0; f < M; f++) if (mask & (1 << f)) size++;
      const weight = (factorial(size) * factorial(M - size - 1)) / factorial(M);
      values[i]! += weight * (v(mask | (1 << i)) - v(mask));
    }
  }
  return { base: v(0), values };
}

interface HandTree {
  feature: number[];
  threshold: number[];
  defaultLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
}

/** A model made of the given trees, through the artifact reader. */
function handModel(features: number, trees: HandTree[], baseScore = 0): GradientBoostedTrees {
  return GradientBoostedTrees.deserialize({
    type: 'GradientBoostedTrees',
    formatVersion: 1,
    params: { ...DEFAULT_GBDT_PARAMS, maxDepth: 6 },
    state: {
      baseScore,
      featureNames: Array.from({ length: features }, (_, f) => `f${f}`),
      binEdges: Array.from({ length: features }, () => encodeFloat64([])),
      trees: trees.map((t) => ({ ...t, threshold: encodeFloat64(t.threshold), value: encodeFloat64(t.value), cover: encodeFloat64(t.cover) })),
    },
  });
}

/** A random tree of the given depth: random splits, defaults and values, covers split at random shares. */
function randomTree(random: Random, features: number, depth: number): HandTree {
  const t: HandTree = { feature: [], threshold: [], defaultLeft: [], left: [], right: [], value: [], cover: [] };
  const grow = (cover: number, level: number): number => {
    const node = t.feature.length;
    const leaf = level === depth || (level > 0 && random.chance(0.2));
    t.feature.push(leaf ? -1 : random.int(0, features - 1));
    t.threshold.push(leaf ? 0 : random.next() * 2 - 1);
    t.defaultLeft.push(random.chance(0.5) ? 1 : 0);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(leaf ? random.normal() : 0);
    t.cover.push(cover);
    if (!leaf) {
      const share = 0.05 + 0.9 * random.next();
      t.left[node] = grow(cover * share, level + 1);
      t.right[node] = grow(cover * (1 - share), level + 1);
    }
    return node;
  };
  grow(10 + 100 * random.next(), 0);
  return t;
}

/** Rows with values in [-1, 1], a value missing now and then. */
function rows(random: Random, n: number, p: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: p }, () => (random.chance(0.1) ? NaN : random.next() * 2 - 1)));
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(tolerance);
}

/** True when some root-to-leaf path splits twice on one feature (the case UNWIND handles). */
function repeatsAFeature(tree: Tree, node = 0, seen: readonly number[] = []): boolean {
  const f = tree.feature[node]!;
  if (f < 0) return false;
  if (seen.includes(f)) return true;
  return repeatsAFeature(tree, tree.left[node]!, [...seen, f]) || repeatsAFeature(tree, tree.right[node]!, [...seen, f]);
}

describe('TreeSHAP', () => {
  it('adds up: base + Σ values is the margin, for every row', () => {
    const data = ruleData(3000, 6, 1, 0.05);
    const model = new GradientBoostedTrees({ rounds: 120 });
    model.fit(data.X, data.y);
    for (const row of [...ruleData(200, 6, 2, 0.1).X, [NaN, NaN, NaN, NaN, NaN, NaN]]) {
      const { base, values } = shapValues(model, row);
      const total = values.reduce((a, b) => a + b, base);
      expect(Math.abs(total - model.predictMargin(row))).toBeLessThan(1e-9);
    }
  });

  it('matches brute-force Shapley values of the path-dependent expectation on fitted trees', () => {
    const data = ruleData(2000, 4, 3, 0.1);
    const model = new GradientBoostedTrees({ rounds: 8, maxDepth: 3, learningRate: 0.3 });
    model.fit(data.X, data.y);
    expect(model.trees.some((tree) => repeatsAFeature(tree))).toBe(true);
    for (const row of rows(new Random(4), 150, 4)) {
      const exact = shapValues(model, row);
      const brute = bruteForceShap(model, row);
      expect(Math.abs(exact.base - brute.base)).toBeLessThan(1e-9);
      expectClose(exact.values, brute.values, 1e-9);
    }
  });

  it('matches brute-force Shapley values on random trees with repeated features and missing values', () => {
    const random = new Random(9);
    for (let trial = 0; trial < 40; trial++) {
      const features = random.int(1, 4);
      const model = handModel(features, [randomTree(random, features, 3), randomTree(random, features, 3)], random.normal());
      for (const row of rows(random, 10, features)) {
        const exact = shapValues(model, row);
        const brute = bruteForceShap(model, row);
        expect(Math.abs(exact.base - brute.base)).toBeLessThan(1e-9);
        expectClose(exact.values, brute.values, 1e-9);
      }
    }
  });

  it('gives the base as the cover-weighted mean output, and a stump its closed form', () => {
    // f0 <= 0.5 → 2 (cover 30), else → −1 (cover 10); missing goes right.
    const stump = { feature: [0, -1, -1], threshold: [0.5, 0, 0], defaultLeft: [0, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, 2, -1], cover: [40, 30, 10] };
    const model = handModel(2, [stump], 0.25);
    const mean = 0.25 + (30 * 2 + 10 * -1) / 40;
    expect(expectedMargin(model)).toBeCloseTo(mean, 14);
    expect(shapValues(model, [0, 7]).values[0]).toBeCloseTo(0.25 + 2 - mean, 14);
    expect(shapValues(model, [1, 7]).values[0]).toBeCloseTo(0.25 - 1 - mean, 14);
    expect(shapValues(model, [NaN, 7]).values[0]).toBeCloseTo(0.25 - 1 - mean, 14);
    expect(shapValues(model, [0, 7]).values[1]).toBe(0);
  });

  it('is symmetric in interchangeable features and gives nothing to dummies', () => {
    // f0 and f1 play the same part; f2 is never used; f3 splits but both its leaves give the same value.
    const tree = {
      feature: [0, 1, -1, -1, 1, -1, 3, -1, -1],
      threshold: [0, 0, 0, 0, 0, 0, 0.3, 0, 0],
      defaultLeft: [1, 1, 0, 0, 1, 0, 0, 0, 0],
      left: [1, 2, -1, -1, 5, -1, 7, -1, -1],
      right: [4, 3, -1, -1, 6, -1, 8, -1, -1],
      value: [0, 0, 0, 1, 0, 1, 0, 3, 3],
      cover: [40, 20, 10, 10, 20, 10, 10, 4, 6],
    };
    const model = handModel(4, [tree]);
    for (const row of [[1, 1, 0, 0.9], [-1, -1, 5, 0], [1, 1, NaN, NaN], [0.5, 0.5, 0, 0.1]]) {
      const { values } = shapValues(model, row);
      expect(values[0]).toBeCloseTo(values[1]!, 12);
      expect(values[2]).toBe(0);
      expect(values[3]).toBeCloseTo(0, 12);
    }
    // Swapping the two features' values swaps their attributions.
    const a = shapValues(model, [1, -1, 0, 0]).values;
    const b = shapValues(model, [-1, 1, 0, 0]).values;
    expect(a[0]).toBeCloseTo(b[1]!, 12);
    expect(a[1]).toBeCloseTo(b[0]!, 12);
  });

  it('attributes next to nothing to noise features', () => {
    // TreeSHAP explains the model, not the data: a deep ensemble that fits the 5% label noise does lean on the
    // noise features a little. A model sized for a two-feature rule (stumps of depth 2) leans on them hardly at all.
    const data = ruleData(4000, 6, 5);
    const model = new GradientBoostedTrees({ maxDepth: 2, rounds: 100 });
    model.fit(data.X, data.y);
    const meanAbs = new Float64Array(6);
    const test = ruleData(500, 6, 6).X;
    for (const row of test) shapValues(model, row).values.forEach((v, f) => (meanAbs[f]! += Math.abs(v) / test.length));
    const signal = Math.min(meanAbs[0]!, meanAbs[2]!);
    expect(signal).toBeGreaterThan(0.5);
    for (const f of [1, 3, 4, 5]) expect(meanAbs[f]!).toBeLessThan(0.1 * signal);
  });

  it('refuses a row of the wrong width, and an unfitted model', () => {
    const model = handModel(2, [randomTree(new Random(1), 2, 2)]);
    expect(() => shapValues(model, [1])).toThrow(expect.objectContaining({ code: 'MODEL_INPUT_INVALID' }));
    expect(() => shapValues(new GradientBoostedTrees(), [1])).toThrow(expect.objectContaining({ code: 'MODEL_NOT_FITTED' }));
  });
});
