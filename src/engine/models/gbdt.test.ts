import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { binIndex, binMatrix, quantileEdges } from './binning.js';
import { GradientBoostedTrees } from './gbdt.js';
import { encodeFloat64, type ModelErrorCode, type SerializedModel } from './model.js';

/** y = 1 iff x0 > 0.2 and x2 < 0; x1, x3, x4, x5 are noise; `flip` of the labels are flipped. */
function ruleData(n: number, seed: number, flip = 0.05): { X: number[][]; y: number[]; clean: number[] } {
  const random = new Random(seed);
  const X: number[][] = [];
  const y: number[] = [];
  const clean: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: 6 }, () => random.next() * 2 - 1);
    const label = row[0]! > 0.2 && row[2]! < 0 ? 1 : 0;
    X.push(row);
    clean.push(label);
    y.push(random.chance(flip) ? 1 - label : label);
  }
  return { X, y, clean };
}

function accuracy(proba: ArrayLike<number>, y: readonly number[]): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) if ((proba[i]! > 0.5 ? 1 : 0) === y[i]) right++;
  return right / y.length;
}

/** Area under the ROC curve: the chance that a random positive outscores a random negative, ties counting half. */
function auc(scores: ArrayLike<number>, y: readonly number[]): number {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let positives = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && scores[order[end]!] === scores[order[start]!]) end++;
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (y[order[k]!] === 1) {
        rankSum += midRank;
        positives++;
      }
    }
    start = end;
  }
  const negatives = y.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function logLoss(proba: ArrayLike<number>, y: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < y.length; i++) total -= Math.log(y[i] === 1 ? proba[i]! : 1 - proba[i]!);
  return total / y.length;
}

function codeOf(fn: () => unknown): ModelErrorCode | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: ModelErrorCode }).code;
  }
  return undefined;
}

const train = ruleData(4000, 1);
const test = ruleData(2000, 2);

