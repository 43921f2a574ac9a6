import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { artifactHash } from '../models/bundle.js';
import { chooseBackend } from '../models/tfjs/backend.js';
import { forecastSteps, GaussianForecaster } from '../models/tfjs/forecaster.js';
import { MlpClassifier, MlpNetwork } from '../models/tfjs/mlp.js';
import { mlBackend } from './backend.js';
import { MlPoolError, type TfjsArtifact, TfjsPool } from './pool.js';

const artifactOf = (model: MlpClassifier | GaussianForecaster): TfjsArtifact => {
  const artifact = model.serialize();
  return { name: model.name, artifactHash: artifactHash(artifact), artifact };
};

describe('TfjsPool (real worker threads)', () => {
  let pool: TfjsPool;
  let mlp: TfjsArtifact;
  let forecaster: TfjsArtifact;
  const rows: Float32Array[] = [];

  beforeAll(async () => {
    pool = await TfjsPool.start({ threads: 1, batchWindowMs: 5, maxBatch: 64 });
    // Models are fitted here, in the test's thread; they are scored only through the pool.
    await chooseBackend(['wasm', 'cpu']);
    const random = new Random(5);
    const X = Array.from({ length: 200 }, () => Array.from({ length: 4 }, () => random.normal()));
    const model = new MlpClassifier({ hidden: [8], epochs: 2, seed: 1 });
    await model.fit(X, X.map((r) => (r[0]! > 0 ? 1 : 0)));
    mlp = artifactOf(model);
    for (let i = 0; i < 50; i++) rows.push(Float32Array.from(X[i]!));
    const f = new GaussianForecaster({ window: 8, units: 8, epochs: 1, seed: 2 });
    await f.fit(Array.from({ length: 80 }, (_, t) => Math.sin(t / 3) + 0.1 * random.normal()));
    forecaster = artifactOf(f);
  }, 60_000);

  afterAll(async () => {
    await pool?.close();
  });

  it('reports the backend its worker chose (wasm here; tfjs-node cannot load) and why faster ones were skipped', async () => {
    expect(['wasm', 'cpu']).toContain(pool.backend.backend);
    expect(pool.backend.skipped[0]).toMatchObject({ backend: 'tensorflow' });
    expect(pool.backend.skipped[0]!.reason).toMatch(/could not be loaded/);
    expect(mlBackend()).toBe(pool.backend.backend);
    const probe = await pool.probe();
    expect(probe.backend.backend).toBe(pool.backend.backend);
  });

  it('batches concurrent requests into one tensor call and routes each row back to its caller', async () => {
    const before = pool.stats;
    const outputs = await Promise.all(rows.map((row) => pool.infer(mlp, row)));
    expect(pool.stats.batches - before.batches).toBe(1);
    expect(pool.stats.rows - before.rows).toBe(rows.length);
    const direct = new MlpNetwork(mlp.artifact);
    const expected = direct.infer(Float32Array.from(rows.flatMap((r) => [...r])), rows.length, {});
    direct.dispose();
    outputs.forEach((out, i) => {
      expect(out.length).toBe(1);
      expect(out[0]!).toBeCloseTo(expected[i]!, 5);
    });
    // Another model, or other options, make other batches.
    const history = Float32Array.from({ length: 9 }, (_, t) => Math.sin(t / 3));
    const [a, b] = await Promise.all([
      pool.infer(forecaster, history, { horizon: 1, levels: [0.1, 0.9] }),
      pool.infer(forecaster, history, { horizon: 3, samples: 50, levels: [0.5], seed: 1 }),
    ]);
    expect(a.length).toBe(4);
    expect(b.length).toBe(9);
    const [step] = forecastSteps(a, { horizon: 1, samples: 1, levels: [0.1, 0.9], seed: 1 });
    expect(step!.quantiles[0]!).toBeLessThan(step!.mean);
  });

  it('with a window of 0, still sends the requests made in one turn as one batch', async () => {
    const eager = await TfjsPool.start({ threads: 1, batchWindowMs: 0 });
    try {
      const outputs = await Promise.all(rows.slice(0, 10).map((row) => eager.infer(mlp, row)));
      expect(outputs).toHaveLength(10);
      expect(eager.stats).toEqual({ batches: 1, rows: 10 });
      await eager.infer(mlp, rows[0]!);
      expect(eager.stats).toEqual({ batches: 2, rows: 11 });
    } finally {
      await eager.close();
    }
  });

  it('refuses an artifact that does not match its hash, or has weights of the wrong shape, naming the model', async () => {
    const tampered = { ...mlp, artifactHash: 'f'.repeat(64) };
    const error = await pool.infer(tampered, rows[0]!).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MODEL_ARTIFACT_INVALID' });
    expect((error as Error).message).toContain(mlp.name);
    expect((error as Error).message).toMatch(/does not match its hash/);

    const state = mlp.artifact.state as { weights: unknown[] };
    const reshaped = { ...mlp.artifact, state: { ...state, weights: [state.weights[1], state.weights[0], ...state.weights.slice(2)] } };
    const wrong = { name: mlp.name, artifact: reshaped, artifactHash: artifactHash(reshaped) };
    await expect(pool.infer(wrong, rows[0]!)).rejects.toThrow(/MlpClassifier.*weight tensor 0 should have shape \[8, 4\]/);
    await expect(pool.infer(mlp, new Float32Array(3))).rejects.toThrow(/expected 1 rows of 4 values, got 3/);
  });

  it('fails the requests a crashed worker held, then serves the next ones from a new worker', async () => {
    const before = await pool.probe();
    const history = Float32Array.from({ length: 9 }, (_, t) => Math.cos(t));
    // A long request (many sample paths, many steps), and the worker ended while it runs.
    const slow = pool.infer(forecaster, history, { horizon: 200, samples: 8000, levels: [0.5], seed: 3 });
    const alsoInBatch = pool.infer(forecaster, history, { horizon: 200, samples: 8000, levels: [0.5], seed: 3 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await pool.threads[0]!.terminate();
    for (const request of [slow, alsoInBatch]) {
      const error = await request.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MlPoolError);
      expect(error).toMatchObject({ code: 'ML_WORKER_CRASHED' });
      expect((error as Error).message).toMatch(/stopped while scoring GaussianForecaster\(.*\) \(2 requests failed\)/);
    }
    const [out] = await Promise.all([pool.infer(mlp, rows[1]!)]);
    expect(out!.length).toBe(1);
    const after = await pool.probe();
    expect(after.threadId).not.toBe(before.threadId);
    expect(after.backend.backend).toBe(before.backend.backend);
  });
});
