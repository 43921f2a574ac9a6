import { describe, expect, it } from 'vitest';
import { DEFAULT_ENRICHMENT_CONFIG, resolveEnrichmentConfig } from './enrichment-config.js';
import { TimeAligner } from './time-alignment.js';

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const MIN = 60_000;
const aligner = (over: Partial<typeof DEFAULT_ENRICHMENT_CONFIG.time> = {}) =>
  new TimeAligner({ ...DEFAULT_ENRICHMENT_CONFIG.time, allowedLatenessMs: 5 * MIN, clockSkewToleranceMs: MIN, ...over });

describe('TimeAligner', () => {
  it('accepts signals in order, and out of order within the allowed lateness', () => {
    const t = aligner();
    for (const ts of [T0, T0 + MIN, T0 + 2 * MIN, T0 + 30_000, T0 + 10 * MIN, T0 + 5 * MIN]) {
      const v = t.observe('reddit', ts, ts + 1000);
      expect(v.lateness).toBeNull();
      expect(v.clockSkewMs).toBeNull();
    }
    expect(t.watermark('reddit')).toBe(T0 + 10 * MIN - 5 * MIN);
  });

  it('flags a signal behind its stream\'s watermark with how late it is', () => {
    const t = aligner();
    t.observe('reddit', T0 + 20 * MIN, T0 + 20 * MIN);
    const v = t.observe('reddit', T0 + 2 * MIN, T0 + 21 * MIN);
    const watermark = T0 + 20 * MIN - 5 * MIN;
    expect(v.lateness).toEqual({ stream: 'reddit', watermark, lateByMs: watermark - (T0 + 2 * MIN) });
    // A late signal does not move the watermark back.
    expect(t.watermark('reddit')).toBe(watermark);
  });

  it('keeps a watermark per stream, with per-source lateness', () => {
    const t = aligner({ latenessBySource: { sec: 60 * MIN } });
    t.observe('reddit', T0 + 60 * MIN, T0 + 60 * MIN);
    // Another stream is judged against its own history, not reddit's.
    expect(t.observe('rss', T0, T0 + 60 * MIN).lateness).toBeNull();
    t.observe('sec', T0 + 60 * MIN, T0 + 60 * MIN);
    expect(t.observe('sec', T0 + 10 * MIN, T0 + 61 * MIN).lateness).toBeNull();
    expect(t.observe('sec', T0 - MIN, T0 + 61 * MIN).lateness?.lateByMs).toBe(MIN);
    expect(t.watermark('never-seen')).toBeNull();
    // A source named like an Object.prototype key gets the default, not a function.
    t.observe('constructor', T0, T0);
    expect(t.watermark('constructor')).toBe(T0 - 5 * MIN);
  });

  it('flags a signal stamped in our future, and does not let it push the watermark there', () => {
    const t = aligner();
    t.observe('x', T0, T0);
    const skewed = t.observe('x', T0 + 3 * 3_600_000, T0 + 1000);
    expect(skewed.clockSkewMs).toBe(3 * 3_600_000 - 1000);
    expect(skewed.effectiveTs).toBe(T0 + 1000 + MIN);
    expect(skewed.lateness).toBeNull();
    // The next honest signal is not late because of the bad stamp.
    expect(t.observe('x', T0 + 2000, T0 + 2500).lateness).toBeNull();
    // Within the tolerance is not skew: clocks differ a little.
    expect(t.observe('x', T0 + 30_000, T0 + 3000).clockSkewMs).toBeNull();
  });

  it('takes its settings from the validated config', () => {
    const c = resolveEnrichmentConfig({ time: { allowedLatenessMs: 1000, latenessBySource: { sec: 5000 } } });
    const t = new TimeAligner(c.time);
    t.observe('a', T0, T0);
    expect(t.watermark('a')).toBe(T0 - 1000);
    expect(Object.isFrozen(c.time.latenessBySource)).toBe(true);
  });
});
