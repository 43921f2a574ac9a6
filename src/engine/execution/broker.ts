/**
 * The contract between the execution engine and a venue: what an order intent becomes, and the port every
 * broker adapter implements (the paper broker, Alpaca, Tradier, any ccxt exchange).
 *
 * Money is exact (DESIGN rule 7): quantities and prices cross this boundary as decimal strings
 * (`"12.5"`, `"0.00031"`) and are computed with `decimal.js`, never as bare floats.
 *
 * Idempotency: every order carries a deterministic `clientOrderId` (a hash of conviction, vault and leg, see
 * `clientOrderIdOf`). A venue that already holds an order with that id must answer `submit` with the order it
 * holds, never a second order: that is what makes a retry after a timeout or a lost response safe.
 */
import { createHash } from 'node:crypto';

export type OrderSide = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT';
export type TimeInForce = 'DAY' | 'GTC' | 'IOC';

/**
 * What the allocator asks for: a change of one vault's position in one instrument, caused by a conviction.
 * Persisted in the autotrade queue before the executor takes it.
 */
export interface OrderIntent {
  readonly vaultId: string;
  /** The conviction vector (its id) that caused the intent; `null` for a TTL expiry or a manual close. */
  readonly convictionId: string | null;
  readonly instrument: string;
  readonly side: OrderSide;
  /** A positive decimal string. */
  readonly quantity: string;
  readonly type: OrderType;
  /** A positive decimal string, for LIMIT orders. */
  readonly limitPrice: string | null;
  readonly timeInForce: TimeInForce;
  /** Which leg of the conviction's plan for the vault this is (0 for the first), part of the client order id. */
  readonly leg: number;
  /** Why: `open`, `rebalance`, `reduce`, `close`, `expire`, `stop`. */
  readonly reason: string;
  /** The venue the vault routes this instrument to (`paper` by default). */
  readonly venue: string;
  /** When the allocator produced it (epoch ms). */
  readonly createdAt: number;
}

/** The deterministic client order id of an intent's leg: the same conviction, vault and leg give the same id. */
export function clientOrderIdOf(intent: Pick<OrderIntent, 'convictionId' | 'vaultId' | 'leg' | 'instrument' | 'reason' | 'createdAt'>): string {
  // An intent without a conviction (an expiry, a manual close) is keyed by its instrument, reason and time.
  const cause = intent.convictionId ?? `${intent.reason}:${intent.instrument}:${intent.createdAt}`;
  const digest = createHash('sha256').update(`${cause}\u0000${intent.vaultId}\u0000${intent.leg}`).digest('hex');
  // 32 hex characters fit every venue's limit (Alpaca 128, Tradier tag 255, most crypto venues 32–36).
  return `vt${digest.slice(0, 30)}`;
}

export interface BrokerOrderRequest {
  readonly clientOrderId: string;
  readonly instrument: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: string;
  readonly limitPrice: string | null;
  readonly timeInForce: TimeInForce;
}

/** The venue's view of an order's state, normalized. */
export type BrokerOrderStatus =
  | 'accepted'
  | 'partially_filled'
  | 'filled'
  | 'pending_cancel'
  | 'canceled'
  | 'rejected'
  | 'expired';

export interface BrokerOrder {
  readonly brokerOrderId: string;
  readonly clientOrderId: string;
  readonly instrument: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: string;
  readonly limitPrice: string | null;
  readonly filledQuantity: string;
  /** Null until something filled. */
  readonly avgFillPrice: string | null;
  readonly status: BrokerOrderStatus;
  /** The venue's reason, for a rejection. */
  readonly reason: string | null;
  /** When the venue last changed the order (epoch ms). */
  readonly updatedAt: number;
}

export interface BrokerFill {
  /** Unique per venue; with the order it identifies the fill, so a fill read twice is stored once. */
  readonly brokerFillId: string;
  readonly brokerOrderId: string;
  readonly clientOrderId: string;
  readonly instrument: string;
  readonly side: OrderSide;
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
  readonly feeCurrency: string | null;
  /** When it happened at the venue (epoch ms). */
  readonly ts: number;
}

export interface BrokerPosition {
  readonly instrument: string;
  /** Signed: negative is short. */
  readonly quantity: string;
  readonly avgPrice: string;
}

export interface Broker {
  /** The venue's name as vaults route to it: `paper`, `alpaca`, `tradier`, `ccxt:binance`. */
  readonly venue: string;
  /**
   * Places the order. Idempotent on `clientOrderId`: when the venue already has it (an earlier attempt whose
   * answer was lost), resolves with that order. Rejects with a `BrokerError`.
   */
  submit(request: BrokerOrderRequest): Promise<BrokerOrder>;
  /** Asks the venue to cancel; resolves with the order as the venue then reports it (canceled or pending_cancel). */
  cancel(clientOrderId: string): Promise<BrokerOrder>;
  /** The order with this client order id, or null when the venue has none. */
  getOrder(clientOrderId: string): Promise<BrokerOrder | null>;
  /** Orders not yet in a final state. */
  openOrders(): Promise<readonly BrokerOrder[]>;
  /** Fills at or after `since` (epoch ms), oldest first. */
  fills(since: number): Promise<readonly BrokerFill[]>;
  positions(): Promise<readonly BrokerPosition[]>;
  close(): Promise<void>;
}

export type BrokerErrorCode =
  /** A network failure, a 5xx, or a 429 after retries: the order's state at the venue is unknown. */
  | 'BROKER_UNAVAILABLE'
  /** No answer in time: the order's state at the venue is unknown. */
  | 'BROKER_TIMEOUT'
  /** The venue refused the request (insufficient buying power, bad symbol, market closed). Final. */
  | 'BROKER_REJECTED'
  /** Credentials missing or refused. */
  | 'BROKER_AUTH'
  /** The order (or instrument) does not exist at the venue. */
  | 'BROKER_NOT_FOUND'
  /** The venue answered with something we cannot read. */
  | 'BROKER_PROTOCOL';

export class BrokerError extends Error {
  override readonly name = 'BrokerError';
  constructor(
    readonly code: BrokerErrorCode,
    message: string,
    readonly venue: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when the order's state at the venue is unknown: look it up by client order id before trying again. */
  get uncertain(): boolean {
    return this.code === 'BROKER_UNAVAILABLE' || this.code === 'BROKER_TIMEOUT';
  }
}
