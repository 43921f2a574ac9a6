import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import type { ModelOutput } from '../types.js';
import { DEFAULT_DRIFT, DriftMonitor, type NullDivergence, outputKey, outputValue } from './drift.js';
import { nullDivergence } from './reference.js';
import { binIndex, divergence, fitReference, homogeneity, smoothed } from './histogram.js';
import { chiSquareSurvival, gammaQ, normalSurvival } from './stats.js';

const HOUR = 3_600_000;
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  return 'returned';
};

describe('distribution functions', () => {
  it.each([
    [3.841458820694124, 1, 0.05],
    [18.307038053275146, 10, 0.05],
    [23.209251158954356, 10, 0.01],
    [0, 4, 1],
  ])('chi-square tail at %f with %i dof is %f', (x, dof, p) => {
    expect(chiSquareSurvival(x, dof)).toBeCloseTo(p, 9);
  });

  it('gamma Q and the normal tail agree with known values', () => {
    expect(gammaQ(1, 2)).toBeCloseTo(Math.exp(-2), 12);
    expect(normalSurvival(1.959963984540054)).toBeCloseTo(0.025, 7);
    expect(normalSurvival(-1)).toBeCloseTo(0.8413447460685429, 7);
    expect(normalSurvival(5) / 2.866515718791939e-7).toBeCloseTo(1, 5);
  });
});

describe('reference histograms', () => {
  it('puts quantile bins between the reference minimum and maximum, with outer and missing bins', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const ref = fitReference('x', [...values, null, null], { bins: 4 });
    expect(ref.upperEdges).toEqual([25, 50, 75, 100]);
    expect(ref.counts).toEqual([0, 25, 25, 25, 25, 0, 2]);
    expect(ref.n).toBe(102);
    expect([0.5, 1, 25, 25.5, 100, 101, null, Number.NaN].map((v) => binIndex(ref, v))).toEqual([0, 1, 1, 2, 4, 5, 6, 6]);
  });

  it('keeps a point mass at the low end in a bin of its own and merges repeated quantiles', () => {
    const sample = [...Array(80).fill(0), ...Array.from({ length: 20 }, (_, i) => i + 1)];
    const ref = fitReference('mentions', sample, { bins: 10 });
    expect(ref.upperEdges).toEqual([0, 10, 20]);
    expect(ref.counts).toEqual([0, 80, 10, 10, 0, 0]);
  });

  it('refuses a reference with no values, non-finite values or a bad bin count', () => {
    expect(codeOf(() => fitReference('x', [null, null]))).toBe('DRIFT_REFERENCE_INVALID');
    expect(codeOf(() => fitReference('x', [1, Number.POSITIVE_INFINITY]))).toBe('DRIFT_REFERENCE_INVALID');
    expect(codeOf(() => fitReference('x', [1, 2], { bins: 0 }))).toBe('DRIFT_REFERENCE_INVALID');
  });

  it('is zero against itself and finite when every live value lands in a bin the reference left empty', () => {
    const rng = new Random(1);
    const ref = fitReference('x', Array.from({ length: 5000 }, () => rng.normal()));
    const same = divergence(ref, ref.counts);
    expect(same.psi).toBeCloseTo(0, 12);
    expect(same.tv).toBe(0);
    const away = ref.counts.map((_, i) => (i === ref.counts.length - 2 ? 1000 : 0)); // all in overflow
    const d = divergence(ref, away);
    expect(Number.isFinite(d.psi) && Number.isFinite(d.kl)).toBe(true);
    expect(d.psi).toBeGreaterThan(5);
    expect(d.tv).toBe(1);
    expect(smoothed([0, 0, 10], 1e-4).every((p) => p > 0)).toBe(true);
  });

  it('the homogeneity tests are calm on samples of one distribution and sure on a moved one', () => {
    const rng = new Random(2);
    const ref = fitReference('x', Array.from({ length: 20_000 }, () => rng.normal()));
    const count = (shift: number) => {
      const c = new Array<number>(ref.counts.length).fill(0);
      for (let i = 0; i < 4000; i++) c[binIndex(ref, rng.normal() + shift)]!++;
      return c;
    };
    expect(homogeneity(ref.counts, count(0)).pValue).toBeGreaterThan(0.001);
    const moved = homogeneity(ref.counts, count(0.2));
    expect(moved.pValue).toBeLessThan(1e-8);
    expect(moved.zMax).toBeGreaterThan(6);
  });
});

