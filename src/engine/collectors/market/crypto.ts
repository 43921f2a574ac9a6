/**
 * Crypto market data from any ccxt exchange, as a polling source: closed OHLCV bars as `bar` signals,
 * block trades and sweeps from the public tape as `trade` signals, and order-book imbalance near the mid
 * as `order_book` signals.
 *
 * Money is exact: ccxt's numbers are turned into decimals on arrival (`ccxt-bridge.ts`) and notionals and
 * depths are summed as scaled BigInts (`decimal.ts`); bodies carry them as decimal strings. Only the
 * `bar` fields the engine models read, and ratios such as the imbalance, are floats.
 *
 * A print that belongs to a sweep is reported with the sweep, not again as a block.
 *
 * USD notionals need the quote currency's USD price: USD and the major dollar stablecoins count as 1
 * (a peg, not a quote; configure `quoteUsd` to override or to add others). A market whose quote has no
 * price still gives bars, but its trades and book cannot be measured in USD and are skipped.
 *
 * The cursor keeps, per market, the open time of the last bar sent and the time (and ids at that time)
 * of the last trade seen, so a restart repeats nothing. The tape is read from the cursor when it is
 * recent (`maxTradeLagMs`), else from the venue's latest trades: a collector that was down for hours does
 * not replay stale flow as if it were news. A sweep split by a poll boundary is seen only in part.
 */
import type { Exchange } from 'ccxt';
import { DocumentError } from '../document.js';
import type { PollContext, PollingSource, PollResult, RejectedDocument, SignalDraft } from '../source.js';
import { bookImbalance } from './book.js';
import { createCcxtExchange, HttpBridge, readOhlcv, readOrderBook, readTrades, type CcxtExchangeOptions, type Candle } from './ccxt-bridge.js';
import { abs, decimalOf, mul, sub, toDecimalString, toNumber, type Decimal } from './decimal.js';
import { detectBlocks, detectSweeps, polarityOf, tapeOrder, type Fill, type Sweep, type SweepRule } from './flow.js';

export interface CryptoMarket {
  /** ccxt's unified symbol, e.g. `BTC/USDT`. */
  readonly symbol: string;
  /** The instrument the signals are about; defaults to `<base>-USD` (the universe's naming). */
  readonly instrument?: string;
}

export interface CryptoMarketSourceOptions {
  /** A ccxt exchange built by the composition root, or a ccxt exchange id to build one from. */
  readonly exchange: Exchange | string;
  /** How to build the exchange when `exchange` is an id. */
  readonly ccxt?: CcxtExchangeOptions;
  readonly markets: readonly (string | CryptoMarket)[];
  /** Bar timeframe in ccxt's notation. Defaults to `1m`. */
  readonly timeframe?: string;
  /** Bars asked for per request. Defaults to 500. */
  readonly ohlcvLimit?: number;
  /** Trades asked for per request. Defaults to 1000. */
  readonly tradesLimit?: number;
  /** A single print at or above this USD notional is a block trade. Defaults to 250000. */
  readonly blockMinUsd?: string | number;
  readonly sweep?: {
    readonly windowMs?: number;
    readonly minFills?: number;
    readonly minLevels?: number;
    readonly minNotionalUsd?: string | number;
  };
  /** The band around the mid, in basis points, whose depth is compared. Defaults to 25. */
  readonly bookBandBps?: string | number;
  /** Levels asked for per side. Defaults to 100. */
  readonly bookLimit?: number;
  /** Send an `order_book` signal only when |imbalance| reaches this. Defaults to 0.2. */
  readonly minImbalance?: number;
  /** USD price of quote currencies, as decimal strings. Merged over the stablecoin defaults. */
  readonly quoteUsd?: Readonly<Record<string, string>>;
  /** Read the tape from the cursor only if it is at most this old. Defaults to 10 minutes. */
  readonly maxTradeLagMs?: number;
  /** Which feeds to read: all when absent; only those set to true when given. */
  readonly feeds?: { readonly bars?: boolean; readonly trades?: boolean; readonly book?: boolean };
  /** Defaults to one minute. */
  readonly intervalMs?: number;
  /** The collector's name. Defaults to `ccxt-<exchange id>`. */
  readonly name?: string;
  /** The signals' `source`. Defaults to `ccxt:<exchange id>`. */
  readonly source?: string;
}

