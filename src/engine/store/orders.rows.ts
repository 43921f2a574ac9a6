/**
 * Orders, their events and fills between the execution engine's values and the rows of `orders`,
 * `order_events` and `fills`. Decimals the engine computed are `numeric` columns, read back in the engine's
 * canonical text (`'10'`, not `'10.000'`) so that what comes out compares equal to what went in.
 */
import type { SQL } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import type { OrderSide, OrderType, TimeInForce } from '../execution/broker.js';
import type { OrderEvent } from '../execution/events.js';
import { dec, text } from '../execution/money.js';
import type { Order, OrderStatus } from '../execution/order.js';
import type { FillRecord } from '../execution/repository.js';
import type { fills, orderEvents, orders } from './schema.js';

type OrderRow = typeof orders.$inferSelect;
type OrderInsert = typeof orders.$inferInsert;
type EventRow = typeof orderEvents.$inferSelect;
type FillRow = typeof fills.$inferSelect;
type FillInsert = typeof fills.$inferInsert;

/** The canonical text of a stored `numeric` (PostgreSQL writes it with its scale: `10.000`). */
export const canonical = (value: string): string => text(dec(value));
const canonicalOrNull = (value: string | null): string | null => (value === null ? null : canonical(value));

export function orderRow(order: Order): OrderInsert {
  return {
    clientOrderId: order.clientOrderId,
    vaultId: order.vaultId,
    instrument: order.instrument,
    venue: order.venue,
    side: order.side,
    type: order.type,
    quantity: order.quantity,
    limitPrice: order.limitPrice,
    timeInForce: order.timeInForce,
    convictionId: order.convictionId,
    reason: order.reason,
    leg: order.leg,
    referencePrice: order.referencePrice,
    status: order.status,
    filledQuantity: order.filledQuantity,
    filledNotional: order.filledNotional,
    avgFillPrice: order.avgFillPrice,
    fees: order.fees,
    brokerOrderId: order.brokerOrderId,
    statusReason: order.statusReason,
    causationIds: [...order.causationIds],
    createdAt: order.createdAt,
    submittedAt: order.submittedAt,
    updatedAt: order.updatedAt,
    version: order.version,
    lastEventId: order.lastEventId,
  };
}

export function toOrder(row: OrderRow): Order {
  return Object.freeze({
    clientOrderId: row.clientOrderId,
    vaultId: row.vaultId,
    instrument: row.instrument,
    venue: row.venue,
    side: row.side as OrderSide,
    type: row.type as OrderType,
    // The intent's own terms, kept verbatim (see the `orders` table).
    quantity: row.quantity,
    limitPrice: row.limitPrice,
    timeInForce: row.timeInForce as TimeInForce,
    convictionId: row.convictionId,
    reason: row.reason,
    leg: row.leg,
    referencePrice: row.referencePrice,
    status: row.status as OrderStatus,
    filledQuantity: canonical(row.filledQuantity),
    filledNotional: canonical(row.filledNotional),
    avgFillPrice: canonicalOrNull(row.avgFillPrice),
    fees: canonical(row.fees),
    brokerOrderId: row.brokerOrderId,
    statusReason: row.statusReason,
    causationIds: Object.freeze([...row.causationIds]),
    createdAt: row.createdAt,
    submittedAt: row.submittedAt,
    updatedAt: row.updatedAt,
    version: row.version,
    lastEventId: row.lastEventId,
  });
}

/** The event's row; `seq` is given by the caller (a number, or SQL that computes it in the statement). */
export function eventRow(event: OrderEvent, clientOrderId: string, seq: number | SQL): PgInsertValue<typeof orderEvents> {
  return {
    id: event.id,
    clientOrderId,
    seq,
    type: event.type,
    tsEvent: event.tsEvent,
    tsInit: event.tsInit,
    causationIds: [...event.causationIds],
    payload: event.payload,
  };
}

/** The event as it was stored: `type` and `payload` were written from an OrderEvent, so they belong together. */
export function toEvent(row: EventRow): OrderEvent {
  const event = Object.freeze({
    id: row.id,
    type: row.type,
    tsEvent: row.tsEvent,
    tsInit: row.tsInit,
    causationIds: Object.freeze([...row.causationIds]),
    payload: Object.freeze(row.payload as Record<string, unknown>),
  });
  return event as unknown as OrderEvent;
}

export function fillRow(fill: FillRecord): FillInsert {
  return {
    venue: fill.venue,
    brokerFillId: fill.brokerFillId,
    brokerOrderId: fill.brokerOrderId,
    clientOrderId: fill.clientOrderId,
    vaultId: fill.vaultId,
    instrument: fill.instrument,
    side: fill.side,
    quantity: fill.quantity,
    price: fill.price,
    fee: fill.fee,
    feeCurrency: fill.feeCurrency,
    ts: fill.ts,
    eventId: fill.eventId,
  };
}

export function toFill(row: FillRow): FillRecord {
  return Object.freeze({
    venue: row.venue,
    brokerFillId: row.brokerFillId,
    brokerOrderId: row.brokerOrderId,
    clientOrderId: row.clientOrderId,
    vaultId: row.vaultId,
    instrument: row.instrument,
    side: row.side as OrderSide,
    quantity: canonical(row.quantity),
    price: canonical(row.price),
    fee: canonical(row.fee),
    feeCurrency: row.feeCurrency,
    ts: row.ts,
    eventId: row.eventId,
  });
}
