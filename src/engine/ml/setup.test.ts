import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { chooseBackend } from '../models/tfjs/backend.js';
import { MlpClassifier } from '../models/tfjs/mlp.js';
import { readTfjsModelFile, startTfjsModels, type TfjsModelFile, tfjsModelFile, writeTfjsModelFile } from './setup.js';

describe('TF.js model files', () => {
  let dir: string;
  let file: TfjsModelFile;
  const silent = { info: () => {} };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vanta-mlp-'));
    await chooseBackend(['wasm', 'cpu']);
    const random = new Random(1);
    const X = Array.from({ length: 50 }, () => [random.normal(), random.normal()]);
    const mlp = new MlpClassifier({ hidden: [4], epochs: 1 });
    await mlp.fit(X, X.map((r) => (r[0]! > 0 ? 1 : 0)), ['a', 'b']);
    file = tfjsModelFile(mlp, { featureSetVersion: 'fs1', features: ['a', 'b'], horizonMs: 60_000, training: {}, metrics: {} });
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads back what it wrote, and refuses a file whose artifact does not match its hash, naming the file and model', async () => {
    const good = path.join(dir, 'good.json');
    await writeTfjsModelFile(good, file);
    expect((await readTfjsModelFile(good)).artifactHash).toBe(file.artifactHash);
    expect(file.version).toBe(file.artifactHash.slice(0, 12));

    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...file, artifact: { ...file.artifact, params: { ...(file.artifact.params as object), seed: 8 } } }));
    await expect(readTfjsModelFile(bad)).rejects.toThrow(new RegExp(`bad\\.json: the artifact of MlpClassifier\\(.*\\) does not match its hash`));
    await expect(readTfjsModelFile(path.join(dir, 'missing.json'))).rejects.toThrow(/cannot read the TF.js model file/);
  });

  it('refuses an MLP trained on another version of the features before starting any worker', async () => {
    const mlpPath = path.join(dir, 'good.json');
    await expect(startTfjsModels({ mlpPath }, { names: ['a', 'b'], version: 'fs2' }, silent)).rejects.toThrow(/trained on features fs1, not fs2; retrain it/);
  });
});