export interface CryptoMarketCursor {
  /** Open time (epoch ms) of the last bar sent. */
  readonly bar?: number;
  /** Time of the last trade seen and the ids seen at that time. */
  readonly trades?: { readonly ts: number; readonly ids: readonly string[] };
}

export type CryptoCursor = Readonly<Record<string, CryptoMarketCursor>>;

const STABLE_USD: Readonly<Record<string, string>> = { USD: '1', USDT: '1', USDC: '1', FDUSD: '1', BUSD: '1', DAI: '1', TUSD: '1', USDP: '1' };

function dec(value: string | number, what: string): Decimal {
  const d = decimalOf(value);
  if (!d || d.units < 0n) throw new Error(`CryptoMarketSource: ${what} must be a non-negative decimal, got ${JSON.stringify(value)}`);
  return d;
}

export class CryptoMarketSource implements PollingSource<CryptoCursor> {
  readonly name: string;
  readonly intervalMs: number;
  readonly exchange: Exchange;
  readonly #bridge = new HttpBridge();
  readonly #source: string;
  readonly #markets: readonly Required<CryptoMarket>[];
  readonly #timeframe: string;
  readonly #tfMs: number;
  readonly #o: CryptoMarketSourceOptions;
  readonly #blockMin: Decimal;
  readonly #sweep: SweepRule;
  readonly #band: Decimal;
  readonly #quoteUsd: ReadonlyMap<string, Decimal>;

