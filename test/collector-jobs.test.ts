/**
 * The real sources as the server builds them from config: enabled sections start, enabled sections
 * without credentials say why once and stay off, and an RSS feed served on 127.0.0.1 flows onto the bus.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { MemoryBus } from '../src/engine/bus/memory.js';
import { Topics } from '../src/engine/bus/topics.js';
import { LiveClock } from '../src/engine/clock.js';
import { UNIVERSE } from '../src/engine/collectors/universe.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import type { SignalIngested } from '../src/engine/types.js';
import { startCollectorJobs } from '../src/jobs/collectors.js';
import { sourceFactories, weiToEth } from '../src/jobs/sources.js';
import { type FixtureServer, startFixtureServer } from './fixture-server.js';

describe('weiToEth', () => {
  it('converts exactly, whatever the size', () => {
    expect(weiToEth('1500000000000000000000')).toBe('1500');
    expect(weiToEth('1')).toBe('0.000000000000000001');
    expect(weiToEth('123456789012345678901234567890')).toBe('123456789012.34567890123456789');
    expect(weiToEth('0')).toBe('0');
  });
});

describe('collector jobs built from config', () => {
  let server: FixtureServer;
  let store: DrizzleStore;
  let dir: string;
  beforeAll(async () => {
    server = await startFixtureServer();
    store = await createStore('memory://');
    dir = await mkdtemp(path.join(tmpdir(), 'vanta-jobs-'));
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts the enabled sources, keeps those missing credentials off with a reason, and publishes', async () => {
    server.file('/guardian.rss', 'rss_atom/rss-parser_guardian.rss', { contentType: 'application/rss+xml' });
    const file = path.join(dir, 'vanta.config.json');
    await writeFile(
      file,
      JSON.stringify({
        collectors: {
          http: { userAgent: 'Vanta-test (qa@vanta.test)' },
          news: { enabled: true, feeds: [`${server.url}/guardian.rss`], pollMs: 60_000 },
          fred: { enabled: true },
        },
      }),
    );
    const config = loadConfig({ env: {}, file });
    const bus = new MemoryBus();
    const raw: SignalIngested[] = [];
    bus.subscribe(Topics.signalsRaw, async (event) => void raw.push(event), { group: 'test' });
    const warnings: string[] = [];
    const log = { info: () => {}, warn: (_obj: object, msg?: string) => void warnings.push(msg ?? '') };

    const jobs = await startCollectorJobs({
      config,
      bus,
      clock: new LiveClock(),
      cursors: store.cursors,
      log,
      sources: sourceFactories(UNIVERSE.map((i) => i.symbol)),
    });
    try {
      await expect.poll(() => raw.length, { timeout: 15_000 }).toBeGreaterThan(0);
      expect(new Set(raw.map((e) => e.payload.kind))).toEqual(new Set(['news']));
      expect(server.requestsTo('/guardian.rss')[0]?.headers['user-agent']).toBe('Vanta-test (qa@vanta.test)');

      const states = new Map(jobs.collectors.map((c) => [c.name, c]));
      expect(states.get('fred')).toMatchObject({ state: 'disabled' });
      expect(states.get('fred')?.reason).toMatch(/apiKey|api key|VANTA_FRED_API_KEY/i);
      expect(warnings.filter((w) => w.startsWith('fred'))).toHaveLength(1);
      expect(states.has('sec')).toBe(false); // not enabled: not mentioned at all
    } finally {
      await jobs.stop();
      await bus.close();
    }
  });
});
