/**
 * The two ways the engine is deployed, built the way the server builds them, each on fresh storage so
 * runs never see each other's rows or streams:
 * - embedded: the in-memory bus and an in-memory PGlite (`memory://`);
 * - postgres: a PostgreSQL server (a new database per run, dropped afterwards) and the Redis Streams bus
 *   (a unique key prefix, deleted afterwards), with the de-duplication index in Redis as when scaled out.
 */
import { Redis } from 'ioredis';
import type { Bus } from '../../src/engine/bus/bus.js';
import { MemoryBus } from '../../src/engine/bus/memory.js';
import { RedisStreamsBus } from '../../src/engine/bus/redis-streams.js';
import { type ContentIndex, MemoryContentIndex, RedisContentIndex } from '../../src/engine/enrich/content-index.js';
import { createStore } from '../../src/engine/store/repositories.js';
import type { Store } from '../../src/engine/store/ports.js';
import { createTestDatabase, deleteKeysUnder, uniqueName } from '../../test/services.js';

export type Mode = 'embedded' | 'postgres';

export interface Deployment {
  readonly bus: Bus;
  readonly store: Store;
  readonly contentIndex: ContentIndex;
  /** Handler failures the bus reported (each is retried, then dead-lettered): a clean run has none. */
  readonly errors: () => number;
  /** Closes the bus and the store and removes what the run created. */
  close(): Promise<void>;
}

export interface DeploymentOptions {
  /** Events a Redis stream keeps; large enough that nothing is trimmed before every group has read it. */
  readonly streamLength: number;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function deploy(mode: Mode, options: DeploymentOptions): Promise<Deployment> {
  return mode === 'embedded' ? embedded() : postgresAndRedis(options);
}

async function embedded(): Promise<Deployment> {
  let errors = 0;
  const bus = new MemoryBus({ onError: () => void errors++ });
  const store = await createStore('memory://');
  return {
    bus,
    store,
    contentIndex: new MemoryContentIndex(),
    errors: () => errors,
    close: async () => {
      await bus.close();
      await store.close();
    },
  };
}

async function postgresAndRedis(options: DeploymentOptions): Promise<Deployment> {
  const database = await createTestDatabase(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, 'vanta_bench');
  const store = await createStore(database.url);
  const redis = new Redis(process.env.REDIS_URL ?? DEFAULT_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `${uniqueName('vanta_bench')}:`;
  let errors = 0;
  const bus = new RedisStreamsBus({ redis, prefix, maxLen: options.streamLength, onError: () => void errors++ });
  return {
    bus,
    store,
    contentIndex: new RedisContentIndex(redis, prefix),
    errors: () => errors,
    close: async () => {
      await bus.close();
      await store.close();
      await database.drop();
      await deleteKeysUnder(redis, prefix);
      await redis.quit();
    },
  };
}
