import { describe, expect, it } from 'vitest';
import { CaptureBus } from '../../../test/capture-bus.js';
import { Topics } from '../bus/topics.js';
import { TestClock } from '../clock.js';
import { SimulatorCore } from '../collectors/simulator/core.js';
import { Random } from '../random.js';
import type { RawSignal, SignalDeduplicated, SignalEnriched, SignalIngested } from '../types.js';
import { MemoryContentIndex } from './content-index.js';
import { DedupStage } from './dedup.js';
import { EnrichStage, enrichedIdOfDeduplicated } from './enrich-stage.js';
import { EnrichmentConfigError, type EnrichmentConfigInput, resolveEnrichmentConfig } from './enrichment-config.js';
import { SignalEnricher } from './enricher.js';

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const MIN = 60_000;

/** Runs raw signals through the real DedupStage, then the EnrichStage; returns what each published. */
function pipeline(config: EnrichmentConfigInput = {}, clock = new TestClock(T0)) {
  const dedupBus = new CaptureBus();
  const dedup = new DedupStage(dedupBus, clock, new MemoryContentIndex());
  const bus = new CaptureBus();
  const enricher = new SignalEnricher(resolveEnrichmentConfig(config));
  const stage = new EnrichStage(bus, clock, enricher);
  const passedOn = (from = 0) =>
    dedupBus.published
      .slice(from)
      .filter((p) => p.topic === Topics.signalsDeduplicated)
      .map((p) => p.event as SignalDeduplicated);
  return {
    enricher,
    deduplicated: () => passedOn(),
    enriched: () => bus.on(Topics.signalsEnriched) as SignalEnriched[],
    async run(events: readonly SignalIngested[]) {
      for (const raw of events) {
        // As live: the de-duplicated signal is stamped the moment it is ingested.
        if (raw.tsInit > clock.now()) clock.set(raw.tsInit);
        const before = dedupBus.published.length;
        await dedup.handle(raw);
        for (const event of passedOn(before)) await stage.handle(event);
      }
    },
  };
}

let n = 0;
function raw(tsEvent: number, tsInit: number, signal: Partial<RawSignal> & { body: RawSignal['body'] }): SignalIngested {
  n++;
  return {
    id: `raw${n}`,
    type: 'SignalIngested',
    tsEvent,
    tsInit,
    causationIds: [],
    payload: { source: 'x', kind: 'social_mention', instrument: 'GME', externalId: `ext${n}`, ...signal },
  };
}

