/**
 * ccxt inside a Vanta collector.
 *
 * ccxt knows each venue's endpoints, symbols and quirks; we want its requests to go through the
 * collector's `HttpClient` (one declared User-Agent, per-host limits, retries, the collector's abort
 * signal) and we want the raw bytes of every answer, so a document we cannot read reaches the dead-letter
 * topic whole. ccxt lets a caller supply its `fetchImplementation`; {@link HttpBridge} is one, built on
 * the `HttpClient` of the poll in progress. It also checks that every 2xx answer is JSON before ccxt sees
 * it, since ccxt quietly hands unparsable text on as a string.
 *
 * ccxt's unified structures carry prices and sizes as JS numbers. The readers here turn them into exact
 * decimals straight away (see `decimal.ts` for why that recovers the venue's decimal string) and check
 * their shape, raising `DocumentError` against the answer they came from.
 */
import { BadResponse, BaseError, exchanges, type Exchange } from 'ccxt';
import { DocumentError, type SourceDocument } from '../document.js';
import { HttpError, type HttpClient } from '../http.js';
import type { BookLevel } from './book.js';
import { cmp, decimalFromNumber, isNegative, type Decimal } from './decimal.js';
import type { Fill } from './flow.js';
import { Fields, readJson } from './json-document.js';

export interface CcxtExchangeOptions {
  /** Passed to the exchange as its `options` (e.g. `{ fetchMarkets: { types: ['spot'] } }` for Binance). */
  readonly options?: Readonly<Record<string, unknown>>;
  /**
   * Replaces the scheme and host of every URL in the exchange's `urls.api` map, keeping the paths: for a
   * proxy, a mirror, or a local server replaying recorded answers in tests.
   */
  readonly apiBaseUrl?: string;
}

type ExchangeClass = new (config: Record<string, unknown>) => Exchange;

/** Builds a ccxt exchange by its id (`binance`, `kraken`, `coinbase`), with its rate limiter on. */
export function createCcxtExchange(id: string, options: CcxtExchangeOptions = {}): Exchange {
  const Ctor = (exchanges as unknown as Record<string, ExchangeClass | undefined>)[id];
  if (typeof Ctor !== 'function') throw new Error(`ccxt has no exchange "${id}"`);
  const exchange = new Ctor({ enableRateLimit: true, ...(options.options ? { options: { ...options.options } } : {}) });
  if (options.apiBaseUrl) exchange.urls.api = rebaseUrls(exchange.urls.api, options.apiBaseUrl) as typeof exchange.urls.api;
  return exchange;
}

/** Every `http(s)://host` prefix in a (nested) URL map replaced by `base`. */
export function rebaseUrls(value: unknown, base: string): unknown {
  const root = base.replace(/\/+$/, '');
  if (typeof value === 'string') return value.replace(/^https?:\/\/[^/]+/, root);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebaseUrls(v, root)]));
  }
  return value;
}

interface FetchInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** ccxt's `fetchImplementation`, sending through the `HttpClient` of the current poll. */
export class HttpBridge {
  #http: HttpClient | null = null;
  #signal: AbortSignal | undefined;
  /** Every answer received since {@link bind}, in order. */
  readonly documents: SourceDocument[] = [];

  /** Installs the bridge on an exchange. */
  install(exchange: Exchange): void {
    exchange.fetchImplementation = this.fetch;
    // An exchange that already sent a request has cached ccxt's own client (and its undici fast path,
    // which bypasses `fetchImplementation`); forget it so the next request loads ours.
    const loaded = exchange as unknown as { fetchImplementationLoading?: unknown; fetchIsNative?: boolean };
    loaded.fetchImplementationLoading = undefined;
    loaded.fetchIsNative = false;
  }

  /** Points the bridge at a poll's client and abort signal, and forgets the previous poll's answers. */
  bind(http: HttpClient, signal: AbortSignal): void {
    this.#http = http;
    this.#signal = signal;
    this.documents.length = 0;
  }

  /** The answer ccxt read last: what a reader's error is about. */
  get last(): SourceDocument | undefined {
    return this.documents[this.documents.length - 1];
  }

  readonly fetch = async (url: string, init: FetchInit = {}): Promise<Response> => {
    if (!this.#http) throw new Error('HttpBridge: no HttpClient bound; call bind() before using the exchange');
    const method = (init.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new Error(`HttpBridge: ${method} is not supported (market data is read-only)`);
    // ccxt poses as a browser; the collector's client declares who we are instead.
    const headers = Object.fromEntries(Object.entries(init.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'user-agent'));
    const response = await this.#http.request({
      url,
      method,
      headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(this.#signal ? { signal: this.#signal } : {}),
    });
    const document: SourceDocument = { origin: response.url || url, body: response.body, contentType: response.contentType };
    this.documents.push(document);
    if (response.status >= 200 && response.status < 300) readJson(document); // throws DocumentError
    const empty = response.status === 204 || response.status === 304;
    return new Response(empty ? null : response.body, { status: response.status, headers: response.headers });
  };

  /**
   * Runs a ccxt call. Errors that mean "the answer could not be read" (ccxt's `BadResponse`, a TypeError
   * from ccxt's parser meeting an unexpected shape) become `DocumentError`s against the last answer;
   * network and venue errors (ccxt's others, `HttpError`) pass through.
   */
  async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof DocumentError || error instanceof HttpError) throw error;
      const unreadable = error instanceof BadResponse || (error instanceof TypeError && !(error instanceof BaseError));
      const last = this.last;
      if (unreadable && last) {
        throw new DocumentError('DOCUMENT_INVALID', `ccxt could not read the answer: ${error.message}`, last.origin, undefined, { cause: error });
      }
      throw error;
    }
  }
}

