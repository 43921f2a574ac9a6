import { describe, expect, it } from 'vitest';
import { CaptureBus } from '../../../test/capture-bus.js';
import { Topics } from '../bus/topics.js';
import { TestClock } from '../clock.js';
import type { RawSignal, SignalIngested } from '../types.js';
import { MemoryContentIndex } from './content-index.js';
import { DedupStage, contentHash, deduplicatedIdOf, enrichedIdOf } from './dedup.js';

const raw = (id: string, body: Record<string, unknown>, over: Partial<RawSignal> = {}): SignalIngested => ({
  id,
  type: 'SignalIngested',
  tsEvent: 1_700_000_000_000,
  tsInit: 1_700_000_000_500,
  causationIds: [],
  payload: { source: 'sec', kind: 'insider_filing', instrument: 'AAPL', externalId: 'acc-1', body, ...over },
});

describe('DedupStage', () => {
  it('passes new content on, with its hash, polarity and magnitude', async () => {
    const bus = new CaptureBus();
    const stage = new DedupStage(bus, new TestClock(), new MemoryContentIndex());
    await stage.handle(raw('r1', { transactionCode: 'P', shares: 100, price: 10 }));
    const [out] = bus.on(Topics.signalsDeduplicated);
    expect(out?.id).toBe(deduplicatedIdOf('r1'));
    expect(out?.type).toBe('SignalDeduplicated');
    expect(out?.causationIds).toEqual(['r1']);
    expect(out?.payload.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(out?.payload.polarity).toBe(1);
    expect(out?.payload.magnitude).toBe(1000);
  });

  it('drops the same content seen again under another event id, pointing at the first', async () => {
    const bus = new CaptureBus();
    const stage = new DedupStage(bus, new TestClock(), new MemoryContentIndex());
    await stage.handle(raw('r1', { transactionCode: 'S', shares: 5, price: 2 }));
    await stage.handle({ ...raw('r2', { price: 2, shares: 5, transactionCode: 'S' }), tsInit: 1_800_000_000_000 });
    expect(bus.on(Topics.signalsDeduplicated)).toHaveLength(1);
    const [dup] = bus.on(Topics.signalsDuplicate);
    expect(dup?.causationIds).toEqual(['r2']);
    // The first signal as it is stored, two stages on.
    expect(dup?.payload.firstEventId).toBe(enrichedIdOf('r1'));
  });

  it('treats a redelivery of the same event as the same signal, not a duplicate', async () => {
    const bus = new CaptureBus();
    const stage = new DedupStage(bus, new TestClock(), new MemoryContentIndex());
    await stage.handle(raw('r1', { sentiment: 0.4 }, { kind: 'social_mention' }));
    await stage.handle(raw('r1', { sentiment: 0.4 }, { kind: 'social_mention' }));
    const ids = bus.on(Topics.signalsDeduplicated).map((e) => e.id);
    expect(ids).toEqual([deduplicatedIdOf('r1'), deduplicatedIdOf('r1')]);
    expect(bus.on(Topics.signalsDuplicate)).toHaveLength(0);
  });

  it('handles a batch in order: the first of two equal signals wins, each topic keeps the input order', async () => {
    const bus = new CaptureBus();
    const stage = new DedupStage(bus, new TestClock(), new MemoryContentIndex());
    await stage.handleBatch([
      raw('b1', { n: 1 }),
      raw('b2', { n: 2 }),
      raw('b3', { n: 1 }), // same content as b1
      raw('b4', { n: 3 }),
    ]);
    expect(bus.on(Topics.signalsDeduplicated).map((e) => e.id)).toEqual(['b1', 'b2', 'b4'].map(deduplicatedIdOf));
    expect(bus.on(Topics.signalsDuplicate).map((e) => e.payload.firstEventId)).toEqual([enrichedIdOf('b1')]);
    // Run again (a redelivered batch): the same outputs, nothing newly called a duplicate.
    await stage.handleBatch([raw('b1', { n: 1 }), raw('b3', { n: 1 })]);
    expect(bus.published.slice(4).map((p) => p.event.id)).toEqual([deduplicatedIdOf('b1'), bus.on(Topics.signalsDuplicate)[0]!.id]);
  });

  it('hashes content, not key order or fetch time; different content differs', () => {
    const a = raw('a', { x: 1, y: [1, 2] }).payload;
    const b = raw('b', { y: [1, 2], x: 1 }).payload;
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).not.toBe(contentHash({ ...a, externalId: 'acc-2' }));
    expect(contentHash(a)).not.toBe(contentHash({ ...a, body: { x: 1, y: [2, 1] } }));
  });

  it('forgets the oldest hashes past its capacity', async () => {
    const index = new MemoryContentIndex(2);
    expect(await index.claim('h1', 'e1')).toBe('e1');
    await index.claim('h2', 'e2');
    await index.claim('h3', 'e3');
    expect(await index.claim('h1', 'e4')).toBe('e4');
    expect(await index.claim('h3', 'e5')).toBe('e3');
  });
});
