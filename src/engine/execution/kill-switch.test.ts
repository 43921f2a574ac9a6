import { describe, expect, it } from 'vitest';
import { TestClock } from '../clock.js';
import { Random } from '../random.js';
import { FaultyBroker } from './brokers/faulty.js';
import { PaperBroker } from './brokers/paper.js';
import type { KillSwitchChanged, OrderDenied } from './events.js';
import { MemoryKillSwitchStore } from './kill-switch-store.js';
import { killSwitchStoreContract } from './kill-switch-store.contract.js';
import { harness, intent, T0, type Harness } from './testing/fixtures.js';

describe('MemoryKillSwitchStore', () => {
  killSwitchStoreContract('memory', () => new MemoryKillSwitchStore());
});

/** Resting limit orders (they never fill at these prices), one per vault and venue given. */
async function resting(h: Harness, legs: readonly { vaultId: string; venue: string }[]) {
  h.prices.update('AAPL', '100', h.clock.now());
  for (const [i, leg] of legs.entries()) await h.submit(intent({ ...leg, convictionId: `r${i}`, type: 'LIMIT', limitPrice: '95' }));
  expect((await h.orders.list({ open: true })).map((o) => o.status)).toEqual(legs.map(() => 'ACCEPTED'));
}

const statuses = async (h: Harness) => Object.fromEntries((await h.orders.list()).map((o) => [`${o.vaultId}@${o.venue}`, o.status]));

function twoVenues() {
  const clock = new TestClock(T0);
  const second = new PaperBroker({ clock, random: new Random(2), venue: 'paper2' });
  return harness({ clock, extraBrokers: [second] });
}

