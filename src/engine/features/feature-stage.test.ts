import { describe, expect, it } from 'vitest';
import { CLEAN_ANNOTATIONS } from '../enrich/annotations.js';
import { TestClock } from '../clock.js';
import type { FeaturesComputed, SignalEnriched, SignalKind } from '../types.js';
import { instrumentFeatureSet } from './definitions.js';
import { FeatureStage } from './feature-stage.js';
import type { FeatureRepository, FeatureRow } from './offline.js';
import { MemoryOnlineStore } from './online.js';

const MIN = 60_000;
const T = Date.UTC(2024, 0, 2, 14, 0);

function event(id: string, kind: SignalKind, ts: number, body: Record<string, unknown> = {}, instrument = 'AAPL'): SignalEnriched {
  return {
    id,
    type: 'SignalEnriched',
    tsEvent: ts,
    tsInit: ts,
    causationIds: [],
    payload: { source: 't', kind, instrument, externalId: id, body, contentHash: id, polarity: 0.5, magnitude: kind === 'bar' ? 1000 : 1, ...CLEAN_ANNOTATIONS },
  };
}
/** Opens move with the close, so every bar changes the volatility and the return features. */
const bar = (id: string, ts: number, close: number, instrument = 'AAPL') =>
  event(id, 'bar', ts, { open: close * (1 - 0.001 * (Math.round(close) % 3)), close, volume: 1000, intervalMs: MIN }, instrument);

/** Records what the stage appends: the SQL implementations have their own contract suite. */
class RecordingOffline implements Pick<FeatureRepository, 'append'> {
  readonly rows: FeatureRow[] = [];
  async append(rows: readonly FeatureRow[]): Promise<number> {
    this.rows.push(...rows);
    return rows.length;
  }
}

function stage(scoreIntervalMs = 5 * MIN) {
  const online = new MemoryOnlineStore();
  const offline = new RecordingOffline();
  const published: FeaturesComputed[] = [];
  const featureSet = instrumentFeatureSet();
  const s = new FeatureStage(
    { featureSet, online, offline: offline as unknown as FeatureRepository, clock: new TestClock(T), publish: async (e) => void published.push(...e) },
    { scoreIntervalMs },
  );
  return { s, online, offline, published, featureSet };
}

describe('FeatureStage', () => {
  it('keeps the online store current and appends every value to the offline store', async () => {
    const { s, online, offline } = stage();
    await s.handleBatch([bar('b1', T, 100), event('p1', 'social_mention', T + 1000, { sentiment: 0.5 })]);
    const [mentions] = await online.read({ entityType: 'instrument', entity: 'AAPL' }, ['mentions_1h'], T + 1000);
    expect(mentions).toMatchObject({ value: 1, missing: null });
    // The bar defined the count (0: a sum over an empty window); the post changed it.
    expect(offline.rows.filter((r) => r.feature === 'mentions_1h')).toEqual([
      expect.objectContaining({ entity: 'AAPL', value: 0, ts: T, sourceEventId: 'b1' }),
      expect.objectContaining({ entity: 'AAPL', value: 1, ts: T + 1000, observedAt: T + 1000, sourceEventId: 'p1' }),
    ]);
  });

  it('an alternative-data signal makes its instrument due at once; bars that change features at most once per interval', async () => {
    const { s, published } = stage(5 * MIN);
    for (let i = 0; i < 12; i++) await s.handle(bar(`b${i}`, T + i * MIN, 100 + i));
    expect(published.map((e) => e.causationIds[0])).toEqual(['b0', 'b5', 'b10']);
    await s.handle(event('p1', 'social_mention', T + 11 * MIN + 1000));
    expect(published.at(-1)).toMatchObject({ type: 'FeaturesComputed', causationIds: ['p1'], payload: { instrument: 'AAPL', trigger: 'social_mention' } });
  });

  it('the snapshot holds every feature of the set as the online store serves it, missing ones as null', async () => {
    const { s, online, published, featureSet } = stage();
    await s.handleBatch([bar('b1', T, 100), event('n1', 'news', T + 1000, { sentiment: 0.1 })]);
    const snapshot = published.at(-1)!.payload;
    expect(Object.keys(snapshot.values).sort()).toEqual([...featureSet.names].sort());
    expect(snapshot).toMatchObject({ asOf: T + 1000, featureSetVersion: featureSet.version });
    const served = await online.read({ entityType: 'instrument', entity: 'AAPL' }, featureSet.names, T + 1000);
    for (const v of served) expect(snapshot.values[v.feature]).toBe(v.value);
    expect(snapshot.values.news_6h).toBe(1);
    expect(snapshot.values.return_1h).toBeNull();
  });

  it('publishes the same snapshots however the bus batches the events', async () => {
    const events = [event('p1', 'social_mention', T), event('p2', 'social_mention', T + 1), bar('x1', T + 2, 5, 'MSFT'), event('p3', 'news', T + 3)];
    const one = stage();
    await one.s.handleBatch(events);
    const many = stage();
    for (const e of events) await many.s.handle(e);
    expect(one.published.map((e) => e.causationIds[0])).toEqual(['p1', 'p2', 'x1', 'p3']);
    expect(JSON.stringify(one.published)).toBe(JSON.stringify(many.published));
  });

  it('a redelivered batch changes nothing and publishes nothing', async () => {
    const { s, published, offline } = stage();
    const batch = [bar('b1', T, 100), event('p1', 'social_mention', T + 1000)];
    await s.handleBatch(batch);
    const counts = [published.length, offline.rows.length];
    await s.handleBatch(batch);
    expect([published.length, offline.rows.length]).toEqual(counts);
  });
});
