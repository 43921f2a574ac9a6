import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../random.js';
import { artifactHash } from '../bundle.js';
import { ModelError } from '../model.js';
import { chooseBackend } from './backend.js';
import { MlpClassifier, MlpNetwork } from './mlp.js';

/** Rows of 6 standard normals, labelled by a rule no linear model can learn: x0 and x1 of the same sign. */
function planted(seed: number, n: number): { X: number[][]; y: number[] } {
  const random = new Random(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: 6 }, () => random.normal());
    if (i % 10 === 0) row[4] = Number.NaN; // a missing value in an irrelevant feature
    X.push(row);
    y.push(row[0]! * row[1]! > 0 ? 1 : 0);
  }
  return { X, y };
}

function accuracy(network: MlpNetwork, X: number[][], y: number[]): number {
  const p = network.infer(Float32Array.from(X.flat()), X.length, {});
  return y.filter((label, i) => (p[i]! > 0.5 ? 1 : 0) === label).length / y.length;
}

describe('MlpClassifier', () => {
  beforeAll(async () => {
    await chooseBackend(['wasm', 'cpu']);
  });

  it('learns a planted interaction and beats chance by far on held-out rows', async () => {
    const train = planted(1, 2000);
    const test = planted(2, 1000);
    const model = new MlpClassifier({ hidden: [16, 8], epochs: 40, batchSize: 64, learningRate: 0.01, seed: 3 });
    const report = await model.fit(train.X, train.y);
    expect(report.loss.at(-1)!).toBeLessThan(report.loss[0]!);
    const network = new MlpNetwork(model.serialize());
    try {
      expect(accuracy(network, test.X, test.y)).toBeGreaterThan(0.85);
    } finally {
      network.dispose();
    }
  });

  it('carries its parameters in its name and fits the same artifact from the same seed', async () => {
    const { X, y } = planted(4, 300);
    const a = new MlpClassifier({ hidden: [8], epochs: 3, seed: 5 });
    const b = new MlpClassifier({ hidden: [8], epochs: 3, seed: 5 });
    expect(a.name).toBe('MlpClassifier(hidden=8,epochs=3,batch=64,lr=0.005,patience=3,seed=5)');
    await a.fit(X, y);
    await b.fit(X, y);
    expect(artifactHash(a.serialize())).toBe(artifactHash(b.serialize()));
    const restored = MlpClassifier.deserialize(JSON.parse(JSON.stringify(a.serialize())));
    expect(restored.name).toBe(a.name);
    expect(artifactHash(restored.serialize())).toBe(artifactHash(a.serialize()));
  });

  it('given held-out rows, stops once they stop improving and keeps the weights of their best epoch', async () => {
    // Labels that are pure noise: whatever the network learns of the training rows is worse on others.
    const random = new Random(8);
    const noise = (n: number) => {
      const X = Array.from({ length: n }, () => Array.from({ length: 6 }, () => random.normal()));
      return { X, y: X.map((): number => (random.next() < 0.5 ? 1 : 0)) };
    };
    const train = noise(400);
    const held = noise(400);
    const model = new MlpClassifier({ hidden: [32], epochs: 40, batchSize: 16, learningRate: 0.02, patience: 2, seed: 1 });
    const report = await model.fit(train.X, train.y, undefined, held);
    const losses = report.validationLoss!;
    expect(losses).toHaveLength(report.loss.length);
    expect(report.loss.length).toBeLessThan(40);
    expect(report.loss.length - report.epochsKept!).toBe(2);
    expect(losses[report.epochsKept! - 1]).toBe(Math.min(...losses));
    const network = new MlpNetwork(model.serialize());
    const p = network.infer(Float32Array.from(held.X.flat()), held.X.length, {});
    network.dispose();
    const keptLoss = -held.y.reduce((sum, y, i) => sum + Math.log(y === 1 ? p[i]! : 1 - p[i]!), 0) / held.y.length;
    expect(keptLoss).toBeCloseTo(losses[report.epochsKept! - 1]!, 4);
    expect(keptLoss).toBeLessThan(losses.at(-1)!);
  });

  it('refuses bad input and artifacts whose weights have the wrong shape, naming what is wrong', async () => {
    expect(() => new MlpClassifier({ hidden: [] })).toThrow(/hidden/);
    const model = new MlpClassifier({ hidden: [4], epochs: 1 });
    expect(() => model.serialize()).toThrow(ModelError);
    await expect(model.fit([[1], [2]], [0, 2])).rejects.toThrow(/labels must be 0 or 1/);
    const { X, y } = planted(6, 100);
    await model.fit(X, y);
    const artifact = model.serialize();
    const network = new MlpNetwork(artifact);
    expect(() => network.infer(new Float32Array(5), 1, {})).toThrow(/expected 1 rows of 6 values/);
    network.dispose();
    const wrong = { ...artifact, state: { ...artifact.state, weights: [artifact.state.weights[1], artifact.state.weights[0], ...artifact.state.weights.slice(2)] } };
    expect(() => new MlpNetwork(wrong)).toThrow(/weight tensor 0 should have shape \[4, 6\]/);
  });
});
