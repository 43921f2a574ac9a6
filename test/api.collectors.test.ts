/**
 * Collector statuses over the real API, wired as the server wires them: the collector jobs built from a config
 * (an RSS feed served on 127.0.0.1, and a FRED section without its key), their changes relayed through a
 * `CollectorStatusFeed` into the API's pub/sub, read with the `collectors` query and the
 * `collectorStatusChanged` subscription over graphql-ws.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, createApiServer } from '../src/api/http.js';
import { loadConfig } from '../src/config.js';
import { MemoryBus } from '../src/engine/bus/memory.js';
import { LiveClock } from '../src/engine/clock.js';
import { UNIVERSE } from '../src/engine/collectors/universe.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { CollectorStatusFeed } from '../src/jobs/collector-status.js';
import { type CollectorJobs, startCollectorJobs } from '../src/jobs/collectors.js';
import { sourceFactories } from '../src/jobs/sources.js';
import { HEALTH, NOW } from './api-fixtures.js';
import { post, subscribe, until, wsClient } from './api-client.js';
import { type FixtureServer, startFixtureServer } from './fixture-server.js';
import { CollectorsDocument, CollectorStatusChangedDocument } from './gql/graphql.js';

let fixtures: FixtureServer;
let store: DrizzleStore;
let bus: MemoryBus;
let api: ApiServer;
let dir: string;
let jobs: CollectorJobs | undefined;
const statuses = new CollectorStatusFeed();
const quiet = { info: () => {}, warn: () => {} };

beforeAll(async () => {
  fixtures = await startFixtureServer();
  fixtures.file('/guardian.rss', 'rss_atom/rss-parser_guardian.rss', { contentType: 'application/rss+xml' });
  store = await createStore('memory://');
  bus = new MemoryBus();
  dir = await mkdtemp(path.join(tmpdir(), 'vanta-api-collectors-'));
  api = await createApiServer(
    { store, bus, health: async () => HEALTH, lineage: async () => null, now: () => NOW, collectors: statuses },
    { port: 0, host: '127.0.0.1' },
  );
});

afterAll(async () => {
  await jobs?.stop();
  await api?.close();
  await bus?.close();
  await store?.close();
  await fixtures?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function startJobs(): Promise<CollectorJobs> {
  const file = path.join(dir, 'vanta.config.json');
  await writeFile(
    file,
    JSON.stringify({
      collectors: {
        http: { userAgent: 'Vanta-test (qa@vanta.test)' },
        news: { enabled: true, feeds: [`${fixtures.url}/guardian.rss`], pollMs: 60_000 },
        fred: { enabled: true },
      },
    }),
  );
  const started = await startCollectorJobs({
    config: loadConfig({ env: {}, file }),
    bus,
    clock: new LiveClock(),
    cursors: store.cursors,
    log: quiet,
    sources: sourceFactories(UNIVERSE.map((i) => i.symbol)),
    onChange: statuses.notify,
  });
  statuses.follow(started);
  return started;
}

describe('collector statuses', () => {
  it('lists nothing before the jobs run', async () => {
    expect(await post(api.url, CollectorsDocument, {})).toMatchObject({ status: 200, data: { collectors: [] } });
  });

  it("delivers a collector's status changes over graphql-ws as it polls, then lists every job", async () => {
    const client = wsClient(api.wsUrl);
    try {
      const news = subscribe(client, CollectorStatusChangedDocument, { name: 'news' });
      const all = subscribe(client, CollectorStatusChangedDocument, {});
      await until(() => api.activeSubscriptions() === 2);
      jobs = await startJobs();

      const polledOnce = () =>
        news.results.some((r) => r.collectorStatusChanged.state === 'IDLE' && r.collectorStatusChanged.published > 0);
      await until(polledOnce, 15_000);
      const states = news.results.map((r) => r.collectorStatusChanged.state);
      expect(states.indexOf('POLLING')).toBeGreaterThanOrEqual(0);
      expect(states.indexOf('POLLING')).toBeLessThan(states.lastIndexOf('IDLE'));
      expect(news.results.every((r) => r.collectorStatusChanged.name === 'news')).toBe(true);
      const polled = news.results.at(-1)!.collectorStatusChanged;
      expect(polled).toMatchObject({ name: 'news', state: 'IDLE', errorCount: 0, lastError: null, deadLettered: 0 });
      expect(Date.parse(polled.lastSuccessAt ?? '')).toBeGreaterThan(0);
      expect(news.errors).toEqual([]);

      // Without a name, every collector: the one disabled for want of its key too.
      await until(() => all.results.some((r) => r.collectorStatusChanged.name === 'fred'));
      expect(all.results.find((r) => r.collectorStatusChanged.name === 'fred')?.collectorStatusChanged).toMatchObject({
        state: 'DISABLED',
        reason: expect.stringMatching(/VANTA_FRED_API_KEY/),
      });

      const listed = await post(api.url, CollectorsDocument, {});
      expect(listed.errors).toBeUndefined();
      expect(listed.data?.collectors.map((c) => [c.name, c.state])).toEqual([
        ['news', 'IDLE'],
        ['fred', 'DISABLED'],
      ]);
      expect(listed.data?.collectors[0]?.published).toBe(polled.published);
      expect(listed.data?.collectors[0]?.cursor).toEqual(expect.any(String));
      news.dispose();
      all.dispose();
      await until(() => api.activeSubscriptions() === 0);
    } finally {
      await client.dispose();
    }
  });

  it('refuses an empty collector name as BAD_USER_INPUT', async () => {
    const client = wsClient(api.wsUrl);
    try {
      const feed = subscribe(client, CollectorStatusChangedDocument, { name: '' });
      expect(await feed.ended).toBe('complete');
      expect(feed.errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argumentName: 'name' }) }),
      ]);
    } finally {
      await client.dispose();
    }
  });
});
