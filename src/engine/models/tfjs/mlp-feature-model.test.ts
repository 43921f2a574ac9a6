import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pooledTfjs } from '../../ml/models.js';
import { TfjsPool } from '../../ml/pool.js';
import { Random } from '../../random.js';
import { bundledModel, loadBundle, type ModelBundle } from '../bundle.js';
import { chooseBackend } from './backend.js';
import { MlpClassifier, MlpNetwork } from './mlp.js';
import { inThreadTfjs } from './mlp-feature-model.js';

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
