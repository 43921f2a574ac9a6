import { describe, expect, it } from 'vitest';
import { busContract, ids, publishAll, signal, waitFor } from './bus.contract.js';
import { MemoryBus } from './memory.js';
import { Topics } from './topics.js';

busContract('memory', () => new MemoryBus({ maxAttempts: 3, retryDelayMs: 5 }));

const RAW = Topics.signalsRaw;

describe('MemoryBus', () => {
  it('keeps only `retention` events once every group has them', async () => {
    const bus = new MemoryBus({ retention: 10 });
    const seen: string[] = [];
    bus.subscribe(RAW, async (e) => void seen.push(e.id), { group: 'first' });
    await publishAll(bus, ids(100));
    await bus.drain();
    expect(seen).toHaveLength(100);
    const late: string[] = [];
    bus.subscribe(RAW, async (e) => void late.push(e.id), { group: 'late', from: 'earliest' });
    await bus.drain();
    expect(late).toEqual(ids(100).slice(90));
    await bus.close();
  });

  it('keeps `retention` events for groups to come when nobody subscribes', async () => {
    const bus = new MemoryBus({ retention: 5 });
    await publishAll(bus, ids(50));
    const seen: string[] = [];
    bus.subscribe(RAW, async (e) => void seen.push(e.id), { group: 'g' });
    await bus.drain();
    expect(seen).toEqual(ids(50).slice(45));
    await bus.close();
  });

  it('never trims events an active group has not handled yet', async () => {
    const bus = new MemoryBus({ retention: 0 });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    bus.subscribe(
      RAW,
      async (e) => {
        if (e.id === 'e0') await held;
        seen.push(e.id);
      },
      { group: 'slow' },
    );
    await publishAll(bus, ids(200));
    expect((await bus.lag())[0]?.pending).toBe(200);
    release();
    await bus.drain();
    expect(seen).toEqual(ids(200));
    expect((await bus.lag())[0]?.pending).toBe(0);
    await bus.close();
  });

  it('runs one event at a time per group, groups concurrently', async () => {
    const bus = new MemoryBus();
    let inA = 0;
    let maxA = 0;
    let overlap = false;
    let inB = 0;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    bus.subscribe(
      RAW,
      async () => {
        inA++;
        maxA = Math.max(maxA, inA);
        if (inB > 0) overlap = true;
        await sleep(3);
        inA--;
      },
      { group: 'a' },
    );
    bus.subscribe(RAW, async () => void (inA > 0 && (overlap = true)), { group: 'a', consumer: 'second' });
    bus.subscribe(
      RAW,
      async () => {
        inB++;
        if (inA > 0) overlap = true;
        await sleep(3);
        inB--;
      },
      { group: 'b' },
    );
    await publishAll(bus, ids(20));
    await bus.drain();
    expect(maxA).toBe(1);
    expect(overlap).toBe(true); // groups a and b ran side by side; a's two members never did
    await bus.close();
  });

  it('does not run handlers inside publish()', async () => {
    const bus = new MemoryBus();
    let calls = 0;
    bus.subscribe(RAW, async () => void calls++, { group: 'g' });
    const published = bus.publish(RAW, signal('x'));
    expect(calls).toBe(0);
    await published;
    await waitFor(() => calls === 1);
    await bus.close();
  });

  it('a group that comes back resumes where it left off', async () => {
    const bus = new MemoryBus();
    const seen: string[] = [];
    const sub = bus.subscribe(RAW, async (e) => void seen.push(e.id), { group: 'g' });
    await publishAll(bus, ['a', 'b']);
    await bus.drain();
    await sub.close();
    await publishAll(bus, ['c', 'd']);
    await bus.drain(); // a group with nobody subscribed is not waited for
    bus.subscribe(RAW, async (e) => void seen.push(e.id), { group: 'g', from: 'latest' });
    await bus.drain();
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    await bus.close();
  });

  it('reports handler failures to onError', async () => {
    const errors: { attempt?: number; gaveUp?: boolean }[] = [];
    const bus = new MemoryBus({ maxAttempts: 2, retryDelayMs: 1, onError: (_err, ctx) => errors.push(ctx) });
    bus.subscribe(RAW, async () => Promise.reject(new Error('no')), { group: 'g' });
    await publishAll(bus, ['x']);
    await bus.drain();
    expect(errors.map((e) => [e.attempt, e.gaveUp])).toEqual([
      [1, false],
      [2, true],
    ]);
    await bus.close();
  });
});
