/**
 * The Broker port over Tradier's Brokerage API, for US equities: the sandbox (paper money) by default,
 * production when `baseUrl` says so.
 *
 * Tradier has no client order id; an order's `tag` carries ours. Tradier does not refuse a second order
 * with a tag it already holds, nor can it find an order by tag, so idempotency is the adapter's: `submit`
 * first looks for an order with the tag and only sends when there is none, and after an uncertain failure
 * it looks again (`http-submit.ts`). The look-up reads the account's orders of the current market day
 * (Tradier's default listing) plus any order this instance placed or saw, by id.
 */
import { BrokerError, type Broker, type BrokerFill, type BrokerOrder, type BrokerOrderRequest, type BrokerPosition } from '../broker.js';
import { BrokerHttp, BrokerHttpError, type BrokerHttpResponse, type BrokerLogger, type FetchLike } from './http.js';
import { AnswerReader, SymbolMap } from './http-fields.js';
import { submitIdempotently, type LookupPolicy } from './http-submit.js';
import { readTradierOrder, readTradierPosition, tradierErrors, tradierFillOf, tradierOrderForm } from './tradier-map.js';

export const TRADIER_SANDBOX_URL = 'https://sandbox.tradier.com';
export const TRADIER_LIVE_URL = 'https://api.tradier.com';

export interface TradierBrokerOptions {
  /** The access token, sent as `Authorization: Bearer`. */
  readonly token: string;
  /** The account number (`VA000000` in the sandbox). */
  readonly accountId: string;
  /** Defaults to {@link TRADIER_SANDBOX_URL}; {@link TRADIER_LIVE_URL} for real money. */
  readonly baseUrl?: string;
  /** Deadline per request. Defaults to 10 s. */
  readonly timeoutMs?: number;
  /** Instrument → Tradier symbol, where they differ. */
  readonly symbols?: Readonly<Record<string, string>>;
  /** Orders per page when listing. Defaults to 100. */
  readonly pageLimit?: number;
  /** The venue name vaults route to. Defaults to `tradier`. */
  readonly venue?: string;
  readonly lookup?: LookupPolicy;
  readonly log?: BrokerLogger;
  readonly fetch?: FetchLike;
}

const MAX_PAGES = 20;

export class TradierBroker implements Broker {
  readonly venue: string;
  readonly #http: BrokerHttp;
  readonly #symbols: SymbolMap;
  readonly #orders: string;
  readonly #pageLimit: number;
  readonly #lookup: LookupPolicy | undefined;
  /** Tag → Tradier order id, for every order this instance placed or listed. */
  readonly #ids = new Map<string, string>();