function monitor(config = {}) {
  const rng = new Random(3);
  const ref = fitReference('f', Array.from({ length: 10_000 }, () => rng.normal()));
  const out = fitReference('GBDT(a)@1', Array.from({ length: 10_000 }, () => Math.tanh(rng.normal())));
  return new DriftMonitor(
    [
      { key: 'f', kind: 'feature', reference: ref },
      { key: 'GBDT(a)@1', kind: 'output', reference: out },
    ],
    [
      { model: 'GBDT(a)', version: '1', keys: ['f', 'GBDT(a)@1'] },
      { model: 'Other', version: '2', keys: ['GBDT(a)@1'], action: { kind: 'halt' } },
    ],
    { minSamples: 200, windowMs: 2 * HOUR, slotMs: HOUR, ...config },
  );
}

function feed(m: DriftMonitor, key: string, from: number, n: number, value: (rng: Random) => number | null, seed = 9) {
  const rng = new Random(seed);
  for (let i = 0; i < n; i++) m.observe(key, value(rng), from + Math.floor((i * HOUR) / n));
}

describe('DriftMonitor', () => {
  it('reads whole slots of the window that end by `now`: nothing stamped later counts', () => {
    const m = monitor();
    feed(m, 'f', -HOUR, 300, (r) => r.normal(), 21);
    feed(m, 'f', 0, 300, (r) => r.normal());
    feed(m, 'f', HOUR, 300, () => 50); // the next hour: far out of range
    const early = m.evaluate(HOUR + HOUR / 2); // the second hour is still filling
    const f = early.keys.find((s) => s.key === 'f')!;
    expect([early.windowStart, early.windowEnd, f.n]).toEqual([-HOUR, HOUR, 600]);
    expect(f.level).toBe('ok');
    const later = m.evaluate(2 * HOUR).keys.find((s) => s.key === 'f')!;
    expect([later.n, later.level]).toEqual([600, 'alarm']);
    expect(later.criteria).toContain('psi');
    expect(later.bins.at(-2)).toMatchObject({ label: expect.stringMatching(/^> /), liveCount: 300, reference: 0 });
  });

  it('reports nothing but `insufficient` until the window has turned over once since the first value', () => {
    const m = monitor();
    feed(m, 'f', 0, 600, () => 50); // far out of range, and plenty of it, from the stream's first hour
    const partial = m.evaluate(HOUR); // window [-HOUR, HOUR): it began before the stream did
    expect(partial.keys.find((s) => s.key === 'f')).toMatchObject({ n: 600, level: 'insufficient' });
    expect(partial.events).toEqual([]);
    feed(m, 'f', HOUR, 600, () => 50);
    expect(m.evaluate(2 * HOUR).keys.find((s) => s.key === 'f')!.level).toBe('alarm');
  });

  it('drops slots that leave the window and counts values for them as late', () => {
    const m = monitor();
    feed(m, 'f', 0, 300, (r) => r.normal());
    m.evaluate(3 * HOUR); // window [HOUR, 3 HOUR): the first hour is gone
    expect(m.observe('f', 0, 10)).toBe(false);
    expect(m.observe('unknown', 0, 3 * HOUR)).toBe(false);
    const report = m.evaluate(3 * HOUR);
    expect(report.late).toBe(1);
    expect(report.keys.find((s) => s.key === 'f')!.level).toBe('insufficient');
    expect(codeOf(() => m.evaluate(2 * HOUR))).toBe('DRIFT_TIME_INVALID');
  });

  it('raises once per model, applies its action, and clears only when every key is back to ok', () => {
    const m = monitor();
    const fine = (r: Random) => Math.tanh(r.normal());
    // A healthy hour first, so that the window evaluated at HOUR is a full one.
    feed(m, 'f', -HOUR, 400, (r) => r.normal(), 22);
    feed(m, 'GBDT(a)@1', -HOUR, 400, fine, 23);
    feed(m, 'f', 0, 400, (r) => r.normal());
    feed(m, 'GBDT(a)@1', 0, 400, () => 0.99, 4); // a stuck output
    const r1 = m.evaluate(HOUR);
    expect(r1.events.map((e) => [e.type, e.payload.model])).toEqual([
      ['DriftAlarmRaised', 'GBDT(a)'],
      ['DriftAlarmRaised', 'Other'],
    ]);
    const raised = r1.events[0]!;
    expect(raised).toMatchObject({ tsEvent: HOUR, tsInit: HOUR, causationIds: [] });
    expect(raised.id).toMatch(/^mop_[0-9a-f]{24}$/);
    expect(m.status('GBDT(a)', '1')).toMatchObject({ alarmed: true, weightMultiplier: 0.5, scoring: true, raisedBy: raised.id });
    expect(m.status('Other', '2')).toMatchObject({ alarmed: true, weightMultiplier: 0, scoring: false });

    feed(m, 'f', HOUR, 400, (r) => r.normal(), 5);
    feed(m, 'GBDT(a)@1', HOUR, 400, () => 0.99, 6);
    expect(m.evaluate(2 * HOUR).events).toEqual([]); // still in alarm: nothing new

    // The stuck hour leaves the window; what remains is healthy.
    feed(m, 'f', 2 * HOUR, 400, (r) => r.normal(), 7);
    feed(m, 'GBDT(a)@1', 2 * HOUR, 400, fine, 8);
    feed(m, 'f', 3 * HOUR, 400, (r) => r.normal(), 10);
    feed(m, 'GBDT(a)@1', 3 * HOUR, 400, fine, 11);
    const r4 = m.evaluate(4 * HOUR);
    expect(r4.events.map((e) => e.type)).toEqual(['DriftAlarmCleared', 'DriftAlarmCleared']);
    expect(r4.events[0]!.causationIds).toEqual([raised.id]);
    expect(m.status('GBDT(a)', '1')).toMatchObject({ alarmed: false, weightMultiplier: 1, scoring: true, raisedBy: null });
  });

  it('gives the same report and event ids for the same values, whatever order they came in', () => {
    const a = monitor();
    const b = monitor();
    const values = Array.from({ length: 600 }, (_, i) => [i % 7 === 0 ? 9 : (i % 13) / 13, i * 6000] as const);
    for (const [v, ts] of values) a.observe('f', v, ts);
    for (const [v, ts] of [...values].reverse()) b.observe('f', v, ts);
    expect(JSON.stringify(a.evaluate(HOUR))).toBe(JSON.stringify(b.evaluate(HOUR)));
  });

  it('watches model outputs under their id and version, z-score outputs by series', () => {
    const o = { modelId: 'ZScore(window=60)', modelVersion: '1', series: 'mentions', score: 3.2 } as ModelOutput;
    expect(outputKey(o)).toBe('ZScore(window=60):mentions@1');
    expect(outputValue(o)).toBe(3.2);
    expect(outputValue({ ...o, signal: -0.4 })).toBe(-0.4);
  });

  it('refuses a configuration it cannot evaluate', () => {
    const ref = fitReference('f', [1, 2, 3]);
    const keys = [{ key: 'f', kind: 'feature' as const, reference: ref }];
    expect(codeOf(() => new DriftMonitor(keys, [{ model: 'm', version: '1', keys: ['g'] }]))).toBe('DRIFT_CONFIG_INVALID');
    expect(codeOf(() => new DriftMonitor(keys, [], { psi: { warn: 0.3, alarm: 0.2 } }))).toBe('DRIFT_CONFIG_INVALID');
    expect(codeOf(() => new DriftMonitor(keys, [], { windowMs: 5, slotMs: 2 }))).toBe('DRIFT_CONFIG_INVALID');
    expect(codeOf(() => new DriftMonitor(keys, [], { action: { kind: 'cut_weight', multiplier: 1.5 } }))).toBe('DRIFT_CONFIG_INVALID');
    expect(codeOf(() => new DriftMonitor([...keys, ...keys], []))).toBe('DRIFT_CONFIG_INVALID');
  });
});

