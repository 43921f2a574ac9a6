/**
 * The execution engine's ports on SQL, run on both drivers: the contract suites of `execution/` (the same ones
 * the in-memory implementations pass) and what only a database can get wrong: a save that fails must leave
 * nothing behind, decimals must come back digit for digit, and the tables' constraints must admit every value
 * the engine writes.
 */
import { describe, expect, it } from 'vitest';
import type { OrderEvent, OrderInitialized } from '../execution/events.js';
import { killSwitchStoreContract } from '../execution/kill-switch-store.contract.js';
import { buildOrderEvent, type OrderEventDraft } from '../execution/order-events.js';
import { draftOrder, ORDER_STATUSES, type Order } from '../execution/order.js';
import { autotradeQueueContract } from '../execution/queue.contract.js';
import type { FillRecord } from '../execution/repository.js';
import { orderRepositoryContract } from '../execution/repository.contract.js';
import { applyOrderEvent } from '../execution/state-machine.js';
import { intent, T0 } from '../execution/testing/fixtures.js';
import { type ContractStoreHandle, useTruncatedStore } from './contract-store.js';
import type { DrizzleStore } from './repositories.js';

/** The tables the three ports write; emptied before every test so that each starts from nothing. */
const TABLES = 'order_events, fills, orders, autotrade_queue, kill_switches';

/** The execution contract suites and the SQL-specific tests on stores that `open` gives. */
export function executionStoreContract(name: string, open: () => Promise<ContractStoreHandle>): void {
  describe(`${name}: OrderRepository`, () => {
    const fresh = useTruncatedStore(open, TABLES);
    orderRepositoryContract(name, async () => (await fresh()).orders);
  });

  describe(`${name}: AutotradeQueue`, () => {
    const fresh = useTruncatedStore(open, TABLES);
    autotradeQueueContract(name, async () => (await fresh()).autotradeQueue);
  });

  describe(`${name}: KillSwitchStore`, () => {
    const fresh = useTruncatedStore(open, TABLES);
    killSwitchStoreContract(name, async () => (await fresh()).killSwitches);
  });

  describe(`${name}: what SQL adds`, () => {
    const fresh = useTruncatedStore(open, TABLES);
    sqlExtras(name, fresh);
  });
}

function created(over: Parameters<typeof intent>[0] = {}): { order: Order; event: OrderInitialized } {
  const draft = draftOrder(intent(over), { referencePrice: '100', causationIds: ['cv'], now: T0 });
  const event = buildOrderEvent(draft, { type: 'OrderInitialized', tsEvent: T0 }, T0) as OrderInitialized;
  return { order: applyOrderEvent(draft, event), event };
}

function step(order: Order, ...drafts: OrderEventDraft[]): { order: Order; events: OrderEvent[] } {
  const events: OrderEvent[] = [];
  let o = order;
  for (const d of drafts) {
    const e = buildOrderEvent(o, d, T0);
    o = applyOrderEvent(o, e);
    events.push(e);
  }
  return { order: o, events };
}

function fill(order: Order, id: string, over: Partial<FillRecord> = {}): FillRecord {
  return {
    venue: order.venue,
    brokerFillId: id,
    brokerOrderId: 'b',
    clientOrderId: order.clientOrderId,
    vaultId: order.vaultId,
    instrument: order.instrument,
    side: order.side,
    quantity: '1',
    price: '100',
    fee: '0',
    feeCurrency: null,
    ts: T0,
    eventId: `fill_${id}`,
    ...over,
  };
}

