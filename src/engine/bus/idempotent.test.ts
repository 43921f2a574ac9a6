import { describe, expect, it } from 'vitest';
import { signal } from './bus.contract.js';
import { idempotent } from './idempotent.js';

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
