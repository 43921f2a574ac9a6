/**
 * Exact decimal text for the quantities and prices SEC documents carry.
 *
 * Share counts, prices and 13F values are kept as canonical decimal strings ("1234.5678", "-0.5", "0"),
 * never as floats, because they end up in ledgers and PnL (DESIGN rule 7) and because 13F voting
 * authority and value totals exceed 2^53. The few operations the parsers need (multiply, add, scale by a
 * power of ten) are done on BigInt mantissas, which is exact and needs no dependency; a general decimal
 * library would only add surface we do not use.
 */

/** A decimal as an integer mantissa and a count of fractional digits: value = mantissa / 10^scale. */
interface Scaled {
  readonly mantissa: bigint;
  readonly scale: number;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** The canonical form of a decimal literal, or null when the text is not one (commas, exponents, words). */
export function canonicalDecimal(text: string): string | null {
  const scaled = toScaled(text.trim());
  return scaled ? fromScaled(scaled) : null;
}

function toScaled(text: string): Scaled | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  const mantissa = BigInt(`${int || '0'}${frac}`);
  return { mantissa: m[1] === '-' ? -mantissa : mantissa, scale: frac.length };
}

function fromScaled({ mantissa, scale }: Scaled): string {
  const negative = mantissa < 0n;
  let digits = (negative ? -mantissa : mantissa).toString().padStart(scale + 1, '0');
  let int = digits.slice(0, digits.length - scale);
  let frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  int = int.replace(/^0+(?=\d)/, '');
  digits = frac ? `${int}.${frac}` : int;
  return negative && digits !== '0' ? `-${digits}` : digits;
}

function must(text: string): Scaled {
  const scaled = toScaled(text);
  if (!scaled) throw new RangeError(`not a decimal: "${text}"`);
  return scaled;
}

/** The exact product of two canonical decimals. */
export function multiplyDecimal(a: string, b: string): string {
  const x = must(a);
  const y = must(b);
  return fromScaled({ mantissa: x.mantissa * y.mantissa, scale: x.scale + y.scale });
}

/** The exact sum of canonical decimals ("0" for none). */
export function sumDecimals(values: Iterable<string>): string {
  let total: Scaled = { mantissa: 0n, scale: 0 };
  for (const v of values) {
    const x = must(v);
    const scale = Math.max(total.scale, x.scale);
    total = {
      mantissa: total.mantissa * 10n ** BigInt(scale - total.scale) + x.mantissa * 10n ** BigInt(scale - x.scale),
      scale,
    };
  }
  return fromScaled(total);
}

/** `value × 10^power`, exactly (13F values reported in thousands become dollars with power 3). */
export function scaleDecimal(value: string, power: number): string {
  const x = must(value);
  return power >= 0
    ? fromScaled({ mantissa: x.mantissa * 10n ** BigInt(power), scale: x.scale })
    : fromScaled({ mantissa: x.mantissa, scale: x.scale - power });
}

/** Compares two canonical decimals: -1, 0 or 1. */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const x = must(a);
  const y = must(b);
  const scale = Math.max(x.scale, y.scale);
  const l = x.mantissa * 10n ** BigInt(scale - x.scale);
  const r = y.mantissa * 10n ** BigInt(scale - y.scale);
  return l < r ? -1 : l > r ? 1 : 0;
}

