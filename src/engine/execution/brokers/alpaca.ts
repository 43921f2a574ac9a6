/**
 * The Broker port over Alpaca's Trading API (REST v2), for US equities: paper trading by default, live
 * when `baseUrl` says so.
 *
 * Idempotency rests on `client_order_id`, which Alpaca keeps unique per account (a second order with the
 * same id is refused with HTTP 422 "client_order_id must be unique", even after the first was canceled).
 * `submit` reads that refusal as "the venue already has it" and answers with the order it holds; after an
 * uncertain failure it looks the order up before sending again (`http-submit.ts`).
 */
import { BrokerError, type Broker, type BrokerFill, type BrokerOrder, type BrokerOrderRequest, type BrokerPosition } from '../broker.js';
import { alpacaOrderBody, isBusinessRefusal, isDuplicateClientOrderId, readAlpacaFill, readAlpacaOrder, readAlpacaPosition } from './alpaca-map.js';
import { BrokerHttp, BrokerHttpError, venueMessage, type BrokerLogger, type FetchLike } from './http.js';
import { AnswerReader, SymbolMap } from './http-fields.js';
import { submitIdempotently, type LookupPolicy } from './http-submit.js';

export const ALPACA_PAPER_URL = 'https://paper-api.alpaca.markets';
export const ALPACA_LIVE_URL = 'https://api.alpaca.markets';

export interface AlpacaBrokerOptions {
  /** `APCA-API-KEY-ID`. */
  readonly keyId: string;
  /** `APCA-API-SECRET-KEY`. */
  readonly secretKey: string;
  /** Defaults to {@link ALPACA_PAPER_URL}; {@link ALPACA_LIVE_URL} for real money. */
  readonly baseUrl?: string;
  /** Deadline per request. Defaults to 10 s. */
  readonly timeoutMs?: number;
  /** Instrument → Alpaca symbol, where they differ (`BRK-B` → `BRK.B`). */
  readonly symbols?: Readonly<Record<string, string>>;
  /** The venue name vaults route to. Defaults to `alpaca`. */
  readonly venue?: string;
  /** Look-ups after an uncertain submit. */
  readonly lookup?: LookupPolicy;
  readonly log?: BrokerLogger;
  readonly fetch?: FetchLike;
}

/** Alpaca's largest page of orders. */
const ORDER_PAGE = 500;
const ACTIVITY_PAGE = 100;
/** Pages read per call before giving up: far beyond any account this engine trades. */
const MAX_PAGES = 50;

export class AlpacaBroker implements Broker {
  readonly venue: string;
  readonly #http: BrokerHttp;
  readonly #symbols: SymbolMap;
  readonly #lookup: LookupPolicy | undefined;
  /** Alpaca order id → client order id; fills name only the order, and an order's ids never change. */
  readonly #clientIds = new Map<string, string>();

