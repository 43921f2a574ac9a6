import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pooledTfjs } from '../../ml/models.js';
import { TfjsPool } from '../../ml/pool.js';
import { Random } from '../../random.js';
import { bundledModel, loadBundle, type ModelBundle } from '../bundle.js';
import { chooseBackend } from './backend.js';
import { MlpClassifier, MlpNetwork } from './mlp.js';
import type { FeatureModel } from '../feature-models.js';
import { ForecastFeatureModel, inThreadTfjs, StepSeries } from './feature-models.js';
import { GaussianForecaster } from './forecaster.js';

const FEATURES = ['a', 'b', 'c'];

/** Rows of standard normals (every fifth `c` missing), labelled up when `a + b > 0`. */
function rows(seed: number, n: number): { X: number[][]; y: number[] } {
  const random = new Random(seed);
  const X = Array.from({ length: n }, (_, i) => [random.normal(), random.normal(), i % 5 === 0 ? Number.NaN : random.normal()]);
  return { X, y: X.map((r) => (r[0]! + r[1]! > 0 ? 1 : 0)) };
}

describe('a bundle holding the MLP', () => {
  let bundle: ModelBundle;
  let mlp: MlpClassifier;
  let pool: TfjsPool;

  beforeAll(async () => {
    await chooseBackend(['cpu']);
    mlp = new MlpClassifier({ hidden: [8], epochs: 5, seed: 2 });
    const { X, y } = rows(1, 400);
    await mlp.fit(X, y, FEATURES);
    bundle = { formatVersion: 1, featureSetVersion: 'test', features: FEATURES, horizonMs: 3_600_000, training: {}, metrics: {}, models: [bundledModel('mlp', mlp)] };
    pool = await TfjsPool.start({ threads: 1, batchWindowMs: 0, maxBatch: 64 });
  }, 60_000);

  afterAll(async () => {
    await pool?.close();
  });

  it('leaves the MLP out, listed as unloaded, when no TF.js factory is given', () => {
    const loaded = loadBundle(bundle);
    expect(loaded.featureModels).toEqual([]);
    expect(loaded.unloaded.map((m) => m.name)).toEqual([mlp.name]);
  });

  it('scores it in this thread as the network does', async () => {
    const [model] = loadBundle(bundle, { tfjs: inThreadTfjs }).featureModels;
    expect(model?.modelId).toBe(mlp.name);
    expect(model?.version).toBe(bundle.models[0]!.version);
    const { X } = rows(2, 20);
    const results = await model!.score('AAPL', X);
    const network = new MlpNetwork(mlp.serialize());
    const p = network.infer(Float32Array.from(X.flat()), X.length, {});
    network.dispose();
    expect(results.map((r) => r.score)).toEqual(Array.from(p));
    expect(results.map((r) => r.signal)).toEqual(results.map((r) => 2 * r.score - 1));
    expect(results[0]!.summary).toMatch(/^The neural network puts the chance that AAPL rises over the next 60 minutes at \d+%\.$/);
  });

  it('scores it through the worker pool as in this thread, to float32 rounding across backends', async () => {
    const inThread = loadBundle(bundle, { tfjs: inThreadTfjs }).featureModels[0]!;
    const pooled = loadBundle(bundle, { tfjs: pooledTfjs(pool) }).featureModels[0]!;
    expect(pooled.version).toBe(inThread.version);
    const { X } = rows(3, 200);
    const [a, b] = [await pooled.score('BTC-USD', X), await inThread.score('BTC-USD', X)];
    const gap = Math.max(...a.map((r, i) => Math.abs(r.score - b[i]!.score)));
    expect(gap).toBeLessThan(1e-5);
    expect(a.map((r) => r.summary)).toEqual(b.map((r) => r.summary));
  });

  it('refuses an MLP fitted on other features than the bundle names, either way', () => {
    const other = { ...bundle, features: ['a', 'c', 'b'] };
    expect(() => loadBundle(other, { tfjs: inThreadTfjs })).toThrow(expect.objectContaining({ code: 'MODEL_ARTIFACT_INVALID' }));
    expect(() => loadBundle(other, { tfjs: pooledTfjs(pool) })).toThrow(/fitted on other features/);
  });
});

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 2);

