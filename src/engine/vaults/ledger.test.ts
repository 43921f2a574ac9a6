import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { dec, str } from './decimal.js';
import { VaultError } from './errors.js';
import { T0, vaultInput, CTX } from './fixtures.js';
import { applyFill, markToMarket, type FillRules, type VaultFill } from './ledger.js';
import { initialState, type VaultState } from './state.js';
import { parseVaultConfig } from './validate.js';

const LONG_SHORT: FillRules = { allowShort: true, isolated: false };
const LONG_ONLY: FillRules = { allowShort: false, isolated: false };
const fresh = (): VaultState => initialState(parseVaultConfig(vaultInput(), CTX), T0);

let n = 0;
function fill(side: 'BUY' | 'SELL', quantity: string, price: string, extra: Partial<VaultFill> = {}): VaultFill {
  n += 1;
  return { fillId: `f${n}`, vaultId: 'test-vault', instrument: 'AAPL', side, quantity, price, fee: '0', ts: T0 + n, ...extra };
}

function run(fills: readonly VaultFill[], rules = LONG_SHORT, state = fresh()): VaultState {
  return fills.reduce((s, f) => applyFill(s, f, rules).state, state);
}

describe('applyFill: positions, average price, realized PnL', () => {
  it.each<[string, () => VaultFill[], { qty: string | null; cost?: string; avg?: string; realized: string; cash: string }]>([
    ['a buy opens at its price, the fee is charged', () => [fill('BUY', '10', '100', { fee: '1' })], { qty: '10', cost: '1000', avg: '100', realized: '-1', cash: '98999' }],
    ['a second buy averages in', () => [fill('BUY', '10', '100'), fill('BUY', '10', '110')], { qty: '20', cost: '2100', avg: '105', realized: '0', cash: '97900' }],
    ['a partial sell realizes against the average', () => [fill('BUY', '10', '100'), fill('SELL', '4', '120')], { qty: '6', cost: '600', avg: '100', realized: '80', cash: '99480' }],
    [
      'a sell at the average with an awkward average realizes what rounding leaves, a full close the rest',
      () => [fill('BUY', '1', '100'), fill('BUY', '2', '101'), fill('SELL', '1', '101')],
      { qty: '2', cost: '201.333333333333', avg: '100.666666666666', realized: '0.333333333333', cash: '99799' },
    ],
    ['closing realizes exactly proceeds minus cost', () => [fill('BUY', '1', '100'), fill('BUY', '2', '101'), fill('SELL', '1', '101'), fill('SELL', '2', '101')], { qty: null, realized: '1', cash: '100001' }],
    ['a sell beyond the position flips it short at the fill price', () => [fill('BUY', '10', '100'), fill('SELL', '15', '90')], { qty: '-5', cost: '450', avg: '90', realized: '-100', cash: '100350' }],
    ['a short adds at its average', () => [fill('SELL', '5', '100'), fill('SELL', '5', '80')], { qty: '-10', cost: '900', avg: '90', realized: '0', cash: '100900' }],
    ['a cover below the short price realizes a gain', () => [fill('SELL', '5', '100'), fill('BUY', '5', '90', { fee: '0.5' })], { qty: null, realized: '49.5', cash: '100049.5' }],
    ['a buy beyond a short flips it long', () => [fill('SELL', '5', '100'), fill('BUY', '8', '110')], { qty: '3', cost: '330', avg: '110', realized: '-50', cash: '99620' }],
    ['fractional crypto quantities stay exact', () => [fill('BUY', '0.00031', '43000.5', { instrument: 'BTC-USD' }), fill('BUY', '0.00069', '42999.5', { instrument: 'BTC-USD' })], { qty: '0.001', cost: '42.99981', avg: '42999.81', realized: '0', cash: '99957.00019' }],
  ])('%s', (_name, make, expected) => {
    const fills = make();
    const state = run(fills);
    const instrument = fills[0]?.instrument ?? 'AAPL';
    const p = state.positions.find((x) => x.instrument === instrument) ?? null;
    expect(p?.quantity ?? null).toBe(expected.qty);
    if (expected.cost) expect(p?.costBasis).toBe(expected.cost);
    if (expected.avg) expect(p?.avgPrice).toBe(expected.avg);
    expect(state.realizedPnl).toBe(expected.realized);
    expect(state.uncompoundedPnl).toBe(expected.realized);
    expect(state.cash).toBe(expected.cash);
  });

  it('never changes the state it was given', () => {
    const before = fresh();
    const copy = structuredClone(before);
    applyFill(before, fill('BUY', '1', '100'), LONG_ONLY);
    expect(before).toEqual(copy);
  });

  it('a long-only vault refuses a fill that would leave it short, and keeps its books', () => {
    const state = run([fill('BUY', '2', '100')], LONG_ONLY);
    const err = (() => {
      try {
        applyFill(state, fill('SELL', '3', '100'), LONG_ONLY);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).code).toBe('FILL_REJECTED');
    expect(state.positions[0]?.quantity).toBe('2');
  });

  it('an isolated (loan) vault refuses a fill its own cash cannot pay', () => {
    const state = fresh();
    expect(() => applyFill(state, fill('BUY', '1000', '100.01'), { allowShort: false, isolated: true })).toThrow(
      expect.objectContaining({ code: 'LOAN_ISOLATION' }),
    );
    expect(applyFill(state, fill('BUY', '1000', '100'), { allowShort: false, isolated: true }).state.cash).toBe('0');
  });

  it.each<[string, Partial<VaultFill>, string]>([
    ['a negative quantity', { quantity: '-1' }, 'quantity'],
    ['an exponent quantity', { quantity: '1e3' }, 'quantity'],
    ['a zero price', { price: '0' }, 'price'],
    ['a float-looking fee', { fee: '-0.1' }, 'fee'],
    ['another vault', { vaultId: 'other' }, 'vaultId'],
    ['an unknown side', { side: 'SHORT' as 'SELL' }, 'side'],
    ['a fractional leg', { leg: 1.5 }, 'leg'],
  ])('refuses %s with FILL_INVALID naming the field', (_name, patch, path) => {
    try {
      applyFill(fresh(), { ...fill('BUY', '1', '100'), ...patch }, LONG_SHORT);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'FILL_INVALID' });
      expect((e as VaultError).issues.map((i) => i.path)).toEqual([path]);
    }
  });
});

