import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../random.js';
import { artifactHash } from '../bundle.js';
import { chooseBackend } from './backend.js';
import { ForecastNetwork, forecastSteps, GaussianForecaster } from './forecaster.js';

const NOISE = 0.5;
/** A sine of period 25 around 10, plus Gaussian noise of std NOISE: the next value's mean and noise are known. */
function series(seed: number, n: number): { values: number[]; truth: number[] } {
  const random = new Random(seed);
  const truth = Array.from({ length: n }, (_, t) => 10 + 2 * Math.sin((2 * Math.PI * t) / 25));
  return { values: truth.map((m) => m + NOISE * random.normal()), truth };
}

describe('GaussianForecaster', () => {
  let model: GaussianForecaster;
  let network: ForecastNetwork;
  beforeAll(async () => {
    await chooseBackend(['wasm', 'cpu']);
    model = new GaussianForecaster({ window: 25, units: 16, epochs: 15, batchSize: 64, learningRate: 0.01, seed: 11 });
    await model.fit(series(1, 1500).values);
    network = new ForecastNetwork(model.serialize());
  }, 240_000);

  it('gives calibrated one-step Gaussians on a held-out stretch, and beats the last value', () => {
    const { values, truth } = series(2, 600);
    const width = model.historyLength;
    const starts = Array.from({ length: values.length - width }, (_, i) => i);
    const input = Float32Array.from(starts.flatMap((i) => values.slice(i, i + width)));
    const out = network.infer(input, starts.length, { horizon: 1, levels: [0.1, 0.9] });
    let inside = 0;
    let inside80 = 0;
    let errorModel = 0;
    let errorNaive = 0;
    let sigma = 0;
    let errorTruth = 0;
    starts.forEach((i, k) => {
      const [step] = forecastSteps(out.subarray(k * 4, (k + 1) * 4), { horizon: 1, samples: 1, levels: [0.1, 0.9], seed: 1 });
      const actual = values[i + width]!;
      if (Math.abs(actual - step!.mean) <= step!.std) inside++;
      if (actual >= step!.quantiles[0]! && actual <= step!.quantiles[1]!) inside80++;
      errorModel += Math.abs(actual - step!.mean);
      errorNaive += Math.abs(actual - values[i + width - 1]!);
      sigma += step!.std;
      errorTruth += Math.abs(truth[i + width]! - step!.mean);
    });
    const n = starts.length;
    expect(inside / n).toBeGreaterThan(0.55);
    expect(inside / n).toBeLessThan(0.8);
    expect(inside80 / n).toBeGreaterThan(0.7);
    expect(inside80 / n).toBeLessThan(0.9);
    expect(errorModel).toBeLessThan(errorNaive);
    // The mean tracks the noise-free sine: closer to it than the noise's own mean absolute size (0.8 σ).
    expect(errorTruth / n).toBeLessThan(0.8 * NOISE);
    // The noise is NOISE; a good forecast's sigma is near it (it cannot know the noise of the last value).
    expect(sigma / n).toBeGreaterThan(0.8 * NOISE);
    expect(sigma / n).toBeLessThan(1.6 * NOISE);
  });

  it('samples several steps ahead with ordered quantiles, the same for a row whatever shares its batch', () => {
    const { values } = series(3, 200);
    const width = model.historyLength;
    const a = Float32Array.from(values.slice(0, width));
    const b = Float32Array.from(values.slice(50, 50 + width));
    const options = { horizon: 4, samples: 300, levels: [0.1, 0.5, 0.9], seed: 9 };
    const alone = network.infer(a, 1, options);
    const together = network.infer(Float32Array.from([...b, ...a]), 2, options);
    expect(Array.from(together.subarray(alone.length))).toEqual(Array.from(alone));
    for (const step of forecastSteps(alone, { ...options })) {
      expect(step.std).toBeGreaterThan(0);
      expect(step.quantiles[0]!).toBeLessThan(step.quantiles[1]!);
      expect(step.quantiles[1]!).toBeLessThan(step.quantiles[2]!);
    }
  });

  it('round-trips through its artifact and refuses bad histories', () => {
    const restored = GaussianForecaster.deserialize(JSON.parse(JSON.stringify(model.serialize())));
    expect(restored.name).toBe('GaussianForecaster(window=25,units=16,epochs=15,batch=64,lr=0.01,seed=11)');
    expect(artifactHash(restored.serialize())).toBe(artifactHash(model.serialize()));
    expect(() => network.infer(new Float32Array(3), 1, {})).toThrow(/expected 1 rows of 26 values/);
    expect(() => network.infer(new Float32Array(26).fill(Number.NaN), 1, {})).toThrow(/non-finite/);
    expect(() => network.infer(new Float32Array(26), 1, { horizon: 0 })).toThrow(/horizon must be a positive integer/);
  });

  it('fits several series without a window spanning two of them, and the same as one when given one', async () => {
    const a = series(2, 60).values;
    const b = series(3, 40).values.map((v) => v + 100); // a jump of 100 where a concatenation would join them
    const both = new GaussianForecaster({ window: 5, units: 4, epochs: 1, seed: 1 });
    expect((await both.fit([a, b, [1, 2]])).samples).toBe(60 - 1 - 5 + (40 - 1 - 5)); // too short a series adds none
    const joined = new GaussianForecaster({ window: 5, units: 4, epochs: 1, seed: 1 });
    expect((await joined.fit([...a, ...b])).samples).toBe(100 - 1 - 5);
    const one = new GaussianForecaster({ window: 5, units: 4, epochs: 1, seed: 1 });
    const listed = new GaussianForecaster({ window: 5, units: 4, epochs: 1, seed: 1 });
    await one.fit(a);
    await listed.fit([a]);
    expect(artifactHash(listed.serialize())).toBe(artifactHash(one.serialize()));
    await expect(new GaussianForecaster({ window: 5 }).fit([[1, 2, 3], [4, 5]])).rejects.toThrow(/need at least 8 values in one series/);
  });
});
