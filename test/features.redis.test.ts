/**
 * The online feature store contract on the Redis at REDIS_TEST_URL, each test under its own key prefix, and
 * what only Redis adds: the key layout and the expiry that collects entities gone quiet.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlineStoreContract } from '../src/engine/features/online.contract.js';
import { RedisOnlineStore } from '../src/engine/features/online.js';
import { deleteKeysUnder, REDIS_TEST_URL, redisAvailable, scanKeys, uniqueName } from './services.js';

const available = await redisAvailable();
const suitePrefix = `${uniqueName('vanta_features_test')}:`;

describe.skipIf(!available)('RedisOnlineStore', () => {
  let redis: Redis;
  let n = 0;
  beforeAll(() => {
    redis = new Redis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    await deleteKeysUnder(redis, suitePrefix);
    await redis.quit();
  });

  onlineStoreContract('redis', () => new RedisOnlineStore({ redis, prefix: `${suitePrefix}${n++}:` }));

  it('keeps one hash per entity under its prefix, with value, asOf and TTL per feature, and an expiry', async () => {
    const prefix = `${suitePrefix}layout:`;
    const store = new RedisOnlineStore({ redis, prefix, keyExpiryMs: 60_000 });
    await store.write([
      { entityType: 'instrument', entity: 'AAPL', feature: 'mentions_1h', value: 3, asOf: 1_000, ttlMs: 3_600_000 },
      { entityType: 'instrument', entity: 'AAPL', feature: 'return_1h', value: null, asOf: 1_000, ttlMs: 3_600_000 },
    ]);
    const key = `${prefix}features:instrument:AAPL`;
    expect(store.key({ entityType: 'instrument', entity: 'AAPL' })).toBe(key);
    expect(await scanKeys(redis, `${prefix}*`)).toEqual([key]);
    expect(await redis.hgetall(key)).toEqual({
      mentions_1h: '3',
      'mentions_1h:t': '1000',
      'mentions_1h:ttl': '3600000',
      return_1h: '',
      'return_1h:t': '1000',
      'return_1h:ttl': '3600000',
    });
    const pttl = await redis.pttl(key);
    expect(pttl).toBeGreaterThan(50_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it('reports a Redis failure as a FEATURE_STORE_ERROR', async () => {
    const prefix = `${suitePrefix}wrongtype:`;
    const store = new RedisOnlineStore({ redis, prefix });
    await redis.set(`${prefix}features:instrument:AAPL`, 'not a hash');
    const error = await store.read({ entityType: 'instrument', entity: 'AAPL' }, ['mentions_1h'], 0).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'FeatureError', code: 'FEATURE_STORE_ERROR' });
  });
});
