/**
 * The bus contract and the Redis-only behaviour (dead consumers, malformed entries, trimming, lost groups)
 * against the Redis at REDIS_TEST_URL. Every test gets its own key prefix under the suite's, deleted after.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busContract, ids, publishAll, signal, waitFor } from '../src/engine/bus/bus.contract.js';
import { RedisStreamsBus, type RedisStreamsBusOptions } from '../src/engine/bus/redis-streams.js';
import { Topics } from '../src/engine/bus/topics.js';
import type { DeadLettered } from '../src/engine/types.js';
import { REDIS_TEST_URL, deleteKeysUnder, redisAvailable, uniqueName } from './services.js';

const available = await redisAvailable();
const suitePrefix = `${uniqueName('vanta_bus_test')}:`;
const RAW = Topics.signalsRaw;
let n = 0;

function makeBus(options: Partial<RedisStreamsBusOptions> = {}): RedisStreamsBus {
  return new RedisStreamsBus({
    redis: REDIS_TEST_URL,
    prefix: `${suitePrefix}${n++}:`,
    blockMs: 100,
    claimIdleMs: 5_000,
    maxAttempts: 3,
    retryDelayMs: 10,
    closeTimeoutMs: 5_000,
    ...options,
  });
}

describe.skipIf(!available)('RedisStreamsBus', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    if (!redis) return;
    await deleteKeysUnder(redis, suitePrefix);
    await redis.quit();
  });

  busContract('redis', () => makeBus());

  it('a dead consumer’s pending entries are claimed by another consumer (XAUTOCLAIM)', async () => {
    const a = makeBus({ consumer: 'a', closeTimeoutMs: 100, claimIdleMs: 60_000 });
    const prefix = a.prefix;
    const key = a.streamKey(RAW);
    const seenA: string[] = [];
    a.subscribe(RAW, async (e) => {
      seenA.push(e.id);
      await new Promise(() => {}); // hangs: this consumer dies holding its entries
    }, { group: 'workers' });
    await publishAll(a, ids(5));
    await waitFor(() => seenA.length === 1);
    await a.close(); // gives up on the hung handler after closeTimeoutMs
    expect(Number((await redis.xpending(key, 'workers'))[0])).toBeGreaterThan(0);

    const b = makeBus({ prefix, consumer: 'b', claimIdleMs: 200 });
    const seenB: string[] = [];
    b.subscribe(RAW, async (e) => void seenB.push(e.id), { group: 'workers' });
    await b.drain(10_000);
    expect([...seenB].sort()).toEqual(ids(5).sort());
    expect(Number((await redis.xpending(key, 'workers'))[0])).toBe(0);
    await b.close();
  });

  it('a consumer restarted under the same name resumes its own pending entries', async () => {
    const a = makeBus({ consumer: 'same', closeTimeoutMs: 100, claimIdleMs: 60_000 });
    const seen: string[] = [];
    a.subscribe(RAW, async (e) => {
      seen.push(e.id);
      await new Promise(() => {});
    }, { group: 'g' });
    await publishAll(a, ids(3));
    await waitFor(() => seen.length === 1);
    await a.close();

    const again = makeBus({ prefix: a.prefix, consumer: 'same', claimIdleMs: 60_000 });
    const resumed: string[] = [];
    again.subscribe(RAW, async (e) => void resumed.push(e.id), { group: 'g' });
    await again.drain(5_000); // well before claimIdleMs: it was the re-read of its own pending list
    expect(resumed).toEqual(ids(3));
    await again.close();
  });

  it('dead-letters malformed entries with their raw text and goes on', async () => {
    const bus = makeBus();
    const key = bus.streamKey(RAW);
    const dead: DeadLettered[] = [];
    const handled: string[] = [];
    bus.subscribe(Topics.deadLetter, async (e) => void dead.push(e), { group: 'dl' });
    bus.subscribe(RAW, async (e) => void handled.push(e.id), { group: 'g' });
    await redis.xadd(key, '*', 'e', '{not json');
    await redis.xadd(key, '*', 'something', 'else');
    await redis.xadd(key, '*', 'e', '[1,2]');
    await bus.publish(RAW, signal('good'));
    await bus.drain(10_000);
    expect(handled).toEqual(['good']);
    expect(dead).toHaveLength(3);
    expect(dead[0]!.payload.source).toBe('{not json');
    expect(dead[0]!.payload.error).toMatch(/not JSON/);
    expect(dead[1]!.payload.error).toMatch(/no field 'e'/);
    expect(dead[2]!.payload.source).toBe('[1,2]');
    expect(dead.every((d) => d.payload.stage === 'g')).toBe(true);
    expect(Number((await redis.xpending(key, 'g'))[0])).toBe(0);
    await bus.close();
  });

  it('keeps each stream near maxLen', async () => {
    const bus = makeBus({ maxLen: 100 });
    for (let i = 0; i < 1_000; i += 50) {
      await Promise.all(ids(50, `t${i}_`).map((id) => bus.publish(RAW, signal(id))));
    }
    const len = await redis.xlen(bus.streamKey(RAW));
    expect(len).toBeGreaterThanOrEqual(100);
    expect(len).toBeLessThan(250); // `~` trims whole stream nodes (100 entries each by default)
    await bus.close();
  });

  it('re-creates its group when the stream is lost (NOGROUP) and goes on', async () => {
    const bus = makeBus();
    const key = bus.streamKey(RAW);
    const seen: string[] = [];
    bus.subscribe(RAW, async (e) => void seen.push(e.id), { group: 'g' });
    await publishAll(bus, ['a']);
    await bus.drain(5_000);
    await redis.del(key); // as if Redis restarted without its data
    await publishAll(bus, ['b', 'c']);
    await bus.drain(10_000);
    expect(seen).toEqual(['a', 'b', 'c']);
    await bus.close();
  });

  it('gives unnamed subscriptions of one group distinct consumer names', async () => {
    const bus = makeBus({ consumer: 'proc' });
    const seen: string[] = [];
    const slow = async (e: { id: string }) => {
      seen.push(e.id);
      await new Promise((r) => setTimeout(r, 5));
    };
    bus.subscribe(RAW, slow, { group: 'g' });
    bus.subscribe(RAW, slow, { group: 'g' });
    await publishAll(bus, ids(20));
    await bus.drain(10_000);
    expect([...seen].sort()).toEqual(ids(20).sort());
    const consumers = (await redis.xinfo('CONSUMERS', bus.streamKey(RAW), 'g')) as unknown[][];
    expect(consumers.map((c) => c[1]).sort()).toEqual(['proc', 'proc-2']);
    await bus.close();
  });

  it('drains and reports lag when Redis cannot count it (an entry deleted in the middle)', async () => {
    const bus = makeBus();
    const key = bus.streamKey(RAW);
    await publishAll(bus, ids(3));
    const entries = await redis.xrange(key, '-', '+');
    await redis.xdel(key, entries[1]![0]);
    await redis.xgroup('CREATE', key, 'g', '0');
    expect(await bus.lag()).toContainEqual({ topic: RAW, group: 'g', pending: 2 });
    const seen: string[] = [];
    bus.subscribe(RAW, async (e) => void seen.push(e.id), { group: 'g' });
    await bus.drain(5_000);
    expect(seen).toEqual(['e0', 'e2']);
    expect(await bus.lag()).toContainEqual({ topic: RAW, group: 'g', pending: 0 });
    await bus.close();
  });

  it('lag() reports groups of other processes too', async () => {
    const bus = makeBus();
    await publishAll(bus, ids(4));
    await redis.xgroup('CREATE', bus.streamKey(RAW), 'elsewhere', '0');
    const lag = await bus.lag();
    expect(lag).toContainEqual({ topic: RAW, group: 'elsewhere', pending: 4 });
    await bus.close();
  });
});

