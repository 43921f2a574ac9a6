import { describe, expect, it } from 'vitest';
import { ModelError } from '../models/model.js';
import { Random } from '../random.js';
import { ReinforcementBias } from './reinforcement.js';
import { LogisticStacker } from './stacker.js';
import { type TimedSample, walkForward } from './walk-forward.js';

/** Rows drawn from a known logistic model: P(y=1) = σ(0.3 + 1.5·x0 − 2·x1 + 0·x2). */
function logisticData(n: number, seed: number) {
  const rng = new Random(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [rng.normal(), rng.normal(), rng.normal()];
    const p = 1 / (1 + Math.exp(-(0.3 + 1.5 * x[0]! - 2 * x[1]!)));
    rows.push(x);
    labels.push(rng.next() < p ? 1 : 0);
  }
  return { rows, labels };
}

const INPUTS = ['a', 'b', 'noise'];

describe('LogisticStacker', () => {
  it('recovers the coefficients of a known logistic model', () => {
    const { rows, labels } = logisticData(20_000, 1);
    const m = new LogisticStacker({ inputs: INPUTS, l2: 0 }).fit(rows, labels);
    expect(m.intercept).toBeCloseTo(0.3, 1);
    expect(m.weights[0]).toBeCloseTo(1.5, 1);
    expect(m.weights[1]).toBeCloseTo(-2, 1);
    expect(Math.abs(m.weights[2]!)).toBeLessThan(0.05);
  });

  it('shrinks the weights as the penalty grows, and contributions add up to the margin', () => {
    const { rows, labels } = logisticData(2000, 2);
    const loose = new LogisticStacker({ inputs: INPUTS, l2: 0 }).fit(rows, labels);
    const tight = new LogisticStacker({ inputs: INPUTS, l2: 500 }).fit(rows, labels);
    expect(Math.abs(tight.weights[0]!)).toBeLessThan(Math.abs(loose.weights[0]!));
    const row = rows[0]!;
    const parts = tight.contributions(row, [1.2, 0.8, 1]);
    expect(tight.intercept + parts.reduce((a, b) => a + b, 0)).toBeCloseTo(tight.predictMargin(row, [1.2, 0.8, 1]), 12);
  });

  it('is deterministic and restores exactly from its artifact', () => {
    const { rows, labels } = logisticData(1000, 3);
    const a = new LogisticStacker({ inputs: INPUTS }).fit(rows, labels);
    const b = new LogisticStacker({ inputs: INPUTS }).fit(rows, labels);
    expect(JSON.stringify(a.serialize())).toBe(JSON.stringify(b.serialize()));
    const restored = LogisticStacker.deserialize(JSON.parse(JSON.stringify(a.serialize())));
    expect(restored.predictProba(rows[5]!)).toBe(a.predictProba(rows[5]!));
    expect(restored.name).toBe('LogisticStacker(inputs=3,l2=1)');
  });

  it('copes with a single class, and refuses bad input with a code', () => {
    const m = new LogisticStacker({ inputs: ['a'] }).fit([[1], [2], [3]], [1, 1, 1]);
    expect(m.predictProba([2])).toBeGreaterThan(0.5);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as ModelError).code;
      }
      return null;
    };
    expect(code(() => new LogisticStacker({ inputs: ['a'] }).predictProba([1]))).toBe('MODEL_NOT_FITTED');
    expect(code(() => m.predictProba([1, 2]))).toBe('MODEL_INPUT_INVALID');
    expect(code(() => m.predictProba([Number.NaN]))).toBe('MODEL_INPUT_INVALID');
    expect(code(() => new LogisticStacker({ inputs: ['a'] }).fit([[1]], [2]))).toBe('MODEL_INPUT_INVALID');
    expect(code(() => LogisticStacker.deserialize({ ...m.serialize(), formatVersion: 99 }))).toBe('MODEL_ARTIFACT_INVALID');
  });
});

describe('walkForward', () => {
  it('predicts each sample with a model fitted only on labels known before its step', () => {
    const { rows, labels } = logisticData(3000, 4);
    const HOUR = 3_600_000;
    const samples: TimedSample[] = rows.map((inputs, i) => ({
      ts: i * HOUR,
      inputs,
      label: labels[i] as 0 | 1,
      labelTs: i * HOUR + 24 * HOUR, // the label is known a day later
    }));
    const result = walkForward(samples, {
      trainWindowMs: 500 * HOUR,
      stepMs: 100 * HOUR,
      minTrainSamples: 100,
      fit: (r, l) => new LogisticStacker({ inputs: INPUTS }).fit(r, l),
      predict: (m, x) => m.predictProba(x),
    });
    expect(result.fits.length).toBeGreaterThan(20);
    for (const fit of result.fits) expect(fit.newestLabelTs).toBeLessThan(fit.from);
    for (const p of result.predictions) {
      const fit = result.fits[p.fit]!;
      expect(p.sample.ts).toBeGreaterThanOrEqual(fit.from);
      expect(p.sample.ts).toBeLessThan(fit.to);
    }
    // Out of sample, it still beats a coin: the relation is real.
    const hits = result.predictions.filter((p) => (p.prediction > 0.5 ? 1 : 0) === p.sample.label).length;
    expect(hits / result.predictions.length).toBeGreaterThan(0.7);
  });
});

describe('ReinforcementBias', () => {
  it('raises the weight of a model that is right, lowers one that is wrong, within bounds, on record', () => {
    const bias = new ReinforcementBias(['good', 'bad', 'silent'], { halfLifeCalls: 20 });
    const rng = new Random(5);
    const changes = [];
    for (let i = 0; i < 400; i++) {
      const outcome = rng.next() < 0.5 ? 1 : -1;
      const good = rng.next() < 0.8 ? outcome : -outcome;
      const bad = rng.next() < 0.2 ? outcome : -outcome;
      changes.push(...bias.observe([good * 0.7, bad * 0.7, 0], outcome, i, `outcome-${i}`));
    }
    const [good, bad, silent] = bias.multipliers();
    expect(good).toBeGreaterThan(1.15);
    expect(bad).toBeLessThan(0.85);
    expect(silent).toBe(1);
    expect(bias.record('silent')?.calls).toBe(0);
    for (const m of bias.multipliers()) expect(m).toBeGreaterThanOrEqual(0.5);
    // Replaying the recorded changes gives the multipliers in force: nothing changed off the record.
    const last = new Map<string, number>();
    for (const c of changes) last.set(c.input, c.to);
    expect([last.get('good'), last.get('bad'), last.get('silent') ?? 1]).toEqual([good, bad, silent]);
    expect(changes[0]).toMatchObject({ from: 1, causedBy: expect.stringMatching(/^outcome-/) });
  });
});
