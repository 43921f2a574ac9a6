import { describe, expect, it } from 'vitest';
import { clientOrderIdOf } from '../execution/broker.js';
import type { ConvictionVector } from '../types.js';
import { allocate, type AllocationPlan, type MarketSnapshot } from './allocator.js';
import { dec, str } from './decimal.js';
import { conviction, CTX, effective, HOUR, INSTRUMENTS, market, T0, vaultInput } from './fixtures.js';
import type { EffectiveVault } from './overlay.js';
import type { Persona } from './persona-schema.js';
import { AGGRESSIVE, CONTRARIAN, RISK_AVERSE } from './personas.js';
import { initialState, type Position, type VaultState } from './state.js';
import { parseVaultConfig } from './validate.js';
import type { VaultConfigInput, VaultOverlayInput } from './vault-schema.js';

function position(instrument: string, quantity: string, avgPrice: string, extra: Partial<Position> = {}): Position {
  return {
    instrument,
    quantity,
    costBasis: str(dec(quantity).abs().mul(dec(avgPrice))),
    avgPrice,
    realizedPnl: '0',
    openedAt: T0 - HOUR,
    convictionId: null,
    convictionExpiresAt: null,
    nextLeg: 0,
    expiryHandled: false,
    ...extra,
  };
}

/** A state holding the positions, its cash what is left of 100000 after buying them at their average prices. */
function holding(positions: readonly Position[], cash?: string): VaultState {
  const base = initialState(parseVaultConfig(vaultInput(), CTX), T0);
  const spent = positions.reduce((acc, p) => acc.add(dec(p.quantity).mul(dec(p.avgPrice))), dec(0));
  return { ...base, cash: cash ?? str(dec(base.cash).sub(spent)), positions: [...positions].sort((a, b) => (a.instrument < b.instrument ? -1 : 1)) };
}

interface Case {
  readonly vault?: Partial<VaultConfigInput>;
  readonly overlay?: VaultOverlayInput;
  readonly persona?: Persona;
  readonly state?: VaultState;
  readonly convictions?: readonly ConvictionVector[];
  readonly market?: MarketSnapshot;
  readonly now?: number;
}

function plan(c: Case): AllocationPlan {
  const vault: EffectiveVault = effective(c.vault ?? {}, c.overlay ?? null);
  return allocate({
    vault,
    persona: c.persona ?? AGGRESSIVE,
    state: c.state ?? holding([]),
    convictions: c.convictions ?? [],
    market: c.market ?? market(),
    instruments: INSTRUMENTS,
    now: c.now ?? T0 + 1000,
  });
}

/** Intents as `SIDE qty SYMBOL reason leg`. */
const orders = (p: AllocationPlan) => p.intents.map((i) => `${i.side} ${i.quantity} ${i.instrument} ${i.reason} ${i.leg}`);
const skips = (p: AllocationPlan) => p.skipped.map((s) => `${s.instrument}:${s.reason}`);
const weight = (p: AllocationPlan, s: string) => p.targets.find((t) => t.instrument === s)?.weight;

const insider = (s: string, score: number, o = {}) => conviction(s, score, o);