describe('StepSeries', () => {
  it('takes the first value of each step, and ends a series at a missing value or a skipped step', () => {
    const s = new StepSeries(HOUR);
    expect(s.offer('A', T0 + 60_000, 1)).toBe(true);
    expect(s.offer('A', T0 + 120_000, 99)).toBe(false); // same hour: not taken
    s.offer('A', T0 + HOUR, 2);
    s.offer('A', T0 + 2 * HOUR, Number.NaN); // missing: the series so far ends
    s.offer('A', T0 + 3 * HOUR, 3);
    s.offer('A', T0 + 4 * HOUR, 4);
    s.offer('A', T0 + 6 * HOUR, 5); // hour 5 had no snapshot
    s.offer('B', T0, 7);
    expect(s.current('A')).toEqual([5]);
    expect(s.all()).toEqual([[1, 2], [3, 4], [5], [7]]);
  });

  it('keeps only the last `keep` values, and no ended series, when bounded', () => {
    const s = new StepSeries(HOUR, 3);
    for (let h = 0; h < 6; h++) s.offer('A', T0 + h * HOUR, h);
    expect(s.current('A')).toEqual([3, 4, 5]);
    s.offer('A', T0 + 8 * HOUR, 8);
    expect(s.all()).toEqual([[8]]);
  });
});

describe('the forecaster as a feature model', () => {
  let bundle: ModelBundle;
  let pool: TfjsPool;

  /** Hourly returns that persist: each is 0.8 of the last plus noise, so a forecast leans the way of the last. */
  function persistent(seed: number, n: number): number[] {
    const random = new Random(seed);
    const out = [0];
    for (let i = 1; i < n; i++) out.push(0.8 * out[i - 1]! + 0.002 * random.normal());
    return out;
  }

  beforeAll(async () => {
    await chooseBackend(['cpu']);
    const forecaster = new GaussianForecaster({ window: 4, units: 8, epochs: 8, seed: 3 });
    await forecaster.fit([persistent(1, 400), persistent(2, 400)]);
    bundle = { formatVersion: 1, featureSetVersion: 'test', features: ['return_1h'], horizonMs: HOUR, training: {}, metrics: {}, models: [bundledModel('forecaster', forecaster)] };
    pool = await TfjsPool.start({ threads: 1, batchWindowMs: 0, maxBatch: 64 });
  }, 60_000);

  afterAll(async () => {
    await pool?.close();
  });

  /** Feeds hourly returns, a snapshot 5 minutes into each hour, and gives each hour's result. */
  async function feed(model: FeatureModel, returns: readonly number[], from = 0) {
    const out = [];
    for (const [h, r] of returns.entries()) out.push((await model.score('AAPL', [[r]], T0 + (from + h) * HOUR + 300_000))[0]!);
    return out;
  }

  it('says nothing until it has window + 1 hours, then leans the way the returns persist', async () => {
    const [model] = loadBundle(bundle, { tfjs: inThreadTfjs }).featureModels;
    expect(model?.kind).toBe('forecaster');
    expect(model?.features).toEqual(['return_1h']);
    const results = await feed(model!, [0.001, 0.002, 0.004, 0.006, 0.008]);
    expect(results.slice(0, 4).map((r) => r.signal)).toEqual([0, 0, 0, 0]);
    expect(results[3]!.summary).toBe("The forecaster has 4 of the 5 consecutive hours of AAPL's returns it reads.");
    expect(results[4]!.signal).toBeGreaterThan(0.5);
    expect(results[4]!.summary).toMatch(/^The forecaster puts AAPL's return over the next 60 minutes at \+\d\.\d\d% \(80% between .+ and .+\): a \d+% chance that it rises\.$/);
    const down = await feed(model!, [-0.004, -0.006, -0.008], 5);
    expect(down.at(-1)!.signal).toBeLessThan(-0.5);
  });

  it('asks for one forecast per hour, and starts again after an hour with no snapshot', async () => {
    let asked = 0;
    const counting = new ForecastFeatureModel('f', 'v', 5, HOUR, async (history) => {
      asked++;
      return { mean: history.at(-1)!, std: 0.01, quantiles: [0, 0] };
    });
    await feed(counting, [0.001, 0.002, 0.003, 0.004, 0.005]);
    await counting.score('AAPL', [[0.009]], T0 + 4 * HOUR + 1_800_000); // later in hour 4: the same forecast
    expect(asked).toBe(1);
    const [afterGap] = await feed(counting, [0.006], 6);
    expect(afterGap!.signal).toBe(0);
  });

  it('forecasts through the worker pool as in this thread, to float32 rounding across backends', async () => {
    const inThread = loadBundle(bundle, { tfjs: inThreadTfjs }).featureModels[0]!;
    const pooled = loadBundle(bundle, { tfjs: pooledTfjs(pool) }).featureModels[0]!;
    const returns = persistent(9, 30);
    const [a, b] = [await feed(pooled, returns), await feed(inThread, returns)];
    expect(Math.max(...a.map((r, i) => Math.abs(r.score - b[i]!.score)))).toBeLessThan(1e-5);
    expect(a.filter((r) => r.signal !== 0)).toHaveLength(30 - 4);
  });
});