describe('keys calibrated on their training windows', () => {
  const rng = new Random(3);
  const ref = fitReference('f', Array.from({ length: 10_000 }, () => rng.normal()));
  const window = { windowMs: 2 * HOUR, slotMs: HOUR };
  const calibrated = (calibration: NullDivergence | undefined) =>
    new DriftMonitor([{ key: 'f', kind: 'feature', reference: ref, ...(calibration ? { calibration } : {}) }], [{ model: 'm', version: '1', keys: ['f'] }], {
      minSamples: 200,
      ...window,
    });
  const judge = (m: DriftMonitor, mean: number) => {
    feed(m, 'f', 0, 600, (r) => mean + r.normal());
    feed(m, 'f', HOUR, 600, (r) => mean + r.normal(), 10);
    return m.evaluate(2 * HOUR).keys[0]!;
  };
  // Training windows that strayed this far from their own reference: a moved mean of about half a standard deviation.
  const wide: NullDivergence = { ...window, windows: 40, psi: 0.4, kl: 0.2, tv: 0.3 };

  it('alarms on a move the training windows showed when the key is not calibrated', () => {
    const stat = judge(calibrated(undefined), 0.6);
    expect([stat.level, stat.calibrated, stat.alarmAt]).toEqual(['alarm', false, { psi: 0.2, kl: null, tv: 0.035 }]);
  });

  it('takes the same move as ordinary once the training windows are known to stray as far', () => {
    const stat = judge(calibrated(wide), 0.6);
    expect(stat.psi).toBeGreaterThan(0.2); // beyond the configured threshold...
    expect(stat.psi).toBeLessThan(wide.psi); // ...but within what training showed
    expect([stat.level, stat.calibrated]).toEqual(['ok', true]);
    expect(stat.alarmAt).toEqual({ psi: DEFAULT_DRIFT.calibration.margin * wide.psi, kl: null, tv: DEFAULT_DRIFT.calibration.margin * wide.tv });
  });

  it('still alarms on a move beyond the margin over the training windows', () => {
    const stat = judge(calibrated(wide), 2.5);
    expect(stat.level).toBe('alarm');
    expect(stat.criteria).toEqual(['psi', 'shift']);
  });

  it('warns between what training showed and the margin over it', () => {
    // The move gives PSI 0.39 and TV 0.24: beyond these nulls, within the margin (1.25 or more) over them.
    const stat = judge(calibrated({ ...wide, psi: 0.35, tv: 0.22 }), 0.6);
    expect([stat.level, stat.criteria]).toEqual(['warn', ['psi', 'shift']]);
  });

  it('ignores a calibration made for another window or slot', () => {
    const stat = judge(calibrated({ ...wide, windowMs: 4 * HOUR }), 0.6);
    expect([stat.level, stat.calibrated]).toEqual(['alarm', false]);
  });

  it('refuses a margin below 1', () => {
    expect(codeOf(() => new DriftMonitor([], [], { calibration: { margin: 0.9 } }))).toBe('DRIFT_CONFIG_INVALID');
  });
});