describe('allocator: sizing rules', () => {
  it.each<[string, Case, string[]]>([
    [
      'proportional weights capped per instrument (AAPL 0.1 × 100000 / 185 → 54 shares)',
      { convictions: [insider('AAPL', 0.8), insider('JPM', 0.4)] },
      ['BUY 54 AAPL open 0', 'BUY 58 JPM open 0'],
    ],
    [
      'the Kelly cap: |w| ≤ kellyCap × |score| (0.5 × 0.3 = 0.15 of equity)',
      { vault: { caps: { perInstrument: 0.3, perSector: 0.3, leverage: 1 } }, convictions: [insider('AAPL', 0.3), insider('JPM', 0.9)] },
      ['BUY 81 AAPL open 0', 'BUY 117 JPM open 0'],
    ],
    [
      'volatility scaling toward the persona target, after the caps (risk-averse: 0.05 × 10% / 55% of 100000 at 248)',
      { persona: RISK_AVERSE, convictions: [insider('TSLA', 0.9)] },
      ['BUY 3 TSLA open 0'],
    ],
    [
      'the vault’s volatility target overrides the persona’s',
      { persona: RISK_AVERSE, vault: { volatilityTarget: 0.55 }, convictions: [insider('TSLA', 0.9)] },
      ['BUY 20 TSLA open 0'],
    ],
    [
      'banded: a fixed weight per band (STRONG 0.04, EXTREME 0.08)',
      { vault: { allocation: { mode: 'banded', bandWeights: { STRONG: 0.04, EXTREME: 0.08 } } }, convictions: [insider('KO', 0.6), insider('PG', 0.9)] },
      ['BUY 67 KO open 0', 'BUY 54 PG open 0'],
    ],
    [
      'the sector cap scales a sector’s members down together (3 × 0.1 of Technology into 0.2)',
      { vault: { caps: { perInstrument: 0.1, perSector: 0.2, leverage: 1 } }, convictions: [insider('AAPL', 0.9), insider('MSFT', 0.9), insider('ORCL', 0.9)] },
      ['BUY 36 AAPL open 0', 'BUY 17 MSFT open 0', 'BUY 63 ORCL open 0'],
    ],
    [
      'the cash buffer bounds the total (banded 0.1 × 6 into 1 − 0.6)',
      {
        vault: { cashBuffer: 0.6, caps: { perInstrument: 0.1, perSector: 0.3, leverage: 1 }, allocation: { mode: 'banded', bandWeights: { EXTREME: 0.1 } } },
        convictions: ['AAPL', 'JPM', 'XOM', 'UNH', 'CAT', 'PG'].map((s) => insider(s, 0.9)),
      },
      ['BUY 36 AAPL open 0', 'BUY 22 CAT open 0', 'BUY 39 JPM open 0', 'BUY 45 PG open 0', 'BUY 12 UNH open 0', 'BUY 66 XOM open 0'],
    ],
    [
      'crypto is sized in fractions (default lot 0.000001), equities in whole shares',
      { convictions: [insider('BTC-USD', 0.9), insider('NVDA', 0.9)] },
      ['BUY 0.147991 BTC-USD open 0', 'BUY 16 NVDA open 0'],
    ],
    [
      'a lot size from the vault file',
      { vault: { trading: { lotSizes: { 'BTC-USD': '0.01' } } }, convictions: [insider('BTC-USD', 0.9)] },
      ['BUY 0.14 BTC-USD open 0'],
    ],
    [
      'a tag tilt of 0 excludes; an instrument tilt of 2 doubles the raw weight before caps',
      {
        vault: { caps: { perInstrument: 1, perSector: 1, leverage: 1 } },
        persona: { ...AGGRESSIVE, maxPositionWeight: 1 },
        overlay: { tilts: { tags: { 'sector:energy': 0 }, instruments: { JPM: 2 } } },
        convictions: [insider('XOM', 0.9), insider('JPM', 0.9), insider('KO', 0.9)],
      },
      ['BUY 264 JPM open 0', 'BUY 536 KO open 0'],
    ],
  ])('%s', (_name, c, expected) => {
    expect(orders(plan(c))).toEqual(expected);
  });

  it('reports the limit that bound each weight', () => {
    const p = plan({ persona: RISK_AVERSE, vault: { caps: { perInstrument: 0.1, perSector: 0.3, leverage: 1 } }, convictions: [insider('TSLA', 0.9), insider('KO', 0.9)] });
    expect(p.targets.map((t) => [t.instrument, t.weight, t.limits])).toEqual([
      ['KO', '0.03571428', ['persona_cap', 'volatility']],
      ['TSLA', '0.0090909', ['persona_cap', 'volatility']],
    ]);
  });
});

