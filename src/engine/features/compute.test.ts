import { describe, expect, it } from 'vitest';
import { CLEAN_ANNOTATIONS, type EnrichmentFlag } from '../enrich/annotations.js';
import type { SignalEnriched, SignalKind } from '../types.js';
import { FeatureComputer } from './compute.js';
import { type FeatureDefinition, FeatureSet, INSTRUMENT_FEATURES, instrumentFeatureSet, resolveFeature } from './definitions.js';
import { FeatureError } from './errors.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T = Date.UTC(2024, 0, 2, 14, 0);

let n = 0;
function signal(
  kind: SignalKind,
  ts: number,
  o: { instrument?: string; polarity?: number; magnitude?: number; weight?: number; flags?: EnrichmentFlag[]; body?: Record<string, unknown>; tsInit?: number; id?: string } = {},
): SignalEnriched {
  return {
    id: o.id ?? `enr_${n++}`,
    type: 'SignalEnriched',
    tsEvent: ts,
    tsInit: o.tsInit ?? ts,
    causationIds: [],
    payload: {
      source: 'test',
      kind,
      instrument: o.instrument ?? 'AAPL',
      externalId: null,
      body: o.body ?? {},
      contentHash: `h${n}`,
      polarity: o.polarity ?? 0,
      magnitude: o.magnitude ?? 1,
      ...CLEAN_ANNOTATIONS,
      flags: o.flags ?? [],
      weight: o.weight ?? 1,
    },
  };
}
const bar = (ts: number, close: number, open = close, volume = 1000, instrument = 'AAPL') =>
  signal('bar', ts, { instrument, magnitude: volume, body: { open, high: Math.max(open, close), low: Math.min(open, close), close, volume, intervalMs: MIN } });

const valueOf = (c: FeatureComputer, entity: string, feature: string) => c.current(entity).find((v) => v.feature === feature)?.value;

describe('feature definitions', () => {
  it('version ids follow what the values depend on, not the description', () => {
    const base = INSTRUMENT_FEATURES.find((f) => f.name === 'mentions_1h')!;
    const id = resolveFeature(base).versionId;
    expect(id).toMatch(/^v1-[0-9a-f]{10}$/);
    expect(resolveFeature({ ...base, description: 'reworded' }).versionId).toBe(id);
    expect(resolveFeature({ ...base, windowMs: 2 * HOUR }).versionId).not.toBe(id);
    expect(resolveFeature({ ...base, version: 2 }).versionId).toMatch(/^v2-/);
    // The kinds' order does not matter; the TTL changes the set's version but not the feature's.
    const twoKinds: FeatureDefinition = { ...base, kinds: ['news', 'social_mention'] };
    expect(resolveFeature({ ...twoKinds, kinds: ['social_mention', 'news'] }).versionId).toBe(resolveFeature(twoKinds).versionId);
    expect(resolveFeature({ ...base, ttlMs: 2 * HOUR }).versionId).toBe(id);
    expect(new FeatureSet([{ ...base, ttlMs: 2 * HOUR }]).version).not.toBe(new FeatureSet([base]).version);
  });

  it.each<[string, Partial<FeatureDefinition>]>([
    ['a bad name', { name: 'Mentions' }],
    ['a zero window', { windowMs: 0 }],
    ['no kinds', { kinds: [] }],
    ['an unknown kind', { kinds: ['tweet' as SignalKind] }],
    ['an unknown reducer', { reducer: 'median' as never }],
    ['a minCount below what std needs', { reducer: 'std', minCount: 1 }],
  ])('refuses %s with FEATURE_DEFINITION_INVALID', (_, change) => {
    const base = INSTRUMENT_FEATURES[0]!;
    expect(() => resolveFeature({ ...base, ...change })).toThrow(expect.objectContaining({ code: 'FEATURE_DEFINITION_INVALID' }));
  });

  it('a feature set refuses a name defined twice and an unknown feature', () => {
    const f = INSTRUMENT_FEATURES[0]!;
    expect(() => new FeatureSet([f, f])).toThrow(FeatureError);
    expect(() => instrumentFeatureSet().get('nope')).toThrow(expect.objectContaining({ code: 'FEATURE_UNKNOWN' }));
    const set = instrumentFeatureSet();
    expect(set.select(['news_6h', 'mentions_1h']).names).toEqual(['news_6h', 'mentions_1h']);
  });
});

