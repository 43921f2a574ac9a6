/**
 * Parsers for Tradier's options market data (https://documentation.tradier.com/brokerage-api/markets/):
 * `/v1/markets/options/expirations` and `/v1/markets/options/chains?greeks=true`.
 *
 * Tradier's JSON is converted from XML on their side, which shows: a list of one is sent as the object
 * itself (`{"options":{"option":{...}}}`, `{"expirations":{"date":"2024-01-19"}}`), and an empty list as
 * `null` (`{"options":null}`). Both are read as lists here. Greeks may be absent or `null` outside market
 * hours; prices are numbers or `null`.
 */
import type { SourceDocument } from '../document.js';
import { decimalFromNumber, isNegative, type Decimal } from './decimal.js';
import { Fields, readJson } from './json-document.js';

export type OptionType = 'call' | 'put';

export interface OptionGreeks {
  readonly delta: number;
  /** Implied volatility at the mid (ORATS), as a fraction (0.25 = 25%). */
  readonly midIv: number | null;
  /** ORATS' smoothed volatility for the strike. */
  readonly smvVol: number | null;
}

export interface OptionQuote {
  readonly symbol: string;
  readonly underlying: string;
  readonly type: OptionType;
  readonly strike: Decimal;
  readonly expiration: string;
  readonly last: Decimal | null;
  readonly bid: Decimal | null;
  readonly ask: Decimal | null;
  readonly volume: number;
  readonly openInterest: number;
  /** Shares per contract, usually 100. */
  readonly contractSize: number;
  /** When the contract last traded (epoch ms), which says which session `volume` belongs to; null if never. */
  readonly tradeDate: number | null;
  readonly greeks: OptionGreeks | null;
}

/** Tradier's "one item is an object, none is null" lists, read as arrays. */
export function asList(value: unknown): readonly unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function money(f: Fields, value: unknown, path: string): Decimal | null {
  if (value === null || value === undefined) return null;
  const d = decimalFromNumber(f.num(value, path));
  if (!d || isNegative(d)) f.fail('DOCUMENT_INVALID', `expected a non-negative price, got ${String(value)}`, path);
  return d;
}

function count(f: Fields, value: unknown, path: string): number {
  if (value === null || value === undefined) return 0;
  const n = f.num(value, path);
  if (!Number.isSafeInteger(n) || n < 0) f.fail('DOCUMENT_INVALID', `expected a count, got ${n}`, path);
  return n;
}

/** Parses `/v1/markets/options/expirations`: the dates, in the order sent. */
export function parseTradierExpirations(document: SourceDocument): string[] {
  const f: Fields = new Fields(document.origin);
  const root = f.root(readJson(document), 'Tradier expirations');
  if (!('expirations' in root)) f.fail('DOCUMENT_FORMAT', 'not a Tradier expirations document (no "expirations")', '$');
  if (root.expirations === null) return [];
  const wrapper = f.obj(root.expirations, 'expirations');
  return asList(wrapper.date).map((d, i) => {
    const text = f.str(d, `expirations.date[${i}]`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) f.fail('DOCUMENT_INVALID', `expected YYYY-MM-DD, got ${JSON.stringify(text)}`, `expirations.date[${i}]`);
    return text;
  });
}

/** Parses `/v1/markets/options/chains`: one expiration's calls and puts. */
export function parseTradierChain(document: SourceDocument): OptionQuote[] {
  const f: Fields = new Fields(document.origin);
  const root = f.root(readJson(document), 'Tradier option chain');
  if (!('options' in root)) f.fail('DOCUMENT_FORMAT', 'not a Tradier option chain (no "options")', '$');
  if (root.options === null) return [];
  const wrapper = f.obj(root.options, 'options');
  return asList(wrapper.option).map((value, i): OptionQuote => {
    const path = `options.option[${i}]`;
    const o = f.obj(value, path);
    const type = f.str(o.option_type, `${path}.option_type`);
    if (type !== 'call' && type !== 'put') f.fail('DOCUMENT_INVALID', `expected "call" or "put", got ${JSON.stringify(type)}`, `${path}.option_type`);
    const strike = money(f, o.strike, `${path}.strike`);
    if (!strike) f.fail('DOCUMENT_INVALID', 'missing strike', `${path}.strike`);
    let greeks: OptionGreeks | null = null;
    if (o.greeks !== undefined && o.greeks !== null) {
      const g = f.obj(o.greeks, `${path}.greeks`);
      const delta = f.optNum(g.delta, `${path}.greeks.delta`);
      if (delta !== null) {
        if (delta < -1 || delta > 1) f.fail('DOCUMENT_INVALID', `delta ${delta} is outside -1..1`, `${path}.greeks.delta`);
        greeks = { delta, midIv: f.optNum(g.mid_iv, `${path}.greeks.mid_iv`), smvVol: f.optNum(g.smv_vol, `${path}.greeks.smv_vol`) };
      }
    }
    return {
      symbol: f.str(o.symbol, `${path}.symbol`),
      underlying: f.str(o.underlying ?? o.root_symbol, `${path}.underlying`),
      type,
      strike,
      expiration: f.str(o.expiration_date, `${path}.expiration_date`),
      last: money(f, o.last, `${path}.last`),
      bid: money(f, o.bid, `${path}.bid`),
      ask: money(f, o.ask, `${path}.ask`),
      volume: count(f, o.volume, `${path}.volume`),
      openInterest: count(f, o.open_interest, `${path}.open_interest`),
      contractSize: count(f, o.contract_size ?? 100, `${path}.contract_size`) || 100,
      tradeDate: count(f, o.trade_date, `${path}.trade_date`) || null,
      greeks,
    };
  });
}