describe('allocator: which convictions a vault trades', () => {
  it.each<[string, Case, string[], string[]]>([
    ['the risk-averse persona ignores MODERATE', { persona: RISK_AVERSE, convictions: [insider('AAPL', 0.4)] }, [], ['AAPL:band_filtered']],
    ['a persona’s minimum |conviction|', { persona: { ...AGGRESSIVE, minAbsConviction: 0.6 }, convictions: [insider('AAPL', 0.55)] }, [], ['AAPL:below_min_conviction']],
    ['a NEUTRAL conviction', { persona: { ...AGGRESSIVE, bands: ['WEAK'], minAbsConviction: 0 }, convictions: [insider('AAPL', 0.05)] }, [], ['AAPL:neutral']],
    ['a short in a long-only vault', { convictions: [insider('AAPL', -0.8)] }, [], ['AAPL:short_not_allowed']],
    ['a short where shorts are allowed', { vault: { caps: { perInstrument: 0.1, perSector: 0.3, leverage: 1, allowShort: true } }, convictions: [insider('AAPL', -0.8)] }, ['SELL 54 AAPL open 0'], []],
    [
      'the contrarian fades a crowd-driven long',
      { persona: CONTRARIAN, vault: { caps: { perInstrument: 0.1, perSector: 0.3, leverage: 1, allowShort: true } }, convictions: [conviction('TSLA', 0.8, { reasons: [['mentions.zscore', 0.8, 6]] })] },
      ['SELL 8 TSLA open 0'],
      [],
    ],
    ['the contrarian follows insiders', { persona: CONTRARIAN, convictions: [insider('AAPL', 0.8)] }, ['BUY 27 AAPL open 0'], []],
    ['an instrument outside the universe', { vault: { universe: { instruments: ['MSFT'] } }, convictions: [insider('AAPL', 0.8)] }, [], ['AAPL:outside_universe']],
    ['a universe by routing tag', { vault: { universe: { instruments: [], tags: ['asset:crypto'] } }, convictions: [insider('AAPL', 0.8), insider('ETH-USD', 0.8)] }, ['BUY 2.341136 ETH-USD open 0'], ['AAPL:outside_universe']],
    ['an instrument the overlay does not allow', { overlay: { allow: ['MSFT'] }, convictions: [insider('AAPL', 0.8)] }, [], ['AAPL:not_allowed']],
    ['a denied instrument', { overlay: { deny: ['AAPL'] }, convictions: [insider('AAPL', 0.8)] }, [], ['AAPL:denied']],
    ['no price', { market: { prices: {}, volatility: {} }, convictions: [insider('AAPL', 0.8)] }, [], ['AAPL:no_price']],
    ['no volatility estimate', { market: { prices: { AAPL: '185' }, volatility: {} }, convictions: [insider('AAPL', 0.8)] }, [], ['AAPL:no_volatility']],
    ['a paused vault opens nothing', { overlay: { paused: true }, convictions: [insider('AAPL', 0.8)] }, [], ['AAPL:paused']],
    ['a vault with status paused opens nothing', { vault: { status: 'paused' }, convictions: [insider('AAPL', 0.8)] }, [], ['AAPL:paused']],
    [
      'a stopped-out conviction is not traded again',
      { state: { ...holding([]), stoppedConvictions: ['cnv_x'] }, convictions: [insider('AAPL', 0.8, { id: 'cnv_x' })] },
      [],
      ['AAPL:stopped_out'],
    ],
    ['an expired conviction is ignored', { convictions: [insider('AAPL', 0.8, { ttl: 1 })], now: T0 + 1000 }, [], []],
    [
      'only the latest conviction per instrument counts',
      { convictions: [insider('AAPL', 0.8, { createdAt: T0 }), insider('AAPL', -0.8, { createdAt: T0 - 60_000 })] },
      ['BUY 54 AAPL open 0'],
      [],
    ],
    ['a conviction from the future is ignored', { convictions: [insider('AAPL', 0.8, { createdAt: T0 + 60_000 })] }, [], []],
  ])('%s', (_name, c, expected, skipped) => {
    const p = plan(c);
    expect(orders(p)).toEqual(expected);
    expect(skips(p)).toEqual(skipped);
  });
});