function sqlExtras(name: string, fresh: () => Promise<DrizzleStore>): void {
  it(`${name}: keeps the intent's terms verbatim, even those risk will deny, and decimals to the last digit`, async () => {
    const { orders } = await fresh();
    // Stored before risk judges them: a malformed quantity must come back as it was, to be denied with a reason.
    for (const [convictionId, quantity, limitPrice] of [
      ['bad', 'abc', null],
      ['exp', '1e3', null],
      ['lim', '10', '01.50'],
    ] as const) {
      const { order, event } = created({ convictionId, quantity, type: limitPrice ? 'LIMIT' : 'MARKET', limitPrice });
      expect(await orders.create(order, event)).toBe(true);
      expect(await orders.get(order.clientOrderId)).toEqual(order);
    }
    // Amounts the engine computes keep every digit (numeric(38,18) would round this notional).
    const { order, event } = created({ convictionId: 'digits' });
    await orders.create(order, event);
    const exact = {
      ...order,
      filledQuantity: '0.000000000000000000123',
      filledNotional: '123456789012345678901234.000000000000000000123',
      avgFillPrice: '100.5',
      fees: '0.1',
    };
    const f = fill(order, 'd1', {
      quantity: '0.000000000000000000123',
      price: '1000000000000000000000000',
      fee: '0.00000000000000000001',
    });
    await orders.save({ order: exact, expectedVersion: order.version, events: [], fills: [f] });
    expect(await orders.get(order.clientOrderId)).toEqual(exact);
    expect(await orders.fills({ clientOrderId: order.clientOrderId })).toEqual([f]);
  });

  it(`${name}: reads amounts back in canonical text`, async () => {
    const store = await fresh();
    const { order, event } = created();
    await store.orders.create(order, event);
    await store.database.query(
      `update orders set filled_quantity = '2.500', fees = '0.000', avg_fill_price = '100.10' where client_order_id = $1`,
      [order.clientOrderId],
    );
    expect(await store.orders.get(order.clientOrderId)).toMatchObject({
      filledQuantity: '2.5',
      fees: '0',
      avgFillPrice: '100.1',
    });
  });

  it(`${name}: admits every order status the state machine has`, async () => {
    const { orders } = await fresh();
    const { order, event } = created();
    await orders.create(order, event);
    let version = order.version;
    for (const status of ORDER_STATUSES) {
      await orders.save({ order: { ...order, status, version: version + 1 }, expectedVersion: version, events: [], fills: [] });
      version += 1;
      expect((await orders.get(order.clientOrderId))?.status).toBe(status);
    }
  });

  it(`${name}: numbers an order's events in the order they were saved`, async () => {
    const store = await fresh();
    const { order, event } = created();
    await store.orders.create(order, event);
    const a = step(order, { type: 'OrderSubmitted', tsEvent: T0 });
    await store.orders.save({ order: a.order, expectedVersion: order.version, events: a.events, fills: [] });
    const b = step(
      a.order,
      { type: 'OrderAccepted', brokerOrderId: 'b', tsEvent: T0 },
      { type: 'OrderCancelRequested', actor: 'u', reason: 'r', tsEvent: T0 },
    );
    await store.orders.save({ order: b.order, expectedVersion: a.order.version, events: b.events, fills: [] });
    const rows = await store.database.query(`select seq, type from order_events where client_order_id = $1 order by seq`, [
      order.clientOrderId,
    ]);
    expect(rows.map((r) => [Number(r.seq), r.type])).toEqual([
      [1, 'OrderInitialized'],
      [2, 'OrderSubmitted'],
      [3, 'OrderAccepted'],
      [4, 'OrderCancelRequested'],
    ]);
    expect((await store.orders.events(order.clientOrderId)).map((e) => e.type)).toEqual(rows.map((r) => r.type));
  });

  it(`${name}: a save against a stale version changes nothing, fills included`, async () => {
    const { orders } = await fresh();
    const { order, event } = created();
    await orders.create(order, event);
    const first = step(order, { type: 'OrderSubmitted', tsEvent: T0 });
    await orders.save({ order: first.order, expectedVersion: order.version, events: first.events, fills: [fill(order, 'f1')] });
    const stale = step(order, { type: 'OrderDenied', check: 'X', reason: 'KILL_SWITCH', message: 'm', tsEvent: T0 });
    await expect(
      orders.save({ order: stale.order, expectedVersion: order.version, events: stale.events, fills: [fill(order, 'f2')] }),
    ).rejects.toMatchObject({ code: 'ORDER_VERSION_CONFLICT' });
    expect(await orders.get(order.clientOrderId)).toEqual(first.order);
    expect((await orders.events(order.clientOrderId)).map((e) => e.type)).toEqual(['OrderInitialized', 'OrderSubmitted']);
    expect(await orders.hasFill('paper', 'f2')).toBe(false);
    expect((await orders.fills()).map((f) => f.brokerFillId)).toEqual(['f1']);
  });

  it(`${name}: a fill stored before, or twice in one change, rolls the whole save back`, async () => {
    const { orders } = await fresh();
    const a = created({ convictionId: 'a' });
    const b = created({ convictionId: 'b' });
    await orders.create(a.order, a.event);
    await orders.create(b.order, b.event);
    await orders.save({ order: a.order, expectedVersion: a.order.version, events: [], fills: [fill(a.order, 'f1')] });

    // The same venue fill claimed by another order: nothing of that order's change is kept.
    const sb = step(b.order, { type: 'OrderSubmitted', tsEvent: T0 });
    const claimed = [fill(b.order, 'f9'), fill(b.order, 'f1', { eventId: 'fill_other' })];
    await expect(
      orders.save({ order: sb.order, expectedVersion: b.order.version, events: sb.events, fills: claimed }),
    ).rejects.toMatchObject({ code: 'FILL_EXISTS' });
    // The same fill twice in one change.
    const twice = [fill(b.order, 'f7'), fill(b.order, 'f7')];
    await expect(
      orders.save({ order: sb.order, expectedVersion: b.order.version, events: sb.events, fills: twice }),
    ).rejects.toMatchObject({ code: 'FILL_EXISTS' });

    expect(await orders.get(b.order.clientOrderId)).toEqual(b.order);
    expect(await orders.events(b.order.clientOrderId)).toEqual([b.event]);
    expect((await orders.fills()).map((f) => f.brokerFillId)).toEqual(['f1']);
    expect(await orders.hasFill('paper', 'f9')).toBe(false);
    expect(await orders.hasFill('paper', 'f7')).toBe(false);

    // The order is not stuck: the same change without the repeated fill goes through.
    await orders.save({ order: sb.order, expectedVersion: b.order.version, events: sb.events, fills: [fill(b.order, 'f9')] });
    expect((await orders.get(b.order.clientOrderId))?.status).toBe('SUBMITTED');
  });

  it(`${name}: an event id stored before is a version conflict, and nothing is kept`, async () => {
    const { orders } = await fresh();
    const { order, event } = created();
    await orders.create(order, event);
    const s = step(order, { type: 'OrderSubmitted', tsEvent: T0 });
    // The order row's version matches, but the change repeats the stored OrderInitialized event.
    await expect(
      orders.save({ order: s.order, expectedVersion: order.version, events: [event, ...s.events], fills: [fill(order, 'f1')] }),
    ).rejects.toMatchObject({ code: 'ORDER_VERSION_CONFLICT' });
    expect(await orders.get(order.clientOrderId)).toEqual(order);
    expect(await orders.fills()).toEqual([]);
  });

  it(`${name}: a taken entry whose lease is unknown counts as expired, as in memory`, async () => {
    const store = await fresh();
    const { id } = await store.autotradeQueue.enqueue(intent(), { causationIds: [], now: T0 });
    await store.autotradeQueue.take({ limit: 1, now: T0, leaseMs: 1_000_000 });
    await store.database.query(`update autotrade_queue set lease_until = null where id = $1`, [id]);
    const again = await store.autotradeQueue.take({ limit: 1, now: T0 + 1, leaseMs: 10 });
    expect(again.map((e) => [e.id, e.attempts])).toEqual([[id, 2]]);
  });

  it(`${name}: the tables refuse a kill switch scope that does not hold together`, async () => {
    const store = await fresh();
    await expect(
      store.database.query(
        `insert into kill_switches (key, scope_kind, scope_id, engaged, actor, reason, changed_at) values ('vault:', 'vault', null, true, 'a', 'r', 1)`,
      ),
    ).rejects.toThrow();
    const blank = { key: 'vault:', scope: { kind: 'vault', id: '' }, engaged: true, actor: 'a', reason: 'r', changedAt: T0 } as const;
    await expect(store.killSwitches.put(blank)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(await store.killSwitches.list()).toEqual([]);
  });
}
