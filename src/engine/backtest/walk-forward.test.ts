import { describe, expect, it } from 'vitest';
import type { FeatureSnapshot } from '../types.js';
import { WalkForwardTrainer } from './walk-forward.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 2);
const FEATURES = ['x', 'noise'];

function snapshot(instrument: string, asOf: number, x: number, noise: number): FeatureSnapshot {
  return { instrument, asOf, trigger: 'post', values: { x, noise } } as unknown as FeatureSnapshot;
}

describe('walk-forward retraining', () => {
  it('trains only on snapshots whose horizon has ended, labelled by the realized move, and learns the rule', () => {
    const trainer = new WalkForwardTrainer(FEATURES, HOUR, { everyMs: 24 * HOUR, minRows: 100, gbdt: { rounds: 30, minChildWeight: 5 } });
    // Each hour every instrument's snapshot says x, and over the next hour its price moves with the sign of x.
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const instruments = Array.from({ length: 20 }, (_, i) => `I${i}`);
    const prices = new Map(instruments.map((i) => [i, 100]));
    const last = new Map<string, number>();
    for (let h = 0; h <= 48; h++) {
      const ts = T0 + h * HOUR;
      for (const i of instruments) {
        const x = last.get(i);
        if (x !== undefined) prices.set(i, prices.get(i)! * (1 + Math.sign(x) * 0.01));
        trainer.observeBar(i, ts, prices.get(i)!);
        const next = random() - 0.5;
        last.set(i, next);
        trainer.observeSnapshot(snapshot(i, ts, next, random()));
      }
    }
    const now = T0 + 30 * HOUR;
    expect(trainer.due(now)).toBe(false);
    const { record, model } = trainer.retrain(now);
    // Snapshots of the last hour before `now` have no label yet; nothing after `now` exists for it.
    expect(record.lastRowAt! + HOUR).toBeLessThanOrEqual(now);
    expect(record.rows).toBe(20 * 30); // hours 0..29 of each instrument
    expect(record.model).toMatch(/^GBDT\(.*\)@[0-9a-f]{12}$/);
    expect(record.validationLogLoss!).toBeLessThan(record.baselineLogLoss! * 0.5);
    expect(model!.modelId).toBe(record.model!.split('@')[0]);
  });

  it('keeps the model when too few rows are labelled, and is due every period from the first call', () => {
    const trainer = new WalkForwardTrainer(FEATURES, HOUR, { everyMs: 4 * HOUR, minRows: 100 });
    trainer.observeBar('AAPL', T0, 100);
    trainer.observeSnapshot(snapshot('AAPL', T0, 1, 0));
    expect(trainer.due(T0)).toBe(false);
    expect(trainer.due(T0 + 4 * HOUR)).toBe(true);
    const { record, model } = trainer.retrain(T0 + 4 * HOUR);
    expect(model).toBeNull();
    expect(record).toMatchObject({ model: null, rows: 0 });
    expect(trainer.due(T0 + 7 * HOUR)).toBe(false);
    expect(trainer.due(T0 + 8 * HOUR)).toBe(true);
    expect(() => new WalkForwardTrainer(FEATURES, HOUR, { everyMs: 0 })).toThrow(/everyMs/);
  });
});