describe('FeatureComputer', () => {
  it('counts posts over the last hour, weighted and unweighted, and their mean sentiment', () => {
    const c = new FeatureComputer(instrumentFeatureSet());
    c.apply(signal('social_mention', T, { polarity: 0.8, weight: 1 }));
    c.apply(signal('social_mention', T + 10 * MIN, { polarity: -0.2, weight: 0.25, flags: ['bot_swarm'] }));
    expect(valueOf(c, 'AAPL', 'mentions_1h')).toBe(2);
    expect(valueOf(c, 'AAPL', 'mentions_weighted_1h')).toBe(1.25);
    expect(valueOf(c, 'AAPL', 'sentiment_mean_1h')).toBeCloseTo((0.8 * 1 - 0.2 * 0.25) / 1.25, 12);
    expect(valueOf(c, 'AAPL', 'bot_swarm_share_1h')).toBe(0.5);
    // An hour after the first post it has left the window; the sum of an empty window is 0.
    c.apply(bar(T + HOUR + MIN, 100));
    expect(valueOf(c, 'AAPL', 'mentions_1h')).toBe(1);
    c.apply(bar(T + 3 * HOUR, 100));
    expect(valueOf(c, 'AAPL', 'mentions_1h')).toBe(0);
    expect(valueOf(c, 'AAPL', 'sentiment_mean_1h')).toBeNull();
  });

  it('returns are from the close at or before the window start; volatility and the volume z-score need their minimum counts', () => {
    const c = new FeatureComputer(instrumentFeatureSet());
    for (let i = 0; i <= 60; i++) c.apply(bar(T + i * MIN, 100 + i, 100 + i - 0.5, i === 60 ? 10_000 : 1000 + (i % 3)));
    expect(valueOf(c, 'AAPL', 'return_1h')).toBeCloseTo(160 / 100 - 1, 12);
    expect(valueOf(c, 'AAPL', 'return_1d')).toBeNull(); // no close a day ago
    expect(valueOf(c, 'AAPL', 'volatility_1d')).toBeGreaterThan(0);
    expect(valueOf(c, 'AAPL', 'volume_zscore_1d')!).toBeGreaterThan(100);
    const fresh = new FeatureComputer(instrumentFeatureSet());
    for (let i = 0; i < 4; i++) fresh.apply(bar(T + i * MIN, 100 + i));
    expect(valueOf(fresh, 'AAPL', 'volatility_1d')).toBeNull();
    expect(valueOf(fresh, 'AAPL', 'volume_zscore_1d')).toBeNull();
  });

  it('signed magnitudes: insider buys minus sales, whale flows', () => {
    const c = new FeatureComputer(instrumentFeatureSet());
    c.apply(signal('insider_filing', T, { polarity: 1, magnitude: 400_000 }));
    c.apply(signal('insider_filing', T + MIN, { polarity: -1, magnitude: 150_000 }));
    c.apply(signal('whale_transfer', T + 2 * MIN, { instrument: 'ETH-USD', polarity: -1, magnitude: 30e6 }));
    expect(valueOf(c, 'AAPL', 'insider_net_buy_30d')).toBe(250_000);
    expect(valueOf(c, 'ETH-USD', 'whale_net_flow_24h')).toBe(-30e6);
  });

  it('a repeated event id is folded in once; a signal about no instrument changes nothing', () => {
    const c = new FeatureComputer(instrumentFeatureSet());
    const s = signal('news', T, { id: 'enr_same' });
    expect(c.apply(s).length).toBeGreaterThan(0);
    expect(c.apply(s)).toEqual([]);
    expect(valueOf(c, 'AAPL', 'news_6h')).toBe(1);
    expect(c.apply({ ...signal('news', T), payload: { ...s.payload, instrument: null } })).toEqual([]);
  });

  it('emits a value when it changes, stamped with the watermark, known when the signal was seen', () => {
    const c = new FeatureComputer(instrumentFeatureSet());
    const first = c.apply(signal('news', T));
    expect(first.find((u) => u.feature === 'news_6h')).toMatchObject({ value: 1, ts: T, observedAt: T });
    // A late signal, stamped 10 minutes back but seen now: the value is as of the watermark, known at tsInit.
    c.apply(bar(T + 20 * MIN, 50));
    const late = c.apply(signal('news', T + 10 * MIN, { tsInit: T + 30 * MIN }));
    expect(late.find((u) => u.feature === 'news_6h')).toMatchObject({ value: 2, ts: T + 20 * MIN, observedAt: T + 30 * MIN });
    // Nothing changed: nothing emitted, until a quarter of the TTL has passed since the last emission.
    expect(c.apply(signal('social_mention', T + 21 * MIN)).map((u) => u.feature)).not.toContain('news_6h');
    const refreshed = c.apply(signal('social_mention', T + 20 * MIN + 90 * MIN));
    expect(refreshed.find((u) => u.feature === 'news_6h')).toMatchObject({ value: 2 });
  });

  it('a signal stamped in the future (clock_skew) counts at the time it was seen, so it cannot expire the windows', () => {
    const c = new FeatureComputer(instrumentFeatureSet());
    c.apply(signal('social_mention', T));
    c.apply(signal('news', T + 5 * HOUR, { tsInit: T + MIN, flags: ['clock_skew'] }));
    expect(c.watermark('AAPL')).toBe(T + MIN);
    expect(valueOf(c, 'AAPL', 'mentions_1h')).toBe(1);
  });

  it('the same events in the same order give the same values, byte for byte', () => {
    const run = () => {
      const c = new FeatureComputer(instrumentFeatureSet());
      const out = [];
      for (let i = 0; i < 200; i++) {
        out.push(...c.apply({ ...bar(T + i * MIN, 100 + Math.sin(i) * 3, 100, 1000 + ((i * 37) % 500)), id: `enr_bar_${i}` }));
        if (i % 7 === 0) out.push(...c.apply(signal('social_mention', T + i * MIN + 30_000, { polarity: Math.cos(i), id: `enr_post_${i}` })));
      }
      return JSON.stringify(out);
    };
    expect(run()).toBe(run());
  });
});
