import { describe, expect, it } from 'vitest';
import { CONVICTION_INPUTS } from '../conviction/inputs.js';
import { PriceSeries } from '../price-series.js';
import type { ConvictionVector } from '../types.js';
import { OnlineReinforcement } from './reinforcement.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 2, 14);
const STACKER = { name: 'LogisticStacker(inputs=2,l2=1)', version: 's1' };
const [UP, DOWN] = [CONVICTION_INPUTS[0]!, CONVICTION_INPUTS[1]!];

/** Input values in CONVICTION_INPUTS order: `up` and `down` set, the rest 0. */
const values = (up: number, down: number) => CONVICTION_INPUTS.map((name) => (name === UP ? up : name === DOWN ? down : 0));

/** A reinforcement judging by its own price series, and a bar: added to the series, then judged. */
function rig(params: ConstructorParameters<typeof OnlineReinforcement>[3] = {}, maxPending?: number) {
  const prices = new PriceSeries();
  const loop = new OnlineReinforcement([UP, DOWN], STACKER, prices, params, maxPending);
  const bar = (instrument: string, ts: number, close: number) => {
    prices.add(instrument, ts, close);
    return loop.judge(instrument, ts);
  };
  return { loop, bar };
}

let n = 0;
function conviction(instrument: string, version = STACKER.version, ttlSeconds = 3600): ConvictionVector {
  return {
    id: `cnv_${++n}`,
    signalId: 'sig',
    instrument,
    convictionScore: 0.4,
    direction: 'LONG',
    band: 'MEDIUM',
    reasonVector: [],
    contributingModels: [{ modelId: STACKER.name, version, weight: 1, output: 0.4 }],
    ttl: ttlSeconds,
    expiresAt: 0,
    routingTags: [],
    explanation: '',
    createdAt: 0,
  } as unknown as ConvictionVector;
}

describe('online reinforcement', () => {
  it('judges each conviction once its horizon has passed and raises the weight of the input that called it right', () => {
    const { loop, bar } = rig({ halfLifeCalls: 5 });
    const causes: string[] = [];
    let price = 100;
    for (let h = 0; h < 40; h++) {
      const ts = T0 + h * HOUR;
      price *= 1.01; // the market goes up every hour: UP (positive input) is right, DOWN (negative) wrong
      const outcome = bar('AAPL', ts, price);
      causes.push(...outcome.causedBy);
      const c = conviction('AAPL');
      loop.observeConviction(values(0.5, -0.5), c, ts);
      // Nothing is judged before its horizon: the conviction just recorded waits.
      expect(outcome.causedBy).not.toContain(c.id);
    }
    const m = loop.multipliers();
    expect(m.get(UP)!).toBeGreaterThan(1.2);
    expect(m.get(DOWN)!).toBeLessThan(0.8);
    expect(loop.bias.record(UP)!.hitRate).toBeGreaterThan(0.9);
    expect(loop.counts.judged).toBe(39);
    expect(loop.counts.waiting).toBe(1);
    expect(causes.length).toBeGreaterThan(0);
    expect(new Set(causes).size).toBe(causes.length);
  });

  it('counts only the reinforced stacker’s convictions, whatever weights they ran with, and no flat outcome', () => {
    const { loop, bar } = rig();
    bar('AAPL', T0, 100);
    loop.observeConviction(values(0.5, 0), conviction('AAPL', 'other'), T0);
    loop.observeConviction(values(0.5, 0), conviction('AAPL', 's1+w(x=0.5)'), T0);
    expect(loop.counts.waiting).toBe(1);
    loop.observeConviction(values(0.5, 0), conviction('AAPL'), T0);
    bar('AAPL', T0 + HOUR, 100); // flat: no call is scored
    expect(loop.counts).toEqual({ waiting: 0, dropped: 0, judged: 0 });
    expect(loop.bias.record(UP)!.calls).toBe(0);
  });

  it('keeps at most maxPending convictions waiting, dropping the oldest', () => {
    const { loop } = rig({}, 3);
    for (let i = 0; i < 5; i++) loop.observeConviction(values(0.5, 0), conviction(i % 2 ? 'AAPL' : 'MSFT'), T0 + i);
    expect(loop.counts).toEqual({ waiting: 3, dropped: 2, judged: 0 });
  });

  it('takes back recorded state, keeping multipliers within their bounds and ignoring what makes no sense', () => {
    const { loop } = rig();
    loop.bias.restore({ [UP]: { hitRate: 0.7, calls: 40, multiplier: 1.2 }, [DOWN]: { hitRate: 2, calls: 1, multiplier: 9 } });
    expect(loop.bias.record(UP)).toEqual({ hitRate: 0.7, calls: 40, multiplier: 1.2 });
    expect(loop.bias.record(DOWN)).toEqual({ hitRate: 0.5, calls: 0, multiplier: 1 });
    loop.bias.restore({ [DOWN]: { hitRate: 0.2, calls: 3, multiplier: 9 } });
    expect(loop.multipliers().get(DOWN)).toBe(1.5);
  });
});

