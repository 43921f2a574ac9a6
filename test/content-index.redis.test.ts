/** The content index contract on the Redis at REDIS_TEST_URL, each test under its own key prefix. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { RedisContentIndex } from '../src/engine/enrich/content-index.js';
import { contentIndexContract } from '../src/engine/enrich/content-index.contract.js';
import { deleteKeysUnder, REDIS_TEST_URL, redisAvailable, uniqueName } from './services.js';

const available = await redisAvailable();
const prefix = `${uniqueName('vanta_content_test')}:`;

describe.skipIf(!available)('RedisContentIndex', () => {
  let redis: Redis;
  let n = 0;
  beforeAll(() => {
    redis = new Redis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    await deleteKeysUnder(redis, prefix);
    await redis.quit();
  });

  contentIndexContract('redis', () => new RedisContentIndex(redis, `${prefix}${n++}:`));
});