describe('quantile binning', () => {
  it('gives each distinct value its own bin when there are few, and routes values like the edges', () => {
    const edges = quantileEdges(Float64Array.from([0, 0, 0, 1, 1, 2, 5]), 64);
    expect([...edges]).toEqual([0.5, 1.5, 3.5]);
    expect([0, 0.5, 0.6, 1, 2, 5, 9, -3].map((v) => binIndex(edges, v))).toEqual([0, 0, 1, 1, 2, 3, 3, 0]);
    expect(binIndex(edges, NaN)).toBe(4);
  });

  it('cuts many distinct values into at most maxBins bins of about equal counts', () => {
    const random = new Random(3);
    const values = Float64Array.from({ length: 10_000 }, () => random.normal()).sort();
    const edges = quantileEdges(values, 16);
    expect(edges.length).toBe(15);
    const counts = new Array<number>(16).fill(0);
    for (const v of values) counts[binIndex(edges, v)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(600);
    for (const c of counts) expect(c).toBeLessThan(650);
    // bin <= j exactly when value <= edges[j]
    for (const v of values.subarray(0, 500)) for (let j = 0; j < edges.length; j++) expect(binIndex(edges, v) <= j).toBe(v <= edges[j]!);
  });

  it('puts missing values in a bin after the last', () => {
    const binned = binMatrix([[1, NaN], [2, 3], [NaN, 4]], 8);
    expect([...binned.bins]).toEqual([0, 2, 1, 0, 2, 1]);
  });
});

describe('GradientBoostedTrees', () => {
  it('names itself with its parameters', () => {
    expect(new GradientBoostedTrees().name).toBe(
      'GBDT(rounds=200,depth=4,lr=0.05,lambda=1,bins=64,minChild=1,subsample=0.8,colsample=0.8,patience=20,seed=7)',
    );
    expect(new GradientBoostedTrees().kind).toBe('classifier');
  });

  it('learns a known rule from noisy labels', () => {
    const model = new GradientBoostedTrees();
    model.fit(train.X, train.y);
    const proba = model.predictProbaMany(test.X);
    // Against the noisy held-out labels the best possible accuracy is 0.95.
    expect(accuracy(proba, test.y)).toBeGreaterThanOrEqual(0.9);
    // With 5% of labels flipped, even a perfect ranking scores only about 0.91 against the noisy labels;
    // against the rule itself it should be nearly perfect.
    expect(auc(proba, test.clean)).toBeGreaterThanOrEqual(0.95);
    expect(auc(proba, test.y)).toBeGreaterThan(0.85);
    expect(model.featureNames).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5']);
    expect(model.trees).toHaveLength(200);
  });

  it('lowers the training log loss round after round, and predicts on raw values as it trained on bins', () => {
    const model = new GradientBoostedTrees({ rounds: 60, subsample: 1, colsample: 1 });
    const report = model.fit(train.X, train.y);
    expect(report.trainLoss).toHaveLength(61);
    for (let r = 1; r < report.trainLoss.length; r++) expect(report.trainLoss[r]!).toBeLessThan(report.trainLoss[r - 1]!);
    expect(report.trainLoss[60]!).toBeLessThan(report.trainLoss[0]! * 0.6);
    expect(logLoss(model.predictProbaMany(train.X), train.y)).toBeCloseTo(report.trainLoss[60]!, 12);

    const sampled = new GradientBoostedTrees({ rounds: 60 }).fit(train.X, train.y).trainLoss;
    expect(sampled[60]!).toBeLessThan(sampled[30]!);
    expect(sampled[30]!).toBeLessThan(sampled[0]!);
  });

  it('gives the same model, byte for byte, for the same seed', () => {
    const fit = (seed: number): string => {
      const model = new GradientBoostedTrees({ rounds: 30, seed });
      model.fit(train.X, train.y);
      return JSON.stringify(model.serialize());
    };
    expect(fit(7)).toBe(fit(7));
    expect(fit(8)).not.toBe(fit(7));
  });

  it('round-trips through its artifact, JSON included, with identical predictions', () => {
    const model = new GradientBoostedTrees({ rounds: 50 });
    model.fit(train.X, train.y, { featureNames: ['a', 'b', 'c', 'd', 'e', 'f'] });
    const artifact = model.serialize();
    const json = JSON.stringify(artifact);
    for (const copy of [GradientBoostedTrees.deserialize(artifact), GradientBoostedTrees.deserialize(JSON.parse(json) as SerializedModel)]) {
      expect(copy.name).toBe(model.name);
      expect(copy.featureNames).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
      expect(JSON.stringify(copy.serialize())).toBe(json);
      const rows = [...test.X.slice(0, 300), [NaN, 0, -0.5, 0, 0, 0], [NaN, NaN, NaN, NaN, NaN, NaN]];
      expect([...copy.predictProbaMany(rows)]).toEqual([...model.predictProbaMany(rows)]);
      for (const row of rows.slice(0, 20)) expect(copy.predictMargin(row)).toBe(model.predictMargin(row));
    }
  });

  it('learns where missing values belong when they carry information', () => {
    // x0 is not recorded above 0.5, so a missing x0 means a large one: the label is then x2 < 0.
    const X = train.X.map((row) => (row[0]! > 0.5 ? [NaN, ...row.slice(1)] : row));
    const model = new GradientBoostedTrees();
    model.fit(X, train.y);
    expect(model.predictProba([NaN, 0, -0.5, 0, 0, 0])).toBeGreaterThan(0.85);
    expect(model.predictProba([NaN, 0, 0.5, 0, 0, 0])).toBeLessThan(0.15);
    expect(model.predictProba([-0.5, 0, -0.5, 0, 0, 0])).toBeLessThan(0.15);
  });

  it('predicts sensibly for rows missing a useful feature', () => {
    // 15% of x0 missing at random in training.
    const random = new Random(11);
    const X = train.X.map((row) => (random.chance(0.15) ? [NaN, ...row.slice(1)] : row));
    const model = new GradientBoostedTrees();
    model.fit(X, train.y);
    expect(accuracy(model.predictProbaMany(test.X), test.y)).toBeGreaterThanOrEqual(0.9);
    // Without x0, x2 >= 0 still rules a 1 out; with x2 < 0 the chance of a 1 is about 0.4.
    const high = test.X.filter((row) => row[2]! >= 0).map((row) => [NaN, ...row.slice(1)]);
    const open = test.X.filter((row) => row[2]! < 0).map((row) => [NaN, ...row.slice(1)]);
    const mean = (p: Float64Array): number => p.reduce((a, b) => a + b, 0) / p.length;
    expect(mean(model.predictProbaMany(high))).toBeLessThan(0.1);
    expect(mean(model.predictProbaMany(open))).toBeGreaterThan(0.25);
    expect(mean(model.predictProbaMany(open))).toBeLessThan(0.6);

    // A model that never saw a missing value sends one down its larger branches.
    const complete = new GradientBoostedTrees();
    complete.fit(train.X, train.y);
    expect(mean(complete.predictProbaMany(high))).toBeLessThan(0.1);
  });

  it('stops early on pure noise and keeps its best round', () => {
    const random = new Random(5);
    const noise = (n: number): { X: number[][]; y: number[] } => ({
      X: Array.from({ length: n }, () => Array.from({ length: 5 }, () => random.normal())),
      y: Array.from({ length: n }, () => (random.chance(0.5) ? 1 : 0)),
    });
    const data = noise(2000);
    const model = new GradientBoostedTrees({ rounds: 500, earlyStoppingRounds: 10 });
    const report = model.fit(data.X, data.y, { validation: noise(1000) });
    expect(report.stoppedEarly).toBe(true);
    expect(report.trainLoss.length).toBeLessThan(501);
    expect(report.trees).toBeLessThan(report.trainLoss.length - 1);
    expect(model.trees).toHaveLength(report.trees);
    const losses = report.validationLoss!;
    expect(losses[report.trees]).toBe(Math.min(...losses));
    expect(losses.length - 1 - report.trees).toBe(10);
  });

  it('refuses invalid input and use before fitting', () => {
    const model = new GradientBoostedTrees({ rounds: 2 });
    expect(codeOf(() => model.predictProba([1, 2]))).toBe('MODEL_NOT_FITTED');
    expect(codeOf(() => model.serialize())).toBe('MODEL_NOT_FITTED');
    expect(codeOf(() => model.fit([], []))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => model.fit([[1, 2], [3]], [0, 1]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => model.fit([[1], [2]], [0, 2]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => model.fit([[1], [2]], [0, 0.5]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => model.fit([[1], [2]], [0]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => model.fit([[1], [Infinity]], [0, 1]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => model.fit([[1], [2]], [0, 1], { featureNames: ['a', 'b'] }))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => model.fit([[1], [2]], [0, 1], { validation: { X: [[1, 2]], y: [0] } }))).toBe('MODEL_INPUT_INVALID');
    for (const params of [{ rounds: 0 }, { learningRate: 0 }, { maxBins: 256 }, { subsample: 1.5 }, { maxDepth: 2.5 }, { lambda: -1 }]) {
      expect(codeOf(() => new GradientBoostedTrees(params))).toBe('MODEL_INPUT_INVALID');
    }
    model.fit([[1], [2], [3], [4]], [0, 0, 1, 1]);
    expect(codeOf(() => model.predictProba([1, 2]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => model.predictProbaMany([[1], ['a' as unknown as number]]))).toBe('MODEL_INPUT_INVALID');
  });

  it('refuses an artifact it cannot use', () => {
    const model = new GradientBoostedTrees({ rounds: 3, maxDepth: 2 });
    model.fit(train.X, train.y);
    const good = JSON.parse(JSON.stringify(model.serialize())) as { params: Record<string, unknown>; state: Record<string, unknown> } & SerializedModel;
    const tree = (good.state.trees as Record<string, unknown>[])[0]!;
    const variants: unknown[] = [
      null,
      { ...good, type: 'IsolationForest' },
      { ...good, formatVersion: 2 },
      { ...good, params: { ...good.params, rounds: -1 } },
      { ...good, state: { ...good.state, baseScore: 'x' } },
      { ...good, state: { ...good.state, featureNames: [] } },
      { ...good, state: { ...good.state, binEdges: [] } },
      { ...good, state: { ...good.state, trees: [{ ...tree, left: [5, ...(tree.left as number[]).slice(1)] }] } },
      { ...good, state: { ...good.state, trees: [{ ...tree, feature: (tree.feature as number[]).map((f) => (f >= 0 ? 9 : f)) }] } },
      { ...good, state: { ...good.state, trees: [{ ...tree, cover: encodeFloat64((tree.feature as number[]).map(() => 0)) }] } },
      { ...good, state: { ...good.state, trees: [{ ...tree, value: 'AAA' }] } },
      { ...good, state: { ...good.state, trees: [tree, tree, tree, tree] } },
    ];
    for (const artifact of variants) expect(codeOf(() => GradientBoostedTrees.deserialize(artifact as SerializedModel))).toBe('MODEL_ARTIFACT_INVALID');
    expect(GradientBoostedTrees.deserialize(good).trees).toHaveLength(3);
  });
});
