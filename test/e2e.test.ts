/**
 * The whole system end to end, as a user meets it: the server started from a config on an ephemeral
 * port, the simulator feeding the pipeline, a graphql-ws client receiving a live conviction, then the
 * same conviction and its lineage queried over HTTP. Once on embedded defaults (PGlite, in-memory bus),
 * once on PostgreSQL and Redis.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/server.js';
import { post, subscribe, until, wsClient } from './api-client.js';
import { ConvictionDocument, ConvictionUpdatedDocument, HealthDocument, LineageDocument } from './gql/graphql.js';
import { createTestDatabase, postgresAvailable, REDIS_TEST_URL, redisAvailable, uniqueName } from './services.js';

/** A simulated minute every 500 ms after 30 minutes of warm-up history: convictions flow within seconds. */
const SERVER_ENV = { PORT: '0', VANTA_SIM_TICK_MS: '500', LOG_LEVEL: 'silent' };

/** Polls until `read` gives a value. */
async function eventually<T>(read: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  let value: T | null = null;
  await until(async () => (value = await read()) !== null, timeoutMs);
  return value!;
}

function endToEnd(label: string, env: () => Record<string, string>, expected: { store: string; bus: string }) {
  let server: RunningServer;

  beforeAll(async () => {
    const config = loadConfig({ env: { ...SERVER_ENV, ...env() } });
    server = await startServer(config, { log: createLogger('silent'), print: () => {} });
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`${label}: a subscriber receives a live conviction, then queries it and its lineage back to raw signals`, async () => {
    const client = wsClient(server.wsUrl);
    const feed = subscribe(client, ConvictionUpdatedDocument, { filter: { minAbsScore: 0.05 } });
    try {
      const [first] = await feed.received(1);
      expect(feed.errors).toEqual([]);
      const live = first!.convictionUpdated;
      expect(Math.abs(live.convictionScore)).toBeGreaterThanOrEqual(0.05);
      expect(live.reasonVector.length).toBeGreaterThan(0);
      expect(live.contributingModels.length).toBeGreaterThan(0);

      // Subscribers and the sinks consume the same events independently: the vector and the signal that
      // caused it are readable soon after.
      const vector = await eventually(async () => {
        const stored = await post(server.url, ConvictionDocument, { id: live.id });
        expect(stored.errors).toBeUndefined();
        const conviction = stored.data?.conviction;
        return conviction?.signal ? conviction : null;
      }, 20_000);
      expect(vector).toMatchObject({
        id: live.id,
        signalId: live.signalId,
        convictionScore: live.convictionScore,
        instrument: live.instrument,
        band: live.band,
        explanation: live.explanation,
      });
      expect(vector.signal?.id).toBe(live.signalId);
      expect(Date.parse(vector.expiresAt) - Date.parse(vector.createdAt)).toBe(vector.ttl * 1000);

      // The audit log records every topic in its own consumer group; once it has caught up, the lineage
      // is complete.
      const lineage = await eventually(async () => {
        const graph = (await post(server.url, LineageDocument, { id: live.id })).data?.lineage;
        return graph && graph.missing.length === 0 ? graph : null;
      }, 20_000);
      expect(lineage.rootId).toBe(live.id);
      const byDepth = new Map<number, Set<string>>();
      for (const node of lineage.nodes) byDepth.set(node.depth, (byDepth.get(node.depth) ?? new Set()).add(node.type));
      // Conviction ← model outputs ← (for the feature models, a feature snapshot ←) enriched signals ← ... ← raw signals.
      expect(byDepth.get(0)).toEqual(new Set(['ConvictionScored']));
      expect(byDepth.get(1)).toEqual(new Set(['ModelScored']));
      const types = new Set(lineage.nodes.map((n) => n.type));
      for (const t of ['SignalEnriched', 'SignalDeduplicated', 'SignalIngested']) expect(types.has(t)).toBe(true);
      for (const t of types) expect(['ConvictionScored', 'ModelScored', 'FeaturesComputed', 'SignalEnriched', 'SignalDeduplicated', 'SignalIngested']).toContain(t);
      expect(lineage.nodes.filter((n) => n.type === 'SignalIngested').every((n) => n.depth >= 3)).toBe(true);
      // Every edge joins two nodes of the graph, and every node carries its place in the audit chain.
      const ids = new Set(lineage.nodes.map((n) => n.eventId));
      for (const edge of lineage.edges) expect(ids.has(edge.from) && ids.has(edge.to)).toBe(true);
      for (const node of lineage.nodes) expect(node.auditHash).toMatch(/^[0-9a-f]{64}$/);
      expect(lineage.nodes.find((n) => n.eventId === live.signalId)?.type).toBe('SignalEnriched');

      const health = (await post(server.url, HealthDocument, {})).data!.health;
      expect(health).toMatchObject({ status: 'OK', storeKind: expected.store, busKind: expected.bus });
    } finally {
      feed.dispose();
      await client.dispose();
    }
  });
}

describe('end to end on embedded defaults', () => {
  endToEnd('PGlite and the in-memory bus', () => ({ DATABASE_URL: 'memory://' }), { store: 'pglite', bus: 'memory' });
});

const services = (await postgresAvailable()) && (await redisAvailable());

describe.skipIf(!services)('end to end on PostgreSQL and Redis', () => {
  const prefix = `${uniqueName('vanta_e2e')}:`;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
    const redis = new Redis(REDIS_TEST_URL);
    try {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      await redis.quit();
    }
  });
  endToEnd(
    'PostgreSQL and Redis Streams',
    () => ({ DATABASE_URL: database.url, REDIS_URL: REDIS_TEST_URL, VANTA_REDIS_PREFIX: prefix }),
    { store: 'postgres', bus: 'redis' },
  );
});
