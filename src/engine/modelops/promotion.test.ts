import { describe, expect, it } from 'vitest';
import type { Call } from '../models/evaluation.js';
import { Random } from '../random.js';
import { decidePromotion } from './promotion.js';

/** Days of calls on 20 instruments; `skill` is how much of a call's score is the realized return. */
function calls(seed: number, days: number, skill: number, firstDay = 1): Call[] {
  const market = new Random(1000); // one market for every version
  const noise = new Random(seed);
  const out: Call[] = [];
  for (let d = firstDay; d < firstDay + days; d++) {
    for (let i = 0; i < 20; i++) {
      const realized = market.normal() * 0.01;
      const score = Math.tanh(skill * realized * 100 + noise.normal());
      out.push({ day: `2024-02-${String(d).padStart(2, '0')}`, instrument: `I${i}`, score, realized });
    }
  }
  return out;
}

const version = (v: string, c: readonly Call[]) => ({ model: 'GBDT(test)', version: v, calls: c });

describe('decidePromotion', () => {
  it('promotes a shadow that beats live on both Precision@5 and IC over enough days, with the evidence', () => {
    const d = decidePromotion({ live: version('1', calls(1, 28, 0)), shadow: version('2', calls(2, 28, 2)) });
    expect(d.decision).toBe('promote');
    expect(d.method).toBe('paired-bootstrap');
    expect(d.days).toBe(28);
    expect(d.window).toEqual({ from: '2024-02-01', to: '2024-02-28' });
    for (const e of [d.evidence.precisionAtK, d.evidence.ic]) {
      expect(e.significant).toBe(true);
      expect(e.pValue!).toBeLessThan(0.05);
      expect(e.interval!.lower).toBeGreaterThan(0);
      expect(e.perDay).toHaveLength(28);
      expect(e.perDay[0]!.diff).toBeCloseTo(e.perDay[0]!.shadow - e.perDay[0]!.live, 12);
    }
    expect(d.id).toMatch(/^prm_/);
  });

  it('keeps live when the shadow is no better', () => {
    const d = decidePromotion({ live: version('1', calls(1, 28, 1)), shadow: version('2', calls(3, 28, 1)) });
    expect(d.decision).toBe('keep');
  });

  it('keeps live when the shadow is better but has too few days', () => {
    const d = decidePromotion({ live: version('1', calls(1, 10, 0)), shadow: version('2', calls(2, 10, 2)) });
    expect(d.decision).toBe('keep');
    expect(d.reasons[0]).toMatch(/fewer than the 20 needed/);
  });

  it('compares only the days both versions have, the latest windowDays of them', () => {
    const live = calls(1, 28, 0);
    const shadow = calls(2, 20, 2, 9); // days 9..28
    const d = decidePromotion({ live: version('1', live), shadow: version('2', shadow) }, { windowDays: 15, minDays: 10 });
    expect(d.window).toEqual({ from: '2024-02-14', to: '2024-02-28' });
    expect(d.days).toBe(15);
  });

  it('demotes live under a drift alarm unless the shadow has earned promotion; never promotes a drifting shadow', () => {
    const even = decidePromotion({ live: version('1', calls(1, 28, 1)), shadow: version('2', calls(3, 28, 1)), liveDriftAlarm: 'mop_alarm' });
    expect(even.decision).toBe('demote');
    expect(even.reasons.at(-1)).toMatch(/mop_alarm/);
    const better = decidePromotion({ live: version('1', calls(1, 28, 0)), shadow: version('2', calls(2, 28, 2)), liveDriftAlarm: 'mop_alarm' });
    expect(better.decision).toBe('promote');
    const drifting = decidePromotion({ live: version('1', calls(1, 28, 0)), shadow: version('2', calls(2, 28, 2)), shadowDriftAlarm: 'mop_other' });
    expect(drifting.decision).toBe('keep');
  });

  it('asks more with a margin: a small edge no longer clears it', () => {
    const input = { live: version('1', calls(1, 28, 0.8)), shadow: version('2', calls(2, 28, 1.6)) };
    expect(decidePromotion(input).decision).toBe('promote');
    expect(decidePromotion(input, { margins: { precisionAtK: 0.3, ic: 0.3 } }).decision).toBe('keep');
  });

  it('is deterministic: the same calls and seed give the same decision to the byte', () => {
    const input = { live: version('1', calls(1, 28, 0)), shadow: version('2', calls(2, 28, 1)) };
    expect(JSON.stringify(decidePromotion(input))).toBe(JSON.stringify(decidePromotion(input)));
  });

  it('refuses a configuration it cannot test with', () => {
    const input = { live: version('1', []), shadow: version('2', []) };
    expect(() => decidePromotion(input, { minDays: 1 })).toThrow(expect.objectContaining({ code: 'PROMOTION_INPUT_INVALID' }));
    expect(() => decidePromotion(input, { alpha: 0.7 })).toThrow(expect.objectContaining({ code: 'PROMOTION_INPUT_INVALID' }));
    expect(decidePromotion(input)).toMatchObject({ decision: 'keep', days: 0, window: null });
  });
});
