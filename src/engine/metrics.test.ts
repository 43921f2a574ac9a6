import { describe, expect, it } from 'vitest';
import { enrichedIdOf } from './enrich/dedup.js';
import { LatencySamples, LatencyTracker } from './metrics.js';
import { convictionScored, convictionVector, signalEvent } from './store/store.fixtures.js';
import type { SignalIngested } from './types.js';

const raw = (id: string): SignalIngested => ({
  id,
  type: 'SignalIngested',
  tsEvent: 0,
  tsInit: 0,
  causationIds: [],
  payload: { source: 't', kind: 'news', instrument: 'AAPL', externalId: id, body: {} },
});

describe('LatencySamples', () => {
  it('keeps the last `capacity` samples and gives nearest-rank percentiles', () => {
    const s = new LatencySamples(100);
    expect(s.percentiles()).toBeNull();
    for (let i = 1; i <= 250; i++) s.add(i);
    expect(s.count).toBe(100);
    expect(s.last).toBe(250);
    expect(s.percentiles()).toEqual({ p50: 201, p99: 250, count: 100 });
    s.reset();
    expect(s.percentiles()).toBeNull();
  });
});

describe('LatencyTracker', () => {
  it('measures from the first time a raw signal is seen to its signal and conviction being stored', async () => {
    let now = 1000;
    const tracker = new LatencyTracker({ now: () => now });
    tracker.markIngested('raw_1'); // published at 1000
    now = 1005;
    await tracker.handle(raw('raw_1')); // consumed later: the earlier mark stands
    now = 1012;
    tracker.signalStored({ ...signalEvent(1), id: enrichedIdOf('raw_1') });
    now = 1040;
    tracker.convictionStored(convictionScored(convictionVector(1, { signalId: enrichedIdOf('raw_1') })));
    tracker.convictionStored(convictionScored(convictionVector(2, { signalId: 'unknown' }))); // not measured
    expect(tracker.toSignal.percentiles()).toEqual({ p50: 12, p99: 12, count: 1 });
    expect(tracker.percentiles()).toEqual({ p50: 40, p99: 40, count: 1 });
    expect(tracker.lastMs).toBe(40);
  });

  it('forgets the oldest signals beyond its capacity', async () => {
    let now = 0;
    const tracker = new LatencyTracker({ now: () => now, capacity: 2 });
    for (const id of ['a', 'b', 'c']) await tracker.handle(raw(id));
    now = 10;
    for (const id of ['a', 'b', 'c']) tracker.convictionStored(convictionScored(convictionVector(1, { signalId: enrichedIdOf(id) })));
    expect(tracker.percentiles()?.count).toBe(2);
  });
});
