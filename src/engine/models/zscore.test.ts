import { describe, expect, it } from 'vitest';
import { CaptureBus } from '../../../test/capture-bus.js';
import { Topics } from '../bus/topics.js';
import { TestClock } from '../clock.js';
import type { SignalEnriched, SignalKind } from '../types.js';
import { RollingWindow } from './rolling.js';
import { ZScoreModel } from './zscore.js';
import { CLEAN_ANNOTATIONS } from '../enrich/annotations.js';

const MIN = 60_000;
let seq = 0;
function signal(kind: SignalKind, t: number, over: Partial<SignalEnriched['payload']> = {}): SignalEnriched {
  seq++;
  return {
    id: `enr_${seq}`,
    type: 'SignalEnriched',
    tsEvent: t,
    tsInit: t,
    causationIds: [`sig_${seq}`],
    payload: {
      source: 'test',
      kind,
      instrument: 'NVDA',
      externalId: null,
      body: kind === 'bar' ? { intervalMs: MIN } : {},
      contentHash: `h${seq}`,
      polarity: 0,
      magnitude: 1,
      ...CLEAN_ANNOTATIONS,
      ...over,
    },
  };
}

describe('RollingWindow', () => {
  it('matches a direct computation of mean and sample std, and forgets the oldest', () => {
    const w = new RollingWindow(4);
    for (const v of [10, 2, 3, 4, 5]) w.push(v);
    const kept = [2, 3, 4, 5];
    const mean = kept.reduce((a, b) => a + b) / 4;
    const std = Math.sqrt(kept.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    expect(w.count).toBe(4);
    expect(w.mean()).toBeCloseTo(mean, 12);
    expect(w.std()).toBeCloseTo(std, 12);
  });
});

describe('ZScoreModel', () => {
  const t0 = Date.UTC(2024, 0, 2, 14, 30);

  it('stays silent until it has enough history, then reports a mention wave as it builds', async () => {
    const bus = new CaptureBus();
    const model = new ZScoreModel(bus, new TestClock(t0));
    // 30 quiet minutes: 2 mentions a minute.
    for (let m = 0; m < 30; m++) {
      await model.handle(signal('social_mention', t0 + m * MIN, { polarity: 0.1 }));
      await model.handle(signal('social_mention', t0 + m * MIN + 1000, { polarity: -0.1 }));
    }
    expect(bus.on(Topics.modelOutputs)).toHaveLength(0);
    // A bullish wave in minute 30: 12 mentions.
    for (let i = 0; i < 12; i++) await model.handle(signal('social_mention', t0 + 30 * MIN + i * 1000, { polarity: 0.8 }));
    const outs = bus.on(Topics.modelOutputs);
    expect(outs.length).toBeGreaterThan(0);
    const levels = outs.map((o) => Math.floor(o.payload.score));
    expect(levels).toEqual([...new Set(levels)].sort((a, b) => a - b)); // each level once, rising
    const last = outs[outs.length - 1]!.payload;
    expect(last.series).toBe('mentions');
    expect(last.value).toBe(12);
    expect(last.mean).toBeCloseTo(2, 6);
    expect(last.polarity).toBeCloseTo(0.8, 6);
    expect(last.score).toBeCloseTo((12 - 2) / last.std, 9);
    expect(last.horizonMs).toBe(30 * MIN);
    expect(outs[outs.length - 1]!.causationIds.length).toBe(12);
  });

  it('counts empty buckets as zeros', async () => {
    const bus = new CaptureBus();
    const model = new ZScoreModel(bus, new TestClock(t0), { window: 20, minHistory: 10, threshold: 2, defaultBucketMs: MIN });
    await model.handle(signal('news', t0));
    // Nothing for 15 minutes, then 5 items in one minute: the window is mostly zeros.
    for (let i = 0; i < 5; i++) await model.handle(signal('news', t0 + 16 * MIN + i, { polarity: -0.5 }));
    const outs = bus.on(Topics.modelOutputs);
    expect(outs.length).toBeGreaterThan(0);
    expect(outs[outs.length - 1]!.payload.mean).toBeCloseTo(1 / 16, 9); // bucket 0 holds 1, buckets 1..15 are empty;
  });

  it('scores a volume spike on the bar that carries it, signed by the bar', async () => {
    const bus = new CaptureBus();
    const model = new ZScoreModel(bus, new TestClock(t0));
    for (let m = 0; m < 25; m++) {
      await model.handle(signal('bar', t0 + m * MIN, { magnitude: 1000 + (m % 5) * 50, polarity: 0.1 }));
    }
    await model.handle(signal('bar', t0 + 25 * MIN, { magnitude: 5000, polarity: -0.9 }));
    const outs = bus.on(Topics.modelOutputs);
    expect(outs).toHaveLength(1);
    expect(outs[0]!.payload.series).toBe('volume');
    expect(outs[0]!.payload.polarity).toBeCloseTo(-0.9, 9);
  });

  it('ignores a late signal for a bucket already closed', async () => {
    const bus = new CaptureBus();
    const model = new ZScoreModel(bus, new TestClock(t0), { window: 5, minHistory: 2, threshold: 0.5, defaultBucketMs: MIN });
    for (let m = 0; m < 5; m++) await model.handle(signal('news', t0 + m * MIN));
    const before = bus.published.length;
    for (let i = 0; i < 10; i++) await model.handle(signal('news', t0 + MIN));
    expect(bus.published.length).toBe(before);
  });

  it('carries its parameters in its name', () => {
    const model = new ZScoreModel(new CaptureBus(), new TestClock());
    expect(model.modelId).toBe('ZScore(window=60,min=20,threshold=2)');
  });
});