describe('null divergence of training windows', () => {
  // Four hours: the first two all low values, the last two all high, so the pooled reference is half and half.
  const ts = Array.from({ length: 400 }, (_, i) => Math.floor((i * 4 * HOUR) / 400));
  const values = ts.map((t, i) => (t < 2 * HOUR ? -1 - (i % 50) / 50 : 1 + (i % 50) / 50));
  const ref = fitReference('f', values, { bins: 4 });
  const window = { windowMs: 2 * HOUR, slotMs: HOUR, minSamples: 1 };

  it('is the largest divergence of any full window, the partial last slot left out', () => {
    // Full windows: [0, 2h) all low (TV ½) and [1h, 3h) half and half (TV 0); [2h, 4h) ends in the last, partial slot.
    const d = nullDivergence(ref, [{ ts, values }], window)!;
    expect(d.windows).toBe(2);
    expect(d.tv).toBeCloseTo(0.5, 12);
    expect(d.psi).toBeGreaterThan(1);
    expect(d).toMatchObject({ windowMs: 2 * HOUR, slotMs: HOUR });
  });

  it('counts only windows with the minimum sample, and is null without one', () => {
    expect(nullDivergence(ref, [{ ts, values }], { ...window, minSamples: 201 })).toBeNull();
    expect(nullDivergence(ref, [{ ts: [], values: [] }], window)).toBeNull();
  });

  it('judges each run from its own first value: two runs are never joined into one window', () => {
    const late = ts.map((t) => t + 100 * HOUR);
    const d = nullDivergence(ref, [{ ts, values }, { ts: late, values }], window)!;
    expect(d.windows).toBe(4);
    expect(d.tv).toBeCloseTo(0.5, 12);
  });
});
