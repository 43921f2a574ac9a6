/** The online store contract in memory (the Redis run is test/features.redis.test.ts). */
import { describe } from 'vitest';
import { onlineStoreContract } from './online.contract.js';
import { MemoryOnlineStore } from './online.js';

describe('MemoryOnlineStore', () => {
  onlineStoreContract('memory', () => new MemoryOnlineStore());
});
