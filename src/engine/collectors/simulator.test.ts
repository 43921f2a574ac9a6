import { afterEach, describe, expect, it, vi } from 'vitest';
import { CaptureBus } from '../../../test/capture-bus.js';
import { Topics } from '../bus/topics.js';
import { canonicalJson } from '../canonical.js';
import { TestClock } from '../clock.js';
import type { Bar, SignalIngested } from '../types.js';
import { contentHash } from '../enrich/dedup.js';
import { createStore } from '../store/repositories.js';
import { planSimulatorRun, SimulatorCollector, SimulatorCore } from './simulator.js';
import { UNIVERSE } from './universe.js';

const START = Date.UTC(2024, 0, 2, 14, 30);
const MIN = 60_000;

/** Time, instrument, kind, external id: the order events leave a step in. */
const orderKey = (e: SignalIngested) =>
  [String(e.tsEvent).padStart(15, '0'), e.payload.instrument, e.payload.kind, e.payload.externalId].join('\u0000');

afterEach(() => vi.restoreAllMocks());

describe('SimulatorCore', () => {
  it('is deterministic: the same seed gives byte-identical events, another seed different ones', () => {
    // Neither the wall clock nor Math.random may be consulted.
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random called');
    });
    vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now called');
    });
    const [a, b, c] = [42, 42, 43].map((seed) => new SimulatorCore({ seed }));
    let differs = 0;
    for (let k = 1; k <= 500; k++) {
      const ts = START + k * MIN;
      const ja = canonicalJson(a!.step(ts));
      if (canonicalJson(b!.step(ts)) !== ja) throw new Error(`same seed diverged at step ${k}`);
      if (k <= 20 && canonicalJson(c!.step(ts)) !== ja) differs++;
    }
    expect(differs).toBe(20);
  });

  it('emits well-formed envelopes in a fixed order, with bars for every instrument each step', () => {
    const core = new SimulatorCore({ seed: 3 });
    const ids = new Set<string>();
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => void (ok || problems.push(what));
    for (let k = 1; k <= 120; k++) {
      const ts = START + k * MIN;
      const events = core.step(ts, ts + 250);
      const bars = events.filter((e) => e.payload.kind === 'bar');
      expect(bars.map((b) => b.payload.instrument).sort()).toEqual(UNIVERSE.map((i) => i.symbol).sort());
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        const at = `step ${k} event ${i}`;
        check(e.type === 'SignalIngested' && e.tsInit === ts + 250 && e.causationIds.length === 0, `${at}: envelope`);
        check(e.tsEvent >= ts - MIN && e.tsEvent <= ts, `${at}: tsEvent outside the bar`);
        check(!ids.has(e.id), `${at}: repeated id`);
        ids.add(e.id);
        check(i === 0 || orderKey(events[i - 1]!) < orderKey(e), `${at}: out of order`);
        // Ground truth stays inside the core.
        check(!/informed|episode|planted/i.test(JSON.stringify(e)), `${at}: leaks ground truth`);
      }
      for (const b of bars) {
        const bar = b.payload.body as unknown as Bar;
        const at = `step ${k} ${b.payload.instrument}`;
        check(b.tsEvent === ts && bar.intervalMs === MIN, `${at}: bar time`);
        check(bar.high >= Math.max(bar.open, bar.close) && bar.low <= Math.min(bar.open, bar.close), `${at}: OHLC`);
        check(bar.low > 0 && bar.volume > 0, `${at}: non-positive`);
      }
    }
    expect(problems).toEqual([]);
    expect(() => core.step(START + 120 * MIN)).toThrow(/increase/);
  });

  it('keeps prices positive and sane over five simulated days', () => {
    // Five-minute bars: the same five days in a fifth of the steps.
    const barMs = 5 * MIN;
    const steps = (5 * 24 * 60) / 5;
    const core = new SimulatorCore({ seed: 11, barMs });
    const first = new Map(UNIVERSE.map((i) => [i.symbol, core.price(i.symbol)]));
    const lo = new Map<string, number>();
    const hi = new Map<string, number>();
    let widestBar = 1;
    for (let k = 1; k <= steps; k++) {
      for (const e of core.step(START + k * barMs)) {
        if (e.payload.kind !== 'bar') continue;
        const symbol = e.payload.instrument!;
        const bar = e.payload.body as unknown as Bar;
        lo.set(symbol, Math.min(lo.get(symbol) ?? Infinity, bar.low / first.get(symbol)!));
        hi.set(symbol, Math.max(hi.get(symbol) ?? 0, bar.high / first.get(symbol)!));
        widestBar = Math.max(widestBar, bar.high / bar.low);
      }
    }
    for (const i of UNIVERSE) {
      const crypto = i.assetClass === 'crypto';
      expect(lo.get(i.symbol), i.symbol).toBeGreaterThan(crypto ? 0.33 : 0.6);
      expect(hi.get(i.symbol), i.symbol).toBeLessThan(crypto ? 3 : 1.7);
    }
    // No five-minute bar spans more than 15%.
    expect(widestBar).toBeLessThan(1.15);
  });

  it('produces bot swarms: bursts of near-identical posts from new, low-follower accounts', () => {
    const core = new SimulatorCore({ seed: 5 });
    const events = new Map<string, SignalIngested>();
    for (let k = 1; k <= 1500; k++) for (const e of core.step(START + k * MIN)) events.set(e.id, e);
    const words = (t: string) => new Set(t.toLowerCase().replace(/#\w+/g, '').match(/[a-z$]+/g) ?? []);
    const jaccard = (a: Set<string>, b: Set<string>) => [...a].filter((w) => b.has(w)).length / new Set([...a, ...b]).size;

    const swarms = core.episodes.filter((e) => e.kind === 'bot_swarm');
    expect(swarms.length).toBeGreaterThan(20);
    for (const swarm of swarms.filter((s) => s.eventIds.length > 0)) {
      const posts = swarm.eventIds.map((id) => events.get(id)!).filter(Boolean);
      expect(posts.length).toBeGreaterThanOrEqual(15);
      const times = posts.map((p) => p.tsEvent);
      expect(Math.max(...times) - Math.min(...times)).toBeLessThan(3 * MIN);
      const bodies = posts.map((p) => p.payload.body as { author: string; followers: number; accountAgeDays: number; text: string });
      expect(new Set(bodies.map((b) => b.author)).size).toBe(bodies.length);
      for (const b of bodies) {
        expect(b.followers).toBeLessThanOrEqual(50);
        expect(b.accountAgeDays).toBeLessThanOrEqual(14);
        expect(b.text).toContain('$');
        expect(jaccard(words(b.text), words(bodies[0]!.text))).toBeGreaterThan(0.8);
      }
      // Not exact copies: hashing the text alone would not catch them.
      expect(new Set(bodies.map((b) => b.text)).size).toBeGreaterThan(1);
    }

    // Organic waves look different: established accounts and varied wording.
    const waves = core.episodes.filter((e) => e.kind === 'mention_wave' && e.eventIds.length >= 10);
    expect(waves.length).toBeGreaterThan(5);
    for (const wave of waves) {
      const bodies = wave.eventIds.map((id) => events.get(id)!.payload.body as { accountAgeDays: number; text: string });
      expect(Math.min(...bodies.map((b) => b.accountAgeDays))).toBeGreaterThanOrEqual(60);
      expect(new Set(bodies.map((b) => b.text)).size).toBeGreaterThan(2);
    }
  });

  it('emits every kind of alternative data with the promised bodies, each on the right asset class', () => {
    const core = new SimulatorCore({ seed: 8 });
    const byKind = new Map<string, SignalIngested[]>();
    for (let k = 1; k <= 600; k++) {
      for (const e of core.step(START + k * MIN)) {
        if (!byKind.has(e.payload.kind)) byKind.set(e.payload.kind, []);
        byKind.get(e.payload.kind)!.push(e);
      }
    }
    const crypto = (e: SignalIngested) => e.payload.instrument!.endsWith('-USD');
    const insider = byKind.get('insider_filing') ?? [];
    expect(insider.length).toBeGreaterThan(0);
    for (const e of insider) {
      expect(crypto(e)).toBe(false);
      const b = e.payload.body as { transactionCode: string; shares: number; price: number; value: number; owner: string; relationship: string };
      expect(['P', 'S']).toContain(b.transactionCode);
      expect(b.value).toBeCloseTo(b.shares * b.price, 1);
      expect(b.owner).toMatch(/^\w+ \w+$/);
      expect(b.relationship).toBeTruthy();
    }
    const whales = byKind.get('whale_transfer') ?? [];
    expect(whales.length).toBeGreaterThan(0);
    for (const e of whales) {
      expect(crypto(e)).toBe(true);
      const b = e.payload.body as { from: string; to: string; amountUsd: number; toExchange: boolean; fromExchange: boolean };
      expect(b.amountUsd).toBeGreaterThan(0);
      expect(b.toExchange && b.fromExchange).toBe(false);
    }
    for (const e of byKind.get('news') ?? []) {
      const b = e.payload.body as { headline: string; source: string; sentiment: number };
      expect(b.headline.length).toBeGreaterThan(10);
      expect(Math.abs(b.sentiment)).toBeLessThanOrEqual(1);
    }
    const mentions = byKind.get('social_mention') ?? [];
    const bad = mentions.filter((e) => {
      const b = e.payload.body as { platform: string; text: string; sentiment: number; followers: number };
      return !['reddit', 'x'].includes(b.platform) || !/\$[A-Z]+/.test(b.text) || !(Math.abs(b.sentiment) <= 1) || !(b.followers >= 0);
    });
    expect(mentions.length).toBeGreaterThan(1000);
    expect(bad).toEqual([]);
    // About 70 events per simulated minute: 51 bars and the rest alternative data.
    const total = [...byKind.values()].reduce((n, list) => n + list.length, 0);
    expect(total / 600).toBeGreaterThan(55);
    expect(total / 600).toBeLessThan(110);
  });
});

