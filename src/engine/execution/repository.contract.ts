/**
 * What every OrderRepository must do (memory here; a SQL implementation later). `make` gives a fresh, empty
 * repository per test.
 */
import { expect, it } from 'vitest';
import type { OrderEvent, OrderInitialized } from './events.js';
import { buildOrderEvent } from './order-events.js';
import { draftOrder, type Order } from './order.js';
import type { FillRecord, OrderRepository } from './repository.js';
import { applyOrderEvent } from './state-machine.js';
import { intent, T0 } from './testing/fixtures.js';

function created(over: Parameters<typeof intent>[0] = {}, now = T0): { order: Order; event: OrderInitialized } {
  const draft = draftOrder(intent(over), { referencePrice: '100', causationIds: ['cv'], now });
  const event = buildOrderEvent(draft, { type: 'OrderInitialized', tsEvent: now }, now) as OrderInitialized;
  return { order: applyOrderEvent(draft, event), event };
}

function step(order: Order, ...drafts: Parameters<typeof buildOrderEvent>[1][]): { order: Order; events: OrderEvent[] } {
  const events: OrderEvent[] = [];
  let o = order;
  for (const d of drafts) {
    const e = buildOrderEvent(o, d, T0);
    o = applyOrderEvent(o, e);
    events.push(e);
  }
  return { order: o, events };
}

function fillRecord(order: Order, id: string, ts: number, quantity = '1'): FillRecord {
  return {
    venue: order.venue,
    brokerFillId: id,
    brokerOrderId: 'b',
    clientOrderId: order.clientOrderId,
    vaultId: order.vaultId,
    instrument: order.instrument,
    side: order.side,
    quantity,
    price: '100',
    fee: '0',
    feeCurrency: 'USD',
    ts,
    eventId: `fill_${id}`,
  };
}

export function orderRepositoryContract(name: string, make: () => OrderRepository | Promise<OrderRepository>): void {
  it(`${name}: creates once per client order id and reads back what it stored`, async () => {
    const repo = await make();
    const { order, event } = created();
    expect(await repo.create(order, event)).toBe(true);
    expect(await repo.get(order.clientOrderId)).toEqual(order);
    const again = created({ quantity: '99' });
    expect(again.order.clientOrderId).toBe(order.clientOrderId);
    expect(await repo.create(again.order, again.event)).toBe(false);
    expect((await repo.get(order.clientOrderId))?.quantity).toBe('10');
    expect(await repo.events(order.clientOrderId)).toEqual([event]);
    expect(await repo.get('nope')).toBeNull();
  });

  it(`${name}: saves against the version read, with events and fills in one change`, async () => {
    const repo = await make();
    const { order, event } = created();
    await repo.create(order, event);
    const s = step(order, { type: 'OrderSubmitted', tsEvent: T0 }, { type: 'OrderAccepted', brokerOrderId: 'b', tsEvent: T0 });
    await repo.save({ order: s.order, expectedVersion: order.version, events: s.events, fills: [] });
    expect((await repo.get(order.clientOrderId))?.status).toBe('ACCEPTED');
    expect((await repo.events(order.clientOrderId)).map((e) => e.type)).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderAccepted']);

    // A writer that read the old version loses, and nothing of its change is stored.
    const stale = step(order, { type: 'OrderDenied', check: 'X', reason: 'KILL_SWITCH', message: 'm', tsEvent: T0 });
    await expect(repo.save({ order: stale.order, expectedVersion: order.version, events: stale.events, fills: [] })).rejects.toMatchObject({
      code: 'ORDER_VERSION_CONFLICT',
    });
    expect((await repo.get(order.clientOrderId))?.status).toBe('ACCEPTED');
    expect(await repo.events(order.clientOrderId)).toHaveLength(3);
  });

  it(`${name}: refuses to save an unknown order`, async () => {
    const repo = await make();
    const { order } = created();
    await expect(repo.save({ order, expectedVersion: 0, events: [], fills: [] })).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
  });

  it(`${name}: stores a fill once per venue fill id and lists fills oldest first`, async () => {
    const repo = await make();
    const { order, event } = created();
    await repo.create(order, event);
    const current = (await repo.get(order.clientOrderId)) as Order;
    await repo.save({ order: current, expectedVersion: current.version, events: [], fills: [fillRecord(order, 'f2', T0 + 20), fillRecord(order, 'f1', T0 + 10)] });
    expect(await repo.hasFill('paper', 'f1')).toBe(true);
    expect(await repo.hasFill('other', 'f1')).toBe(false);
    expect((await repo.fills({ venue: 'paper' })).map((f) => f.brokerFillId)).toEqual(['f1', 'f2']);
    expect((await repo.fills({ since: T0 + 15 })).map((f) => f.brokerFillId)).toEqual(['f2']);
    expect(await repo.fills({ clientOrderId: 'other' })).toEqual([]);
    expect(await repo.lastFillTs('paper')).toBe(T0 + 20);
    expect(await repo.lastFillTs('alpaca')).toBeNull();

    // The same fill again fails the whole change.
    const s = step(current, { type: 'OrderSubmitted', tsEvent: T0 });
    await expect(repo.save({ order: s.order, expectedVersion: current.version, events: s.events, fills: [fillRecord(order, 'f1', T0 + 30)] })).rejects.toMatchObject({
      code: 'FILL_EXISTS',
    });
    expect((await repo.get(order.clientOrderId))?.status).toBe('INITIALIZED');
    expect(await repo.fills()).toHaveLength(2);
  });

  it(`${name}: lists by vault, venue, instrument, openness, status and creation time, oldest first`, async () => {
    const repo = await make();
    const a = created({ convictionId: 'a', vaultId: 'v1' }, T0 + 2);
    const b = created({ convictionId: 'b', vaultId: 'v2', instrument: 'MSFT' }, T0 + 1);
    const c = created({ convictionId: 'c', vaultId: 'v1', venue: 'alpaca' }, T0 + 3);
    for (const x of [a, b, c]) await repo.create(x.order, x.event);
    const denied = step(c.order, { type: 'OrderDenied', check: 'X', reason: 'KILL_SWITCH', message: 'm', tsEvent: T0 });
    await repo.save({ order: denied.order, expectedVersion: c.order.version, events: denied.events, fills: [] });

    const ids = (list: readonly Order[]) => list.map((o) => o.convictionId);
    expect(ids(await repo.list())).toEqual(['b', 'a', 'c']);
    expect(ids(await repo.list({ vaultId: 'v1' }))).toEqual(['a', 'c']);
    expect(ids(await repo.list({ venue: 'alpaca' }))).toEqual(['c']);
    expect(ids(await repo.list({ instrument: 'MSFT' }))).toEqual(['b']);
    expect(ids(await repo.list({ open: true }))).toEqual(['b', 'a']);
    expect(ids(await repo.list({ open: false }))).toEqual(['c']);
    expect(ids(await repo.list({ statuses: ['DENIED'] }))).toEqual(['c']);
    expect(ids(await repo.list({ createdSince: T0 + 2 }))).toEqual(['a', 'c']);
  });

  it(`${name}: what it returns does not change when the order changes later`, async () => {
    const repo = await make();
    const { order, event } = created();
    await repo.create(order, event);
    const before = await repo.get(order.clientOrderId);
    const s = step(order, { type: 'OrderSubmitted', tsEvent: T0 });
    await repo.save({ order: s.order, expectedVersion: order.version, events: s.events, fills: [] });
    expect(before?.status).toBe('INITIALIZED');
  });
}
