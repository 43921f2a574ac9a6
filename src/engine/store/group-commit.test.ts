import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A writer that records each call's items and can be told to fail on some items or to hold a call open. */
function writer(options: { failOn?: (item: number) => boolean } = {}) {
  const calls: number[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let release: (() => void) | null = null;
  let held: Promise<void> | null = null;
  const write = async (items: readonly number[]): Promise<string[]> => {
    calls.push([...items]);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (held) await held;
      if (options.failOn && items.some(options.failOn)) throw new Error(`bad item in [${items.join(',')}]`);
      return items.map((i) => `r${i}`);
    } finally {
      inFlight--;
    }
  };
  const hold = () => {
    held = new Promise<void>((r) => (release = r));
  };
  const open = () => {
    held = null;
    release?.();
  };
  return { write, calls, hold, open, maxInFlight: () => maxInFlight };
}

const settle = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: Error) => ({ error: error.message }));

describe('GroupCommit', () => {
  it('writes a lone item at once, on its own', async () => {
    const w = writer();
    const gc = new GroupCommit(w.write);
    expect(await gc.submit(1)).toBe('r1');
    expect(w.calls).toEqual([[1]]);
  });

  it('writes the items submitted in one tick together, in order', async () => {
    const w = writer();
    const gc = new GroupCommit(w.write);
    const results = await Promise.all([1, 2, 3, 4].map((i) => gc.submit(i)));
    expect(results).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(w.calls).toEqual([[1, 2, 3, 4]]);
  });

  it('groups what arrives during a write into the next one, one write at a time, order kept', async () => {
    const w = writer();
    const gc = new GroupCommit(w.write);
    w.hold();
    const first = gc.submit(1);
    await Promise.resolve();
    await Promise.resolve(); // the first write has started and is held open
    const later = [2, 3, 4, 5].map((i) => gc.submit(i));
    expect(gc.waiting).toBe(4);
    w.open();
    expect(await Promise.all([first, ...later])).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(w.calls).toEqual([[1], [2, 3, 4, 5]]);
    expect(w.maxInFlight()).toBe(1);
  });

  it('never writes more than maxBatch items at once', async () => {
    const w = writer();
    const gc = new GroupCommit(w.write, 3);
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((i) => gc.submit(i)));
    expect(w.calls).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('a failing batch is written again one item at a time: only the bad item is rejected', async () => {
    const w = writer({ failOn: (i) => i === 3 });
    const gc = new GroupCommit(w.write);
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((i) => settle(gc.submit(i))));
    expect(outcomes).toEqual([
      { value: 'r1' },
      { value: 'r2' },
      { error: 'bad item in [3]' },
      { value: 'r4' },
      { value: 'r5' },
    ]);
    expect(w.calls).toEqual([[1, 2, 3, 4, 5], [1], [2], [3], [4], [5]]);
  });

  it('rejects every caller when every write fails, and keeps working afterwards', async () => {
    let down = true;
    const gc = new GroupCommit(async (items: readonly number[]) => {
      if (down) throw new Error('database unreachable');
      return items.map((i) => i * 10);
    });
    const outcomes = await Promise.all([1, 2, 3].map((i) => settle(gc.submit(i))));
    expect(outcomes).toEqual([1, 2, 3].map(() => ({ error: 'database unreachable' })));
    down = false;
    expect(await gc.submit(4)).toBe(40);
  });

  it('rejects the batch when the writer returns the wrong number of results', async () => {
    const gc = new GroupCommit(async () => ['only one']);
    const outcomes = await Promise.all([1, 2].map((i) => settle(gc.submit(i))));
    expect(outcomes.every((o) => 'error' in o && /2 items/.test(o.error))).toBe(true);
  });
});
