/**
 * Typed errors of the execution engine. Resolvers translate them by `code`; nothing here is an HTTP or
 * GraphQL error. A risk refusal is never one of these: it is an `OrderDenied` event (DESIGN rule 5).
 */
export type ExecutionErrorCode =
  /** The order state machine has no row for this (state, event). */
  | 'ORDER_INVALID_TRANSITION'
  /** A fill would take the filled quantity past the order's quantity. */
  | 'ORDER_OVERFILL'
  | 'ORDER_NOT_FOUND'
  /** An order with this client order id is already stored. */
  | 'ORDER_EXISTS'
  /** Someone else saved the order since it was read (optimistic concurrency). */
  | 'ORDER_VERSION_CONFLICT'
  /** A fill with this venue fill id is already stored (for another order or an earlier save). */
  | 'FILL_EXISTS'
  /** An order event that does not belong to the order it is applied to. */
  | 'ORDER_EVENT_MISMATCH'
  | 'INVALID_DECIMAL'
  /** No broker is configured for the venue. */
  | 'VENUE_NOT_ROUTED'
  | 'QUEUE_ENTRY_NOT_FOUND'
  | 'INVALID_CONFIG';

export class ExecutionError extends Error {
  override readonly name: string = 'ExecutionError';
  constructor(
    readonly code: ExecutionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class InvalidOrderTransition extends ExecutionError {
  override readonly name = 'InvalidOrderTransition';
  constructor(
    readonly clientOrderId: string,
    readonly from: string,
    readonly trigger: string,
  ) {
    super('ORDER_INVALID_TRANSITION', `order ${clientOrderId}: no transition from ${from} on ${trigger}`);
  }
}
