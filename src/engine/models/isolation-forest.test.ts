import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { averagePathLength, IsolationForest } from './isolation-forest.js';
import { encodeFloat64, ModelError, type SerializedModel } from './model.js';

/** `n` rows of a standard Gaussian blob in `dims` dimensions, then `outliers` rows planted on a shell of radius 6–8. */
function blobWithOutliers(seed: number, n: number, dims: number, outliers: number): { rows: number[][]; isOutlier: boolean[] } {
  const random = new Random(seed);
  const rows: number[][] = [];
  for (let i = 0; i < n - outliers; i++) rows.push(Array.from({ length: dims }, () => random.normal()));
  for (let i = 0; i < outliers; i++) {
    const direction = Array.from({ length: dims }, () => random.normal());
    const norm = Math.hypot(...direction);
    const radius = 6 + 2 * random.next();
    rows.push(direction.map((v) => (v / norm) * radius));
  }
  return { rows, isOutlier: rows.map((_, i) => i >= n - outliers) };
}

/** ROC AUC by the Mann–Whitney statistic: the chance that a random positive outscores a random negative. */
function rocAuc(scores: ArrayLike<number>, positive: readonly boolean[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!positive[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (positive[j]) continue;
      const a = scores[i] as number;
      const b = scores[j] as number;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
      pairs++;
    }
  }
  return wins / pairs;
}

/** Indices of the `k` highest scores. */
function topK(scores: ArrayLike<number>, k: number): number[] {
  return Array.from(scores, (s, i) => [s, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, i]) => i);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ModelError) return err.code;
    throw err;
  }
  return undefined;
}

describe('averagePathLength', () => {
  it('matches the known values of c(n)', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    // 2·(ln 255 + γ) − 2·255/256
    expect(averagePathLength(256)).toBeCloseTo(10.2448, 3);
    expect(averagePathLength(256)).toBeCloseTo(2 * (Math.log(255) + 0.5772156649) - 510 / 256, 12);
    expect(averagePathLength(100)).toBeCloseTo(8.3647, 3);
  });
});

