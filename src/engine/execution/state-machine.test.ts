import { describe, expect, it } from 'vitest';
import { ExecutionError, InvalidOrderTransition } from './errors.js';
import { buildOrderEvent, type OrderEventDraft } from './order-events.js';
import { ORDER_STATUSES, type Order, type OrderStatus } from './order.js';
import { applyOrderEvent, nextStatus, ORDER_TRANSITIONS, ORDER_TRIGGERS, transitionOf, type OrderTrigger } from './state-machine.js';
import { orderIn, T0 } from './testing/fixtures.js';

const fill = (quantity: string, price = '101', n = 1) => ({
  brokerFillId: `f-${n}`,
  brokerOrderId: 'b-1',
  clientOrderId: orderIn('ACCEPTED').clientOrderId,
  instrument: 'AAPL',
  side: 'BUY' as const,
  quantity,
  price,
  fee: '0.05',
  feeCurrency: 'USD',
  ts: T0 + 1000,
});

/** The order a row starts from, and the draft whose event is the row's trigger. */
function setup(from: OrderStatus, trigger: OrderTrigger): { order: Order; draft: OrderEventDraft } {
  // Partially filled states hold 4 of 10; the others hold nothing (a late fill on CANCELED/EXPIRED holds 4 too).
  const partial = from === 'PARTIALLY_FILLED' || trigger === 'OrderCancelRejected.partial' || ((from === 'CANCELED' || from === 'EXPIRED') && trigger.startsWith('OrderFilled'));
  const order = orderIn(from, partial ? '4' : '0');
  const left = String(10 - Number(order.filledQuantity));
  const tsEvent = T0 + 1000;
  const drafts: Record<OrderTrigger, OrderEventDraft> = {
    OrderDenied: { type: 'OrderDenied', check: 'KillSwitch', reason: 'KILL_SWITCH', message: 'engaged', tsEvent },
    OrderSubmitted: { type: 'OrderSubmitted', tsEvent },
    OrderAccepted: { type: 'OrderAccepted', brokerOrderId: 'b-1', tsEvent },
    OrderRejected: { type: 'OrderRejected', reason: 'no buying power', code: 'BROKER_REJECTED', tsEvent },
    'OrderFilled.partial': { type: 'OrderFilled', fill: fill('2'), tsEvent },
    'OrderFilled.complete': { type: 'OrderFilled', fill: fill(left), tsEvent },
    OrderCancelRequested: { type: 'OrderCancelRequested', actor: 'admin', reason: 'manual', tsEvent },
    'OrderCancelRejected.unfilled': { type: 'OrderCancelRejected', reason: 'too late', tsEvent },
    'OrderCancelRejected.partial': { type: 'OrderCancelRejected', reason: 'too late', tsEvent },
    OrderCanceled: { type: 'OrderCanceled', reason: 'on request', tsEvent },
    OrderExpired: { type: 'OrderExpired', tsEvent },
  };
  return { order, draft: drafts[trigger] };
}

