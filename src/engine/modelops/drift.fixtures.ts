/**
 * Simulated live streams for the drift tests: three keys shaped like the pipeline's (a return-like normal
 * feature, a zero-inflated count like mentions, a classifier's signed evidence in −1..1), values spread at
 * random over event time, and planted shifts that each move exactly 5% of the mass (total variation 0.05)
 * from a known time on.
 */
import { Random } from '../random.js';
import { DriftMonitor, type DriftConfig, type DriftReport } from './drift.js';
import { fitReference } from './histogram.js';

export const HOUR = 3_600_000;

export type Shift =
  /** The lowest 5% of a normal moved to the top 5% (x → −x below Φ⁻¹(0.05)): within the reference's range. */
  | 'tail'
  /** A normal's mean moved by δ = 2Φ⁻¹(0.525) ≈ 0.1254σ, which makes TV exactly 0.05. */
  | 'location'
  /** 5% of values replaced by one far outside the reference's range (a unit error on a feed). */
  | 'outside'
  /** 5% of values missing (a feed gap on some instruments). */
  | 'missing'
  /** 5% of the mass moves from a count's zeros to its non-zero values. */
  | 'zeros';

export const KEYS = ['ret', 'mentions', 'gbdt'] as const;
export type Key = (typeof KEYS)[number];

const Q05 = -1.6448536269514722;
const DELTA = 0.1254135558864277;

function draw(key: Key, rng: Random, shift: Shift | null): number | null {
  if (shift === 'missing' && rng.chance(0.05)) return null;
  if (shift === 'outside' && rng.chance(0.05)) return 1000;
  switch (key) {
    case 'ret': {
      const z = rng.normal();
      if (shift === 'tail' && z < Q05) return -z;
      return shift === 'location' ? z + DELTA : z;
    }
    case 'mentions': {
      const zero = rng.chance(0.6);
      const stillZero = zero && !(shift === 'zeros' && rng.chance(0.05 / 0.6));
      return stillZero ? 0 : 1 + rng.poisson(2);
    }
    case 'gbdt':
      return Math.tanh(0.3 * (rng.normal() + (shift === 'location' ? DELTA : 0)));
  }
}

/** A reference sample of `n` values per key, fitted into histograms. */
export function references(seed: number, n = 20_000) {
  const rng = new Random(seed);
  return KEYS.map((key) => ({
    key,
    kind: key === 'gbdt' ? ('output' as const) : ('feature' as const),
    reference: fitReference(key, Array.from({ length: n }, () => draw(key, rng, null))),
  }));
}

export interface StreamRun {
  readonly reports: readonly DriftReport[];
  /** Event time of the evaluation that first put each key at `alarm`. */
  readonly firstAlarm: Readonly<Partial<Record<Key, number>>>;
  readonly firstWarn: Readonly<Partial<Record<Key, number>>>;
  /** Event times of the model's `DriftAlarmRaised` events. */
  readonly raised: readonly number[];
}

export interface StreamSpec {
  readonly seed: number;
  readonly hours: number;
  readonly perHour: number;
  /** The planted shift: which key, what shift, from when (event time). */
  readonly plant?: { readonly key: Key; readonly shift: Shift; readonly at: number };
  readonly config?: Partial<DriftConfig>;
}

/** Streams the keys hour by hour into a monitor and evaluates at the end of every hour. */
export function runStream(spec: StreamSpec, refs = references(spec.seed + 1_000_000)): StreamRun {
  const monitor = new DriftMonitor(refs, [{ model: 'GBDT(test)', version: '1', keys: [...KEYS] }], spec.config);
  const rng = new Random(spec.seed);
  const reports: DriftReport[] = [];
  const firstAlarm: Partial<Record<Key, number>> = {};
  const firstWarn: Partial<Record<Key, number>> = {};
  const raised: number[] = [];
  for (let h = 0; h < spec.hours; h++) {
    for (let i = 0; i < spec.perHour; i++) {
      const ts = h * HOUR + Math.floor(rng.next() * HOUR);
      for (const key of KEYS) {
        const p = spec.plant;
        const shift = p && p.key === key && ts >= p.at ? p.shift : null;
        monitor.observe(key, draw(key, rng, shift), ts);
      }
    }
    const now = (h + 1) * HOUR;
    const report = monitor.evaluate(now);
    reports.push(report);
    for (const s of report.keys) {
      const key = s.key as Key;
      if (s.level === 'alarm' && firstAlarm[key] === undefined) firstAlarm[key] = now;
      if ((s.level === 'alarm' || s.level === 'warn') && firstWarn[key] === undefined) firstWarn[key] = now;
    }
    for (const e of report.events) if (e.type === 'DriftAlarmRaised') raised.push(e.tsEvent);
  }
  return { reports, firstAlarm, firstWarn, raised };
}