describe('EnrichStage', () => {
  it('publishes every de-duplicated signal on signals.enriched, with a lineage back to the raw signal', async () => {
    const p = pipeline();
    const r = raw(T0, T0 + 100, { body: { author: 'a', followers: 900, accountAgeDays: 800, text: 'Holding $GME', sentiment: 0.3 } });
    await p.run([r]);
    const [dedup] = p.deduplicated();
    const [out] = p.enriched();
    expect(out!.id).toBe(enrichedIdOfDeduplicated(dedup!.id));
    expect(out!.type).toBe('SignalEnriched');
    expect(out!.tsEvent).toBe(r.tsEvent);
    expect(out!.causationIds).toEqual([dedup!.id]);
    expect(dedup!.causationIds).toEqual([r.id]);
    // The de-duplicated signal flows on whole, with clean annotations.
    expect(out!.payload).toMatchObject({ ...dedup!.payload, flags: [], weight: 1, nearDuplicateOf: null, swarm: null });
  });

  it('keeps flagged signals flowing: swarm posts down-weighted, late and skewed ones kept', async () => {
    const p = pipeline();
    const rng = new Random(1);
    const events: SignalIngested[] = [];
    for (let i = 0; i < 25; i++) {
      const ts = T0 + i * 3000;
      events.push(raw(ts, ts + 500, { body: { author: `gem${rng.int(1000, 99999)}`, followers: rng.int(0, 30), accountAgeDays: rng.int(0, 5), text: `$GME to the moon, this is the one, trust me ${'🚀'.repeat(1 + (i % 3))}` } }));
    }
    events.push(raw(T0 + 10 * MIN, T0 + 10 * MIN, { source: 'rss', kind: 'news', body: { headline: 'GameStop names new board member' } }));
    events.push(raw(T0 - 20 * MIN, T0 + 10 * MIN, { source: 'rss', kind: 'news', body: { headline: 'GameStop shares in focus ahead of sector data' } }));
    events.push(raw(T0 + 5 * 3_600_000, T0 + 11 * MIN, { source: 'rss', kind: 'news', body: { headline: 'GameStop cuts full-year outlook' } }));
    await p.run(events);

    const out = p.enriched();
    expect(out).toHaveLength(events.length);
    const swarm = out.filter((e) => e.payload.flags.includes('bot_swarm'));
    expect(swarm.length).toBeGreaterThan(15);
    for (const e of swarm) expect(e.payload.weight).toBeLessThan(1);

    const [, late, skewed] = out.slice(-3);
    expect(late!.payload.flags).toEqual(['late']);
    expect(late!.payload.lateness).toMatchObject({ stream: 'rss', lateByMs: 30 * MIN - 5 * MIN });
    expect(skewed!.payload.flags).toEqual(['clock_skew']);
    expect(skewed!.payload.clockSkewMs).toBe(5 * 3_600_000 - 11 * MIN);
    for (const e of [late, skewed]) expect(e!.payload.weight).toBe(1);
  });

  it('gives byte-identical output for the same input events', async () => {
    const core = new SimulatorCore({ seed: 21 });
    const events: SignalIngested[] = [];
    for (let k = 1; k <= 200; k++) events.push(...core.step(T0 + k * MIN));
    const runs: string[] = [];
    let flags = new Set<string>();
    for (let r = 0; r < 2; r++) {
      const p = pipeline();
      await p.run(events);
      runs.push(JSON.stringify(p.enriched()));
      flags = new Set(p.enriched().flatMap((e) => e.payload.flags));
    }
    expect(runs[0]).toBe(runs[1]);
    // The comparison covers real annotations, not only clean ones.
    expect(flags).toContain('near_duplicate');
    expect(flags).toContain('bot_swarm');
  });

  it('holds bounded state: texts are forgotten as event time moves past the window', async () => {
    const windowMs = 10 * MIN;
    const maxEntries = 500;
    const p = pipeline({ nearDuplicate: { windowMs, maxEntries }, swarm: { windowMs: MIN } });
    const rng = new Random(2);
    const events: SignalIngested[] = [];
    // 4000 distinct posts over 4 hours: one per 3.6 s, so about 170 fall inside any window.
    for (let i = 0; i < 4000; i++) {
      const ts = T0 + Math.floor(i * 3600);
      const text = Array.from({ length: 8 }, () => `w${rng.int(0, 5000)}`).join(' ');
      events.push(raw(ts, ts, { body: { author: `u${i}`, text } }));
    }
    let oldest = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      await p.run([e]);
      while (events[oldest]!.tsEvent < e.tsEvent - windowMs) oldest++;
      // Never more than the texts inside the window, nor more than the cap.
      expect(p.enricher.stateSize.texts).toBeLessThanOrEqual(Math.min(maxEntries, i + 1 - oldest));
    }
    expect(p.enricher.stateSize.texts).toBeGreaterThan(100);
    await p.run([raw(T0 + 86_400_000, T0 + 86_400_000, { source: 'sim.market', kind: 'bar', body: { close: 1 } })]);
    expect(p.enricher.stateSize.texts).toBe(0);
    expect(p.enricher.stateSize.buckets).toBe(0);
  });
});

describe('enrichment config', () => {
  it('names the key it refuses', () => {
    expect(() => resolveEnrichmentConfig({ swarm: { windowMs: -1 } })).toThrow(/swarm\.windowMs/);
    expect(() => resolveEnrichmentConfig({ nearDuplicate: { bogus: 1 } } as never)).toThrow(EnrichmentConfigError);
    expect(() => resolveEnrichmentConfig({ swarm: { reportScore: 0.9, flagScore: 0.5 } })).toThrow(/reportScore/);
    expect(Object.isFrozen(resolveEnrichmentConfig().swarm)).toBe(true);
  });
});
