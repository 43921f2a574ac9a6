/**
 * The behaviour every Bus implementation must show. Run with `busContract(name, makeBus)` from a test file;
 * `makeBus` gives a fresh bus per test (its own key space) with `maxAttempts: 3` and short retry delays.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Bus, Handler } from './bus.js';
import { BusError } from './bus.js';
import { idempotent } from './idempotent.js';
import { Topics } from './topics.js';
import type { DeadLettered, SignalIngested } from '../types.js';

const RAW = Topics.signalsRaw;

export function signal(id: string, n = 0): SignalIngested {
  return {
    id,
    type: 'SignalIngested',
    tsEvent: 1_700_000_000_000 + n,
    tsInit: 1_700_000_000_500 + n,
    causationIds: [],
    payload: { source: 'test', kind: 'news', instrument: 'AAPL', externalId: id, body: { n } },
  };
}

export const ids = (n: number, prefix = 'e'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

export async function publishAll(bus: Bus, eventIds: readonly string[]): Promise<void> {
  for (const [i, id] of eventIds.entries()) await bus.publish(RAW, signal(id, i));
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A handler that records the ids it handled, in order. */
function recorder(): { seen: string[]; handler: Handler<typeof RAW> } {
  const seen: string[] = [];
  return { seen, handler: async (e) => void seen.push(e.id) };
}

function deadLetters(bus: Bus): DeadLettered[] {
  const out: DeadLettered[] = [];
  bus.subscribe(Topics.deadLetter, async (e) => void out.push(e), { group: 'dl-watch' });
  return out;
}

