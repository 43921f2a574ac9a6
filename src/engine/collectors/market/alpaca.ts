/**
 * US equities from Alpaca's market data API v2 as a polling source: closed bars as `bar` signals and
 * block prints (price × size at or above a USD threshold) as `trade` signals.
 *
 * Alpaca's consolidated prints carry no aggressor side, so a block's direction comes from the tick rule
 * (`flow.ts`): a print above the previous price was bought, below it sold. The last price and side carry
 * over between polls in the cursor. Prints flagged as intermarket sweeps (condition `F`) say so in their
 * body.
 *
 * Both endpoints are multi-symbol and paged with `next_page_token`; answers are sorted by symbol, then
 * time, so a poll that stops at `maxPages` may have read some symbols further than others. The cursor is
 * per symbol (last bar start; last print's nanosecond time and the prints seen at it), and each request
 * starts at the earliest of them, so nothing is skipped and what was already sent is filtered out.
 */
import { DocumentError } from '../document.js';
import type { PollContext, PollingSource, PollResult, RejectedDocument, SignalDraft } from '../source.js';
import { cmp, decimalOf, mul, parseDecimal, toDecimalString, toNumber, type Decimal } from './decimal.js';
import { fetchDocument, withQuery } from './fetch-document.js';
import { polarityOf, tickRule, type AggressorSide } from './flow.js';
import { parseAlpacaBars, parseAlpacaTrades, type AlpacaBar, type AlpacaPage, type AlpacaTrade } from './alpaca-parse.js';

export const ALPACA_DATA_URL = 'https://data.alpaca.markets';

export interface AlpacaSourceOptions {
  readonly keyId: string;
  readonly secretKey: string;
  readonly symbols: readonly string[];
  /** Defaults to {@link ALPACA_DATA_URL}. */
  readonly baseUrl?: string;
  /** `iex` (free plan, the default) or `sip`. */
  readonly feed?: string;
  /** Alpaca's timeframe notation: `1Min` (default), `5Min`, `1Hour`, `1Day`. */
  readonly timeframe?: string;
  /** A print at or above this USD notional is a block. Defaults to 200000. */
  readonly blockMinUsd?: string | number;
  /** On a first run, or after a long stop, read bars from this far back. Defaults to one hour. */
  readonly backfillMs?: number;
  /** Read prints from the cursor only when it is this recent; else from `now − backfillMs`. Defaults to 15 minutes. */
  readonly maxTradeLagMs?: number;
  /** Rows per page (Alpaca allows up to 10000). */
  readonly pageLimit?: number;
  /** Pages per endpoint per poll. Defaults to 20. */
  readonly maxPages?: number;
  /** Which feeds to read: both when absent; only those set to true when given. */
  readonly feeds?: { readonly bars?: boolean; readonly trades?: boolean };
  /** Defaults to one minute. */
  readonly intervalMs?: number;
  readonly name?: string;
  readonly source?: string;
}

export interface AlpacaSymbolCursor {
  readonly bar?: number;
  readonly trade?: { readonly ns: string; readonly keys: readonly string[] };
  readonly tick?: { readonly price: string; readonly side: AggressorSide | null };
}

export type AlpacaCursor = Readonly<Record<string, AlpacaSymbolCursor>>;

const UNIT_MS: Readonly<Record<string, number>> = { Min: 60_000, T: 60_000, Hour: 3_600_000, H: 3_600_000, Day: 86_400_000, D: 86_400_000, Week: 604_800_000, W: 604_800_000 };

