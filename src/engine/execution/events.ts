/**
 * The execution engine's events, on the shared envelope (`../types.ts`): past tense, immutable, with
 * deterministic ids so that the same inputs (a redelivered intent, a fill read twice) give the same event,
 * which downstream drops as a repeat.
 */
import { eventId } from '../canonical.js';
import type { EventEnvelope } from '../types.js';
import type { OrderSide, OrderType, TimeInForce } from './broker.js';
import type { KillSwitchScope } from './kill-switch-store.js';

/** What every order event names. */
export interface OrderRef {
  readonly clientOrderId: string;
  readonly vaultId: string;
  readonly instrument: string;
  readonly venue: string;
}

export interface OrderTerms {
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: string;
  readonly limitPrice: string | null;
  readonly timeInForce: TimeInForce;
}

/** Why risk refused an order; one code per check (see risk/checks-*.ts). */
export const DENY_REASONS = [
  'INVALID_ORDER',
  'KILL_SWITCH',
  'NOT_TRADABLE',
  'DUPLICATE_CLIENT_ORDER_ID',
  'DUPLICATE_ORDER',
  'NO_REFERENCE_PRICE',
  'STALE_REFERENCE_PRICE',
  'PRICE_COLLAR',
  'MAX_ORDER_NOTIONAL',
  'MAX_DAILY_NOTIONAL_VAULT',
  'MAX_DAILY_NOTIONAL_GLOBAL',
  'NO_CREDIT',
  'CREDIT_LIMIT',
  'ORDER_RATE',
] as const;
export type DenyReason = (typeof DENY_REASONS)[number];

export interface OrderInitializedPayload extends OrderRef, OrderTerms {
  readonly convictionId: string | null;
  readonly reason: string;
  readonly leg: number;
  readonly referencePrice: string | null;
}
export interface OrderDeniedPayload extends OrderRef {
  /** The name of the check that refused, with its parameters (`MaxOrderNotional(100000)`). */
  readonly check: string;
  readonly reason: DenyReason;
  readonly message: string;
}
export type OrderSubmittedPayload = OrderRef & OrderTerms;
export interface OrderAcceptedPayload extends OrderRef {
  readonly brokerOrderId: string;
}
export interface OrderRejectedPayload extends OrderRef {
  readonly reason: string;
  /** The broker error code, when a broker error carried the rejection. */
  readonly code: string | null;
}
export interface OrderFilledPayload extends OrderRef {
  readonly side: OrderSide;
  readonly convictionId: string | null;
  readonly brokerOrderId: string;
  readonly brokerFillId: string;
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
  readonly feeCurrency: string | null;
  /** After this fill. */
  readonly filledQuantity: string;
  readonly leavesQuantity: string;
  readonly avgFillPrice: string;
}
export interface OrderCancelRequestedPayload extends OrderRef {
  /** Who asked: a user, `kill-switch:<key>`, or `venue` when the venue reported a cancel we did not ask for. */
  readonly actor: string;
  readonly reason: string;
}
export interface OrderCancelRejectedPayload extends OrderRef {
  readonly reason: string;
}
export interface OrderCanceledPayload extends OrderRef {
  readonly reason: string | null;
}
export type OrderExpiredPayload = OrderRef;

export type OrderInitialized = EventEnvelope<'OrderInitialized', OrderInitializedPayload>;
export type OrderDenied = EventEnvelope<'OrderDenied', OrderDeniedPayload>;
export type OrderSubmitted = EventEnvelope<'OrderSubmitted', OrderSubmittedPayload>;
export type OrderAccepted = EventEnvelope<'OrderAccepted', OrderAcceptedPayload>;
export type OrderRejected = EventEnvelope<'OrderRejected', OrderRejectedPayload>;
export type OrderFilled = EventEnvelope<'OrderFilled', OrderFilledPayload>;
export type OrderCancelRequested = EventEnvelope<'OrderCancelRequested', OrderCancelRequestedPayload>;
export type OrderCancelRejected = EventEnvelope<'OrderCancelRejected', OrderCancelRejectedPayload>;
export type OrderCanceled = EventEnvelope<'OrderCanceled', OrderCanceledPayload>;
export type OrderExpired = EventEnvelope<'OrderExpired', OrderExpiredPayload>;

