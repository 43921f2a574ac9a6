/**
 * US equity options from Tradier as a polling source: for each underlying, the nearest expirations'
 * chains (with greeks) give `options_flow` signals of two patterns:
 *
 * - `unusual_volume`: a contract whose volume in a session is high against its open interest (new
 *   positioning, not the turnover of old). Calls read bullish, puts bearish; the chain does not say
 *   whether the contracts were bought or sold, so this is a hint, not a certainty. Reported once per
 *   contract per session (the New York date of its last trade).
 * - `skew`: the expiration's 25-delta IV skew (`options.ts`), each poll. Its polarity follows its sign
 *   (rich puts are bearish); in equities it is normally positive, so models should read its changes.
 *
 * Sweeps are not detected: Tradier's chains and time-and-sales carry no per-print exchange or condition
 * codes, and a sweep cannot be told from several orders without them.
 *
 * Premiums are exact decimals (volume × price × contract size); IVs and ratios are floats.
 */
import { DocumentError } from '../document.js';
import type { PollContext, PollingSource, PollResult, RejectedDocument, SignalDraft } from '../source.js';
import { decimalOf, sum, toDecimalString } from './decimal.js';
import { fetchDocument, withQuery } from './fetch-document.js';
import { premiumTraded, skew25, skewPolarity, unusualVolume, type UnusualRule, type UnusualVolume } from './options.js';
import { parseTradierChain, parseTradierExpirations, type OptionQuote } from './tradier-parse.js';

export const TRADIER_BASE_URL = 'https://api.tradier.com';

export interface TradierSourceOptions {
  readonly token: string;
  readonly underlyings: readonly string[];
  /** Defaults to {@link TRADIER_BASE_URL}; `https://sandbox.tradier.com` for the sandbox. */
  readonly baseUrl?: string;
  /** How many of the nearest expirations to read per underlying. Defaults to 2. */
  readonly expirations?: number;
  readonly unusual?: { readonly minVolume?: number; readonly minVolumeOiRatio?: number; readonly minPremiumUsd?: string | number };
  /** Send skew signals. Defaults to true. */
  readonly skew?: boolean;
  /** Defaults to five minutes. */
  readonly intervalMs?: number;
  readonly name?: string;
  readonly source?: string;
}

export interface TradierCursor {
  /** Contracts already reported as unusual, as `<option symbol>@<session day>`, for the last week. */
  readonly flagged: readonly string[];
}

const NEW_YORK_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The US trading session (New York date, `YYYY-MM-DD`) an instant belongs to. Option volume counts from
 * the session's open and Tradier keeps showing it until the next one, so the session, not the UTC date,
 * says whether a contract's volume is news.
 */
export function sessionDay(ms: number): string {
  return NEW_YORK_DAY.format(ms);
}

const WEEK_MS = 7 * 86_400_000;

export class TradierSource implements PollingSource<TradierCursor> {
  readonly name: string;
  readonly intervalMs: number;
  readonly #o: TradierSourceOptions;
  readonly #baseUrl: string;
  readonly #source: string;
  readonly #rule: UnusualRule;