describe('SimulatorCollector', () => {
  it('publishes on a timer what the core produces, and stops cleanly', async () => {
    const bus = new CaptureBus();
    const clock = new TestClock(START);
    const collector = new SimulatorCollector({ bus, clock, seed: 9, tickMs: 5 });
    expect(collector.name).toBe('simulator');
    await collector.start();
    await vi.waitFor(() => expect(collector.core.steps).toBeGreaterThanOrEqual(3), { timeout: 5000, interval: 5 });
    await collector.stop();
    const published = bus.on(Topics.signalsRaw);
    expect(published.length).toBe(collector.published);
    await new Promise((r) => setTimeout(r, 30));
    expect(bus.on(Topics.signalsRaw).length).toBe(published.length);

    // The same seed and bar times give the same events.
    const core = new SimulatorCore({ seed: 9 });
    const expected: SignalIngested[] = [];
    for (let k = 1; k <= collector.core.steps; k++) expected.push(...core.step(START + k * MIN, START));
    expect(canonicalJson(published)).toBe(canonicalJson(expected));
  });

  it('in followClock mode emits only the bars the clock has passed', async () => {
    const bus = new CaptureBus();
    const clock = new TestClock(START + 30_000);
    const collector = new SimulatorCollector({ bus, clock, seed: 9, followClock: true, maxBarsPerTick: 2 });
    expect(await collector.tick()).toBe(0);
    clock.advance(3 * MIN);
    expect(await collector.tick()).toBe(2);
    expect(await collector.tick()).toBe(1);
    expect(await collector.tick()).toBe(0);
    const bars = bus.on(Topics.signalsRaw).filter((e) => e.payload.kind === 'bar');
    expect([...new Set(bars.map((b) => b.tsEvent))]).toEqual([START + MIN, START + 2 * MIN, START + 3 * MIN]);
    for (const e of bus.on(Topics.signalsRaw)) expect(e.tsEvent).toBeLessThanOrEqual(e.tsInit);
  });

  it('saves its last bar, and a later run continues after it with new documents instead of repeating', async () => {
    const store = await createStore('memory://');
    try {
      const fresh = await planSimulatorRun({ cursors: store.cursors, seed: 9, barMs: MIN, now: START + 30_000, warmupBars: 5 });
      expect(fresh).toEqual({ seed: 9, startMs: START - 5 * MIN, resumedAfter: null });

      const run = async (seed: number, startMs: number, bars: number) => {
        const bus = new CaptureBus();
        const clock = new TestClock(startMs + bars * MIN);
        const collector = new SimulatorCollector({ bus, clock, seed, startMs, followClock: true, cursors: store.cursors });
        expect(await collector.tick()).toBe(bars);
        return bus.on(Topics.signalsRaw);
      };
      const first = await run(fresh.seed, fresh.startMs, 10);
      expect(JSON.parse((await store.cursors.get('simulator'))!)).toEqual({ lastTs: START + 5 * MIN });

      // Restarted at once (simulated time ran ahead of the wall clock): it starts where the first run stopped.
      const next = await planSimulatorRun({ cursors: store.cursors, seed: 9, barMs: MIN, now: START + 60_000, warmupBars: 5 });
      expect(next.startMs).toBe(START + 5 * MIN);
      expect(next.resumedAfter).toBe(START + 5 * MIN);
      expect(next.seed).not.toBe(9);
      expect(await planSimulatorRun({ cursors: store.cursors, seed: 9, barMs: MIN, now: START + 60_000, warmupBars: 5 })).toEqual(next);

      const second = await run(next.seed, next.startMs, 10);
      expect(Math.min(...second.map((e) => e.tsEvent))).toBeGreaterThan(START + 5 * MIN - MIN);
      const hashes = new Set(first.map((e) => contentHash(e.payload)));
      expect(second.filter((e) => hashes.has(contentHash(e.payload)))).toEqual([]);

      // Restarted long after: a fresh warm-up window before now, still a derived seed.
      const later = await planSimulatorRun({ cursors: store.cursors, seed: 9, barMs: MIN, now: START + 1000 * MIN, warmupBars: 5 });
      expect(later.startMs).toBe(START + 995 * MIN);
      expect(later.seed).not.toBe(next.seed);
    } finally {
      await store.close();
    }
  });

  it('ignores an unreadable cursor and plans a fresh run', async () => {
    const store = await createStore('memory://');
    try {
      await store.cursors.set('simulator', 'not json');
      const plan = await planSimulatorRun({ cursors: store.cursors, seed: 4, barMs: MIN, now: START, warmupBars: 2 });
      expect(plan).toEqual({ seed: 4, startMs: START - 2 * MIN, resumedAfter: null });
    } finally {
      await store.close();
    }
  });
});
