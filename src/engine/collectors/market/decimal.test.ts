import { describe, expect, it } from 'vitest';
import { add, cmp, decimalFromNumber, fromUnits, mul, parseDecimal, ratio, sub, toDecimalString } from './decimal.js';

const d = (text: string) => {
  const v = parseDecimal(text);
  if (!v) throw new Error(`not a decimal: ${text}`);
  return v;
};

describe('decimal', () => {
  it('reads exchange decimal strings exactly and prints them without trailing zeros', () => {
    expect(toDecimalString(d('0.72440000'))).toBe('0.7244');
    expect(toDecimalString(d('574761.50000000'))).toBe('574761.5');
    expect(toDecimalString(d('-12'))).toBe('-12');
    expect(toDecimalString(d('1e-7'))).toBe('0.0000001');
    expect(toDecimalString(d('.5'))).toBe('0.5');
    expect(toDecimalString(d('0.000'))).toBe('0');
  });

  it('rejects what is not a decimal', () => {
    for (const text of ['', '.', 'NaN', '1,000', '0x10', 'Infinity', '1.2.3']) expect(parseDecimal(text)).toBeNull();
  });

  it('adds and multiplies without the rounding of binary floats', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(toDecimalString(add(d('0.1'), d('0.2')))).toBe('0.3');
    expect(toDecimalString(mul(d('0.7549'), d('400000')))).toBe('301960');
    expect(toDecimalString(sub(d('1'), d('0.0001')))).toBe('0.9999');
    expect(cmp(d('0.70'), d('0.7'))).toBe(0);
    expect(cmp(d('-1'), d('0'))).toBe(-1);
  });

  it('recovers the decimal a JSON number was written as', () => {
    for (const text of ['0.7244', '178.26', '1530.21962', '0.00000001', '123456789012.345']) {
      expect(toDecimalString(decimalFromNumber(Number(text))!)).toBe(text);
    }
    expect(decimalFromNumber(Number.NaN)).toBeNull();
  });

  it('turns token base units into whole tokens', () => {
    expect(toDecimalString(fromUnits(1530219620000000000n, 18))).toBe('1.53021962');
    expect(toDecimalString(fromUnits(100000n, 6))).toBe('0.1');
    expect(toDecimalString(fromUnits(2n ** 256n - 1n, 18)).length).toBeGreaterThan(60);
  });

  it('divides once, at the end, for ratios', () => {
    expect(ratio(d('1'), d('3'))).toBeCloseTo(1 / 3, 15);
    expect(ratio(d('-50'), d('200'))).toBe(-0.25);
    expect(ratio(d('1'), d('0'))).toBeNull();
  });
});
