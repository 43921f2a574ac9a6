/**
 * The Broker port over any ccxt exchange (`ccxt:binance`, `ccxt:kraken`, ...), for spot markets. ccxt
 * signs the requests and parses the answers; this adapter gives it the Broker contract's shape: exact
 * decimals, typed errors with credentials redacted, and idempotent submission on the client order id,
 * which travels in ccxt's unified `clientOrderId` parameter (ccxt maps it to the venue's own name,
 * Binance's `newClientOrderId`).
 *
 * Venues need a market for most order calls, and the Broker port names only a client order id, so the
 * adapter is configured with the instruments it trades (instrument → ccxt symbol) and looks in those
 * markets. Spot positions are the base-currency balances of those markets; spot balances carry no cost
 * basis, so `avgPrice` is `"0"`.
 */
import { BadResponse, exchanges, type Exchange } from 'ccxt';
import { redactText } from '../../collectors/http.js';
import { rebaseUrls } from '../../collectors/market/ccxt-bridge.js';
import { BrokerError, type Broker, type BrokerFill, type BrokerOrder, type BrokerOrderRequest, type BrokerPosition } from '../broker.js';
import { balanceTotal, brokerErrorOf, readCcxtFill, readCcxtOrder } from './ccxt-map.js';
import type { BrokerLogger } from './http.js';
import { AnswerReader, decimalText, refuse, requirePositive, SymbolMap, type Dec } from './http-fields.js';
import { outcomeUnknown, submitIdempotently, type LookupPolicy } from './http-submit.js';

export interface CcxtBrokerOptions {
  /** ccxt's exchange id (`binance`). */
  readonly exchange: string;
  readonly apiKey: string;
  readonly secret: string;
  /** Some venues (OKX, KuCoin) also need a passphrase. */
  readonly password?: string;
  /** Instrument → ccxt unified symbol for every market traded (`{ "LTC-USD": "LTC/USDT" }`). */
  readonly markets: Readonly<Record<string, string>>;
  /** Use the venue's test network (`setSandboxMode`). */
  readonly sandbox?: boolean;
  /** Replaces scheme and host of every API URL (a proxy, or a local replay server in tests). */
  readonly apiBaseUrl?: string;
  /** Deadline per request. Defaults to 10 s. */
  readonly timeoutMs?: number;
  /** Passed to the exchange as its `options`. */
  readonly options?: Readonly<Record<string, unknown>>;
  /**
   * Whether the venue refuses a second order with a client order id it holds. Defaults to true (Binance,
   * Bybit, OKX and most others do); set false for a venue that does not, and `submit` looks first.
   */
  readonly venueDeduplicates?: boolean;
  /** The venue name vaults route to. Defaults to `ccxt:<exchange>`. */
  readonly venue?: string;
  readonly lookup?: LookupPolicy;
  readonly log?: BrokerLogger;
}

type ExchangeClass = new (config: Record<string, unknown>) => Exchange;

/** ccxt takes amounts as numbers; more significant digits than a double keeps would be silently rounded. */
const MAX_DIGITS = 15;
const TRADE_PAGE = 500;
const MAX_PAGES = 20;

export class CcxtBroker implements Broker {
  readonly venue: string;
  readonly #o: CcxtBrokerOptions;
  readonly #ex: Exchange;
  readonly #names: SymbolMap;
  readonly #secrets: string[];
  #markets: Promise<void> | null = null;
  /** Client order id → symbol, and order id → client order id, for orders placed or seen. */
  readonly #symbolOf = new Map<string, string>();
  readonly #clientIdOf = new Map<string, string>();

