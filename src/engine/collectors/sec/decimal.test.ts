import { describe, expect, it } from 'vitest';
import { canonicalDecimal, compareDecimals, multiplyDecimal, scaleDecimal, sumDecimals } from './decimal.js';

describe('exact decimals', () => {
  it.each([
    ['1234.5678', '1234.5678'],
    ['999.0', '999'],
    ['0.00', '0'],
    ['007', '7'],
    ['.5', '0.5'],
    ['-0.50', '-0.5'],
    ['+12', '12'],
    [' 3 ', '3'],
    ['-0', '0'],
  ])('canonical form of %j is %j', (input, out) => expect(canonicalDecimal(input)).toBe(out));

  it.each(['', '.', '1,000', '1e5', 'abc', '1.2.3', '$5'])('%j is not a decimal', (input) => expect(canonicalDecimal(input)).toBeNull());

  it('multiplies without float error', () => {
    expect(multiplyDecimal('0.1', '0.2')).toBe('0.02');
    expect(0.1 * 0.2).not.toBe(0.02);
    expect(multiplyDecimal('73170', '150.841')).toBe('11037035.97');
    expect(multiplyDecimal('61.569', '0')).toBe('0');
    expect(multiplyDecimal('-2.5', '4')).toBe('-10');
  });

  it('sums beyond 2^53 exactly', () => {
    expect(sumDecimals(['9007199254740993', '1'])).toBe('9007199254740994');
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals([])).toBe('0');
  });

  it('scales by powers of ten and compares', () => {
    expect(scaleDecimal('279', 3)).toBe('279000');
    expect(scaleDecimal('1.5', 3)).toBe('1500');
    expect(scaleDecimal('1500', -3)).toBe('1.5');
    expect(compareDecimals('2.50', '2.5')).toBe(0);
    expect(compareDecimals('-1', '0.001')).toBe(-1);
    expect(compareDecimals('10', '9.999')).toBe(1);
  });
});