  constructor(options: AlpacaBrokerOptions) {
    this.venue = options.venue ?? 'alpaca';
    if (!options.keyId || !options.secretKey) throw new BrokerError('BROKER_AUTH', `${this.venue}: keyId and secretKey are required`, this.venue);
    this.#http = new BrokerHttp({
      venue: this.venue,
      baseUrl: options.baseUrl ?? ALPACA_PAPER_URL,
      headers: { 'APCA-API-KEY-ID': options.keyId, 'APCA-API-SECRET-KEY': options.secretKey },
      secrets: [options.keyId, options.secretKey],
      timeoutMs: options.timeoutMs,
      log: options.log,
      fetch: options.fetch,
    });
    this.#symbols = new SymbolMap(options.symbols);
    this.#lookup = options.lookup;
  }

  async submit(request: BrokerOrderRequest): Promise<BrokerOrder> {
    const body = alpacaOrderBody(this.venue, request, this.#symbols);
    return submitIdempotently({
      place: () => this.#place(body, request.clientOrderId),
      lookup: () => this.getOrder(request.clientOrderId),
      venueDeduplicates: true,
      policy: this.#lookup,
    });
  }

  async #place(body: Record<string, string>, clientOrderId: string): Promise<BrokerOrder> {
    const what = 'POST /v2/orders';
    const res = await this.#http.request({ method: 'POST', path: '/v2/orders', json: body, accept: [403, 422] });
    if (res.status === 422) {
      const message = venueMessage(res.body);
      if (isDuplicateClientOrderId(message)) {
        const existing = await this.getOrder(clientOrderId);
        if (existing) return existing;
        // Alpaca says it holds the id yet cannot show it: the outcome is unknown, not refused.
        throw new BrokerError('BROKER_UNAVAILABLE', `${this.venue}: ${what} refused ${clientOrderId} as a duplicate, but no order with it was found`, this.venue);
      }
      throw this.#refusal(what, res.status, res.body, res.text);
    }
    if (res.status === 403) {
      if (isBusinessRefusal(res.body)) throw this.#refusal(what, res.status, res.body, res.text);
      throw new BrokerHttpError('BROKER_AUTH', this.#http.redact(`${this.venue}: ${what} answered 403: ${res.text.slice(0, 300)}`), this.venue, 403, res.body);
    }
    return this.#remember(readAlpacaOrder(new AnswerReader(this.venue, what), res.body, '$', this.#symbols));
  }

  #refusal(what: string, status: number, body: unknown, text: string): BrokerHttpError {
    const message = venueMessage(body) ?? text.slice(0, 300);
    return new BrokerHttpError('BROKER_REJECTED', this.#http.redact(`${this.venue}: ${what} refused (${status}): ${message}`), this.venue, status, body);
  }

  async getOrder(clientOrderId: string): Promise<BrokerOrder | null> {
    const what = 'GET /v2/orders:by_client_order_id';
    const res = await this.#http.request({ method: 'GET', path: '/v2/orders:by_client_order_id', query: { client_order_id: clientOrderId }, accept: [404] });
    if (res.status === 404) return null;
    return this.#remember(readAlpacaOrder(new AnswerReader(this.venue, what), res.body, '$', this.#symbols));
  }

  async cancel(clientOrderId: string): Promise<BrokerOrder> {
    const order = await this.getOrder(clientOrderId);
    if (!order) throw new BrokerError('BROKER_NOT_FOUND', `${this.venue}: no order with client order id ${clientOrderId}`, this.venue);
    if (isFinal(order)) return order;
    // 422 means the order can no longer be canceled (it filled meanwhile): the order as it now stands answers.
    await this.#http.request({ method: 'DELETE', path: `/v2/orders/${encodeURIComponent(order.brokerOrderId)}`, accept: [422] });
    const after = await this.#orderById(order.brokerOrderId);
    // Alpaca accepted the cancel request (204) but may not show it yet: the order is on its way out.
    return isFinal(after) || after.status === 'pending_cancel' ? after : { ...after, status: 'pending_cancel' };
  }

  async #orderById(id: string): Promise<BrokerOrder> {
    const what = 'GET /v2/orders/{id}';
    const res = await this.#http.request({ method: 'GET', path: `/v2/orders/${encodeURIComponent(id)}` });
    return this.#remember(readAlpacaOrder(new AnswerReader(this.venue, what), res.body, '$', this.#symbols));
  }

  async openOrders(): Promise<readonly BrokerOrder[]> {
    const what = 'GET /v2/orders?status=open';
    const seen = new Map<string, BrokerOrder>();
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const res = await this.#http.request({ method: 'GET', path: '/v2/orders', query: { status: 'open', limit: ORDER_PAGE, direction: 'asc', nested: false, after } });
      const r = new AnswerReader(this.venue, what);
      const rows = r.arr(res.body, '$');
      rows.forEach((row, i) => {
        const order = this.#remember(readAlpacaOrder(r, row, `[${i}]`, this.#symbols));
        seen.set(order.brokerOrderId, order);
      });
      if (rows.length < ORDER_PAGE) break;
      // The next page starts after the last order's submission time (Alpaca pages orders by time).
      after = r.optStr(r.obj(rows[rows.length - 1], `[${rows.length - 1}]`).submitted_at) ?? undefined;
      if (!after) break;
    }
    return [...seen.values()];
  }

  async fills(since: number): Promise<readonly BrokerFill[]> {
    const what = 'GET /v2/account/activities/FILL';
    const raw: { row: unknown; path: string; r: AnswerReader }[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      // `after` is exclusive; one millisecond earlier keeps a fill at exactly `since`.
      const res = await this.#http.request({
        method: 'GET',
        path: '/v2/account/activities/FILL',
        query: { after: new Date(Math.max(0, since - 1)).toISOString(), direction: 'asc', page_size: ACTIVITY_PAGE, page_token: token },
      });
      const r = new AnswerReader(this.venue, what);
      const rows = r.arr(res.body, '$');
      rows.forEach((row, i) => raw.push({ row, path: `[${i}]`, r }));
      if (rows.length < ACTIVITY_PAGE) break;
      token = r.str(r.obj(rows[rows.length - 1], `[${rows.length - 1}]`).id, `[${rows.length - 1}].id`);
    }
    // Resolve the client order ids first (each order once), then read the fills.
    for (const { row, path, r } of raw) {
      const orderId = r.str(r.obj(row, path).order_id, `${path}.order_id`);
      if (!this.#clientIds.has(orderId)) await this.#resolveClientId(orderId);
    }
    const fills = raw.map(({ row, path, r }) => readAlpacaFill(r, row, path, this.#symbols, (id) => this.#clientIds.get(id) ?? ''));
    return fills.filter((f) => f.ts >= since).sort((a, b) => a.ts - b.ts || (a.brokerFillId < b.brokerFillId ? -1 : 1));
  }

  async #resolveClientId(orderId: string): Promise<void> {
    const res = await this.#http.request({ method: 'GET', path: `/v2/orders/${encodeURIComponent(orderId)}`, accept: [404] });
    // An order Alpaca no longer shows leaves its fills without a client order id rather than losing them.
    if (res.status === 404) return;
    this.#remember(readAlpacaOrder(new AnswerReader(this.venue, 'GET /v2/orders/{id}'), res.body, '$', this.#symbols));
  }

  async positions(): Promise<readonly BrokerPosition[]> {
    const res = await this.#http.request({ method: 'GET', path: '/v2/positions' });
    const r = new AnswerReader(this.venue, 'GET /v2/positions');
    return r.arr(res.body, '$').map((row, i) => readAlpacaPosition(r, row, `[${i}]`, this.#symbols));
  }

  async close(): Promise<void> {
    // Nothing is held open: requests use the process-wide fetch pool.
    this.#clientIds.clear();
  }

  #remember(order: BrokerOrder): BrokerOrder {
    if (order.clientOrderId) this.#clientIds.set(order.brokerOrderId, order.clientOrderId);
    return order;
  }
}

function isFinal(order: BrokerOrder): boolean {
  return order.status === 'filled' || order.status === 'canceled' || order.status === 'expired' || order.status === 'rejected';
}
