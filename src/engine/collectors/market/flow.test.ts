import { describe, expect, it } from 'vitest';
import { parseDecimal, toDecimalString, type Decimal } from './decimal.js';
import { detectBlocks, detectSweeps, tapeOrder, tickRule, type Fill } from './flow.js';

const d = (text: string): Decimal => parseDecimal(text)!;
const fill = (id: string, ts: number, side: Fill['side'], price: string, amount: string): Fill => ({ id, ts, side, price: d(price), amount: d(amount) });
const rule = { windowMs: 1000, minFills: 3, minLevels: 2, minNotionalUsd: d('100000') };

describe('detectSweeps', () => {
  it('finds a buyer lifting several offers in a row within the window', () => {
    const tape = [
      fill('1', 0, 'sell', '0.7548', '100'),
      fill('2', 10, 'buy', '0.7550', '50000'),
      fill('3', 10, 'buy', '0.7551', '50000'),
      fill('4', 11, 'buy', '0.7552', '50000'),
      fill('5', 11, 'buy', '0.7553', '50000'),
      fill('6', 5000, 'buy', '0.7553', '10'),
    ];
    const [sweep, ...rest] = detectSweeps(tape, rule);
    expect(rest).toHaveLength(0);
    expect(sweep!.side).toBe('buy');
    expect(sweep!.fills.map((f) => f.id)).toEqual(['2', '3', '4', '5']);
    expect(sweep!.levels).toBe(4);
    // 50000 × (0.7550 + 0.7551 + 0.7552 + 0.7553) = 50000 × 3.0206
    expect(toDecimalString(sweep!.notionalUsd)).toBe('151030');
    expect(toDecimalString(sweep!.priceFrom)).toBe('0.755');
    expect(toDecimalString(sweep!.priceTo)).toBe('0.7553');
  });

  it('does not call a run a sweep when a price improves, the side changes, or the window passes', () => {
    const improving = [fill('1', 0, 'buy', '10', '5000'), fill('2', 1, 'buy', '9', '5000'), fill('3', 2, 'buy', '10', '5000')];
    expect(detectSweeps(improving, rule)).toHaveLength(0);
    const slow = [fill('1', 0, 'sell', '10', '5000'), fill('2', 600, 'sell', '9.9', '5000'), fill('3', 1200, 'sell', '9.8', '5000')];
    expect(detectSweeps(slow, rule)).toHaveLength(0);
    const oneLevel = [fill('1', 0, 'sell', '10', '5000'), fill('2', 1, 'sell', '10', '5000'), fill('3', 2, 'sell', '10', '5000')];
    expect(detectSweeps(oneLevel, rule)).toHaveLength(0);
    const small = [fill('1', 0, 'sell', '10', '1'), fill('2', 1, 'sell', '9.9', '1'), fill('3', 2, 'sell', '9.8', '1')];
    expect(detectSweeps(small, rule)).toHaveLength(0);
  });

  it('finds a seller hitting lower and lower bids', () => {
    const tape = [fill('1', 0, 'sell', '100', '400'), fill('2', 1, 'sell', '99.5', '400'), fill('3', 2, 'sell', '99', '400')];
    const sweeps = detectSweeps(tape, rule);
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]!.side).toBe('sell');
  });

  it('prices a non-dollar quote through its USD rate', () => {
    const tape = [fill('1', 0, 'buy', '0.05', '10'), fill('2', 1, 'buy', '0.051', '10'), fill('3', 2, 'buy', '0.052', '10')];
    // (0.05 + 0.051 + 0.052) × 10 × 65000 = 99450
    const [sweep] = detectSweeps(tape, { ...rule, minNotionalUsd: d('99450') }, d('65000'));
    expect(toDecimalString(sweep!.notionalUsd)).toBe('99450');
    expect(detectSweeps(tape, { ...rule, minNotionalUsd: d('99451') }, d('65000'))).toHaveLength(0);
  });
});

describe('detectBlocks', () => {
  it('reports prints at or above the threshold, except those already in a sweep', () => {
    const tape = [fill('1', 0, 'buy', '0.755', '400000'), fill('2', 1, 'sell', '0.755', '100'), fill('3', 2, 'sell', '1', '250000')];
    expect(detectBlocks(tape, d('250000')).map((b) => b.fill.id)).toEqual(['1', '3']);
    expect(detectBlocks(tape, d('250000'), undefined, new Set(['1'])).map((b) => b.fill.id)).toEqual(['3']);
  });
});

describe('tapeOrder and tickRule', () => {
  it('orders by time, then numeric id', () => {
    const tape = tapeOrder([fill('10', 5, null, '1', '1'), fill('9', 5, null, '1', '1'), fill('11', 1, null, '1', '1')]);
    expect(tape.map((f) => f.id)).toEqual(['11', '9', '10']);
  });

  it('signs prints by the last price change, carrying state across calls', () => {
    const first = tickRule([d('10'), d('10.01'), d('10.01'), d('10')], null);
    expect(first.sides).toEqual([null, 'buy', 'buy', 'sell']);
    const next = tickRule([d('10'), d('10.02')], first.last);
    expect(next.sides).toEqual(['sell', 'buy']);
  });
});
