import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { type Call, evaluateCalls, pearson, ranks, spearman } from './evaluation.js';

describe('correlations', () => {
  it('match hand-computed values, with ties averaged', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(ranks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3, 4, 5], [1, 4, 9, 16, 25])).toBeCloseTo(1, 12);
  });
});

describe('evaluateCalls', () => {
  it('scores Precision@5 from the five strongest calls of each day only', () => {
    const day = (d: string, rows: [number, number][]): Call[] =>
      rows.map(([score, realized], i) => ({ day: d, instrument: `I${i}`, score, realized }));
    const calls = [
      // Day 1: the five strongest are right 4 times; the weak ones are all wrong.
      ...day('d1', [[0.9, 1], [-0.8, -1], [0.7, 1], [-0.6, -1], [0.5, -1], [0.1, -1], [-0.1, 1]]),
      // Day 2: the five strongest are all right.
      ...day('d2', [[0.9, 2], [0.8, 2], [-0.7, -2], [0.6, 1], [-0.5, -1], [0.05, -1]]),
      // Day 3: fewer than five calls: no Precision@5 for it.
      ...day('d3', [[0.9, -1]]),
    ];
    const e = evaluateCalls(calls, 5);
    expect(e.daysWithK).toBe(2);
    expect(e.precisionAtK).toBeCloseTo((4 / 5 + 5 / 5) / 2, 12);
    expect(e.hitRate).toBeCloseTo(9 / 14, 12);
    expect(e.days).toBe(3);
  });

  it('finds skill where there is skill and none in noise, against the no-skill baselines', () => {
    const rng = new Random(7);
    const skilled: Call[] = [];
    const noise: Call[] = [];
    for (let d = 0; d < 60; d++) {
      for (let i = 0; i < 20; i++) {
        const realized = rng.normal();
        const signal = realized + rng.normal(); // informative: correlation ~0.7
        skilled.push({ day: `d${d}`, instrument: `I${i}`, score: Math.tanh(signal), realized });
        noise.push({ day: `d${d}`, instrument: `I${i}`, score: Math.tanh(rng.normal()), realized });
      }
    }
    const s = evaluateCalls(skilled);
    const n = evaluateCalls(noise);
    expect(s.ic!).toBeGreaterThan(0.55);
    expect(s.rankIc!).toBeGreaterThan(0.55);
    expect(s.precisionAtK!).toBeGreaterThan(0.85);
    expect(s.brier!).toBeLessThan(s.baseline.brier!);
    expect(Math.abs(n.ic!)).toBeLessThan(0.1);
    expect(n.precisionAtK!).toBeGreaterThan(0.35);
    expect(n.precisionAtK!).toBeLessThan(0.65);
    expect(n.brier!).toBeGreaterThan(n.baseline.brier!);
  });

  it('says nothing rather than something when there is nothing to measure', () => {
    const e = evaluateCalls([]);
    expect(e).toMatchObject({ calls: 0, precisionAtK: null, hitRate: null, ic: null, brier: null });
  });
});
