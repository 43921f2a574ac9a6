/**
 * Parsers for Alpaca's market data API v2, multi-symbol endpoints (`/v2/stocks/bars`,
 * `/v2/stocks/trades`), as documented at https://docs.alpaca.markets/reference/stockbars and
 * .../stocktrades: `{"bars": {"AAPL": [{"t","o","h","l","c","v","n","vw"}]}, "next_page_token": …}` and
 * `{"trades": {"AAPL": [{"t","x","p","s","c","i","z"}]}, "next_page_token": …}`.
 *
 * Prices arrive as JSON numbers and become exact decimals here. Timestamps are RFC 3339 with up to
 * nanoseconds; trades keep the nanoseconds, since many prints share a millisecond.
 */
import type { SourceDocument } from '../document.js';
import { decimalFromNumber, isNegative, type Decimal } from './decimal.js';
import { Fields, readJson, type JsonObject } from './json-document.js';

export interface AlpacaBar {
  readonly symbol: string;
  /** Bar start, epoch ms. */
  readonly ms: number;
  readonly open: Decimal;
  readonly high: Decimal;
  readonly low: Decimal;
  readonly close: Decimal;
  readonly volume: Decimal;
  readonly trades: number | null;
  readonly vwap: Decimal | null;
}

export interface AlpacaTrade {
  readonly symbol: string;
  /** The timestamp as sent. */
  readonly t: string;
  /** Epoch nanoseconds: orders prints within a millisecond. */
  readonly ns: bigint;
  readonly ms: number;
  /** Exchange code (`V` IEX, `P` NYSE Arca, …). */
  readonly exchange: string | null;
  readonly price: Decimal;
  readonly size: Decimal;
  readonly conditions: readonly string[];
  /** The trade id, unique per symbol and exchange. */
  readonly id: string;
  readonly tape: string | null;
}

export interface AlpacaPage<T> {
  readonly items: readonly T[];
  readonly nextPageToken: string | null;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch nanoseconds of an RFC 3339 timestamp, or null if it is not one. */
export function rfc3339Nanos(text: string): bigint | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const seconds = Date.parse(`${m[1]}${m[3] === 'Z' ? 'Z' : m[3]}`);
  if (Number.isNaN(seconds)) return null;
  return BigInt(seconds) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

function timestamp(f: Fields, value: unknown, path: string): bigint {
  const text = f.str(value, path);
  const ns = rfc3339Nanos(text);
  if (ns === null) f.fail('DOCUMENT_INVALID', `expected an RFC 3339 timestamp, got ${JSON.stringify(text)}`, path);
  return ns;
}

function price(f: Fields, value: unknown, path: string): Decimal {
  const d = decimalFromNumber(f.num(value, path));
  if (!d || isNegative(d)) f.fail('DOCUMENT_INVALID', `expected a non-negative number, got ${String(value)}`, path);
  return d;
}

function pageToken(f: Fields, root: JsonObject): string | null {
  const token = f.optStr(root.next_page_token, 'next_page_token');
  return token === '' ? null : token;
}

/** The per-symbol map of a multi-symbol answer; `null` or absent means "nothing in range". */
function bySymbol(f: Fields, root: JsonObject, key: 'bars' | 'trades'): [string, readonly unknown[]][] {
  if (!(key in root)) f.fail('DOCUMENT_FORMAT', `not an Alpaca ${key} document (no "${key}")`, '$');
  const map = root[key];
  if (map === null) return [];
  if (Array.isArray(map)) {
    f.fail('DOCUMENT_FORMAT', `"${key}" is an array: a single-symbol answer where the multi-symbol one was expected`, key);
  }
  return Object.entries(f.obj(map, key)).map(([symbol, rows]) => [symbol, f.arr(rows, `${key}.${symbol}`)]);
}

export function parseAlpacaBars(document: SourceDocument): AlpacaPage<AlpacaBar> {
  const f: Fields = new Fields(document.origin);
  const root = f.root(readJson(document), 'Alpaca bars');
  const items: AlpacaBar[] = [];
  for (const [symbol, rows] of bySymbol(f, root, 'bars')) {
    rows.forEach((row, i) => {
      const path = `bars.${symbol}[${i}]`;
      const b = f.obj(row, path);
      const ns = timestamp(f, b.t, `${path}.t`);
      items.push({
        symbol,
        ms: Number(ns / 1_000_000n),
        open: price(f, b.o, `${path}.o`),
        high: price(f, b.h, `${path}.h`),
        low: price(f, b.l, `${path}.l`),
        close: price(f, b.c, `${path}.c`),
        volume: price(f, b.v, `${path}.v`),
        trades: f.optNum(b.n, `${path}.n`),
        vwap: b.vw === undefined || b.vw === null ? null : price(f, b.vw, `${path}.vw`),
      });
    });
  }
  return { items, nextPageToken: pageToken(f, root) };
}

export function parseAlpacaTrades(document: SourceDocument): AlpacaPage<AlpacaTrade> {
  const f: Fields = new Fields(document.origin);
  const root = f.root(readJson(document), 'Alpaca trades');
  const items: AlpacaTrade[] = [];
  for (const [symbol, rows] of bySymbol(f, root, 'trades')) {
    rows.forEach((row, i) => {
      const path = `trades.${symbol}[${i}]`;
      const t = f.obj(row, path);
      const ns = timestamp(f, t.t, `${path}.t`);
      const id = t.i;
      if (typeof id !== 'number' && typeof id !== 'string') f.fail('DOCUMENT_INVALID', 'expected a trade id', `${path}.i`);
      const conditions = t.c === undefined || t.c === null ? [] : f.arr(t.c, `${path}.c`).map((c, j) => f.str(c, `${path}.c[${j}]`));
      items.push({
        symbol,
        t: t.t as string,
        ns,
        ms: Number(ns / 1_000_000n),
        exchange: f.optStr(t.x, `${path}.x`),
        price: price(f, t.p, `${path}.p`),
        size: price(f, t.s, `${path}.s`),
        conditions,
        id: String(id),
        tape: f.optStr(t.z, `${path}.z`),
      });
    });
  }
  return { items, nextPageToken: pageToken(f, root) };
}
