/**
 * TF.js on a running server: with `models.tfjs.enabled` and a trained MLP configured, `health` reports the
 * backend the pool's worker chose (wasm here, since tfjs-node cannot be installed; cpu if wasm failed), and
 * `models` lists the MLP next to the others.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { instrumentFeatureSet } from '../src/engine/features/definitions.js';
import { mlBackend } from '../src/engine/ml/backend.js';
import { tfjsModelFile, writeTfjsModelFile } from '../src/engine/ml/setup.js';
import { Random } from '../src/engine/random.js';
import { MlpClassifier } from '../src/engine/models/tfjs/mlp.js';
import { createLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/server.js';

async function gql<T>(url: string, query: string): Promise<{ data?: T; errors?: { message: string }[] }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await res.json()) as { data?: T; errors?: { message: string }[] };
}

describe('TF.js models on a running server', () => {
  let server: RunningServer;
  let dir: string;
  let mlpName: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vanta-tfjs-'));
    const featureSet = instrumentFeatureSet();
    const random = new Random(3);
    const X = Array.from({ length: 200 }, () => featureSet.names.map(() => random.normal()));
    const mlp = new MlpClassifier({ hidden: [8], epochs: 2, seed: 1 });
    await mlp.fit(X, X.map((row) => (row[0]! > 0 ? 1 : 0)), featureSet.names);
    mlpName = mlp.name;
    const mlpPath = path.join(dir, 'mlp.json');
    await writeTfjsModelFile(mlpPath, tfjsModelFile(mlp, { featureSetVersion: featureSet.version, features: featureSet.names, horizonMs: 3_600_000, training: { source: 'test' }, metrics: {} }));
    const configPath = path.join(dir, 'vanta.config.json');
    await writeFile(configPath, JSON.stringify({ models: { tfjs: { enabled: true, mlpPath } } }));
    const config = loadConfig({ file: configPath, env: { PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: 'memory://', VANTA_SOURCES: 'none' } });
    server = await startServer(config, { log: createLogger('silent'), print: () => {} });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reports the backend the worker chose in health, and lists the MLP among the models', async () => {
    const r = await gql<{ health: { mlBackend: string }; models: { name: string }[] }>(server.url, '{ health { mlBackend } models { name } }');
    expect(r.errors).toBeUndefined();
    expect(['wasm', 'cpu']).toContain(r.data!.health.mlBackend);
    expect(r.data!.health.mlBackend).toBe(mlBackend());
    expect(r.data!.models.map((m) => m.name)).toContain(mlpName);
  });
});