  constructor(options: TradierBrokerOptions) {
    this.venue = options.venue ?? 'tradier';
    if (!options.token) throw new BrokerError('BROKER_AUTH', `${this.venue}: token is required`, this.venue);
    if (!/^[A-Za-z0-9]+$/.test(options.accountId)) throw new BrokerError('BROKER_AUTH', `${this.venue}: accountId must be an account number`, this.venue);
    this.#http = new BrokerHttp({
      venue: this.venue,
      baseUrl: options.baseUrl ?? TRADIER_SANDBOX_URL,
      headers: { Authorization: `Bearer ${options.token}` },
      secrets: [options.token],
      timeoutMs: options.timeoutMs,
      log: options.log,
      fetch: options.fetch,
    });
    this.#symbols = new SymbolMap(options.symbols);
    this.#orders = `/v1/accounts/${options.accountId}/orders`;
    this.#pageLimit = options.pageLimit ?? 100;
    this.#lookup = options.lookup;
  }

  async submit(request: BrokerOrderRequest): Promise<BrokerOrder> {
    const form = tradierOrderForm(this.venue, request, this.#symbols);
    // Tradier would accept a second order with the same tag: ask first.
    const existing = await this.getOrder(request.clientOrderId);
    if (existing) return existing;
    return submitIdempotently({
      place: () => this.#place(form, request),
      lookup: () => this.getOrder(request.clientOrderId),
      venueDeduplicates: false,
      policy: this.#lookup,
    });
  }

  async #place(form: Record<string, string>, request: BrokerOrderRequest): Promise<BrokerOrder> {
    const what = `POST ${this.#orders}`;
    const res = await this.#http.request({ method: 'POST', path: this.#orders, form });
    this.#throwErrors(what, res);
    const r = new AnswerReader(this.venue, what);
    const placed = r.obj(r.obj(res.body, '$').order, '$.order');
    const id = r.str(placed.id, '$.order.id');
    this.#ids.set(request.clientOrderId, id);
    try {
      return await this.#orderById(id);
    } catch (error) {
      // The order is placed and its id known: whatever keeps it from being read back now, it must not be
      // reported as failed (a retry would place another). It is reported as Tradier took it.
      if (!(error instanceof BrokerError)) throw error;
      return {
        brokerOrderId: id,
        clientOrderId: request.clientOrderId,
        instrument: request.instrument,
        side: request.side,
        type: request.type,
        quantity: form.quantity!,
        limitPrice: form.price ?? null,
        filledQuantity: '0',
        avgFillPrice: null,
        status: 'accepted',
        reason: null,
        updatedAt: Date.now(),
      };
    }
  }

  /** Tradier answers some refusals with 200 and an `errors` body. */
  #throwErrors(what: string, res: BrokerHttpResponse): void {
    const errors = tradierErrors(res.body);
    if (errors !== null) throw new BrokerHttpError('BROKER_REJECTED', this.#http.redact(`${this.venue}: ${what} refused: ${errors}`), this.venue, res.status, res.body);
  }

  async getOrder(clientOrderId: string): Promise<BrokerOrder | null> {
    const known = this.#ids.get(clientOrderId);
    if (known) {
      const order = await this.#orderById(known, true);
      if (order) return order;
    }
    for await (const order of this.#listOrders()) if (order.clientOrderId === clientOrderId) return order;
    return null;
  }

  async #orderById(id: string, missingIsNull?: false): Promise<BrokerOrder>;
  async #orderById(id: string, missingIsNull: true): Promise<BrokerOrder | null>;
  async #orderById(id: string, missingIsNull = false): Promise<BrokerOrder | null> {
    const what = `GET ${this.#orders}/{id}`;
    const res = await this.#http.request({ method: 'GET', path: `${this.#orders}/${encodeURIComponent(id)}`, query: { includeTags: true }, accept: missingIsNull ? [404] : [] });
    if (res.status === 404) return null;
    const r = new AnswerReader(this.venue, what);
    return this.#remember(readTradierOrder(r, r.obj(res.body, '$').order, '$.order', this.#symbols));
  }

  /** The account's orders of the current market day (Tradier's default listing), page by page. */
  async *#listOrders(): AsyncGenerator<BrokerOrder> {
    const what = `GET ${this.#orders}`;
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const res = await this.#http.request({ method: 'GET', path: this.#orders, query: { includeTags: true, page, limit: this.#pageLimit } });
      const r = new AnswerReader(this.venue, what);
      const body = r.obj(res.body, '$');
      const orders = body.orders === 'null' || body.orders === null ? null : r.obj(body.orders, '$.orders');
      const rows = orders ? r.list(orders.order, '$.orders.order') : [];
      for (const [i, row] of rows.entries()) yield this.#remember(readTradierOrder(r, row, `$.orders.order[${i}]`, this.#symbols));
      if (rows.length < this.#pageLimit) return;
    }
  }

  async cancel(clientOrderId: string): Promise<BrokerOrder> {
    const order = await this.getOrder(clientOrderId);
    if (!order) throw new BrokerError('BROKER_NOT_FOUND', `${this.venue}: no order with tag ${clientOrderId}`, this.venue);
    if (isFinal(order)) return order;
    const what = `DELETE ${this.#orders}/{id}`;
    const res = await this.#http.request({ method: 'DELETE', path: `${this.#orders}/${encodeURIComponent(order.brokerOrderId)}` });
    // An order that finished meanwhile cannot be canceled; Tradier says so in `errors`, and the order answers.
    const refused = tradierErrors(res.body) !== null;
    const after = await this.#orderById(order.brokerOrderId);
    if (refused && !isFinal(after)) this.#throwErrors(what, res);
    return isFinal(after) || after.status === 'pending_cancel' ? after : { ...after, status: 'pending_cancel' };
  }

  async openOrders(): Promise<readonly BrokerOrder[]> {
    const out: BrokerOrder[] = [];
    for await (const order of this.#listOrders()) if (!isFinal(order)) out.push(order);
    return out;
  }

  async fills(since: number): Promise<readonly BrokerFill[]> {
    const out: BrokerFill[] = [];
    for await (const order of this.#listOrders()) {
      const fill = tradierFillOf(order);
      if (fill && fill.ts >= since) out.push(fill);
    }
    return out.sort((a, b) => a.ts - b.ts || (a.brokerFillId < b.brokerFillId ? -1 : 1));
  }

  async positions(): Promise<readonly BrokerPosition[]> {
    const what = `GET ${this.#orders.replace(/orders$/, 'positions')}`;
    const res = await this.#http.request({ method: 'GET', path: this.#orders.replace(/orders$/, 'positions') });
    const r = new AnswerReader(this.venue, what);
    const body = r.obj(res.body, '$');
    const positions = body.positions === 'null' || body.positions === null ? null : r.obj(body.positions, '$.positions');
    const rows = positions ? r.list(positions.position, '$.positions.position') : [];
    return rows.map((row, i) => readTradierPosition(r, row, `$.positions.position[${i}]`, this.#symbols));
  }

  async close(): Promise<void> {
    this.#ids.clear();
  }

  #remember(order: BrokerOrder): BrokerOrder {
    if (order.clientOrderId) this.#ids.set(order.clientOrderId, order.brokerOrderId);
    return order;
  }
}

function isFinal(order: BrokerOrder): boolean {
  return order.status === 'filled' || order.status === 'canceled' || order.status === 'expired' || order.status === 'rejected';
}