describe('allocator: positions it holds', () => {
  const backed = { convictionId: 'cnv_a', convictionExpiresAt: T0 + HOUR, nextLeg: 1 };
  it.each<[string, Case, string[]]>([
    ['rebalances up with the next leg of the same conviction', { state: holding([position('AAPL', '30', '185', backed)]), convictions: [insider('AAPL', 0.8, { id: 'cnv_a' })] }, ['BUY 24 AAPL rebalance 1']],
    ['reduces a position above its target', { state: holding([position('AAPL', '80', '185', backed)]), convictions: [insider('AAPL', 0.8, { id: 'cnv_a' })] }, ['SELL 26 AAPL reduce 1']],
    ['a new conviction starts its legs at 0', { state: holding([position('AAPL', '30', '185', backed)]), convictions: [insider('AAPL', 0.8, { id: 'cnv_b' })] }, ['BUY 24 AAPL rebalance 0']],
    [
      'flips in two legs: close, then open the other side',
      { vault: { caps: { perInstrument: 0.1, perSector: 0.3, leverage: 1, allowShort: true } }, state: holding([position('AAPL', '54', '185', backed)]), convictions: [insider('AAPL', -0.8, { id: 'cnv_a' })] },
      ['SELL 54 AAPL close 1', 'SELL 54 AAPL open 2'],
    ],
    ['closes what an ineligible conviction no longer supports', { persona: RISK_AVERSE, state: holding([position('AAPL', '20', '185', backed)]), convictions: [insider('AAPL', 0.3, { id: 'cnv_c' })] }, ['SELL 20 AAPL close 0']],
    ['stops out a long past its stop-loss (risk-averse 5%)', { persona: RISK_AVERSE, state: holding([position('AAPL', '20', '195', backed)]), convictions: [insider('AAPL', 0.9, { id: 'cnv_a' })] }, ['SELL 20 AAPL stop 1']],
    ['keeps a long within its stop', { persona: RISK_AVERSE, state: holding([position('AAPL', '20', '194', backed)]) }, []],
    [
      'stops out a short past its stop-loss',
      { vault: { caps: { perInstrument: 0.1, perSector: 0.3, leverage: 1, allowShort: true } }, state: holding([position('AAPL', '-20', '160', backed)]) },
      ['BUY 20 AAPL stop 1'],
    ],
    ['stops even while paused', { overlay: { paused: true }, persona: RISK_AVERSE, state: holding([position('AAPL', '20', '200', backed)]) }, ['SELL 20 AAPL stop 1']],
    ['never touches a denied instrument, not even to stop', { overlay: { deny: ['AAPL'] }, persona: RISK_AVERSE, state: holding([position('AAPL', '20', '200', backed)]) }, []],
    ['closes on TTL expiry by default', { state: holding([position('AAPL', '20', '185', { ...backed, convictionExpiresAt: T0 })]) }, ['SELL 20 AAPL expire 0']],
    ['reduces on TTL expiry when the vault says so', { vault: { ttlExpiry: { action: 'reduce', fraction: 0.5 } }, state: holding([position('AAPL', '21', '185', { ...backed, convictionExpiresAt: T0 })]) }, ['SELL 11 AAPL expire 0']],
    ['acts on an expiry once', { state: holding([position('AAPL', '20', '185', { ...backed, convictionExpiresAt: T0, expiryHandled: true })]) }, []],
    ['expires even while paused', { overlay: { paused: true }, state: holding([position('AAPL', '20', '185', { ...backed, convictionExpiresAt: T0 })]) }, ['SELL 20 AAPL expire 0']],
    ['holds a position whose conviction is alive but not given', { state: holding([position('AAPL', '20', '185', backed)]) }, []],
    ['holds a position opened without a conviction', { state: holding([position('AAPL', '20', '185')]) }, []],
  ])('%s', (_name, c, expected) => {
    expect(orders(plan(c))).toEqual(expected);
  });

  it('an expiry intent carries no conviction; its client order id is keyed by instrument and time', () => {
    const p = plan({ state: holding([position('AAPL', '20', '185', { ...backed, convictionExpiresAt: T0 })]) });
    const intent = p.intents[0]!;
    expect(intent.convictionId).toBeNull();
    expect(clientOrderIdOf(intent)).toBe(clientOrderIdOf({ ...intent }));
  });

  it('held positions use up the caps and budget of the rest', () => {
    const p = plan({
      vault: { caps: { perInstrument: 0.1, perSector: 0.15, leverage: 1 } },
      state: holding([position('MSFT', '20', '375', backed)]), // 0.075 of Technology, held
      convictions: [insider('AAPL', 0.9)],
    });
    expect(weight(p, 'AAPL')).toBe('0.075');
  });
});