describe('order state machine', () => {
  it.each(ORDER_TRANSITIONS.map(([from, trigger, to]) => ({ from, trigger, to })))(
    '$from + $trigger → $to',
    ({ from, trigger, to }) => {
      const { order, draft } = setup(from, trigger);
      const event = buildOrderEvent(order, draft, T0 + 2000);
      const next = applyOrderEvent(order, event);
      expect(next.status).toBe(to);
      expect(next.version).toBe(order.version + 1);
      expect(next.lastEventId).toBe(event.id);
      expect(event.causationIds).toEqual([order.lastEventId]);
      expect(Object.isFrozen(next)).toBe(true);
      expect(order.status).toBe(from); // the old value is untouched
    },
  );

  const rows = new Set(ORDER_TRANSITIONS.map(([f, t]) => `${f}|${t}`));
  const nonRows = ORDER_STATUSES.flatMap((from) => ORDER_TRIGGERS.filter((t) => !rows.has(`${from}|${t}`)).map((trigger) => ({ from, trigger })));

  it('has exactly one row per (state, trigger) pair listed', () => {
    expect(rows.size).toBe(ORDER_TRANSITIONS.length);
    expect(nonRows.length + rows.size).toBe(ORDER_STATUSES.length * ORDER_TRIGGERS.length);
  });

  it.each(nonRows)('$from + $trigger is an error', ({ from, trigger }) => {
    expect(transitionOf(from, trigger)).toBeNull();
    expect(() => nextStatus('c1', from, trigger)).toThrow(InvalidOrderTransition);
    try {
      nextStatus('c1', from, trigger);
    } catch (err) {
      expect((err as ExecutionError).code).toBe('ORDER_INVALID_TRANSITION');
    }
    // And through an event, when one can be built for the pair.
    const { order, draft } = setup(from, trigger);
    expect(() => applyOrderEvent(order, buildOrderEvent(order, draft, T0))).toThrow(ExecutionError);
  });

  it('final states have no way out except a late fill on CANCELED and EXPIRED', () => {
    for (const s of ['DENIED', 'REJECTED', 'FILLED'] as const) {
      expect(ORDER_TRANSITIONS.filter(([f]) => f === s)).toEqual([]);
    }
  });

  it('a fill beyond the quantity is an overfill, not a transition', () => {
    const order = orderIn('PARTIALLY_FILLED', '4');
    const event = buildOrderEvent(order, { type: 'OrderFilled', fill: fill('7'), tsEvent: T0 }, T0);
    expect(() => applyOrderEvent(order, event)).toThrow(expect.objectContaining({ code: 'ORDER_OVERFILL' }));
  });

  it('keeps exact filled quantity, notional, average price and fees over several fills', () => {
    let order = orderIn('ACCEPTED');
    const fills = [fill('3', '100.1', 1), fill('3', '100.2', 2), fill('4', '100.4', 3)];
    for (const f of fills) order = applyOrderEvent(order, buildOrderEvent(order, { type: 'OrderFilled', fill: f, tsEvent: f.ts }, T0));
    expect(order.status).toBe('FILLED');
    expect(order.filledQuantity).toBe('10');
    expect(order.filledNotional).toBe('1002.5'); // 300.3 + 300.6 + 401.6, exactly
    expect(order.avgFillPrice).toBe('100.25');
    expect(order.fees).toBe('0.15');
  });

  it('rounds a repeating average price to 12 places and keeps the notional exact', () => {
    let order = orderIn('ACCEPTED');
    for (const [i, f] of [fill('1', '1', 1), fill('1', '1', 2), fill('1', '2', 3)].entries()) {
      order = applyOrderEvent(order, buildOrderEvent(order, { type: 'OrderFilled', fill: f, tsEvent: T0 + i }, T0));
    }
    expect(order.filledNotional).toBe('4');
    expect(order.avgFillPrice).toBe('1.333333333333');
  });

  it('gives the same event id for the same order version, and the fill id for fills', () => {
    const order = orderIn('SUBMITTED');
    const a = buildOrderEvent(order, { type: 'OrderAccepted', brokerOrderId: 'b-1', tsEvent: T0 }, T0);
    const b = buildOrderEvent(order, { type: 'OrderAccepted', brokerOrderId: 'b-1', tsEvent: T0 }, T0 + 99);
    expect(a.id).toBe(b.id);
    const f1 = buildOrderEvent(order, { type: 'OrderFilled', fill: fill('1'), tsEvent: T0 }, T0);
    const f2 = buildOrderEvent(orderIn('PARTIALLY_FILLED', '4'), { type: 'OrderFilled', fill: fill('1'), tsEvent: T0 }, T0);
    expect(f1.id).toBe(f2.id);
  });

  it('OrderInitialized applies only to a fresh draft', () => {
    const order = orderIn('SUBMITTED');
    const event = buildOrderEvent({ ...order, version: 0 }, { type: 'OrderInitialized', tsEvent: T0 }, T0);
    expect(() => applyOrderEvent(order, event)).toThrow(InvalidOrderTransition);
  });
});