  constructor(options: TradierSourceOptions) {
    if (options.token === '') throw new Error('TradierSource: token is empty');
    this.#o = options;
    this.#baseUrl = (options.baseUrl ?? TRADIER_BASE_URL).replace(/\/+$/, '');
    this.name = options.name ?? 'tradier';
    this.#source = options.source ?? 'tradier';
    this.intervalMs = options.intervalMs ?? 300_000;
    const minPremium = decimalOf(options.unusual?.minPremiumUsd ?? '50000');
    if (!minPremium || minPremium.units < 0n) throw new Error('TradierSource: unusual.minPremiumUsd must be a non-negative decimal');
    this.#rule = {
      minVolume: options.unusual?.minVolume ?? 500,
      minVolumeOiRatio: options.unusual?.minVolumeOiRatio ?? 2,
      minPremiumUsd: minPremium,
    };
  }

  async poll(context: PollContext<TradierCursor>): Promise<PollResult<TradierCursor>> {
    const now = context.clock.now();
    const day = sessionDay(now);
    const oldest = sessionDay(now - WEEK_MS);
    const flagged = new Set((context.cursor?.flagged ?? []).filter((key) => (key.split('@')[1] ?? '') >= oldest));
    const drafts: SignalDraft[] = [];
    const rejected: RejectedDocument[] = [];
    for (const underlying of this.#o.underlyings) {
      const expirations = await this.#read(rejected, context, '/v1/markets/options/expirations', { symbol: underlying, includeAllRoots: 'true' }, parseTradierExpirations);
      const upcoming = (expirations ?? []).filter((d) => d >= day).sort().slice(0, this.#o.expirations ?? 2);
      for (const expiration of upcoming) {
        const chain = await this.#read(rejected, context, '/v1/markets/options/chains', { symbol: underlying, expiration, greeks: 'true' }, parseTradierChain);
        if (!chain) continue;
        for (const u of unusualVolume(chain, this.#rule)) {
          const session = u.option.tradeDate === null ? day : sessionDay(u.option.tradeDate);
          const key = `${u.option.symbol}@${session}`;
          if (flagged.has(key)) continue;
          flagged.add(key);
          drafts.push(this.#unusualDraft(u, session, now));
        }
        if (this.#o.skew ?? true) {
          const draft = this.#skewDraft(underlying, expiration, chain, now);
          if (draft) drafts.push(draft);
        }
      }
    }
    return { drafts, rejected, cursor: { flagged: [...flagged].sort() } };
  }

  parseCursor(stored: string): TradierCursor | null {
    try {
      const value = JSON.parse(stored) as Partial<TradierCursor> | null;
      return value && Array.isArray(value.flagged) && value.flagged.every((k) => typeof k === 'string') ? { flagged: value.flagged } : null;
    } catch {
      return null;
    }
  }

  async #read<T>(
    rejected: RejectedDocument[],
    context: PollContext<TradierCursor>,
    path: string,
    query: Readonly<Record<string, string>>,
    parse: (document: { origin: string; body: Uint8Array }) => T,
  ): Promise<T | null> {
    const url = withQuery(`${this.#baseUrl}${path}`, query);
    const headers = { Authorization: `Bearer ${this.#o.token}`, Accept: 'application/json' };
    const document = await fetchDocument(context.http, { url, headers, signal: context.signal });
    try {
      return parse(document);
    } catch (error) {
      if (!(error instanceof DocumentError)) throw error;
      rejected.push({ document, error });
      return null;
    }
  }

  #unusualDraft(u: UnusualVolume, day: string, now: number): SignalDraft {
    const o = u.option;
    return {
      tsEvent: now,
      signal: {
        source: this.#source,
        kind: 'options_flow',
        instrument: o.underlying,
        externalId: `tradier:${o.symbol}:unusual:${day}`,
        body: {
          pattern: 'unusual_volume',
          option: o.symbol,
          type: o.type,
          strike: toDecimalString(o.strike),
          expiration: o.expiration,
          volume: o.volume,
          openInterest: o.openInterest,
          volumeOiRatio: u.volumeOiRatio,
          delta: o.greeks?.delta ?? null,
          polarity: o.type === 'call' ? 1 : -1,
          notionalUsd: toDecimalString(u.premiumUsd),
        },
      },
    };
  }

  #skewDraft(underlying: string, expiration: string, chain: readonly OptionQuote[], now: number): SignalDraft | null {
    const s = skew25(chain);
    if (!s) return null;
    return {
      tsEvent: now,
      signal: {
        source: this.#source,
        kind: 'options_flow',
        instrument: underlying,
        externalId: `tradier:${underlying}:${expiration}:skew:${now}`,
        body: {
          pattern: 'skew',
          method: '25-delta put IV minus 25-delta call IV (mid IV, interpolated in delta)',
          expiration,
          putIv: s.putIv,
          callIv: s.callIv,
          skew: s.skew,
          polarity: skewPolarity(s.skew),
          // The premium traded in the expiration today: how much money stands behind the quotes.
          notionalUsd: toDecimalString(sum(chain.map(premiumTraded))),
        },
      },
    };
  }
}
