import { describe, expect, it } from 'vitest';
import { signal } from './bus.contract.js';
import { idempotent, idempotentBatch } from './idempotent.js';

describe('idempotent', () => {
  it('handles each id once', async () => {
    const calls: string[] = [];
    const h = idempotent<'signals.raw'>(async (e) => void calls.push(e.id));
    for (const id of ['a', 'b', 'a', 'a', 'b', 'c']) await h(signal(id));
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(h.size).toBe(3);
  });

  it('forgets the least recently seen id beyond its capacity', async () => {
    const calls: string[] = [];
    const h = idempotent<'signals.raw'>(async (e) => void calls.push(e.id), { capacity: 2 });
    for (const id of ['a', 'b', 'a', 'c', 'a', 'b']) await h(signal(id));
    // 'a' was refreshed by its repeat, so 'b' was the one evicted when 'c' came.
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
    expect(h.size).toBe(2);
  });

  it('does not remember an id whose handler failed', async () => {
    let n = 0;
    const h = idempotent<'signals.raw'>(async () => {
      n++;
      if (n === 1) throw new Error('first try fails');
    });
    await expect(h(signal('a'))).rejects.toThrow('first try fails');
    expect(h.has('a')).toBe(false);
    await h(signal('a'));
    await h(signal('a'));
    expect(n).toBe(2);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const h = idempotent<'signals.raw'>((() => {
      throw new Error('sync');
    }) as never);
    await expect(h(signal('a'))).rejects.toThrow('sync');
  });

  it('a repeat arriving while the first delivery runs waits for it instead of running alongside', async () => {
    let running = 0;
    let max = 0;
    let calls = 0;
    const h = idempotent<'signals.raw'>(async () => {
      calls++;
      running++;
      max = Math.max(max, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
    });
    await Promise.all([h(signal('a')), h(signal('a')), h(signal('a'))]);
    expect(calls).toBe(1);
    expect(max).toBe(1);
  });
});

describe('idempotentBatch', () => {
  const batchOf = (...list: string[]) => list.map((id) => signal(id));

  it('hands over only the events not handled before, each id once, in order', async () => {
    const calls: string[][] = [];
    const h = idempotentBatch<'signals.raw'>(async (events) => void calls.push(events.map((e) => e.id)));
    await h(batchOf('a', 'b'));
    await h(batchOf('b', 'c', 'a', 'c', 'd'));
    await h(batchOf('a', 'd'));
    expect(calls).toEqual([['a', 'b'], ['c', 'd']]);
    expect(h.size).toBe(4);
  });

  it('remembers nothing from a batch whose handler failed', async () => {
    let n = 0;
    const calls: string[][] = [];
    const h = idempotentBatch<'signals.raw'>(async (events) => {
      calls.push(events.map((e) => e.id));
      if (++n === 1) throw new Error('first batch fails');
    });
    await expect(h(batchOf('a', 'b'))).rejects.toThrow('first batch fails');
    expect(h.has('a') || h.has('b')).toBe(false);
    await h(batchOf('a', 'b'));
    expect(calls).toEqual([['a', 'b'], ['a', 'b']]);
  });

  it('an event already running in another batch is waited for, then dropped if that batch succeeded', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const calls: string[][] = [];
    const h = idempotentBatch<'signals.raw'>(async (events) => {
      calls.push(events.map((e) => e.id));
      if (events[0]?.id === 'a') await gate;
    });
    const first = h(batchOf('a', 'b'));
    const second = h(batchOf('b', 'c'));
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toEqual([['a', 'b']]); // the second batch waits for 'b'
    release();
    await Promise.all([first, second]);
    expect(calls).toEqual([['a', 'b'], ['c']]);
  });
});
