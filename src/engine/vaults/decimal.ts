/**
 * Exact arithmetic for money and quantities (DESIGN rule 7). A private decimal.js constructor with enough
 * precision that sums and products of prices and quantities never round; divisions (average prices, weights)
 * are rounded explicitly where they happen, to the places named here, so results are reproducible.
 */
import { Decimal as DecimalJs } from 'decimal.js';

export const Dec = DecimalJs.clone({
  precision: 60,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -60,
  toExpPos: 60,
});
export type Dec = InstanceType<typeof Dec>;

/** Places kept for a weight (a fraction of equity). */
export const WEIGHT_PLACES = 8;
/** Places kept for a ratio derived from money (a cost released on a partial close). */
export const RATIO_PLACES = 12;
/** Money settles in cents. */
export const CENT_PLACES = 2;

export const ZERO = new Dec(0);
export const ONE = new Dec(1);

/** A non-negative decimal string: `12`, `0.00031`. */
export const DECIMAL_RE = /^\d+(\.\d+)?$/;
/** A signed decimal string: `-3.5`. */
export const SIGNED_DECIMAL_RE = /^-?\d+(\.\d+)?$/;
/** A strictly positive decimal string. */
export const POSITIVE_DECIMAL_RE = /^(?!0+(\.0+)?$)\d+(\.\d+)?$/;

export function dec(value: string | number | Dec): Dec {
  return new Dec(value);
}

/** The canonical string of a decimal: no exponent, no trailing zeros, `0` rather than `-0`. */
export function str(value: Dec): string {
  if (value.isZero()) return '0';
  return value.toFixed();
}

/** Rounds toward zero to a multiple of `lot` (a positive decimal). */
export function floorToLot(quantity: Dec, lot: Dec): Dec {
  return quantity.div(lot).trunc().mul(lot);
}

/** Rounds to cents, half to even (banker's rounding: no drift over many settlements). */
export function cents(value: Dec): Dec {
  return value.toDecimalPlaces(CENT_PLACES, Dec.ROUND_HALF_EVEN);
}

/** Rounds down to cents: what may be moved out of a vault without overdrawing it. */
export function centsDown(value: Dec): Dec {
  return value.toDecimalPlaces(CENT_PLACES, Dec.ROUND_DOWN);
}

export function minDec(a: Dec, b: Dec): Dec {
  return a.lte(b) ? a : b;
}

export function maxDec(a: Dec, b: Dec): Dec {
  return a.gte(b) ? a : b;
}
