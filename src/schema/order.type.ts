/**
 * Orders as the execution engine keeps them, their events, and the fills venues reported. Quantities, prices
 * and money are decimal strings, exact as the engine keeps them.
 */
import { Field, ID, Int, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { ACCOUNT_ID_ROLES, maskStringUnless } from '../api/auth/masking.js';
import type { OrderSide, OrderType as DomainOrderType, TimeInForce } from '../engine/execution/broker.js';
import type { OrderEvent, OrderEventType as OrderEventKind } from '../engine/execution/events.js';
import { isOpen, leavesQuantity, type Order, type OrderStatus } from '../engine/execution/order.js';
import type { FillRecord } from '../engine/execution/repository.js';
import { ConnectionType } from './connection.js';
import { MutationErrorType } from './mutation.type.js';
import { DateTimeScalar, JSONScalar, toDate } from './scalars.js';

/** The enums whose GraphQL values equal the engine's strings pass values through unchanged. */
export const OrderSideEnum = { BUY: 'BUY', SELL: 'SELL' } as const satisfies Record<OrderSide, OrderSide>;
registerEnumType(OrderSideEnum, { name: 'OrderSide' });

export const OrderTypeEnum = { MARKET: 'MARKET', LIMIT: 'LIMIT' } as const satisfies Record<DomainOrderType, DomainOrderType>;
registerEnumType(OrderTypeEnum, { name: 'OrderType' });

export const TimeInForceEnum = { DAY: 'DAY', GTC: 'GTC', IOC: 'IOC' } as const satisfies Record<TimeInForce, TimeInForce>;
registerEnumType(TimeInForceEnum, { name: 'TimeInForce' });

export const OrderStatusEnum = {
  INITIALIZED: 'INITIALIZED',
  DENIED: 'DENIED',
  SUBMITTED: 'SUBMITTED',
  ACCEPTED: 'ACCEPTED',
  REJECTED: 'REJECTED',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  PENDING_CANCEL: 'PENDING_CANCEL',
  CANCELED: 'CANCELED',
  EXPIRED: 'EXPIRED',
} as const satisfies Record<OrderStatus, OrderStatus>;
registerEnumType(OrderStatusEnum, {
  name: 'OrderStatus',
  description: 'Open: `INITIALIZED`, `SUBMITTED`, `ACCEPTED`, `PARTIALLY_FILLED`, `PENDING_CANCEL`. Final: the others.',
});

export const OrderEventTypeEnum = {
  ORDER_INITIALIZED: 'OrderInitialized',
  ORDER_DENIED: 'OrderDenied',
  ORDER_SUBMITTED: 'OrderSubmitted',
  ORDER_ACCEPTED: 'OrderAccepted',
  ORDER_REJECTED: 'OrderRejected',
  ORDER_FILLED: 'OrderFilled',
  ORDER_CANCEL_REQUESTED: 'OrderCancelRequested',
  ORDER_CANCEL_REJECTED: 'OrderCancelRejected',
  ORDER_CANCELED: 'OrderCanceled',
  ORDER_EXPIRED: 'OrderExpired',
} as const satisfies Record<string, OrderEventKind>;
registerEnumType(OrderEventTypeEnum, { name: 'OrderEventType', description: 'One per transition of the order state machine.' });

@ObjectType('OrderEvent', { description: 'One event of an order.' })
export class OrderEventType {
  @Field(() => ID, { description: 'The event id (in the audit log).' })
  id!: string;

  @Field(() => OrderEventTypeEnum)
  type!: OrderEventKind;

  @Field(() => ID)
  clientOrderId!: string;

  @Field(() => ID)
  vaultId!: string;

  @Field(() => DateTimeScalar, { description: 'When it happened (at the venue, for venue events).' })
  at!: Date;

  @Field(() => DateTimeScalar, { description: 'When the engine recorded it.' })
  recordedAt!: Date;

  @Field(() => [ID], { description: 'The events it was derived from.' })
  causationIds!: string[];

  @Field(() => JSONScalar, { description: "The event's payload as recorded (for a denial: check, reason, message; for a fill: quantity, price, fee)." })
  details!: unknown;
}

export function toOrderEventType(e: OrderEvent): OrderEventType {
  return {
    id: e.id,
    type: e.type,
    clientOrderId: e.payload.clientOrderId,
    vaultId: e.payload.vaultId,
    at: toDate(e.tsEvent),
    recordedAt: toDate(e.tsInit),
    causationIds: [...e.causationIds],
    details: e.payload,
  };
}

@ObjectType('Order', { description: 'An order of a vault at a venue.' })
export class OrderType {
  @Field(() => ID, { description: 'Deterministic: the same conviction, vault and leg give the same id.' })
  clientOrderId!: string;

  @Field(() => ID)
  vaultId!: string;

  @Field(() => String)
  instrument!: string;

  @Field(() => String, { description: '`paper`, `alpaca`, `ccxt:binance`, ...' })
  venue!: string;

  @Field(() => OrderSideEnum)
  side!: OrderSide;

  @Field(() => OrderTypeEnum)
  type!: DomainOrderType;

  @Field(() => String, { description: 'Decimal string.' })
  quantity!: string;

  @Field(() => String, { nullable: true, description: 'Decimal string, for `LIMIT` orders.' })
  limitPrice!: string | null;

  @Field(() => TimeInForceEnum)
  timeInForce!: TimeInForce;

  @Field(() => OrderStatusEnum)
  status!: OrderStatus;

  @Field(() => Boolean, { description: 'Whether it may still trade.' })
  open!: boolean;

  @Field(() => String, { nullable: true, description: 'Why it was denied or rejected: `KILL_SWITCH: ...`, `PRICE_COLLAR: ...`.' })
  statusReason!: string | null;

  @Field(() => ID, { nullable: true, description: 'The conviction that caused it; null for an expiry or a manual close.' })
  convictionId!: string | null;

  @Field(() => String, { description: "The intent's reason: `open`, `rebalance`, `reduce`, `close`, `expire`, `stop`." })
  reason!: string;

  @Field(() => Int)
  leg!: number;

  @Field(() => String, { nullable: true, description: 'Decimal string: the price risk valued it at.' })
  referencePrice!: string | null;

  @Field(() => String, { description: 'Decimal string.' })
  filledQuantity!: string;

  @Field(() => String, { description: 'Decimal string: quantity still to fill.' })
  leavesQuantity!: string;

  @Field(() => String, { description: 'Decimal string: Σ quantity × price over the fills.' })
  filledNotional!: string;

  @Field(() => String, { nullable: true, description: 'Decimal string; null until something filled.' })
  avgFillPrice!: string | null;

  @Field(() => String, { description: 'Decimal string.' })
  fees!: string;

  @Field(() => String, { nullable: true, description: "The venue's id of the order; `••••` and its last 4 characters unless Alpha or Executor." })
  @UseMiddleware(maskStringUnless(ACCOUNT_ID_ROLES))
  brokerOrderId!: string | null;

  @Field(() => [ID])
  causationIds!: string[];

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was first handed to its venue.' })
  submittedAt!: Date | null;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => Int, { description: 'Events applied (OrderInitialized is 1).' })
  version!: number;
}