describe('allocator: cash, dust and limits', () => {
  it('drops a trade below the minimum notional, never a close', () => {
    const backed = { convictionId: 'cnv_a', convictionExpiresAt: T0 + HOUR, nextLeg: 1 };
    const p = plan({
      vault: { trading: { minNotional: '1000', rebalanceBand: 0 } },
      state: holding([position('AAPL', '52', '185', backed), position('KO', '1', '59', { ...backed, convictionExpiresAt: T0 })]),
      convictions: [insider('AAPL', 0.8, { id: 'cnv_a' })],
    });
    expect(orders(p)).toEqual(['SELL 1 KO expire 0']);
    expect(skips(p)).toEqual(['AAPL:dust']);
  });

  const allIn: Partial<VaultConfigInput> = {
    cashBuffer: 0,
    kellyCap: 1,
    caps: { perInstrument: 0.5, perSector: 0.5, leverage: 1 },
    allocation: { mode: 'banded', bandWeights: { EXTREME: 0.5 } },
    trading: { feeRate: 0.01 },
  };
  const allInPersona = { ...AGGRESSIVE, maxPositionWeight: 1 };

  it.each<[string, string, string[], string[]]>([
    ['52 of a 54 target is within the 5% band', '52', [], ['AAPL:within_band']],
    ['56 of a 54 target is within it too', '56', [], ['AAPL:within_band']],
    ['57 of a 54 target is outside it', '57', ['SELL 3 AAPL reduce 1'], []],
    ['50 of a 54 target is outside it', '50', ['BUY 4 AAPL rebalance 1'], []],
  ])('a held position near its target is left alone: %s', (_name, held, expected, skipped) => {
    const backed = { convictionId: 'cnv_a', convictionExpiresAt: T0 + HOUR, nextLeg: 1 };
    const p = plan({ state: holding([position('AAPL', held, '185', backed)]), convictions: [insider('AAPL', 0.8, { id: 'cnv_a' })] });
    expect(orders(p)).toEqual(expected);
    expect(skips(p)).toEqual(skipped);
  });

  it('pays buys only from cash, with the fee allowance: the last buy is shrunk to what fits', () => {
    const p = plan({ vault: allIn, persona: allInPersona, convictions: [insider('AAPL', 0.9), insider('JPM', 0.9)] });
    // AAPL 270 × 185 × 1.01 = 50449.5; JPM wants 294 but 49550.5 / (170 × 1.01) buys 288.
    expect(orders(p)).toEqual(['BUY 270 AAPL open 0', 'BUY 288 JPM open 0']);
  });

  it('a buy that cash shrinks below the minimum notional is dropped', () => {
    const vault = { ...allIn, trading: { feeRate: 0.1, minNotional: '45000' } };
    const p = plan({ vault, persona: allInPersona, convictions: [insider('AAPL', 0.9), insider('JPM', 0.9)] });
    // AAPL 270 × 185 × 1.1 = 54945; the 45055 left buys 240 JPM, 40800 of notional: below the minimum.
    expect(orders(p)).toEqual(['BUY 270 AAPL open 0']);
    expect(skips(p)).toEqual(['JPM:cash']);
  });

  it('the proceeds of long sales pay for buys in the same plan', () => {
    const state = holding([position('XOM', '500', '100', { convictionId: 'cnv_x', convictionExpiresAt: T0 })]);
    const p = plan({ vault: allIn, persona: allInPersona, state, convictions: [insider('AAPL', 0.9)] });
    // cash 50000 + 500 × 100 sold − 1% fee allowance on the sale: 99500 pays the full AAPL buy.
    expect(orders(p)).toEqual(['SELL 500 XOM expire 0', 'BUY 270 AAPL open 0']);
  });

  it('a loan vault’s gross exposure stays within its maxNotional', () => {
    const p = plan({
      vault: { startingCapital: '100000', caps: { perInstrument: 0.3, perSector: 0.3, leverage: 1 }, loan: { lender: 'L', principal: '100000', lenderShare: 0.2, maxNotional: '20000', maxDrawdown: 0.2 } },
      persona: { ...AGGRESSIVE, maxPositionWeight: 0.3 },
      convictions: [insider('AAPL', 0.9), insider('JPM', 0.9), insider('XOM', 0.9)],
    });
    const gross = p.intents.reduce((acc, i) => acc.add(dec(i.quantity).mul(dec(market().prices[i.instrument]!))), dec(0));
    expect(gross.lte(20000)).toBe(true);
    expect(gross.gt(18000)).toBe(true);
  });

  it('a loan vault past its drawdown limit closes everything and opens nothing', () => {
    const loan = { lender: 'L', principal: '100000', lenderShare: 0.2, maxNotional: '200000', maxDrawdown: 0.1 };
    const state: VaultState = { ...holding([position('AAPL', '400', '160')], '10000'), loan: { ...initialState(parseVaultConfig(vaultInput({ loan }), CTX), T0).loan! } };
    const p = plan({ vault: { loan }, state, convictions: [insider('AAPL', 0.9), insider('JPM', 0.9)], market: market({ prices: { AAPL: '150' } }) });
    expect(orders(p)).toEqual(['SELL 400 AAPL close 0']);
    expect(skips(p)).toEqual(['JPM:loan_drawdown']);
  });

  it('a closed vault plans nothing', () => {
    const p = plan({ vault: { status: 'closed' }, convictions: [insider('AAPL', 0.9)] });
    expect(p.halted).toBe('closed');
    expect(p.intents).toEqual([]);
  });

  it('routes by instrument, then asset class, then the default; crypto orders are GTC', () => {
    const p = plan({
      vault: { venues: { default: 'paper', byAssetClass: { crypto: 'ccxt:binance' }, byInstrument: { MSFT: 'alpaca' } } },
      convictions: [insider('AAPL', 0.9), insider('MSFT', 0.9), insider('ETH-USD', 0.9)],
    });
    expect(p.intents.map((i) => [i.instrument, i.venue, i.timeInForce, i.type, i.limitPrice])).toEqual([
      ['AAPL', 'paper', 'DAY', 'MARKET', null],
      ['ETH-USD', 'ccxt:binance', 'GTC', 'MARKET', null],
      ['MSFT', 'alpaca', 'DAY', 'MARKET', null],
    ]);
  });

  it('refuses unusable market data with MARKET_INVALID', () => {
    expect(() => plan({ market: market({ prices: { AAPL: '-1' } }) })).toThrow(expect.objectContaining({ code: 'MARKET_INVALID' }));
    expect(() => plan({ market: market({ volatility: { AAPL: Number.NaN } }) })).toThrow(/volatility.AAPL/);
  });
});
