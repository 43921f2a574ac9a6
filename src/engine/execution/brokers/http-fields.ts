/**
 * Reading venues' answers into the Broker contract's types: exact decimals, times, and the small checks
 * that turn a malformed answer into a typed `BROKER_PROTOCOL` error naming the field, instead of a
 * `TypeError` deep in a mapper or, worse, a silently wrong number.
 *
 * Venues send prices and quantities as decimal strings (Alpaca, Binance) or as JSON numbers (Tradier,
 * ccxt's unified structures). A JSON number of at most 15 significant digits survives the trip through a
 * double, and `String(n)` prints the shortest decimal that reads back as it, which is the decimal the venue
 * wrote; so numbers are converted through their text and all arithmetic is done with decimal.js.
 */
import { Decimal } from 'decimal.js';
import { BrokerError, type OrderSide } from '../broker.js';

/**
 * A private decimal.js constructor: the adapters neither depend on nor change the library's global
 * configuration, which other modules may set. 40 digits keep any product of venue prices exact.
 */
export const BrokerDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -60, toExpPos: 60 });
export type Dec = Decimal;

const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const PLAIN_POSITIVE = /^\d+(?:\.\d+)?$/;

/** The contract's canonical text of a decimal: no exponent, no trailing zeros, no `-0`. */
export function decimalText(value: Dec): string {
  const out = value.toFixed();
  return out === '-0' ? '0' : out;
}

/** A decimal from a venue's string or finite number; null for anything else. */
export function decimalOrNull(value: unknown): Dec | null {
  if (typeof value === 'number') return Number.isFinite(value) ? new BrokerDecimal(String(value)) : null;
  if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) return new BrokerDecimal(value.trim());
  return null;
}

/**
 * Checks a request's decimal before anything is sent: positive, plain notation. A bad value is the
 * caller's mistake, refused locally as `BROKER_REJECTED` (final: sending it again cannot help).
 */
export function requirePositive(venue: string, field: string, value: string | null | undefined): Dec {
  if (typeof value !== 'string' || !PLAIN_POSITIVE.test(value) || new BrokerDecimal(value).lte(0)) {
    throw new BrokerError('BROKER_REJECTED', `${venue}: ${field} must be a positive decimal string, got ${JSON.stringify(value)}`, venue);
  }
  return new BrokerDecimal(value);
}

/** Refuses, before sending, a request the venue cannot express. */
export function refuse(venue: string, message: string): never {
  throw new BrokerError('BROKER_REJECTED', `${venue}: ${message}`, venue);
}

/** Epoch ms of an ISO 8601 time; sub-millisecond digits (Alpaca sends nanoseconds) are cut, not rounded. */
export function isoMs(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}${m[3] ?? 'Z'}`);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * One answer being read. Every accessor names the path it failed at, so the `BROKER_PROTOCOL` error says
 * which field of which answer was wrong.
 */
export class AnswerReader {
  constructor(
    readonly venue: string,
    /** What the answer was for (`GET /v2/positions`), for messages. */
    readonly what: string,
  ) {}

  fail(path: string, problem: string): never {
    throw new BrokerError('BROKER_PROTOCOL', `${this.venue}: unreadable answer to ${this.what}: ${path}: ${problem}`, this.venue);
  }

  obj(value: unknown, path: string): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, `expected an object, got ${describe(value)}`);
    return value as Record<string, unknown>;
  }

  arr(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected a list, got ${describe(value)}`);
    return value;
  }

  /**
   * A collection that some venues (Tradier) send as a list, a single object when it holds one item, and
   * `null` or the string `"null"` when it is empty.
   */
  list(value: unknown, path: string): unknown[] {
    if (value === undefined || value === null || value === 'null') return [];
    if (Array.isArray(value)) return value;
    if (typeof value === 'object') return [value];
    this.fail(path, `expected a list or an object, got ${describe(value)}`);
  }

  str(value: unknown, path: string): string {
    if (typeof value === 'string' && value.length > 0) return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    this.fail(path, `expected an identifier, got ${describe(value)}`);
  }

  optStr(value: unknown): string | null {
    if (typeof value === 'string' && value.length > 0) return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    return null;
  }

  dec(value: unknown, path: string): Dec {
    const d = decimalOrNull(value);
    if (!d) this.fail(path, `expected a decimal, got ${describe(value)}`);
    return d;
  }

  /** A decimal that may be absent (`null`, missing, `""`). */
  optDec(value: unknown, path: string): Dec | null {
    if (value === undefined || value === null || value === '') return null;
    return this.dec(value, path);
  }

  /** Epoch ms from an ISO string, or from epoch ms as a number or digit string (Binance). */
  ms(value: unknown, path: string): number {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
    const ms = typeof value === 'string' ? isoMs(value) : null;
    if (ms === null) this.fail(path, `expected a time, got ${describe(value)}`);
    return ms;
  }

  side(value: unknown, path: string, sides: Readonly<Record<string, OrderSide>>): OrderSide {
    const side = typeof value === 'string' ? sides[value.toLowerCase()] : undefined;
    if (!side) this.fail(path, `unknown side ${describe(value)}`);
    return side;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Maps instruments to a venue's symbols and back; unmapped names pass through unchanged. */
export class SymbolMap {
  readonly #toVenue: ReadonlyMap<string, string>;
  readonly #toInstrument: ReadonlyMap<string, string>;

  constructor(map: Readonly<Record<string, string>> = {}) {
    this.#toVenue = new Map(Object.entries(map));
    this.#toInstrument = new Map(Object.entries(map).map(([instrument, symbol]) => [symbol, instrument]));
  }

  venueSymbol(instrument: string): string {
    return this.#toVenue.get(instrument) ?? instrument;
  }

  instrument(symbol: string): string {
    return this.#toInstrument.get(symbol) ?? symbol;
  }
}