describe('kill switches', () => {
  it('global: announces the change, cancels every open order, blocks new ones until released', async () => {
    const h = twoVenues();
    await resting(h, [
      { vaultId: 'v1', venue: 'paper' },
      { vaultId: 'v2', venue: 'paper' },
      { vaultId: 'v1', venue: 'paper2' },
    ]);
    const change = await h.killSwitches.engage({ kind: 'global' }, 'alice', 'market halt');
    expect(change.event).toMatchObject({ type: 'KillSwitchChanged', payload: { key: 'global', engaged: true, actor: 'alice', reason: 'market halt' } });
    expect(change.sweep).toEqual({ covered: 3, closed: 3, pending: 0, failed: [] });
    expect(Object.values(await statuses(h))).toEqual(['CANCELED', 'CANCELED', 'CANCELED']);
    expect(await h.paper.openOrders()).toEqual([]);
    const cancelRequests = h.events.filter((e) => e.type === 'OrderCancelRequested');
    expect(cancelRequests.every((e) => (e.payload as { actor: string }).actor === 'kill-switch:global')).toBe(true);

    const [denied] = await h.submit(intent({ convictionId: 'new' }));
    expect(denied?.kind).toBe('denied');
    expect((h.events.at(-1) as OrderDenied).payload).toMatchObject({ reason: 'KILL_SWITCH', check: 'KillSwitch' });

    const released = await h.killSwitches.release({ kind: 'global' }, 'alice', 'resumed');
    expect(released.event?.payload).toMatchObject({ engaged: false, actor: 'alice', reason: 'resumed' });
    expect((await h.submit(intent({ convictionId: 'after' })))[0]?.kind).toBe('placed');
    expect((await h.killStore.get('global'))?.engaged).toBe(false);
  });

  it.each([
    { scope: { kind: 'vault', id: 'v1' } as const, left: { 'v1@paper': 'CANCELED', 'v2@paper': 'ACCEPTED', 'v1@paper2': 'CANCELED' } },
    { scope: { kind: 'venue', id: 'paper2' } as const, left: { 'v1@paper': 'ACCEPTED', 'v2@paper': 'ACCEPTED', 'v1@paper2': 'CANCELED' } },
  ])('$scope.kind: cancels and blocks only what it covers', async ({ scope, left }) => {
    const h = twoVenues();
    await resting(h, [
      { vaultId: 'v1', venue: 'paper' },
      { vaultId: 'v2', venue: 'paper' },
      { vaultId: 'v1', venue: 'paper2' },
    ]);
    await h.killSwitches.engage(scope, 'bob', 'limit breach');
    expect(await statuses(h)).toEqual(left);
    const blocked = intent({ convictionId: 'x', vaultId: 'v1', venue: scope.kind === 'venue' ? 'paper2' : 'paper' });
    expect((await h.submit(blocked))[0]?.kind).toBe('denied');
    expect((await h.submit(intent({ convictionId: 'y', vaultId: 'v2', venue: 'paper' })))[0]?.kind).toBe('placed');
  });

  it('engaging an engaged switch announces nothing but sweeps again', async () => {
    const h = harness();
    await h.killSwitches.engage({ kind: 'global' }, 'a', 'one');
    const again = await h.killSwitches.engage({ kind: 'global' }, 'b', 'two');
    expect(again.event).toBeNull();
    expect(again.sweep).toEqual({ covered: 0, closed: 0, pending: 0, failed: [] });
    expect(h.events.filter((e) => e.type === 'KillSwitchChanged')).toHaveLength(1);
    expect((await h.killSwitches.release({ kind: 'vault', id: 'never' }, 'a', 'noop')).event).toBeNull();
  });

  it('cancels open orders at a slow venue within one second', async () => {
    let faulty!: FaultyBroker;
    const h = harness({ wrap: (p) => (faulty = new FaultyBroker(p)) });
    await resting(h, Array.from({ length: 8 }, () => ({ vaultId: 'v1', venue: 'paper' })).map((l, i) => ({ ...l, vaultId: i % 2 ? 'v1' : 'v2' })));
    faulty.failTimes('cancel', 8, { kind: 'delay', ms: 300 });
    const start = performance.now();
    const change = await h.killSwitches.engage({ kind: 'global' }, 'ops', 'test');
    const elapsed = performance.now() - start;
    expect(elapsed).toBeLessThan(1000);
    expect(change.sweep).toMatchObject({ covered: 8, closed: 8, pending: 0 });
    expect(await h.paper.openOrders()).toEqual([]);
  });

  it('a venue that does not answer a cancel leaves the order PENDING_CANCEL after at most the deadline, and the next sync settles it', async () => {
    let faulty!: FaultyBroker;
    const h = harness({ wrap: (p) => (faulty = new FaultyBroker(p)), executor: { cancelTimeoutMs: 200 } });
    await resting(h, [{ vaultId: 'v1', venue: 'paper' }]);
    faulty.inject('cancel', { kind: 'hang', forward: true });
    const start = performance.now();
    const change = await h.killSwitches.engage({ kind: 'global' }, 'ops', 'test');
    expect(performance.now() - start).toBeLessThan(1000);
    expect(change.sweep).toMatchObject({ covered: 1, closed: 0, pending: 1 });
    expect((await h.orders.list())[0]?.status).toBe('PENDING_CANCEL');
    await h.executor.syncVenue('paper');
    expect((await h.orders.list())[0]?.status).toBe('CANCELED');
  });

  it('an order on its way when the switch is engaged is cancelled as soon as the venue answers', async () => {
    let faulty!: FaultyBroker;
    const h = harness({ wrap: (p) => (faulty = new FaultyBroker(p)) });
    h.prices.update('AAPL', '100', h.clock.now());
    faulty.inject('submit', { kind: 'delay', ms: 50 });
    await h.queue.enqueue(intent({ type: 'LIMIT', limitPrice: '95' }), { causationIds: [], now: h.clock.now() });
    const running = h.executor.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await h.killSwitches.engage({ kind: 'global' }, 'ops', 'halt');
    const [outcome] = await running;
    expect(outcome?.order?.status).toBe('CANCELED');
    expect(await h.paper.openOrders()).toEqual([]);
    const changed = h.events.find((e): e is KillSwitchChanged => e.type === 'KillSwitchChanged');
    expect(changed?.payload.key).toBe('global');
  });
});
