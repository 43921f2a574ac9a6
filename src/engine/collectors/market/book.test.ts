import { describe, expect, it } from 'vitest';
import { bookImbalance, type BookLevel } from './book.js';
import { parseDecimal, toDecimalString } from './decimal.js';

const level = (price: string, amount: string): BookLevel => ({ price: parseDecimal(price)!, amount: parseDecimal(amount)! });
const bps = (n: string) => parseDecimal(n)!;

describe('bookImbalance', () => {
  const bids = [level('99.95', '10'), level('99.80', '10'), level('95', '1000')];
  const asks = [level('100.05', '2'), level('100.20', '3'), level('105', '1000')];

  it('compares quote depth on each side within the band around the mid', () => {
    const found = bookImbalance(bids, asks, bps('25'))!;
    expect(toDecimalString(found.mid)).toBe('100');
    // Band 99.75..100.25: bids 999.5 + 998 = 1997.5, asks 200.1 + 300.6 = 500.7; far levels left out.
    expect(toDecimalString(found.bidDepth)).toBe('1997.5');
    expect(toDecimalString(found.askDepth)).toBe('500.7');
    expect(found.bidLevels).toBe(2);
    expect(found.imbalance).toBeCloseTo((1997.5 - 500.7) / (1997.5 + 500.7), 12);
    expect(found.imbalance).toBeGreaterThan(0);
  });

  it('narrows with the band and stays within -1..1', () => {
    const tight = bookImbalance(bids, asks, bps('10'))!;
    expect(tight.bidLevels).toBe(1);
    expect(tight.askLevels).toBe(1);
    const lopsided = bookImbalance([level('99.99', '1')], [level('100.01', '1000')], bps('5'))!;
    expect(lopsided.imbalance).toBeLessThan(-0.99);
    expect(lopsided.imbalance).toBeGreaterThanOrEqual(-1);
  });

  it('says nothing about a book with an empty side', () => {
    expect(bookImbalance([], asks, bps('25'))).toBeNull();
  });
});
