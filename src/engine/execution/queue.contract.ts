/** What every AutotradeQueue must do. `make` gives a fresh, empty queue per test. */
import { expect, it } from 'vitest';
import { clientOrderIdOf } from './broker.js';
import type { AutotradeQueue } from './queue.js';
import { intent, T0 } from './testing/fixtures.js';

export function autotradeQueueContract(name: string, make: () => AutotradeQueue | Promise<AutotradeQueue>): void {
  it(`${name}: enqueues once per client order id`, async () => {
    const q = await make();
    const i = intent();
    const first = await q.enqueue(i, { causationIds: ['cv_1'], now: T0 });
    expect(first).toMatchObject({ id: clientOrderIdOf(i), state: 'pending', attempts: 0, enqueuedAt: T0, causationIds: ['cv_1'] });
    const again = await q.enqueue({ ...i, quantity: '99' }, { causationIds: ['other'], now: T0 + 5 });
    expect(again).toEqual(first);
    expect(await q.list()).toHaveLength(1);
  });

  it(`${name}: takes oldest first, up to the limit, and leases what it hands out`, async () => {
    const q = await make();
    await q.enqueue(intent({ convictionId: 'b' }), { causationIds: [], now: T0 + 2 });
    await q.enqueue(intent({ convictionId: 'a' }), { causationIds: [], now: T0 + 1 });
    await q.enqueue(intent({ convictionId: 'c' }), { causationIds: [], now: T0 + 3 });
    const taken = await q.take({ limit: 2, now: T0 + 10, leaseMs: 1000 });
    expect(taken.map((e) => e.intent.convictionId)).toEqual(['a', 'b']);
    expect(taken.every((e) => e.state === 'taken' && e.attempts === 1 && e.leaseUntil === T0 + 1010)).toBe(true);
    expect((await q.take({ limit: 10, now: T0 + 20, leaseMs: 1000 })).map((e) => e.intent.convictionId)).toEqual(['c']);
    expect(await q.take({ limit: 10, now: T0 + 30, leaseMs: 1000 })).toEqual([]);
    expect(await q.take({ limit: 0, now: T0 + 30, leaseMs: 1000 })).toEqual([]);
  });

  it(`${name}: hands an entry out again when its lease runs out, one attempt more`, async () => {
    const q = await make();
    const { id } = await q.enqueue(intent(), { causationIds: [], now: T0 });
    await q.take({ limit: 1, now: T0, leaseMs: 1000 });
    expect(await q.take({ limit: 1, now: T0 + 999, leaseMs: 1000 })).toEqual([]);
    const again = await q.take({ limit: 1, now: T0 + 1000, leaseMs: 1000 });
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ id, attempts: 2, leaseUntil: T0 + 2000 });
  });

  it(`${name}: a completed entry is never handed out again, nor re-queued by enqueue`, async () => {
    const q = await make();
    const i = intent();
    const { id } = await q.enqueue(i, { causationIds: [], now: T0 });
    await q.take({ limit: 1, now: T0, leaseMs: 10 });
    await q.complete(id, 'submitted', T0 + 5);
    expect(await q.get(id)).toMatchObject({ state: 'done', outcome: 'submitted', completedAt: T0 + 5, leaseUntil: null });
    expect(await q.take({ limit: 1, now: T0 + 1_000_000, leaseMs: 10 })).toEqual([]);
    expect((await q.enqueue(i, { causationIds: [], now: T0 + 6 })).state).toBe('done');
    expect(await q.list({ state: 'done' })).toHaveLength(1);
    expect(await q.list({ state: 'pending' })).toHaveLength(0);
  });

  it(`${name}: completing an unknown entry is an error`, async () => {
    const q = await make();
    await expect(q.complete('nope', 'denied', T0)).rejects.toMatchObject({ code: 'QUEUE_ENTRY_NOT_FOUND' });
    expect(await q.get('nope')).toBeNull();
  });
}
