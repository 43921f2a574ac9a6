/**
 * From what happened to the event that records it. A draft says what happened (a fill, an acknowledgement);
 * `buildOrderEvent` stamps the envelope from the order it applies to: the id from the order's next version
 * (or the venue's fill id), the cause from the order's last event, so each order's events form a chain back
 * to its conviction.
 */
import type { BrokerFill } from './broker.js';
import {
  fillEventId,
  orderEventId,
  refOf,
  type DenyReason,
  type OrderEvent,
  type OrderEventType,
  type OrderFilled,
} from './events.js';
import { AVG_PRICE_PLACES, dec, text } from './money.js';
import type { Order } from './order.js';

interface DraftBase {
  /** When it happened in the world (the venue's time for venue events). */
  readonly tsEvent: number;
  /**
   * Apply only when the table has a row for it; otherwise skip it (and report it). Used when syncing from a
   * venue, whose report may be behind or ahead of ours; never for our own decisions.
   */
  readonly optional?: boolean;
}

export type OrderEventDraft = DraftBase &
  (
    | { readonly type: 'OrderInitialized' }
    | { readonly type: 'OrderDenied'; readonly check: string; readonly reason: DenyReason; readonly message: string }
    | { readonly type: 'OrderSubmitted' }
    | { readonly type: 'OrderAccepted'; readonly brokerOrderId: string }
    | { readonly type: 'OrderRejected'; readonly reason: string; readonly code: string | null }
    | { readonly type: 'OrderFilled'; readonly fill: BrokerFill }
    | { readonly type: 'OrderCancelRequested'; readonly actor: string; readonly reason: string }
    | { readonly type: 'OrderCancelRejected'; readonly reason: string }
    | { readonly type: 'OrderCanceled'; readonly reason: string | null }
    | { readonly type: 'OrderExpired' }
  );

function envelope<T extends OrderEventType, P>(order: Order, type: T, id: string, tsEvent: number, tsInit: number, payload: P) {
  const causationIds = order.lastEventId === null ? order.causationIds : [order.lastEventId];
  return Object.freeze({
    id,
    type,
    tsEvent,
    tsInit,
    causationIds: Object.freeze([...causationIds]),
    payload: Object.freeze(payload),
  });
}

export function buildOrderEvent(order: Order, draft: OrderEventDraft, tsInit: number): OrderEvent {
  const ref = refOf(order);
  const id = orderEventId(draft.type, order.clientOrderId, order.version + 1);
  const at = draft.tsEvent;
  switch (draft.type) {
    case 'OrderInitialized':
      return envelope(order, draft.type, id, at, tsInit, {
        ...ref,
        ...terms(order),
        convictionId: order.convictionId,
        reason: order.reason,
        leg: order.leg,
        referencePrice: order.referencePrice,
      });
    case 'OrderDenied':
      return envelope(order, draft.type, id, at, tsInit, { ...ref, check: draft.check, reason: draft.reason, message: draft.message });
    case 'OrderSubmitted':
      return envelope(order, draft.type, id, at, tsInit, { ...ref, ...terms(order) });
    case 'OrderAccepted':
      return envelope(order, draft.type, id, at, tsInit, { ...ref, brokerOrderId: draft.brokerOrderId });
    case 'OrderRejected':
      return envelope(order, draft.type, id, at, tsInit, { ...ref, reason: draft.reason, code: draft.code });
    case 'OrderFilled':
      return fillEvent(order, draft.fill, tsInit);
    case 'OrderCancelRequested':
      return envelope(order, draft.type, id, at, tsInit, { ...ref, actor: draft.actor, reason: draft.reason });
    case 'OrderCancelRejected':
      return envelope(order, draft.type, id, at, tsInit, { ...ref, reason: draft.reason });
    case 'OrderCanceled':
      return envelope(order, draft.type, id, at, tsInit, { ...ref, reason: draft.reason });
    case 'OrderExpired':
      return envelope(order, draft.type, id, at, tsInit, ref);
  }
}

function terms(order: Order) {
  return {
    side: order.side,
    type: order.type,
    quantity: order.quantity,
    limitPrice: order.limitPrice,
    timeInForce: order.timeInForce,
  };
}

/** A venue fill as an order event, with the order's running totals after it. */
export function fillEvent(order: Order, fill: BrokerFill, tsInit: number): OrderFilled {
  const filledQuantity = dec(order.filledQuantity).plus(dec(fill.quantity));
  const notional = dec(order.filledNotional).plus(dec(fill.quantity).times(dec(fill.price)));
  return envelope(order, 'OrderFilled', fillEventId(order.venue, fill.brokerFillId), fill.ts, tsInit, {
    ...refOf(order),
    side: order.side,
    convictionId: order.convictionId,
    brokerOrderId: fill.brokerOrderId,
    brokerFillId: fill.brokerFillId,
    quantity: text(dec(fill.quantity)),
    price: text(dec(fill.price)),
    fee: text(dec(fill.fee)),
    feeCurrency: fill.feeCurrency,
    filledQuantity: text(filledQuantity),
    leavesQuantity: text(dec(order.quantity).minus(filledQuantity)),
    avgFillPrice: filledQuantity.isZero() ? '0' : text(notional.div(filledQuantity).toDecimalPlaces(AVG_PRICE_PLACES)),
  });
}
