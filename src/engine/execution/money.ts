/**
 * Exact decimal arithmetic for the execution engine (DESIGN rule 7). Quantities and prices arrive and leave as
 * decimal strings; in between they are `decimal.js` values of a private constructor, so the engine never
 * depends on (or changes) the library's global precision that other modules may configure.
 */
import { Decimal } from 'decimal.js';
import { ExecutionError } from './errors.js';

/**
 * 40 significant digits: a price of 12 digits times a quantity of 18 digits still multiplies exactly; the
 * only divisions (average prices, ratios) are rounded where they are made, to a stated number of places.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -60, toExpPos: 60 });
export type Dec = Decimal;

export const ZERO = new Money(0);
export const BPS = new Money(10_000);

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;
const POSITIVE_TEXT = /^\d+(\.\d+)?$/;

/** Reads a decimal string (or a finite number, converted through its shortest exact text). */
export function dec(value: string | number | Decimal): Decimal {
  if (typeof value === 'string' && !DECIMAL_TEXT.test(value)) {
    throw new ExecutionError('INVALID_DECIMAL', `not a decimal: ${JSON.stringify(value)}`);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new ExecutionError('INVALID_DECIMAL', `not a finite number: ${value}`);
  }
  return new Money(value);
}

/** True for a decimal string greater than zero, written without sign or exponent (`"10"`, `"0.5"`). */
export function isPositiveDecimal(text: string | null | undefined): text is string {
  return typeof text === 'string' && POSITIVE_TEXT.test(text) && new Money(text).gt(0);
}

/** The canonical text of a decimal: no exponent, no trailing zeros (`1.50` → `"1.5"`, `-0` → `"0"`). */
export function text(value: Decimal): string {
  const out = value.toFixed();
  return out === '-0' ? '0' : out;
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

/** Places kept on average fill prices: finer than any venue's tick, so rounding never shows in a notional. */
export const AVG_PRICE_PLACES = 12;