describe('applyFill: what the position remembers of its conviction', () => {
  it('adopts the conviction that opens it, counts its legs, and hands over to a new one', () => {
    const s1 = run([fill('BUY', '10', '100', { convictionId: 'c1', convictionExpiresAt: T0 + 3_600_000, leg: 0, reason: 'open' })]);
    expect(s1.positions[0]).toMatchObject({ convictionId: 'c1', convictionExpiresAt: T0 + 3_600_000, nextLeg: 1, expiryHandled: false });
    const s2 = run([fill('BUY', '5', '100', { convictionId: 'c1', leg: 1, reason: 'rebalance' })], LONG_SHORT, s1);
    expect(s2.positions[0]).toMatchObject({ convictionId: 'c1', nextLeg: 2 });
    const s3 = run([fill('BUY', '5', '100', { convictionId: 'c2', convictionExpiresAt: T0 + 7_200_000, leg: 0, reason: 'rebalance' })], LONG_SHORT, s2);
    expect(s3.positions[0]).toMatchObject({ convictionId: 'c2', convictionExpiresAt: T0 + 7_200_000, nextLeg: 1 });
  });

  it('an expiry fill marks the expiry handled; a stop fill remembers the conviction as stopped', () => {
    const open = run([fill('BUY', '10', '100', { convictionId: 'c1', convictionExpiresAt: T0, reason: 'open' })]);
    const reduced = run([fill('SELL', '5', '100', { convictionId: null, reason: 'expire' })], LONG_SHORT, open);
    expect(reduced.positions[0]).toMatchObject({ quantity: '5', convictionId: 'c1', expiryHandled: true });
    const stopped = run([fill('SELL', '5', '90', { convictionId: 'c1', leg: 1, reason: 'stop' })], LONG_SHORT, reduced);
    expect(stopped.positions).toEqual([]);
    expect(stopped.stoppedConvictions).toEqual(['c1']);
  });
});

describe('markToMarket', () => {
  it('values at the given prices, falls back to the average price, and reports staleness', () => {
    const state = run([fill('BUY', '10', '100'), fill('SELL', '2', '40000', { instrument: 'BTC-USD' })]);
    const v = markToMarket(state, { AAPL: '110' });
    expect(v.marks).toEqual([
      { instrument: 'AAPL', quantity: '10', price: '110', value: '1100', unrealizedPnl: '100', stale: false },
      { instrument: 'BTC-USD', quantity: '-2', price: '40000', value: '-80000', unrealizedPnl: '0', stale: true },
    ]);
    expect(v.equity).toBe('100100');
    expect(v.nav).toBe('100100');
    expect(v.grossExposure).toBe('81100');
  });

  it('equity always equals capital + realized + unrealized, exactly, over random fills (seeded)', () => {
    const rng = new Random(20240102);
    const symbols = ['AAPL', 'BTC-USD', 'DOGE-USD'];
    let state = fresh();
    const last: Record<string, string> = {};
    for (let i = 0; i < 400; i++) {
      const instrument = rng.pick(symbols);
      const price = str(dec(rng.int(1, 500000)).div(1000));
      const quantity = str(dec(rng.int(1, 3000)).div(instrument === 'AAPL' ? 1 : 1000));
      const fee = str(dec(rng.int(0, 300)).div(100));
      state = applyFill(state, fill(rng.chance(0.5) ? 'BUY' : 'SELL', quantity, price, { instrument, fee }), LONG_SHORT).state;
      last[instrument] = price;
      const v = markToMarket(state, last);
      expect(dec(v.equity).eq(dec('100000').add(dec(state.realizedPnl)).add(dec(v.unrealizedPnl)))).toBe(true);
    }
  });
});