export type OrderEvent =
  | OrderInitialized
  | OrderDenied
  | OrderSubmitted
  | OrderAccepted
  | OrderRejected
  | OrderFilled
  | OrderCancelRequested
  | OrderCancelRejected
  | OrderCanceled
  | OrderExpired;
export type OrderEventType = OrderEvent['type'];

export interface KillSwitchChangedPayload {
  readonly scope: KillSwitchScope;
  /** `global`, `vault:<id>` or `venue:<id>`. */
  readonly key: string;
  readonly engaged: boolean;
  readonly actor: string;
  readonly reason: string;
}
export type KillSwitchChanged = EventEnvelope<'KillSwitchChanged', KillSwitchChangedPayload>;

export const DIFFERENCE_KINDS = [
  /** Open in the store, unknown to the broker. */
  'MISSING_AT_BROKER',
  /** Open at the broker, not in the store. */
  'UNKNOWN_AT_BROKER',
  /** A fill at the broker for an order the store does not hold. */
  'UNKNOWN_FILL',
  /** Filled (or ordered) quantities differ after applying what the broker reported. */
  'QUANTITY_MISMATCH',
  /** The broker knew better (a fill or a cancel while we were down) and the store was updated. */
  'UPDATED_FROM_BROKER',
  /** A status the broker reports that the state machine cannot reach from the stored one. */
  'STATUS_CONFLICT',
  /** A signed position at the broker differs from the one the stored fills add up to. */
  'POSITION_MISMATCH',
  /** An order submitted before a crash was not at the broker and was handed to it again. */
  'RESUBMITTED',
] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

export interface ReconciliationDifference {
  readonly kind: DifferenceKind;
  readonly clientOrderId: string | null;
  readonly instrument: string | null;
  /** What the store said (a status or a quantity), when it applies. */
  readonly store: string | null;
  /** What the broker said. */
  readonly broker: string | null;
  readonly detail: string;
}

export interface ReconciliationReportedPayload {
  readonly venue: string;
  readonly startedAt: number;
  readonly ordersChecked: number;
  readonly ordersUpdated: number;
  readonly fillsApplied: number;
  readonly differences: readonly ReconciliationDifference[];
}
export type ReconciliationReported = EventEnvelope<'ReconciliationReported', ReconciliationReportedPayload>;

export type ExecutionEvent = OrderEvent | KillSwitchChanged | ReconciliationReported;
export type ExecutionEventType = ExecutionEvent['type'];

/** Where each event goes, for the composition root: a suggested topic per event type (bus/topics.ts owns them). */
export const SUGGESTED_TOPICS: Readonly<Record<ExecutionEventType, string>> = Object.freeze({
  OrderInitialized: 'orders.events',
  OrderDenied: 'orders.events',
  OrderSubmitted: 'orders.events',
  OrderAccepted: 'orders.events',
  OrderRejected: 'orders.events',
  OrderFilled: 'orders.events',
  OrderCancelRequested: 'orders.events',
  OrderCancelRejected: 'orders.events',
  OrderCanceled: 'orders.events',
  OrderExpired: 'orders.events',
  KillSwitchChanged: 'risk.killswitch',
  ReconciliationReported: 'execution.reconciliation',
});

/** The port events leave the engine through; the composition root maps each type to its bus topic. */
export type ExecutionPublisher = (event: ExecutionEvent) => Promise<void>;

/** The id of the order event that makes `version`: one order, one version, one id. */
export function orderEventId(type: OrderEventType, clientOrderId: string, version: number): string {
  return eventId('ord', type, clientOrderId, version);
}

/** A fill's event id depends only on the venue's fill id, so a fill read twice, by anyone, is one event. */
export function fillEventId(venue: string, brokerFillId: string): string {
  return eventId('fill', venue, brokerFillId);
}

export const refOf = (o: OrderRef): OrderRef => ({
  clientOrderId: o.clientOrderId,
  vaultId: o.vaultId,
  instrument: o.instrument,
  venue: o.venue,
});
