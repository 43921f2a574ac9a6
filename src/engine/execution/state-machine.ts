/**
 * The order lifecycle as one transition table, `(state, trigger) → state`, after NautilusTrader's order
 * state machine. A trigger is an event type, except that a fill is `OrderFilled.partial` or
 * `OrderFilled.complete` by quantity, and a refused cancel returns to ACCEPTED or PARTIALLY_FILLED by whether
 * anything filled. Anything not in the table throws `InvalidOrderTransition`.
 */
import { ExecutionError, InvalidOrderTransition } from './errors.js';
import type { OrderEvent, OrderEventType } from './events.js';
import { AVG_PRICE_PLACES, dec, text } from './money.js';
import type { Order, OrderStatus } from './order.js';

export type OrderTrigger =
  | Exclude<OrderEventType, 'OrderInitialized' | 'OrderFilled' | 'OrderCancelRejected'>
  | 'OrderFilled.partial'
  | 'OrderFilled.complete'
  | 'OrderCancelRejected.unfilled'
  | 'OrderCancelRejected.partial';

type Row = readonly [from: OrderStatus, trigger: OrderTrigger, to: OrderStatus];

/** Every allowed transition. Read it as a specification: one row, one test (state-machine.test.ts). */
export const ORDER_TRANSITIONS: readonly Row[] = Object.freeze([
  ['INITIALIZED', 'OrderDenied', 'DENIED'],
  ['INITIALIZED', 'OrderSubmitted', 'SUBMITTED'],

  ['SUBMITTED', 'OrderAccepted', 'ACCEPTED'],
  ['SUBMITTED', 'OrderRejected', 'REJECTED'],
  // A venue may report a fill before (or instead of) the acknowledgement.
  ['SUBMITTED', 'OrderFilled.partial', 'PARTIALLY_FILLED'],
  ['SUBMITTED', 'OrderFilled.complete', 'FILLED'],
  ['SUBMITTED', 'OrderCancelRequested', 'PENDING_CANCEL'],
  ['SUBMITTED', 'OrderCanceled', 'CANCELED'],
  // An IOC order with nothing to trade against comes back expired.
  ['SUBMITTED', 'OrderExpired', 'EXPIRED'],

  ['ACCEPTED', 'OrderRejected', 'REJECTED'],
  ['ACCEPTED', 'OrderFilled.partial', 'PARTIALLY_FILLED'],
  ['ACCEPTED', 'OrderFilled.complete', 'FILLED'],
  ['ACCEPTED', 'OrderCancelRequested', 'PENDING_CANCEL'],
  ['ACCEPTED', 'OrderCanceled', 'CANCELED'],
  ['ACCEPTED', 'OrderExpired', 'EXPIRED'],

  ['PARTIALLY_FILLED', 'OrderFilled.partial', 'PARTIALLY_FILLED'],
  ['PARTIALLY_FILLED', 'OrderFilled.complete', 'FILLED'],
  ['PARTIALLY_FILLED', 'OrderCancelRequested', 'PENDING_CANCEL'],
  ['PARTIALLY_FILLED', 'OrderCanceled', 'CANCELED'],
  ['PARTIALLY_FILLED', 'OrderExpired', 'EXPIRED'],

  ['PENDING_CANCEL', 'OrderCancelRejected.unfilled', 'ACCEPTED'],
  ['PENDING_CANCEL', 'OrderCancelRejected.partial', 'PARTIALLY_FILLED'],
  // A fill racing the cancel: the cancel is still pending for what is left.
  ['PENDING_CANCEL', 'OrderFilled.partial', 'PENDING_CANCEL'],
  ['PENDING_CANCEL', 'OrderFilled.complete', 'FILLED'],
  ['PENDING_CANCEL', 'OrderCanceled', 'CANCELED'],
  ['PENDING_CANCEL', 'OrderExpired', 'EXPIRED'],

  // Late fill reports: the venue traded part of the order before the cancel or expiry took effect and said
  // so afterwards. The fill is real and must reach the ledger.
  ['CANCELED', 'OrderFilled.partial', 'CANCELED'],
  ['CANCELED', 'OrderFilled.complete', 'FILLED'],
  ['EXPIRED', 'OrderFilled.partial', 'EXPIRED'],
  ['EXPIRED', 'OrderFilled.complete', 'FILLED'],
]);

