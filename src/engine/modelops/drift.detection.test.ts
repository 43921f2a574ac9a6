/**
 * A 5% shift (total variation 0.05, see drift.ts) planted at a known event time into a simulated stream is
 * alarmed within 24 hours at the default thresholds, and never before it is planted.
 *
 * Rate: 1000 values an hour per key, two thirds of what the simulated pipeline produces (about 1500 feature
 * snapshots an hour over its 52 instruments), so a 6-hour window holds about 6000 values. At 600 an hour the
 * shifts are still caught within the day, later (the slowest of 12 seeds at 19 hours).
 */
import { describe, expect, it } from 'vitest';
import { HOUR, type Key, runStream, type Shift } from './drift.fixtures.js';

const AT = 24 * HOUR;
const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);

const PLANTS: readonly (readonly [Key, Shift])[] = [
  ['ret', 'tail'],
  ['ret', 'location'],
  ['ret', 'outside'],
  ['ret', 'missing'],
  ['mentions', 'zeros'],
  ['gbdt', 'location'],
];

describe('drift detection of a planted 5% shift', () => {
  it.each(PLANTS)('%s, %s: the alarm fires within 24 h of the shift and not before', (key, shift) => {
    const delays: number[] = [];
    for (const seed of SEEDS) {
      const run = runStream({ seed, hours: 48, perHour: 1000, plant: { key, shift, at: AT } });
      expect(run.raised.every((t) => t > AT)).toBe(true);
      expect(run.raised.length).toBeGreaterThan(0);
      const first = run.firstAlarm[key];
      expect(first).toBeDefined();
      // Only the shifted key alarms.
      for (const other of Object.keys(run.firstAlarm)) expect(other).toBe(key);
      delays.push((first! - AT) / HOUR);
    }
    expect(Math.max(...delays)).toBeLessThanOrEqual(24);
    // What was measured, kept in view: the slowest seed, in hours.
    expect(Math.max(...delays)).toBeLessThanOrEqual(8);
  });

  it('PSI alone would miss a shift within the reference range; the mass-shift criterion catches it', () => {
    const run = runStream({ seed: 1, hours: 48, perHour: 1000, plant: { key: 'ret', shift: 'location', at: AT } });
    const last = run.reports.at(-1)!.keys.find((s) => s.key === 'ret')!;
    expect(last.psi).toBeLessThan(0.1);
    expect(last.tv).toBeGreaterThan(0.035);
    expect(last.criteria).toEqual(['shift']);
  });

  it('a shift out of the reference range alarms on PSI too', () => {
    const run = runStream({ seed: 1, hours: 48, perHour: 1000, plant: { key: 'ret', shift: 'outside', at: AT } });
    const last = run.reports.at(-1)!.keys.find((s) => s.key === 'ret')!;
    expect(last.psi).toBeGreaterThan(0.2);
    expect(last.criteria).toContain('psi');
  });
});