/** One closed or open candle, exact. `openTime` is epoch ms. */
export interface Candle {
  readonly openTime: number;
  readonly open: Decimal;
  readonly high: Decimal;
  readonly low: Decimal;
  readonly close: Decimal;
  readonly volume: Decimal;
}

function decimal(f: Fields, value: unknown, path: string, nonNegative = true): Decimal {
  const d = typeof value === 'number' ? decimalFromNumber(value) : null;
  if (!d) f.fail('DOCUMENT_INVALID', `expected a number, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`, path);
  if (nonNegative && isNegative(d)) f.fail('DOCUMENT_INVALID', `expected a non-negative number, got ${value as number}`, path);
  return d;
}

function time(f: Fields, value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    f.fail('DOCUMENT_INVALID', `expected a timestamp in ms, got ${JSON.stringify(value)}`, path);
  }
  return value;
}

/** Reads ccxt's OHLCV rows (`[timestamp, open, high, low, close, volume]`). */
export function readOhlcv(rows: unknown, origin: string): Candle[] {
  const f: Fields = new Fields(origin);
  return f.arr(rows, '$').map((row, i) => {
    const r = f.arr(row, `[${i}]`);
    const c: Candle = {
      openTime: time(f, r[0], `[${i}].openTime`),
      open: decimal(f, r[1], `[${i}].open`),
      high: decimal(f, r[2], `[${i}].high`),
      low: decimal(f, r[3], `[${i}].low`),
      close: decimal(f, r[4], `[${i}].close`),
      volume: decimal(f, r[5], `[${i}].volume`),
    };
    for (const k of ['open', 'close', 'low'] as const) {
      if (cmp(c[k], c.high) > 0) f.fail('DOCUMENT_INVALID', `${k} is above high`, `[${i}].${k}`);
    }
    if (cmp(c.open, c.low) < 0 || cmp(c.close, c.low) < 0) f.fail('DOCUMENT_INVALID', 'open or close is below low', `[${i}].low`);
    return c;
  });
}

/** Reads ccxt's unified trades into fills. `side` is the taker's side in ccxt's public trades. */
export function readTrades(trades: unknown, origin: string): Fill[] {
  const f: Fields = new Fields(origin);
  return f.arr(trades, '$').map((value, i) => {
    const t = f.obj(value, `[${i}]`);
    const id = t.id;
    if (typeof id !== 'string' && typeof id !== 'number') f.fail('DOCUMENT_INVALID', 'trade has no id', `[${i}].id`);
    const side = t.side === 'buy' || t.side === 'sell' ? t.side : null;
    return {
      id: String(id),
      ts: time(f, t.timestamp, `[${i}].timestamp`),
      side,
      price: decimal(f, t.price, `[${i}].price`),
      amount: decimal(f, t.amount, `[${i}].amount`),
    };
  });
}

export interface Book {
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  readonly timestamp: number | null;
  /** The venue's sequence number for the snapshot (Binance's `lastUpdateId`), if any. */
  readonly nonce: number | null;
}

function levels(f: Fields, value: unknown, path: string, descending: boolean): BookLevel[] {
  const out = f.arr(value, path).map((row, i) => {
    const r = f.arr(row, `${path}[${i}]`);
    return { price: decimal(f, r[0], `${path}[${i}][0]`), amount: decimal(f, r[1], `${path}[${i}][1]`) };
  });
  for (let i = 1; i < out.length; i += 1) {
    const c = cmp(out[i]!.price, out[i - 1]!.price);
    if (descending ? c > 0 : c < 0) f.fail('DOCUMENT_INVALID', `levels are not in ${descending ? 'descending' : 'ascending'} price order`, `${path}[${i}][0]`);
  }
  return out;
}

/** Reads ccxt's unified order book; a crossed book (best bid ≥ best ask) is invalid. */
export function readOrderBook(book: unknown, origin: string): Book {
  const f: Fields = new Fields(origin);
  const b = f.obj(book, '$');
  const bids = levels(f, b.bids, 'bids', true);
  const asks = levels(f, b.asks, 'asks', false);
  if (bids[0] && asks[0] && cmp(bids[0].price, asks[0].price) >= 0) f.fail('DOCUMENT_INVALID', 'crossed book: best bid is not below best ask', 'bids[0][0]');
  return {
    bids,
    asks,
    timestamp: typeof b.timestamp === 'number' ? b.timestamp : null,
    nonce: typeof b.nonce === 'number' ? b.nonce : null,
  };
}