  constructor(options: CryptoMarketSourceOptions) {
    this.exchange = typeof options.exchange === 'string' ? createCcxtExchange(options.exchange, options.ccxt) : options.exchange;
    this.#bridge.install(this.exchange);
    this.#o = options;
    this.name = options.name ?? `ccxt-${this.exchange.id}`;
    this.#source = options.source ?? `ccxt:${this.exchange.id}`;
    this.intervalMs = options.intervalMs ?? 60_000;
    this.#timeframe = options.timeframe ?? '1m';
    this.#tfMs = this.exchange.parseTimeframe(this.#timeframe) * 1000;
    this.#markets = options.markets.map((m) => {
      const symbol = typeof m === 'string' ? m : m.symbol;
      const instrument = (typeof m === 'string' ? undefined : m.instrument) ?? `${symbol.split('/')[0]}-USD`;
      return { symbol, instrument };
    });
    this.#blockMin = dec(options.blockMinUsd ?? '250000', 'blockMinUsd');
    this.#sweep = {
      windowMs: options.sweep?.windowMs ?? 1_000,
      minFills: options.sweep?.minFills ?? 3,
      minLevels: options.sweep?.minLevels ?? 2,
      minNotionalUsd: dec(options.sweep?.minNotionalUsd ?? '100000', 'sweep.minNotionalUsd'),
    };
    this.#band = dec(options.bookBandBps ?? '25', 'bookBandBps');
    this.#quoteUsd = new Map(Object.entries({ ...STABLE_USD, ...options.quoteUsd }).map(([k, v]) => [k, dec(v, `quoteUsd.${k}`)]));
  }

  async poll(context: PollContext<CryptoCursor>): Promise<PollResult<CryptoCursor>> {
    this.#bridge.bind(context.http, context.signal);
    const cursor: Record<string, CryptoMarketCursor> = { ...(context.cursor ?? {}) };
    const drafts: SignalDraft[] = [];
    const rejected: RejectedDocument[] = [];
    const feeds = this.#o.feeds ?? { bars: true, trades: true, book: true };
    for (const market of this.#markets) {
      let state = cursor[market.symbol] ?? {};
      if (feeds.bars) state = (await this.#guard(rejected, () => this.#bars(market, state, context, drafts))) ?? state;
      if (feeds.trades) state = (await this.#guard(rejected, () => this.#trades(market, state, context, drafts))) ?? state;
      if (feeds.book) await this.#guard(rejected, () => this.#book(market, context, drafts));
      cursor[market.symbol] = state;
    }
    return { drafts, rejected, cursor };
  }

  parseCursor(stored: string): CryptoCursor | null {
    try {
      const value = JSON.parse(stored) as Record<string, CryptoMarketCursor> | null;
      if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
      for (const c of Object.values(value)) {
        if (c === null || typeof c !== 'object') return null;
        if (c.bar !== undefined && !Number.isSafeInteger(c.bar)) return null;
        if (c.trades !== undefined && (!Number.isSafeInteger(c.trades.ts) || !Array.isArray(c.trades.ids))) return null;
      }
      return value;
    } catch {
      return null;
    }
  }

  /** Runs one feed; an unreadable answer is rejected with its bytes and the other feeds go on. */
  async #guard<T>(rejected: RejectedDocument[], run: () => Promise<T>): Promise<T | undefined> {
    const before = this.#bridge.documents.length;
    try {
      return await this.#bridge.call(run);
    } catch (error) {
      if (!(error instanceof DocumentError)) throw error;
      const mine = this.#bridge.documents.slice(before);
      const document = mine.findLast((d) => d.origin === error.origin) ?? mine[mine.length - 1];
      if (!document) throw error;
      rejected.push({ document, error });
      return undefined;
    }
  }

  #quote(symbol: string): Decimal | undefined {
    const quote = symbol.split('/')[1]?.split(':')[0] ?? '';
    return this.#quoteUsd.get(quote);
  }

  async #bars(market: Required<CryptoMarket>, state: CryptoMarketCursor, context: PollContext<CryptoCursor>, drafts: SignalDraft[]): Promise<CryptoMarketCursor> {
    const since = state.bar !== undefined ? state.bar + this.#tfMs : undefined;
    const rows = await this.exchange.fetchOHLCV(market.symbol, this.#timeframe, since, this.#o.ohlcvLimit ?? 500);
    const candles = readOhlcv(rows, this.#bridge.last?.origin ?? this.exchange.id);
    const now = context.clock.now();
    let last = state.bar;
    for (const c of [...candles].sort((a, b) => a.openTime - b.openTime)) {
      // The newest bar is still forming until its interval has passed: its close and volume would change.
      if (c.openTime + this.#tfMs > now) continue;
      if (last !== undefined && c.openTime <= last) continue;
      drafts.push(this.#barDraft(market, c));
      last = c.openTime;
    }
    return last === undefined ? state : { ...state, bar: last };
  }

  #barDraft(market: Required<CryptoMarket>, c: Candle): SignalDraft {
    return {
      tsEvent: c.openTime + this.#tfMs,
      signal: {
        source: this.#source,
        kind: 'bar',
        instrument: market.instrument,
        externalId: `${this.exchange.id}:${market.symbol}:${this.#timeframe}:${c.openTime}`,
        body: {
          open: toNumber(c.open),
          high: toNumber(c.high),
          low: toNumber(c.low),
          close: toNumber(c.close),
          volume: toNumber(c.volume),
          intervalMs: this.#tfMs,
          market: market.symbol,
          openTime: c.openTime,
          decimal: {
            open: toDecimalString(c.open),
            high: toDecimalString(c.high),
            low: toDecimalString(c.low),
            close: toDecimalString(c.close),
            volume: toDecimalString(c.volume),
          },
        },
      },
    };
  }

  async #trades(market: Required<CryptoMarket>, state: CryptoMarketCursor, context: PollContext<CryptoCursor>, drafts: SignalDraft[]): Promise<CryptoMarketCursor> {
    const lag = this.#o.maxTradeLagMs ?? 600_000;
    const seen = state.trades;
    const since = seen && context.clock.now() - seen.ts <= lag ? seen.ts : undefined;
    const raw = await this.exchange.fetchTrades(market.symbol, since, this.#o.tradesLimit ?? 1000);
    const tape = tapeOrder(readTrades(raw, this.#bridge.last?.origin ?? this.exchange.id));
    const fresh = tape.filter((f) => !seen || f.ts > seen.ts || (f.ts === seen.ts && !seen.ids.includes(f.id)));
    const quoteUsd = this.#quote(market.symbol);
    if (quoteUsd) {
      const sweeps = detectSweeps(fresh, this.#sweep, quoteUsd);
      const inSweeps = new Set(sweeps.flatMap((s) => s.fills.map((f) => f.id)));
      for (const s of sweeps) drafts.push(this.#sweepDraft(market, s));
      for (const b of detectBlocks(fresh, this.#blockMin, quoteUsd, inSweeps)) drafts.push(this.#blockDraft(market, b.fill, b.notionalUsd));
    }
    const lastTs = tape[tape.length - 1]?.ts;
    if (lastTs === undefined) return state;
    const ids = tape.filter((f) => f.ts === lastTs).map((f) => f.id);
    const carried = seen && seen.ts === lastTs ? seen.ids.filter((id) => !ids.includes(id)) : [];
    if (seen && seen.ts > lastTs) return state;
    return { ...state, trades: { ts: lastTs, ids: [...carried, ...ids] } };
  }

  #blockDraft(market: Required<CryptoMarket>, fill: Fill, notionalUsd: Decimal): SignalDraft {
    return {
      tsEvent: fill.ts,
      signal: {
        source: this.#source,
        kind: 'trade',
        instrument: market.instrument,
        externalId: `${this.exchange.id}:${market.symbol}:trade:${fill.id}`,
        body: {
          pattern: 'block',
          market: market.symbol,
          side: fill.side,
          polarity: polarityOf(fill.side),
          price: toDecimalString(fill.price),
          amount: toDecimalString(fill.amount),
          notionalUsd: toDecimalString(notionalUsd),
          tradeIds: [fill.id],
        },
      },
    };
  }

  #sweepDraft(market: Required<CryptoMarket>, sweep: Sweep): SignalDraft {
    const { fills, side, notionalUsd, levels, priceFrom, priceTo, amount } = sweep;
    const first = fills[0]!;
    const last = fills[fills.length - 1]!;
    return {
      tsEvent: first.ts,
      signal: {
        source: this.#source,
        kind: 'trade',
        instrument: market.instrument,
        externalId: `${this.exchange.id}:${market.symbol}:sweep:${first.id}-${last.id}`,
        body: {
          pattern: 'sweep',
          market: market.symbol,
          side,
          polarity: polarityOf(side),
          fills: fills.length,
          levels,
          priceFrom: toDecimalString(priceFrom),
          priceTo: toDecimalString(priceTo),
          amount: toDecimalString(amount),
          notionalUsd: toDecimalString(notionalUsd),
          durationMs: last.ts - first.ts,
          tradeIds: fills.map((f) => f.id),
        },
      },
    };
  }

  async #book(market: Required<CryptoMarket>, context: PollContext<CryptoCursor>, drafts: SignalDraft[]): Promise<void> {
    const quoteUsd = this.#quote(market.symbol);
    if (!quoteUsd) return;
    const raw = await this.exchange.fetchOrderBook(market.symbol, this.#o.bookLimit ?? 100);
    const book = readOrderBook(raw, this.#bridge.last?.origin ?? this.exchange.id);
    const found = bookImbalance(book.bids, book.asks, this.#band);
    if (!found || Math.abs(found.imbalance) < (this.#o.minImbalance ?? 0.2)) return;
    const tsEvent = book.timestamp ?? context.clock.now();
    const bidUsd = mul(found.bidDepth, quoteUsd);
    const askUsd = mul(found.askDepth, quoteUsd);
    drafts.push({
      tsEvent,
      signal: {
        source: this.#source,
        kind: 'order_book',
        instrument: market.instrument,
        externalId: `${this.exchange.id}:${market.symbol}:book:${book.nonce ?? tsEvent}`,
        body: {
          market: market.symbol,
          bandBps: toDecimalString(this.#band),
          bestBid: toDecimalString(found.bestBid),
          bestAsk: toDecimalString(found.bestAsk),
          mid: toDecimalString(found.mid),
          bidDepthUsd: toDecimalString(bidUsd),
          askDepthUsd: toDecimalString(askUsd),
          bidLevels: found.bidLevels,
          askLevels: found.askLevels,
          imbalance: found.imbalance,
          polarity: found.imbalance,
          // The size of the imbalance: how much deeper the heavier side is, in USD.
          notionalUsd: toDecimalString(abs(sub(bidUsd, askUsd))),
        },
      },
    });
  }
}