describe('IsolationForest', () => {
  for (const dims of [2, 5]) {
    it(`ranks the planted outliers of a ${dims}-D Gaussian blob first`, () => {
      const { rows, isOutlier } = blobWithOutliers(11 + dims, 1000, dims, 10);
      const forest = new IsolationForest({ seed: 7 }).fit(rows);
      const scores = forest.scoreMany(rows);
      const planted = isOutlier.flatMap((o, i) => (o ? [i] : []));
      const top = new Set(topK(scores, 15));
      expect(planted.filter((i) => top.has(i))).toHaveLength(10);
      expect(rocAuc(scores, isOutlier)).toBeGreaterThan(0.95);
      for (const s of scores) {
        expect(s).toBeGreaterThan(0);
        expect(s).toBeLessThan(1);
      }
      for (const i of planted) expect(scores[i]).toBeGreaterThan(0.55);
    });
  }

  it('scores points near the centre of the blob below 0.5', () => {
    const { rows } = blobWithOutliers(3, 1000, 5, 10);
    const forest = new IsolationForest({ seed: 1 }).fit(rows);
    expect(forest.score([0, 0, 0, 0, 0])).toBeLessThan(0.5);
    expect(forest.score([0.2, -0.1, 0.1, 0, -0.2])).toBeLessThan(0.5);
    expect(forest.score([9, 9, 9, 9, 9])).toBeGreaterThan(0.7);
  });

  it('is deterministic for a seed, and different seeds grow different trees that rank alike', () => {
    const { rows, isOutlier } = blobWithOutliers(5, 1000, 5, 10);
    const a = new IsolationForest({ seed: 42 }).fit(rows);
    const b = new IsolationForest({ seed: 42 }).fit(rows);
    const c = new IsolationForest({ seed: 43 }).fit(rows);
    expect([...b.scoreMany(rows)]).toEqual([...a.scoreMany(rows)]);
    expect(b.serialize()).toEqual(a.serialize());

    expect(c.serialize().state.feature).not.toBe(a.serialize().state.feature);
    const sa = a.scoreMany(rows);
    const sc = c.scoreMany(rows);
    expect([...sc]).not.toEqual([...sa]);
    const topA = topK(sa, 10);
    const topC = new Set(topK(sc, 10));
    expect(topA.filter((i) => topC.has(i)).length).toBeGreaterThanOrEqual(9);
    expect(rocAuc(sc, isOutlier)).toBeGreaterThan(0.95);
    expect(pearson(sa, sc)).toBeGreaterThan(0.9);
  });

  it('carries its parameters in its name, with maxDepth defaulting to ceil(log2 sampleSize)', () => {
    expect(new IsolationForest({ seed: 7 }).name).toBe('IsolationForest(trees=100,sample=256,depth=8,seed=7)');
    expect(new IsolationForest({ trees: 10, sampleSize: 100 }).name).toBe('IsolationForest(trees=10,sample=100,depth=7,seed=0)');
    expect(new IsolationForest().kind).toBe('anomaly');
  });

  it('fits on fewer rows than sampleSize, and scores constant data at 0.5', () => {
    const small = blobWithOutliers(9, 50, 2, 1);
    const forest = new IsolationForest({ trees: 50, seed: 2 }).fit(small.rows);
    expect(topK(forest.scoreMany(small.rows), 1)).toEqual([49]);
    const flat = new IsolationForest({ trees: 5 }).fit([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(flat.score([1, 2])).toBeCloseTo(0.5, 12);
    expect(flat.score([100, -100])).toBeCloseTo(0.5, 12);
  });

  it('restores exactly from its artifact, also after a JSON round trip', () => {
    const { rows } = blobWithOutliers(8, 600, 5, 6);
    const forest = new IsolationForest({ trees: 60, sampleSize: 128, seed: 3 }).fit(rows);
    const artifact = forest.serialize();
    const probe = blobWithOutliers(99, 200, 5, 5).rows;
    const expected = [...forest.scoreMany(probe)];

    const restored = IsolationForest.deserialize(artifact);
    expect(restored.name).toBe(forest.name);
    expect([...restored.scoreMany(probe)]).toEqual(expected);
    expect(restored.serialize()).toEqual(artifact);

    const json = JSON.stringify(artifact);
    const fromJson = IsolationForest.deserialize(JSON.parse(json) as SerializedModel);
    expect([...fromJson.scoreMany(probe)]).toEqual(expected);
    expect(fromJson.score(probe[0] as number[])).toBe(expected[0]);
  });

  it('keeps its artifact small: two float64 values per node', () => {
    const { rows } = blobWithOutliers(4, 1000, 8, 0);
    const artifact = new IsolationForest({ seed: 4 }).fit(rows).serialize();
    const nodes = Buffer.from(artifact.state.feature, 'base64').length / 8;
    expect(nodes).toBeLessThan(100 * 511);
    expect(JSON.stringify(artifact).length).toBeLessThan(Math.ceil((nodes * 16 * 4) / 3) + 500);
  });

  it('refuses invalid input and artifacts with typed errors', () => {
    const forest = new IsolationForest({ trees: 5, seed: 1 });
    expect(codeOf(() => forest.score([0, 0]))).toBe('MODEL_NOT_FITTED');
    expect(codeOf(() => forest.serialize())).toBe('MODEL_NOT_FITTED');
    expect(codeOf(() => forest.fit([]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => forest.fit([[1, 2]]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => forest.fit([[1, 2], [3]]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => forest.fit([[1, 2], [3, Number.NaN]]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => forest.fit([[1, 2], [3, Infinity]]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => new IsolationForest({ trees: 0 }))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => new IsolationForest({ sampleSize: 1.5 }))).toBe('MODEL_INPUT_INVALID');

    forest.fit([
      [0, 0],
      [1, 1],
      [2, 0],
      [5, 5],
    ]);
    expect(codeOf(() => forest.score([1]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => forest.score([1, Number.NaN]))).toBe('MODEL_INPUT_INVALID');
    expect(codeOf(() => forest.scoreMany([[1, 1], [1, 2, 3]]))).toBe('MODEL_INPUT_INVALID');

    const good = forest.serialize();
    const bad = (over: Partial<SerializedModel>, state: Record<string, unknown> = {}): string | undefined =>
      codeOf(() => IsolationForest.deserialize({ ...good, ...over, state: { ...good.state, ...state } }));
    expect(bad({ type: 'Bocpd' })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({ formatVersion: 2 })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({ params: { ...good.params, trees: 6 } })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({ params: { ...good.params, trees: -1 } })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({}, { dims: 1 })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({}, { value: encodeFloat64([1, 2, 3]) })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({}, { feature: 'AAAA' })).toBe('MODEL_ARTIFACT_INVALID');
    expect(bad({}, { feature: undefined })).toBe('MODEL_ARTIFACT_INVALID');
    expect(IsolationForest.deserialize(good).score([5, 5])).toBe(forest.score([5, 5]));
  });
});

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += (a[i] as number) / n;
    mb += (b[i] as number) / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}