export function toOrderType(o: Order): OrderType {
  return {
    clientOrderId: o.clientOrderId,
    vaultId: o.vaultId,
    instrument: o.instrument,
    venue: o.venue,
    side: o.side,
    type: o.type,
    quantity: o.quantity,
    limitPrice: o.limitPrice,
    timeInForce: o.timeInForce,
    status: o.status,
    open: isOpen(o.status),
    statusReason: o.statusReason,
    convictionId: o.convictionId,
    reason: o.reason,
    leg: o.leg,
    referencePrice: o.referencePrice,
    filledQuantity: o.filledQuantity,
    leavesQuantity: leavesQuantity(o),
    filledNotional: o.filledNotional,
    avgFillPrice: o.avgFillPrice,
    fees: o.fees,
    brokerOrderId: o.brokerOrderId,
    causationIds: [...o.causationIds],
    createdAt: toDate(o.createdAt),
    submittedAt: o.submittedAt === null ? null : toDate(o.submittedAt),
    updatedAt: toDate(o.updatedAt),
    version: o.version,
  };
}

@ObjectType({ description: 'A page of orders, newest first.' })
export class OrderConnection extends ConnectionType('Order', OrderType) {}

@ObjectType('Fill', { description: 'A fill a venue reported for an order.' })
export class FillType {
  @Field(() => String)
  venue!: string;

  @Field(() => String, { description: "The venue's id of the fill: unique per venue. `••••` and its last 4 characters unless Alpha or Executor." })
  @UseMiddleware(maskStringUnless(ACCOUNT_ID_ROLES))
  brokerFillId!: string;

  @Field(() => String, { description: "The venue's id of the order; `••••` and its last 4 characters unless Alpha or Executor." })
  @UseMiddleware(maskStringUnless(ACCOUNT_ID_ROLES))
  brokerOrderId!: string;

  @Field(() => ID)
  clientOrderId!: string;

  @Field(() => ID)
  vaultId!: string;

  @Field(() => String)
  instrument!: string;

  @Field(() => OrderSideEnum)
  side!: OrderSide;

  @Field(() => String, { description: 'Decimal string.' })
  quantity!: string;

  @Field(() => String, { description: 'Decimal string.' })
  price!: string;

  @Field(() => String, { description: 'Decimal string, in `feeCurrency`.' })
  fee!: string;

  @Field(() => String, { nullable: true })
  feeCurrency!: string | null;

  @Field(() => DateTimeScalar, { description: 'When it happened at the venue.' })
  at!: Date;

  @Field(() => ID, { description: 'The `OrderFilled` event that recorded it.' })
  eventId!: string;
}

export function toFillType(f: FillRecord): FillType {
  const { venue, brokerFillId, brokerOrderId, clientOrderId, vaultId, instrument, side, quantity, price, fee, feeCurrency, eventId } = f;
  return { venue, brokerFillId, brokerOrderId, clientOrderId, vaultId, instrument, side, quantity, price, fee, feeCurrency, at: toDate(f.ts), eventId };
}

@ObjectType('OrderUpdate', { description: 'One event of an order, and the order as it was right after it.' })
export class OrderUpdateType {
  @Field(() => OrderEventType)
  event!: OrderEventType;

  /** The event as the engine published it: what the `order` field replays the order to. Not a field. */
  source!: OrderEvent;
}

export function toOrderUpdateType(e: OrderEvent): OrderUpdateType {
  return { event: toOrderEventType(e), source: e };
}

@ObjectType({ description: 'The order after the cancel request, or the errors that kept it from being asked.' })
export class CancelOrderPayload {
  @Field(() => OrderType, { nullable: true, description: 'Usually `PENDING_CANCEL` or `CANCELED`; an order no longer open comes back unchanged.' })
  order!: OrderType | null;

  @Field(() => [MutationErrorType])
  errors!: MutationErrorType[];
}