describe('a checkpoint of the online reinforcement', () => {
  /** Two instruments' hourly bars and a conviction on each after its bar, from a seeded walk: the same for every run. */
  function stream(hours: number) {
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const close = { AAPL: 100, MSFT: 50 };
    const steps: { instrument: 'AAPL' | 'MSFT'; ts: number; close: number; up: number; down: number }[] = [];
    for (let h = 0; h < hours; h++) {
      for (const instrument of ['AAPL', 'MSFT'] as const) {
        close[instrument] *= Math.exp(rand() * 0.02);
        steps.push({ instrument, ts: T0 + h * HOUR, close: close[instrument], up: rand(), down: rand() });
      }
    }
    return steps;
  }

  /** Plays the steps: each bar judged, then the conviction of that bar recorded (ids by hour and instrument). */
  function play(r: ReturnType<typeof rig>, steps: ReturnType<typeof stream>) {
    for (const s of steps) {
      r.bar(s.instrument, s.ts, s.close);
      r.loop.observeConviction(values(s.up, s.down), { ...conviction(s.instrument, STACKER.version, 3 * 3600), id: `cnv_${s.instrument}_${s.ts}` }, s.ts);
    }
  }

  const state = (loop: OnlineReinforcement) => ({ records: [UP, DOWN].map((i) => loop.bias.record(i)), counts: loop.counts, asOf: loop.asOf });

  it('carries everything over a restart: the run goes on as if uninterrupted', () => {
    const steps = stream(60);
    const half = steps.length / 2;
    const whole = rig({ halfLifeCalls: 5 });
    play(whole, steps.slice(0, half));
    const before = rig({ halfLifeCalls: 5 });
    play(before, steps.slice(0, half));
    // Stored as JSON, then taken back by a reinforcement with no bar of the past (its price series is new).
    const saved = JSON.parse(JSON.stringify(before.loop.checkpoint())) as ReturnType<OnlineReinforcement['checkpoint']>;
    expect(saved.pending).toHaveLength(6);
    expect(saved.pending.every((p) => p.close !== null)).toBe(true);
    const after = rig({ halfLifeCalls: 5 });
    expect(after.loop.restoreCheckpoint(saved)).toEqual({ pending: 6, skipped: 0 });
    expect(state(after.loop)).toEqual(state(whole.loop));

    play(whole, steps.slice(half));
    play(after, steps.slice(half));
    expect(state(after.loop)).toEqual(state(whole.loop));
    expect(after.loop.multipliers()).toEqual(whole.loop.multipliers());
    expect(whole.loop.counts.judged).toBeGreaterThan(100);
    // The multipliers moved after the restart, judging convictions recorded before it among others.
    expect(whole.loop.bias.record(UP)!.multiplier).not.toBe(saved.records[UP]!.multiplier);
  });

  it('moves its revision with every change of the state, and only then', () => {
    const r = rig();
    const start = r.loop.revision;
    r.bar('AAPL', T0, 100);
    expect(r.loop.revision).toBe(start); // nothing waited
    r.loop.observeConviction(values(0.5, 0), conviction('AAPL'), T0);
    const recorded = r.loop.revision;
    expect(recorded).toBeGreaterThan(start);
    r.bar('AAPL', T0 + HOUR / 2, 101);
    expect(r.loop.revision).toBe(recorded); // not due yet
    r.bar('AAPL', T0 + HOUR, 102);
    expect(r.loop.revision).toBeGreaterThan(recorded);
  });

  it('refuses another stacker’s checkpoint, and what is no checkpoint, taking nothing', () => {
    const r = rig();
    const saved = rig().loop.checkpoint();
    for (const foreign of [
      { ...saved, stacker: { ...STACKER, version: 's2' } },
      { ...saved, stacker: { ...STACKER, name: 'Other' } },
      { ...saved, formatVersion: 2 },
      { ...saved, stacker: null },
      null,
      42,
      'checkpoint',
    ]) {
      expect(r.loop.restoreCheckpoint(foreign as never)).toBeNull();
    }
    expect(r.loop.counts).toEqual({ waiting: 0, dropped: 0, judged: 0 });
  });

  it('skips what makes no sense and keeps the rest', () => {
    const r = rig({}, 3);
    const ok = (id: string, ts: number) => ({ convictionId: id, instrument: 'AAPL', ts, due: ts + HOUR, row: [0.5, -0.5], close: 100 });
    const saved = {
      ...r.loop.checkpoint(),
      asOf: T0 + 9 * HOUR,
      records: { [UP]: { hitRate: 0.7, calls: 40, multiplier: 1.2 }, [DOWN]: { hitRate: Number.NaN, calls: 1, multiplier: 1 }, other: { hitRate: 0.9, calls: 9, multiplier: 1.4 } },
      pending: [
        ok('cnv_a', T0),
        { ...ok('cnv_wide', T0), row: [0.5, -0.5, 0.1] },
        { ...ok('cnv_narrow', T0), row: [0.5] },
        { ...ok('cnv_nan', T0), row: [0.5, Number.NaN] },
        { ...ok('cnv_early', T0), due: T0 - 1 },
        { ...ok('cnv_close', T0), close: -1 },
        { ...ok('cnv_noid', T0), convictionId: 7 },
        ok('cnv_a', T0 + 1), // a second time
        ok('cnv_b', T0 + 2),
        ok('cnv_c', T0 + 3),
        ok('cnv_d', T0 + 4), // the fourth: the oldest is dropped to keep maxPending
        { ...ok('cnv_e', T0 - 5), instrument: 'MSFT' }, // older still, on another instrument: dropped too
        7,
      ],
      dropped: -1,
      judged: 12,
    };
    expect(r.loop.restoreCheckpoint(saved as never)).toEqual({ pending: 3, skipped: 8 });
    expect(r.loop.counts).toEqual({ waiting: 3, dropped: 2, judged: 12 });
    expect(r.loop.waits('cnv_a')).toBe(false);
    expect(['cnv_b', 'cnv_c', 'cnv_d'].every((id) => r.loop.waits(id))).toBe(true);
    expect(r.loop.bias.record(UP)).toEqual({ hitRate: 0.7, calls: 40, multiplier: 1.2 });
    expect(r.loop.bias.record(DOWN)).toEqual({ hitRate: 0.5, calls: 0, multiplier: 1 });
    expect(r.loop.asOf).toBe(T0 + 9 * HOUR);
  });

  it('takes no waiting conviction of rows in another order of inputs, but takes the records by name', () => {
    const r = rig();
    const saved = { ...rig().loop.checkpoint(), inputs: [DOWN, UP], records: { [DOWN]: { hitRate: 0.3, calls: 5, multiplier: 0.8 } } };
    const pending = [{ convictionId: 'cnv_x', instrument: 'AAPL', ts: T0, due: T0 + HOUR, row: [0.5, -0.5], close: 100 }];
    expect(r.loop.restoreCheckpoint({ ...saved, pending })).toEqual({ pending: 0, skipped: 1 });
    expect(r.loop.bias.record(DOWN)).toEqual({ hitRate: 0.3, calls: 5, multiplier: 0.8 });
  });

  it('adopts a later recorded step: its records, forgetting the convictions due by its time', () => {
    const r = rig();
    r.bar('AAPL', T0, 100);
    r.loop.observeConviction(values(0.5, 0), conviction('AAPL', STACKER.version, 3600), T0);
    r.loop.observeConviction(values(0.5, 0), conviction('MSFT', STACKER.version, 7200), T0);
    const forgotten = r.loop.adoptStep({ [UP]: { hitRate: 0.6, calls: 3, multiplier: 1.1 } }, T0 + HOUR);
    expect(forgotten).toBe(1);
    expect(r.loop.counts.waiting).toBe(1);
    expect(r.loop.asOf).toBe(T0 + HOUR);
    expect(r.loop.multipliers().get(UP)).toBe(1.1);
  });
});