const TABLE: ReadonlyMap<string, OrderStatus> = new Map(ORDER_TRANSITIONS.map(([f, t, to]) => [`${f}|${t}`, to]));

export const ORDER_TRIGGERS: readonly OrderTrigger[] = Object.freeze([
  'OrderDenied',
  'OrderSubmitted',
  'OrderAccepted',
  'OrderRejected',
  'OrderFilled.partial',
  'OrderFilled.complete',
  'OrderCancelRequested',
  'OrderCancelRejected.unfilled',
  'OrderCancelRejected.partial',
  'OrderCanceled',
  'OrderExpired',
]);

/** The state a trigger leads to, or null when the table has no row. */
export function transitionOf(from: OrderStatus, trigger: OrderTrigger): OrderStatus | null {
  return TABLE.get(`${from}|${trigger}`) ?? null;
}

export function nextStatus(clientOrderId: string, from: OrderStatus, trigger: OrderTrigger): OrderStatus {
  const to = transitionOf(from, trigger);
  if (to === null) throw new InvalidOrderTransition(clientOrderId, from, trigger);
  return to;
}

/** The trigger an event is for this order: fills and refused cancels are told apart by quantity. */
export function triggerOf(order: Order, event: Exclude<OrderEvent, { type: 'OrderInitialized' }>): OrderTrigger {
  switch (event.type) {
    case 'OrderFilled': {
      const after = dec(order.filledQuantity).plus(dec(event.payload.quantity));
      const total = dec(order.quantity);
      if (after.gt(total)) {
        throw new ExecutionError(
          'ORDER_OVERFILL',
          `order ${order.clientOrderId}: fill of ${event.payload.quantity} takes ${order.filledQuantity} past ${order.quantity}`,
        );
      }
      return after.eq(total) ? 'OrderFilled.complete' : 'OrderFilled.partial';
    }
    case 'OrderCancelRejected':
      return dec(order.filledQuantity).isZero() ? 'OrderCancelRejected.unfilled' : 'OrderCancelRejected.partial';
    default:
      return event.type;
  }
}

/** The order after one event. OrderInitialized creates version 1; every other event goes through the table. */
export function applyOrderEvent(order: Order, event: OrderEvent): Order {
  if (event.payload.clientOrderId !== order.clientOrderId) {
    throw new ExecutionError('ORDER_EVENT_MISMATCH', `event ${event.id} is for ${event.payload.clientOrderId}, not ${order.clientOrderId}`);
  }
  const base = { version: order.version + 1, lastEventId: event.id, updatedAt: event.tsInit };
  if (event.type === 'OrderInitialized') {
    if (order.version !== 0) throw new InvalidOrderTransition(order.clientOrderId, order.status, event.type);
    return Object.freeze({ ...order, ...base });
  }
  const status = nextStatus(order.clientOrderId, order.status, triggerOf(order, event));
  switch (event.type) {
    case 'OrderDenied':
      return Object.freeze({ ...order, ...base, status, statusReason: `${event.payload.reason}: ${event.payload.message}` });
    case 'OrderSubmitted':
      return Object.freeze({ ...order, ...base, status, submittedAt: order.submittedAt ?? event.tsEvent });
    case 'OrderAccepted':
      return Object.freeze({ ...order, ...base, status, brokerOrderId: event.payload.brokerOrderId });
    case 'OrderRejected':
      return Object.freeze({ ...order, ...base, status, statusReason: event.payload.reason });
    case 'OrderFilled': {
      const p = event.payload;
      const filledQuantity = dec(order.filledQuantity).plus(dec(p.quantity));
      const filledNotional = dec(order.filledNotional).plus(dec(p.quantity).times(dec(p.price)));
      return Object.freeze({
        ...order,
        ...base,
        status,
        filledQuantity: text(filledQuantity),
        filledNotional: text(filledNotional),
        avgFillPrice: text(filledNotional.div(filledQuantity).toDecimalPlaces(AVG_PRICE_PLACES)),
        fees: text(dec(order.fees).plus(dec(p.fee))),
        brokerOrderId: order.brokerOrderId ?? p.brokerOrderId,
      });
    }
    case 'OrderCancelRequested':
    case 'OrderCancelRejected':
    case 'OrderExpired':
      return Object.freeze({ ...order, ...base, status });
    case 'OrderCanceled':
      return Object.freeze({ ...order, ...base, status, statusReason: event.payload.reason ?? order.statusReason });
  }
}