export function busContract(name: string, makeBus: () => Bus | Promise<Bus>): void {
  describe(`bus contract: ${name}`, () => {
    const open: Bus[] = [];
    const fresh = async (): Promise<Bus> => {
      const bus = await makeBus();
      open.push(bus);
      return bus;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((b) => b.close()));
    });

    it('hands every event to a group once, in order', async () => {
      const bus = await fresh();
      const r = recorder();
      bus.subscribe(RAW, r.handler, { group: 'g' });
      await publishAll(bus, ids(25));
      await bus.drain(10_000);
      expect(r.seen).toEqual(ids(25));
    });

    it('gives every group everything', async () => {
      const bus = await fresh();
      const a = recorder();
      const b = recorder();
      bus.subscribe(RAW, a.handler, { group: 'a' });
      bus.subscribe(RAW, b.handler, { group: 'b' });
      await publishAll(bus, ids(15));
      await bus.drain(10_000);
      expect(a.seen).toEqual(ids(15));
      expect(b.seen).toEqual(ids(15));
    });

    it('splits a group between its consumers, without duplicates', async () => {
      const bus = await fresh();
      const one: string[] = [];
      const two: string[] = [];
      const slow = (into: string[]) => async (e: SignalIngested) => {
        into.push(e.id);
        await sleep(2);
      };
      bus.subscribe(RAW, slow(one), { group: 'shared', consumer: 'c1' });
      bus.subscribe(RAW, slow(two), { group: 'shared', consumer: 'c2' });
      await publishAll(bus, ids(30));
      await bus.drain(10_000);
      const all = [...one, ...two];
      expect(all).toHaveLength(30);
      expect(new Set(all)).toEqual(new Set(ids(30)));
    });

    it('redelivers an event whose handler failed, keeping order', async () => {
      const bus = await fresh();
      const dead = deadLetters(bus);
      const attempts = new Map<string, number>();
      const handled: string[] = [];
      bus.subscribe(
        RAW,
        async (e) => {
          const n = (attempts.get(e.id) ?? 0) + 1;
          attempts.set(e.id, n);
          if (e.id === 'e3' && n < 3) throw new Error(`flaky ${n}`);
          handled.push(e.id);
        },
        { group: 'g' },
      );
      await publishAll(bus, ids(6));
      await bus.drain(10_000);
      expect(handled).toEqual(ids(6));
      expect(attempts.get('e3')).toBe(3);
      expect(dead).toEqual([]);
    });

    it('dead-letters an event that keeps failing, with the error and the source, and moves on', async () => {
      const bus = await fresh();
      const dead = deadLetters(bus);
      const handled: string[] = [];
      let tries = 0;
      bus.subscribe(
        RAW,
        async (e) => {
          if (e.id === 'e2') {
            tries++;
            throw new Error('boom on e2');
          }
          handled.push(e.id);
        },
        { group: 'stage-x' },
      );
      await publishAll(bus, ids(5));
      await bus.drain(10_000);
      expect(handled).toEqual(['e0', 'e1', 'e3', 'e4']);
      expect(tries).toBe(3);
      expect(dead).toHaveLength(1);
      const dl = dead[0]!;
      expect(dl.type).toBe('DeadLettered');
      expect(dl.causationIds).toEqual(['e2']);
      expect(dl.payload.stage).toBe('stage-x');
      expect(dl.payload.error).toContain('boom on e2');
      expect((dl.payload.source as SignalIngested).id).toBe('e2');
      expect((dl.payload.source as SignalIngested).payload.body).toEqual({ n: 2 });
    });

    it('does not dead-letter dead letters', async () => {
      const bus = await fresh();
      const dead = deadLetters(bus);
      let tries = 0;
      bus.subscribe(
        Topics.deadLetter,
        async () => {
          tries++;
          throw new Error('the dead-letter sink is broken');
        },
        { group: 'broken-sink' },
      );
      bus.subscribe(RAW, async () => Promise.reject(new Error('always')), { group: 'g' });
      await publishAll(bus, ['only']);
      await bus.drain(10_000);
      expect(dead).toHaveLength(1);
      expect(tries).toBe(3);
    });

    it('starts a new group at the end with `latest`, at the beginning with `earliest`', async () => {
      const bus = await fresh();
      await publishAll(bus, ['old0', 'old1', 'old2']);
      const early = recorder();
      const late = recorder();
      bus.subscribe(RAW, early.handler, { group: 'early', from: 'earliest' });
      bus.subscribe(RAW, late.handler, { group: 'late', from: 'latest' });
      await publishAll(bus, ['new0', 'new1']);
      await bus.drain(10_000);
      expect(early.seen).toEqual(['old0', 'old1', 'old2', 'new0', 'new1']);
      expect(late.seen).toEqual(['new0', 'new1']);
    });

    it('drain waits for slow handlers', async () => {
      const bus = await fresh();
      const done: string[] = [];
      bus.subscribe(
        RAW,
        async (e) => {
          await sleep(30);
          done.push(e.id);
        },
        { group: 'slow' },
      );
      await publishAll(bus, ids(5));
      await bus.drain(10_000);
      expect(done).toEqual(ids(5));
    });

    it('drain rejects with BUS_DRAIN_TIMEOUT when a group cannot catch up in time', async () => {
      const bus = await fresh();
      const g = gate();
      bus.subscribe(RAW, () => g.wait, { group: 'stuck' });
      await publishAll(bus, ids(2));
      const err = await bus.drain(300).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BusError);
      expect((err as BusError).code).toBe('BUS_DRAIN_TIMEOUT');
      g.open();
      await bus.drain(10_000);
    });

    it('reports lag per topic and group', async () => {
      const bus = await fresh();
      const g = gate();
      let started = 0;
      bus.subscribe(
        RAW,
        async () => {
          started++;
          await g.wait;
        },
        { group: 'lagging' },
      );
      await publishAll(bus, ids(5));
      await waitFor(() => started === 1);
      const before = (await bus.lag()).find((l) => l.topic === RAW && l.group === 'lagging');
      expect(before?.pending).toBe(5);
      g.open();
      await bus.drain(10_000);
      const after = (await bus.lag()).find((l) => l.topic === RAW && l.group === 'lagging');
      expect(after?.pending).toBe(0);
    });

    it('close waits for the handler in flight', async () => {
      const bus = await fresh();
      let started = false;
      let finished = false;
      const sub = bus.subscribe(
        RAW,
        async () => {
          started = true;
          await sleep(150);
          finished = true;
        },
        { group: 'g' },
      );
      await publishAll(bus, ['x']);
      await waitFor(() => started);
      await sub.close();
      expect(finished).toBe(true);
    });

    it('bus.close waits for handlers in flight and refuses new work', async () => {
      const bus = await fresh();
      let started = false;
      let finished = false;
      bus.subscribe(
        RAW,
        async () => {
          started = true;
          await sleep(150);
          finished = true;
        },
        { group: 'g' },
      );
      await publishAll(bus, ['x']);
      await waitFor(() => started);
      await bus.close();
      expect(finished).toBe(true);
      const err = await bus.publish(RAW, signal('late')).catch((e: unknown) => e);
      expect((err as BusError).code).toBe('BUS_CLOSED');
    });

    it('publishMany publishes in order, as many publish calls would', async () => {
      const bus = await fresh();
      const r = recorder();
      bus.subscribe(RAW, r.handler, { group: 'g' });
      await bus.publish(RAW, signal('first'));
      await bus.publishMany(RAW, ids(30, 'many').map((id, i) => signal(id, i)));
      await bus.publishMany(RAW, []);
      await bus.publish(RAW, signal('last'));
      await bus.drain(10_000);
      expect(r.seen).toEqual(['first', ...ids(30, 'many'), 'last']);
    });

    it('hands a batch subscriber every event once, in order, at most maxBatch at a time', async () => {
      const bus = await fresh();
      await publishAll(bus, ids(23));
      const batches: string[][] = [];
      bus.subscribeBatch(RAW, async (events) => void batches.push(events.map((e) => e.id)), { group: 'batched', maxBatch: 4 });
      await bus.drain(10_000);
      expect(batches.flat()).toEqual(ids(23));
      expect(Math.max(...batches.map((b) => b.length))).toBe(4); // what was waiting went together
    });

    it('splits a failing batch: the bad event is retried and dead-lettered alone, the others handled once', async () => {
      const bus = await fresh();
      const dead = deadLetters(bus);
      await publishAll(bus, ids(12));
      const handled: string[] = [];
      let badAttempts = 0;
      bus.subscribeBatch(
        RAW,
        async (events) => {
          if (events.some((e) => e.id === 'e3')) {
            badAttempts++;
            throw new Error('e3 cannot be handled');
          }
          handled.push(...events.map((e) => e.id));
        },
        { group: 'batched', maxBatch: 10 },
      );
      await bus.drain(10_000);
      expect(handled).toEqual(ids(12).filter((id) => id !== 'e3'));
      expect(badAttempts).toBe(1 + 3); // the batch, then e3 alone up to maxAttempts
      expect(dead.map((d) => d.causationIds)).toEqual([['e3']]);
    });

    it('the idempotent wrapper drops redeliveries but retries failures', async () => {
      const bus = await fresh();
      const calls: string[] = [];
      let failedOnce = false;
      const handler = idempotent<typeof RAW>(
        async (e) => {
          calls.push(e.id);
          if (e.id === 'b' && !failedOnce) {
            failedOnce = true;
            throw new Error('once');
          }
        },
        { capacity: 100 },
      );
      bus.subscribe(RAW, handler, { group: 'idem' });
      // The same event published twice stands for a redelivery.
      await publishAll(bus, ['a', 'a', 'b', 'a', 'c']);
      await bus.drain(10_000);
      expect(calls).toEqual(['a', 'b', 'b', 'c']);
      expect(handler.has('a') && handler.has('b') && handler.has('c')).toBe(true);
    });
  });
}