/** Milliseconds in an Alpaca timeframe (`15Min` → 900000). Months vary in length and are not supported. */
export function alpacaTimeframeMs(timeframe: string): number {
  const m = /^(\d+)(Min|T|Hour|H|Day|D|Week|W)$/.exec(timeframe);
  if (!m) throw new Error(`unsupported Alpaca timeframe "${timeframe}"`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

const tradeKey = (t: AlpacaTrade): string => `${t.exchange ?? ''}:${t.id}`;

export class AlpacaSource implements PollingSource<AlpacaCursor> {
  readonly name: string;
  readonly intervalMs: number;
  readonly #o: AlpacaSourceOptions;
  readonly #baseUrl: string;
  readonly #source: string;
  readonly #timeframe: string;
  readonly #tfMs: number;
  readonly #blockMin: Decimal;

  constructor(options: AlpacaSourceOptions) {
    if (options.symbols.length === 0) throw new Error('AlpacaSource: no symbols');
    this.#o = options;
    this.#baseUrl = (options.baseUrl ?? ALPACA_DATA_URL).replace(/\/+$/, '');
    this.name = options.name ?? 'alpaca';
    this.#source = options.source ?? 'alpaca';
    this.intervalMs = options.intervalMs ?? 60_000;
    this.#timeframe = options.timeframe ?? '1Min';
    this.#tfMs = alpacaTimeframeMs(this.#timeframe);
    const blockMin = decimalOf(options.blockMinUsd ?? '200000');
    if (!blockMin || blockMin.units < 0n) throw new Error(`AlpacaSource: blockMinUsd must be a non-negative decimal, got ${options.blockMinUsd}`);
    this.#blockMin = blockMin;
  }

  async poll(context: PollContext<AlpacaCursor>): Promise<PollResult<AlpacaCursor>> {
    const cursor: Record<string, AlpacaSymbolCursor> = { ...(context.cursor ?? {}) };
    const drafts: SignalDraft[] = [];
    const rejected: RejectedDocument[] = [];
    const now = context.clock.now();
    const backfill = this.#o.backfillMs ?? 3_600_000;
    if (this.#o.feeds ? this.#o.feeds.bars === true : true) {
      const starts = this.#o.symbols.map((s) => (cursor[s]?.bar !== undefined ? cursor[s]!.bar! + this.#tfMs : now - backfill));
      const { items: bars } = await this.#pages('/v2/stocks/bars', { timeframe: this.#timeframe }, Math.min(...starts), context, rejected, parseAlpacaBars);
      for (const bar of [...bars].sort((a, b) => a.ms - b.ms)) {
        const state = cursor[bar.symbol];
        if (!state && !this.#o.symbols.includes(bar.symbol)) continue;
        // A bar is final once its interval has passed; before that its close and volume still move.
        if (bar.ms + this.#tfMs > now || (state?.bar !== undefined && bar.ms <= state.bar)) continue;
        drafts.push(this.#barDraft(bar));
        cursor[bar.symbol] = { ...state, bar: bar.ms };
      }
    }
    if (this.#o.feeds ? this.#o.feeds.trades === true : true) {
      const lag = this.#o.maxTradeLagMs ?? 900_000;
      const starts = this.#o.symbols.map((s) => {
        const ns = cursor[s]?.trade?.ns;
        const ms = ns === undefined ? null : Number(BigInt(ns) / 1_000_000n);
        return ms !== null && now - ms <= lag ? ms : now - backfill;
      });
      const { items: trades, complete } = await this.#pages('/v2/stocks/trades', {}, Math.min(...starts), context, rejected, parseAlpacaTrades);
      // When every page was read, a symbol with no prints was quiet up to the newest print of any symbol:
      // move its cursor there, or every poll would read the busy symbols' last `backfillMs` again.
      const newest = complete ? trades.reduce<bigint | null>((m, t) => (m === null || t.ns > m ? t.ns : m), null) : null;
      for (const symbol of this.#o.symbols) {
        const mine = trades.filter((t) => t.symbol === symbol).sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
        const next = this.#blocks(symbol, mine, cursor[symbol] ?? {}, drafts);
        const quiet = mine.length === 0 && newest !== null && (!next.trade || BigInt(next.trade.ns) < newest);
        cursor[symbol] = quiet ? { ...next, trade: { ns: newest.toString(), keys: [] } } : next;
      }
    }
    return { drafts, rejected, cursor };
  }

  /**
   * Follows `next_page_token` up to `maxPages`; a page that cannot be read is rejected and ends the walk.
   * `complete` says whether the last page was reached.
   */
  async #pages<T>(
    path: string,
    query: Readonly<Record<string, string>>,
    startMs: number,
    context: PollContext<AlpacaCursor>,
    rejected: RejectedDocument[],
    parse: (document: Parameters<typeof parseAlpacaBars>[0]) => AlpacaPage<T>,
  ): Promise<{ items: T[]; complete: boolean }> {
    const out: T[] = [];
    let token: string | null = null;
    for (let page = 0; page < (this.#o.maxPages ?? 20); page += 1) {
      const url = withQuery(`${this.#baseUrl}${path}`, {
        ...query,
        symbols: this.#o.symbols.join(','),
        start: new Date(startMs).toISOString(),
        limit: this.#o.pageLimit ?? 10_000,
        feed: this.#o.feed ?? 'iex',
        sort: 'asc',
        page_token: token ?? undefined,
      });
      const headers = { 'APCA-API-KEY-ID': this.#o.keyId, 'APCA-API-SECRET-KEY': this.#o.secretKey, Accept: 'application/json' };
      const document = await fetchDocument(context.http, { url, headers, signal: context.signal });
      let parsed: AlpacaPage<T>;
      try {
        parsed = parse(document);
      } catch (error) {
        if (!(error instanceof DocumentError)) throw error;
        rejected.push({ document, error });
        return { items: out, complete: false };
      }
      out.push(...parsed.items);
      token = parsed.nextPageToken;
      if (token === null) return { items: out, complete: true };
    }
    return { items: out, complete: false };
  }

  parseCursor(stored: string): AlpacaCursor | null {
    try {
      const value = JSON.parse(stored) as Record<string, AlpacaSymbolCursor> | null;
      if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
      for (const c of Object.values(value)) {
        if (c === null || typeof c !== 'object') return null;
        if (c.bar !== undefined && !Number.isSafeInteger(c.bar)) return null;
        if (c.trade !== undefined && (!/^\d+$/.test(c.trade.ns) || !Array.isArray(c.trade.keys))) return null;
        if (c.tick !== undefined && parseDecimal(c.tick.price) === null) return null;
      }
      return value;
    } catch {
      return null;
    }
  }

  #barDraft(bar: AlpacaBar): SignalDraft {
    return {
      tsEvent: bar.ms + this.#tfMs,
      signal: {
        source: this.#source,
        kind: 'bar',
        instrument: bar.symbol,
        externalId: `alpaca:${bar.symbol}:${this.#timeframe}:${bar.ms}`,
        body: {
          open: toNumber(bar.open),
          high: toNumber(bar.high),
          low: toNumber(bar.low),
          close: toNumber(bar.close),
          volume: toNumber(bar.volume),
          intervalMs: this.#tfMs,
          trades: bar.trades,
          vwap: bar.vwap ? toDecimalString(bar.vwap) : null,
          decimal: {
            open: toDecimalString(bar.open),
            high: toDecimalString(bar.high),
            low: toDecimalString(bar.low),
            close: toDecimalString(bar.close),
            volume: toDecimalString(bar.volume),
          },
        },
      },
    };
  }

  /** Sends the new prints of one symbol that are blocks, and returns the symbol's cursor after them. */
  #blocks(symbol: string, tape: readonly AlpacaTrade[], state: AlpacaSymbolCursor, drafts: SignalDraft[]): AlpacaSymbolCursor {
    const seen = state.trade;
    const seenNs = seen ? BigInt(seen.ns) : null;
    const fresh = tape.filter((t) => seenNs === null || t.ns > seenNs || (t.ns === seenNs && !seen!.keys.includes(tradeKey(t))));
    if (fresh.length === 0) return state;
    const tickPrice = state.tick ? parseDecimal(state.tick.price) : null;
    const { sides, last } = tickRule(
      fresh.map((t) => t.price),
      tickPrice ? { price: tickPrice, side: state.tick!.side } : null,
    );
    fresh.forEach((t, i) => {
      const notionalUsd = mul(t.price, t.size);
      if (cmp(notionalUsd, this.#blockMin) < 0) return;
      const side = sides[i] ?? null;
      drafts.push({
        tsEvent: t.ms,
        signal: {
          source: this.#source,
          kind: 'trade',
          instrument: symbol,
          externalId: `alpaca:${symbol}:trade:${t.t}:${tradeKey(t)}`,
          body: {
            pattern: 'block',
            side,
            sideBy: 'tick-rule',
            polarity: polarityOf(side),
            price: toDecimalString(t.price),
            size: toDecimalString(t.size),
            notionalUsd: toDecimalString(notionalUsd),
            exchange: t.exchange,
            conditions: t.conditions,
            intermarketSweep: t.conditions.includes('F'),
            time: t.t,
          },
        },
      });
    });
    const lastNs = fresh[fresh.length - 1]!.ns;
    const keys = tape.filter((t) => t.ns === lastNs).map(tradeKey);
    const carried = seen && seenNs === lastNs ? seen.keys.filter((k) => !keys.includes(k)) : [];
    return {
      ...state,
      trade: { ns: lastNs.toString(), keys: [...carried, ...keys] },
      ...(last ? { tick: { price: toDecimalString(last.price), side: last.side } } : {}),
    };
  }
}
