/**
 * Exact decimals for money: a value is `units × 10^-scale` with `units` a BigInt, so sums and products of
 * prices and quantities never round (DESIGN rule 7). Hand-written rather than a decimal library because
 * the collectors need only parse, add, multiply, compare and print, and none of the project's
 * dependencies provides it.
 *
 * Where a source hands us JSON numbers instead of decimal strings (ccxt's unified structures, Alpaca,
 * Tradier), {@link decimalFromNumber} recovers the decimal the number was parsed from: a decimal of at
 * most 15 significant digits survives the trip through a double, and JavaScript prints a double as the
 * shortest decimal that reads back as it, which is that decimal. Prices and sizes on these APIs have far
 * fewer digits, so converting at the boundary and doing all arithmetic here loses nothing.
 */

export interface Decimal {
  readonly units: bigint;
  /** Digits after the decimal point, ≥ 0. */
  readonly scale: number;
}

export const ZERO: Decimal = Object.freeze({ units: 0n, scale: 0 });

const DECIMAL_RE = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$|^([+-]?)\.(\d+)(?:[eE]([+-]?\d+))?$/;

/** Reads `"0.72440000"`, `"-12"`, `"1e-7"`, `".5"`; returns null for anything else (`""`, `"."`, `"NaN"`). */
export function parseDecimal(text: string): Decimal | null {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) return null;
  const sign = m[1] ?? m[5] ?? '';
  const intPart = m[2] ?? '0';
  const fracPart = m[3] ?? m[6] ?? '';
  const exp = Number(m[4] ?? m[7] ?? '0');
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return null;
  let units = BigInt(intPart + fracPart);
  let scale = fracPart.length - exp;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return normalize({ units: sign === '-' ? -units : units, scale });
}

/** The decimal a finite JSON number was written as (see the module comment); null for NaN and ±Infinity. */
export function decimalFromNumber(n: number): Decimal | null {
  return Number.isFinite(n) ? parseDecimal(String(n)) : null;
}

/** A decimal from a string or a number, as APIs send either. */
export function decimalOf(value: unknown): Decimal | null {
  if (typeof value === 'number') return decimalFromNumber(value);
  if (typeof value === 'string') return parseDecimal(value);
  if (typeof value === 'bigint') return { units: value, scale: 0 };
  return null;
}

/** An integer amount in a token's smallest unit (wei) as a decimal in whole tokens. */
export function fromUnits(units: bigint, decimals: number): Decimal {
  return normalize({ units, scale: decimals });
}

/** Drops trailing zeros, so equal values have one representation. */
function normalize(d: Decimal): Decimal {
  let { units, scale } = d;
  if (units === 0n) return ZERO;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return normalize({ units: x + y, scale });
}

export function sub(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return normalize({ units: x - y, scale });
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return normalize({ units: a.units * b.units, scale: a.scale + b.scale });
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = add(total, v);
  return total;
}

/** -1, 0 or 1. */
export function cmp(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function abs(d: Decimal): Decimal {
  return d.units < 0n ? { units: -d.units, scale: d.scale } : d;
}

export function isNegative(d: Decimal): boolean {
  return d.units < 0n;
}

/** Plain decimal notation, no exponent, no trailing zeros: `"0.7244"`, `"-12"`, `"0"`. */
export function toDecimalString(d: Decimal): string {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString();
  if (d.scale === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(d.scale + 1, '0');
  const cut = padded.length - d.scale;
  return `${negative ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

/** A float approximation, for ratios and model features; never for money that is summed further. */
export function toNumber(d: Decimal): number {
  return Number(toDecimalString(d));
}

/**
 * `a / b` as a float (an imbalance, a volume-to-open-interest ratio): exact operands, one rounding at the
 * end. Returns null when `b` is zero.
 */
export function ratio(a: Decimal, b: Decimal): number | null {
  if (b.units === 0n) return null;
  const [x, y] = align(a, b);
  // 18 extra digits keep the quotient's precision beyond a double's before the one conversion.
  const q = (x * 10n ** 18n) / y;
  return Number(q) / 1e18;
}
