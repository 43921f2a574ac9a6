/**
 * The order as the engine keeps it: an immutable value, replaced by a new one on every event through the state
 * machine (state-machine.ts). Quantities and prices are decimal strings.
 */
import type { OrderIntent, OrderSide, OrderType, TimeInForce } from './broker.js';
import { clientOrderIdOf } from './broker.js';
import { dec, text, ZERO, type Dec } from './money.js';

export const ORDER_STATUSES = [
  'INITIALIZED',
  'DENIED',
  'SUBMITTED',
  'ACCEPTED',
  'REJECTED',
  'PARTIALLY_FILLED',
  'FILLED',
  'PENDING_CANCEL',
  'CANCELED',
  'EXPIRED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** States no venue event moves an order out of, except a late fill report on CANCELED and EXPIRED. */
export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['DENIED', 'REJECTED', 'FILLED', 'CANCELED', 'EXPIRED']);
/** States in which the order may still trade at the venue. */
export const OPEN_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'INITIALIZED',
  'SUBMITTED',
  'ACCEPTED',
  'PARTIALLY_FILLED',
  'PENDING_CANCEL',
]);

export const isOpen = (status: OrderStatus): boolean => OPEN_STATUSES.has(status);

export interface Order {
  readonly clientOrderId: string;
  readonly vaultId: string;
  readonly instrument: string;
  readonly venue: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: string;
  readonly limitPrice: string | null;
  readonly timeInForce: TimeInForce;
  readonly convictionId: string | null;
  /** The intent's reason (`open`, `rebalance`, `close`, ...). */
  readonly reason: string;
  readonly leg: number;
  /**
   * The price risk values the order at: the limit price, or for a market order the last trade when the order
   * was created; null when there was none (such an order is denied).
   */
  readonly referencePrice: string | null;
  readonly status: OrderStatus;
  readonly filledQuantity: string;
  /** Σ quantity × price over the fills, exact. */
  readonly filledNotional: string;
  /** filledNotional / filledQuantity, rounded to 12 places; null until something filled. */
  readonly avgFillPrice: string | null;
  readonly fees: string;
  readonly brokerOrderId: string | null;
  /** The denial or rejection reason, when there is one. */
  readonly statusReason: string | null;
  /** The events the order came from: the conviction and the queued intent's cause. */
  readonly causationIds: readonly string[];
  readonly createdAt: number;
  /** When the order was handed to the venue for the first time; null before. */
  readonly submittedAt: number | null;
  readonly updatedAt: number;
  /** Number of events applied (OrderInitialized is 1); the store's optimistic concurrency token. */
  readonly version: number;
  /** The id of the last event applied: the cause of the next one. */
  readonly lastEventId: string | null;
}

/** Quantity still to fill. */
export function leavesQuantity(order: Pick<Order, 'quantity' | 'filledQuantity'>): string {
  return text(dec(order.quantity).minus(dec(order.filledQuantity)));
}

/**
 * The exposure an order adds for risk: Σ fills plus what is left at the reference price. A final order counts
 * only what filled; an open one counts all of it.
 */
export function exposureOf(order: Order): Dec {
  const filled = dec(order.filledNotional);
  if (!isOpen(order.status)) return filled;
  if (order.referencePrice === null) return filled;
  return filled.plus(dec(leavesQuantity(order)).times(dec(order.referencePrice)));
}

/** The order an intent becomes, before any event is applied (version 0; OrderInitialized makes it 1). */
export function draftOrder(
  intent: OrderIntent,
  options: { readonly referencePrice: string | null; readonly causationIds: readonly string[]; readonly now: number },
): Order {
  // Even a malformed intent (a LIMIT without a price) becomes an order, so that risk denies it with a reason.
  const clientOrderId = clientOrderIdOf(intent);
  return Object.freeze({
    clientOrderId,
    vaultId: intent.vaultId,
    instrument: intent.instrument,
    venue: intent.venue,
    side: intent.side,
    type: intent.type,
    quantity: intent.quantity,
    limitPrice: intent.limitPrice,
    timeInForce: intent.timeInForce,
    convictionId: intent.convictionId,
    reason: intent.reason,
    leg: intent.leg,
    referencePrice: intent.type === 'LIMIT' ? intent.limitPrice : options.referencePrice,
    status: 'INITIALIZED',
    filledQuantity: '0',
    filledNotional: '0',
    avgFillPrice: null,
    fees: text(ZERO),
    brokerOrderId: null,
    statusReason: null,
    causationIds: Object.freeze([...options.causationIds]),
    createdAt: options.now,
    submittedAt: null,
    updatedAt: options.now,
    version: 0,
    lastEventId: null,
  });
}
