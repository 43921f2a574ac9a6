/**
 * Several stateless API servers on one Redis: each has its own Redis Streams bus connection (as separate
 * processes would) and shares Redis pub/sub. The bridge's consumer group hands each bus event to one
 * server, which republishes it to every server's subscribers: each client sees each event exactly once.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PUBSUB_GROUP } from '../src/api/bridge.js';
import { type ApiServer, createApiServer } from '../src/api/http.js';
import { ApiPubSub, SubscriptionTopic } from '../src/api/pubsub.js';
import { RedisStreamsBus } from '../src/engine/bus/redis-streams.js';
import { Topics } from '../src/engine/bus/topics.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { convictionScored, convictionVector } from '../src/engine/store/store.fixtures.js';
import { subscribe, until, wsClient } from './api-client.js';
import { ConvictionUpdatedDocument } from './gql/graphql.js';
import { REDIS_TEST_URL, deleteKeysUnder, redisAvailable, uniqueName } from './services.js';

const available = await redisAvailable();
const prefix = `${uniqueName('vanta_api_test')}:`;

describe.skipIf(!available)('the API on Redis', () => {
  let admin: Redis;
  const connections: Redis[] = [];
  const pair = () => {
    const publish = new Redis(REDIS_TEST_URL);
    const sub = new Redis(REDIS_TEST_URL);
    connections.push(publish, sub);
    return { publish, subscribe: sub };
  };

  beforeAll(() => {
    admin = new Redis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    if (!admin) return;
    await deleteKeysUnder(admin, prefix);
    await Promise.all([admin, ...connections].map((c) => c.quit()));
  });

  it('ApiPubSub fans out through Redis to subscribers of another instance', async () => {
    const channelPrefix = `${prefix}pubsub:`;
    const a = new ApiPubSub({ redis: pair(), channelPrefix });
    const b = new ApiPubSub({ redis: pair(), channelPrefix });
    const feed = b.subscribe(SubscriptionTopic.ConvictionUpdated);
    const next = feed.next();
    const channel = `${channelPrefix}${SubscriptionTopic.ConvictionUpdated}`;
    await until(async () => Number(((await admin.pubsub('NUMSUB', channel)) as [string, number])[1]) === 1);
    await a.publish(SubscriptionTopic.ConvictionUpdated, convictionVector(1));
    expect((await next).value).toEqual(JSON.parse(JSON.stringify(convictionVector(1))));
    await Promise.all([a.close(), b.close()]);
    expect(await feed.next()).toEqual({ done: true, value: undefined });
  });

  describe('two API servers', () => {
    let store: DrizzleStore;
    const buses: RedisStreamsBus[] = [];
    const servers: ApiServer[] = [];
    const channelPrefix = `${prefix}api:`;

    beforeAll(async () => {
      store = await createStore('memory://');
      for (const name of ['a', 'b']) {
        const bus = new RedisStreamsBus({ redis: REDIS_TEST_URL, prefix: `${prefix}bus:`, consumer: `api-${name}`, blockMs: 100 });
        buses.push(bus);
        servers.push(
          await createApiServer(
            { store, bus, health: async () => Promise.reject(new Error('unused')), lineage: async () => null, now: Date.now, redis: pair() },
            { port: 0, host: '127.0.0.1', channelPrefix },
          ),
        );
      }
    });
    afterAll(async () => {
      for (const s of servers) await s.close();
      for (const b of buses) await b.close();
      await store?.close();
    });

    it('delivers each bus event to every client exactly once', async () => {
      const [a, b] = servers as [ApiServer, ApiServer];
      const bus = buses[0]!;
      const clients = [wsClient(a.wsUrl), wsClient(b.wsUrl)];
      try {
        const feeds = clients.map((c) => subscribe(c, ConvictionUpdatedDocument, {}));
        const channel = `${channelPrefix}${SubscriptionTopic.ConvictionUpdated}`;
        await until(async () => Number(((await admin.pubsub('NUMSUB', channel)) as [string, number])[1]) === 2);
        // Both bridges' consumer group must exist before publishing: it starts from the latest event.
        await until(async () => {
          const groups = (await admin.xinfo('GROUPS', bus.streamKey(Topics.convictions)).catch(() => [])) as unknown[][];
          return groups.some((g) => g.includes(API_PUBSUB_GROUP));
        });

        for (const n of [1, 2, 3]) await bus.publish(Topics.convictions, convictionScored(convictionVector(n)));
        for (const feed of feeds) await feed.received(3);
        await bus.drain();
        await new Promise((resolve) => setTimeout(resolve, 200)); // room for a duplicate to show up
        for (const feed of feeds) {
          expect(feed.results.map((r) => r.convictionUpdated.id)).toEqual(['cv_0001', 'cv_0002', 'cv_0003']);
          expect(feed.errors).toEqual([]);
        }
      } finally {
        await Promise.all(clients.map((c) => c.dispose()));
      }
    });
  });
});