  constructor(options: CcxtBrokerOptions) {
    this.venue = options.venue ?? `ccxt:${options.exchange}`;
    if (!options.apiKey || !options.secret) throw new BrokerError('BROKER_AUTH', `${this.venue}: apiKey and secret are required`, this.venue);
    if (Object.keys(options.markets).length === 0) throw new BrokerError('BROKER_REJECTED', `${this.venue}: no markets configured`, this.venue);
    const Ctor = (exchanges as unknown as Record<string, ExchangeClass | undefined>)[options.exchange];
    if (typeof Ctor !== 'function') throw new BrokerError('BROKER_NOT_FOUND', `${this.venue}: ccxt has no exchange "${options.exchange}"`, this.venue);
    this.#o = options;
    this.#secrets = [options.apiKey, options.secret, ...(options.password ? [options.password] : [])];
    this.#ex = new Ctor({
      apiKey: options.apiKey,
      secret: options.secret,
      ...(options.password ? { password: options.password } : {}),
      enableRateLimit: true,
      timeout: options.timeoutMs ?? 10_000,
      ...(options.options ? { options: { ...options.options } } : {}),
    });
    if (options.sandbox) this.#ex.setSandboxMode(true);
    if (options.apiBaseUrl) this.#ex.urls.api = rebaseUrls(this.#ex.urls.api, options.apiBaseUrl) as Exchange['urls']['api'];
    this.#ex.fetchImplementation = jsonOnlyFetch;
    this.#names = new SymbolMap(options.markets);
  }

  /** The ccxt exchange, for the composition root's health checks. */
  get exchange(): Exchange {
    return this.#ex;
  }

  async submit(request: BrokerOrderRequest): Promise<BrokerOrder> {
    const symbol = this.#symbol(request.instrument);
    const amount = this.#number('quantity', requirePositive(this.venue, 'quantity', request.quantity));
    const price = request.type === 'LIMIT' ? this.#number('limitPrice', requirePositive(this.venue, 'limitPrice', request.limitPrice)) : undefined;
    const params: Record<string, unknown> = { clientOrderId: request.clientOrderId };
    if (request.type === 'LIMIT') {
      // A crypto venue trades around the clock: there is no trading day for a DAY order to end with.
      if (request.timeInForce === 'DAY') refuse(this.venue, 'DAY orders are not offered; use GTC or IOC');
      params.timeInForce = request.timeInForce;
    }
    const cid = request.clientOrderId;
    this.#symbolOf.set(cid, symbol);
    const deduplicates = this.#o.venueDeduplicates ?? true;
    if (!deduplicates) {
      const existing = await this.getOrder(cid);
      if (existing) return existing;
    }
    const place = async (): Promise<BrokerOrder> => {
      try {
        const created = await this.#call(() => this.#ex.createOrder(symbol, request.type === 'LIMIT' ? 'limit' : 'market', request.side === 'BUY' ? 'buy' : 'sell', amount, price, params));
        return this.#remember(cid, this.#order(created, 'createOrder'));
      } catch (error) {
        // A refusal may be the venue's "duplicate client order id": if it holds our order, that is the answer.
        if (error instanceof BrokerError && error.code === 'BROKER_REJECTED') {
          // If the look-up cannot tell, the outcome is unknown: say so rather than pass the refusal on.
          const existing = await this.getOrder(cid).catch((lookupError: unknown) => {
            if (outcomeUnknown(lookupError)) throw lookupError;
            return null;
          });
          if (existing) return existing;
        }
        throw error;
      }
    };
    return submitIdempotently({ place, lookup: () => this.getOrder(cid), venueDeduplicates: deduplicates, policy: this.#o.lookup });
  }

  async getOrder(clientOrderId: string): Promise<BrokerOrder | null> {
    const known = this.#symbolOf.get(clientOrderId);
    const symbols = known ? [known] : Object.values(this.#o.markets);
    for (const symbol of symbols) {
      try {
        const order = await this.#call(() => this.#ex.fetchOrder(clientOrderId, symbol, { clientOrderId }));
        return this.#remember(clientOrderId, this.#order(order, 'fetchOrder'));
      } catch (error) {
        if (!(error instanceof BrokerError && error.code === 'BROKER_NOT_FOUND')) throw error;
      }
    }
    return null;
  }

  async cancel(clientOrderId: string): Promise<BrokerOrder> {
    const order = await this.getOrder(clientOrderId);
    if (!order) throw new BrokerError('BROKER_NOT_FOUND', `${this.venue}: no order with client order id ${clientOrderId}`, this.venue);
    if (isFinal(order)) return order;
    const symbol = this.#symbol(order.instrument);
    let after: BrokerOrder;
    try {
      const canceled = await this.#call(() => this.#ex.cancelOrder(order.brokerOrderId, symbol));
      // Some venues (Binance) answer a cancel with the cancel request's own client id: keep the order's.
      after = { ...this.#order(canceled, 'cancelOrder'), clientOrderId };
    } catch (error) {
      if (!(error instanceof BrokerError && error.code === 'BROKER_NOT_FOUND')) throw error;
      // It finished between our read and the cancel: the order as it now stands answers.
      after = (await this.getOrder(clientOrderId)) ?? order;
    }
    return isFinal(after) || after.status === 'pending_cancel' ? after : { ...after, status: 'pending_cancel' };
  }

  async openOrders(): Promise<readonly BrokerOrder[]> {
    const out: BrokerOrder[] = [];
    for (const symbol of Object.values(this.#o.markets)) {
      const rows = await this.#call(() => this.#ex.fetchOpenOrders(symbol));
      const r = new AnswerReader(this.venue, `fetchOpenOrders ${symbol}`);
      r.arr(rows, '$').forEach((row, i) => out.push(this.#remember(null, readCcxtOrder(r, row, `[${i}]`, this.#names))));
    }
    return out;
  }

  async fills(since: number): Promise<readonly BrokerFill[]> {
    const out = new Map<string, BrokerFill>();
    for (const symbol of Object.values(this.#o.markets)) {
      let from = since;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const rows = await this.#call(() => this.#ex.fetchMyTrades(symbol, from, TRADE_PAGE));
        const r = new AnswerReader(this.venue, `fetchMyTrades ${symbol}`);
        const list = r.arr(rows, '$');
        for (const [i, row] of list.entries()) {
          const orderId = r.str(r.obj(row, `[${i}]`).order, `[${i}].order`);
          if (!this.#clientIdOf.has(orderId)) await this.#resolveClientId(orderId, symbol);
          const fill = readCcxtFill(r, row, `[${i}]`, this.#names, (id) => this.#clientIdOf.get(id) ?? '');
          if (fill.ts >= since) out.set(`${fill.brokerOrderId}:${fill.brokerFillId}`, fill);
        }
        if (list.length < TRADE_PAGE) break;
        // The next page starts at the last trade's time; trades at that instant are read again and merged.
        const last = Math.max(...[...out.values()].map((f) => f.ts));
        if (last <= from) break;
        from = last;
      }
    }
    return [...out.values()].sort((a, b) => a.ts - b.ts || (a.brokerFillId < b.brokerFillId ? -1 : 1));
  }

  async #resolveClientId(orderId: string, symbol: string): Promise<void> {
    try {
      const order = await this.#call(() => this.#ex.fetchOrder(orderId, symbol));
      this.#remember(null, this.#order(order, 'fetchOrder'));
    } catch (error) {
      // An order the venue no longer shows leaves its fills without a client order id rather than losing them.
      if (!(error instanceof BrokerError && error.code === 'BROKER_NOT_FOUND')) throw error;
    }
  }

  async positions(): Promise<readonly BrokerPosition[]> {
    const balance = await this.#call(() => this.#ex.fetchBalance());
    const r = new AnswerReader(this.venue, 'fetchBalance');
    const out: BrokerPosition[] = [];
    for (const [instrument, symbol] of Object.entries(this.#o.markets)) {
      const base = this.#ex.markets?.[symbol]?.base;
      if (!base) continue;
      const total = balanceTotal(r, balance, base);
      if (total && !total.isZero()) out.push({ instrument, quantity: decimalText(total), avgPrice: '0' });
    }
    return out;
  }

  async close(): Promise<void> {
    this.#symbolOf.clear();
    this.#clientIdOf.clear();
    await this.#ex.close?.();
  }

  #symbol(instrument: string): string {
    const symbol = this.#o.markets[instrument];
    if (!symbol) refuse(this.venue, `instrument ${instrument} is not routed to any market here`);
    return symbol;
  }

  #number(field: string, value: Dec): number {
    if (value.sd(true) > MAX_DIGITS) refuse(this.venue, `${field} ${decimalText(value)} has more than ${MAX_DIGITS} significant digits`);
    return value.toNumber();
  }

  #order(value: unknown, what: string): BrokerOrder {
    return readCcxtOrder(new AnswerReader(this.venue, what), value, '$', this.#names);
  }

  #remember(clientOrderId: string | null, order: BrokerOrder): BrokerOrder {
    const cid = order.clientOrderId || clientOrderId;
    if (!cid) return order;
    this.#clientIdOf.set(order.brokerOrderId, cid);
    const symbol = this.#o.markets[order.instrument];
    if (symbol) this.#symbolOf.set(cid, symbol);
    return order.clientOrderId ? order : { ...order, clientOrderId: cid };
  }

  /** Runs a ccxt call after the markets are loaded; every failure leaves as a redacted `BrokerError`. */
  async #call<T>(run: () => Promise<T>): Promise<T> {
    const redact = (text: string) => redactText(text, this.#secrets);
    try {
      this.#markets ??= this.#loadMarkets();
      await this.#markets;
      return await run();
    } catch (error) {
      const err = brokerErrorOf(this.venue, error, redact);
      this.#o.log?.warn({ venue: this.venue, code: err.code, error: err.message }, 'broker request');
      throw err;
    }
  }

  async #loadMarkets(): Promise<void> {
    try {
      await this.#ex.loadMarkets();
      for (const symbol of Object.values(this.#o.markets)) {
        if (!this.#ex.markets?.[symbol]) throw new BrokerError('BROKER_NOT_FOUND', `${this.venue}: the venue lists no market ${symbol}`, this.venue);
      }
    } catch (error) {
      // A failed load is tried again on the next call rather than remembered.
      this.#markets = null;
      throw error;
    }
  }
}

/**
 * ccxt's fetch, refusing a 2xx answer that is not JSON: ccxt would otherwise hand the text on as the
 * response and its parsers would read an empty balance or order list out of an error page.
 */
async function jsonOnlyFetch(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: init.signal, redirect: 'error' });
  const text = await response.text();
  if (response.ok && text.trim() !== '') {
    try {
      JSON.parse(text);
    } catch {
      throw new BadResponse(`answer to ${init.method ?? 'GET'} ${url.split('?')[0]} is not JSON: ${text.slice(0, 120)}`);
    }
  }
  const empty = response.status === 204 || response.status === 304;
  return new Response(empty ? null : text, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function isFinal(order: BrokerOrder): boolean {
  return order.status === 'filled' || order.status === 'canceled' || order.status === 'expired' || order.status === 'rejected';
}

