import { describe, expect, it } from 'vitest';
import { draftOrder, type Order, type OrderStatus } from '../order.js';
import { intent, T0 } from '../testing/fixtures.js';
import type { OrderIntent } from '../broker.js';
import { CreditCheck, GlobalDailyNotionalCheck, MaxOrderNotionalCheck, OrderRateCheck, VaultDailyNotionalCheck } from './checks-limits.js';
import { DuplicateCheck, KillSwitchCheck, PriceCollarCheck, TradableCheck, ValidOrderCheck } from './checks-order.js';
import { CompositeRiskCheck, NullRiskCheck, standardRiskChecks } from './composite.js';
import type { RiskCheck, RiskSnapshot } from './types.js';

const NOW = T0 + 60_000;

function order(over: Partial<OrderIntent> = {}, extra: Partial<Order> = {}): Order {
  const i = intent({ createdAt: NOW, ...over });
  return { ...draftOrder(i, { referencePrice: '100', causationIds: [], now: NOW }), ...extra };
}

function existing(over: Partial<OrderIntent>, status: OrderStatus, extra: Partial<Order> = {}): Order {
  return order({ convictionId: `old-${Math.random()}`, ...over }, { status, createdAt: NOW - 1000, ...extra });
}

function snap(over: Partial<RiskSnapshot> = {}): RiskSnapshot {
  return {
    now: NOW,
    lastTrade: { price: '100', ts: NOW - 1000 },
    killSwitches: [],
    tradability: { tradable: true, reason: null },
    clientOrderIdTaken: false,
    recentOrders: [],
    vaultOpenOrders: [],
    credit: { availableCash: '5000', leverage: '1' },
    ...over,
  };
}

interface Case {
  readonly name: string;
  readonly check: () => RiskCheck;
  readonly order: Order;
  readonly snapshot: RiskSnapshot;
  readonly reason: string | null;
}

const cases: Case[] = [
  // ValidOrder
  { name: 'valid market order', check: () => new ValidOrderCheck(), order: order(), snapshot: snap(), reason: null },
  { name: 'zero quantity', check: () => new ValidOrderCheck(), order: order({ quantity: '0' }), snapshot: snap(), reason: 'INVALID_ORDER' },
  { name: 'float-ish quantity', check: () => new ValidOrderCheck(), order: order({ quantity: '1e3' }), snapshot: snap(), reason: 'INVALID_ORDER' },
  { name: 'limit without price', check: () => new ValidOrderCheck(), order: order({ type: 'LIMIT', limitPrice: null }), snapshot: snap(), reason: 'INVALID_ORDER' },
  { name: 'market with a price', check: () => new ValidOrderCheck(), order: order({ limitPrice: '100' }), snapshot: snap(), reason: 'INVALID_ORDER' },

  // KillSwitch
  ...(['global', 'vault', 'venue'] as const).map((kind) => ({
    name: `${kind} switch covers the order`,
    check: () => new KillSwitchCheck(),
    order: order(),
    snapshot: snap({
      killSwitches: [
        {
          key: kind === 'global' ? 'global' : `${kind}:${kind === 'vault' ? 'v1' : 'paper'}`,
          scope: kind === 'global' ? { kind } : { kind, id: kind === 'vault' ? 'v1' : 'paper' },
          engaged: true,
          actor: 'admin',
          reason: 'halt',
          changedAt: NOW,
        },
      ],
    }),
    reason: 'KILL_SWITCH',
  })),
  {
    name: 'another vault’s switch does not',
    check: () => new KillSwitchCheck(),
    order: order(),
    snapshot: snap({ killSwitches: [{ key: 'vault:v2', scope: { kind: 'vault', id: 'v2' }, engaged: true, actor: 'a', reason: 'r', changedAt: NOW }] }),
    reason: null,
  },

  // Tradable
  { name: 'tradable', check: () => new TradableCheck(), order: order(), snapshot: snap(), reason: null },
  { name: 'halted', check: () => new TradableCheck(), order: order(), snapshot: snap({ tradability: { tradable: false, reason: 'AAPL is halted' } }), reason: 'NOT_TRADABLE' },

  // Duplicate
  { name: 'same client order id', check: () => new DuplicateCheck(5000), order: order(), snapshot: snap({ clientOrderIdTaken: true }), reason: 'DUPLICATE_CLIENT_ORDER_ID' },
  { name: 'same vault/instrument/side/quantity in the window', check: () => new DuplicateCheck(5000), order: order(), snapshot: snap({ recentOrders: [existing({}, 'ACCEPTED')] }), reason: 'DUPLICATE_ORDER' },
  { name: 'equal quantity written differently', check: () => new DuplicateCheck(5000), order: order(), snapshot: snap({ recentOrders: [existing({}, 'FILLED', { quantity: '10.00' })] }), reason: 'DUPLICATE_ORDER' },
  { name: 'outside the window', check: () => new DuplicateCheck(500), order: order(), snapshot: snap({ recentOrders: [existing({}, 'ACCEPTED')] }), reason: null },
  { name: 'the twin was denied', check: () => new DuplicateCheck(5000), order: order(), snapshot: snap({ recentOrders: [existing({}, 'DENIED')] }), reason: null },
  { name: 'other side', check: () => new DuplicateCheck(5000), order: order(), snapshot: snap({ recentOrders: [existing({ side: 'SELL' }, 'ACCEPTED')] }), reason: null },
  { name: 'other vault', check: () => new DuplicateCheck(5000), order: order(), snapshot: snap({ recentOrders: [existing({ vaultId: 'v2' }, 'ACCEPTED')] }), reason: null },

  // PriceCollar
  { name: 'market order at last', check: () => new PriceCollarCheck('5', 60_000), order: order(), snapshot: snap(), reason: null },
  { name: 'limit 5% away is inside', check: () => new PriceCollarCheck('5', 60_000), order: order({ type: 'LIMIT', limitPrice: '105' }), snapshot: snap(), reason: null },
  { name: 'limit 5.01% above', check: () => new PriceCollarCheck('5', 60_000), order: order({ type: 'LIMIT', limitPrice: '105.01' }), snapshot: snap(), reason: 'PRICE_COLLAR' },
  { name: 'limit 6% below', check: () => new PriceCollarCheck('5', 60_000), order: order({ type: 'LIMIT', limitPrice: '94' }), snapshot: snap(), reason: 'PRICE_COLLAR' },
  { name: 'no last trade', check: () => new PriceCollarCheck('5', 60_000), order: order(), snapshot: snap({ lastTrade: null }), reason: 'NO_REFERENCE_PRICE' },
  { name: 'stale last trade', check: () => new PriceCollarCheck('5', 60_000), order: order(), snapshot: snap({ lastTrade: { price: '100', ts: NOW - 60_001 } }), reason: 'STALE_REFERENCE_PRICE' },
  { name: 'market order with no price of its own', check: () => new PriceCollarCheck('5', 60_000), order: order({}, { referencePrice: null }), snapshot: snap(), reason: 'NO_REFERENCE_PRICE' },

  // MaxOrderNotional
  { name: 'notional at the limit', check: () => new MaxOrderNotionalCheck({ default: '1000' }), order: order(), snapshot: snap(), reason: null },
  { name: 'notional over the limit', check: () => new MaxOrderNotionalCheck({ default: '999.99' }), order: order(), snapshot: snap(), reason: 'MAX_ORDER_NOTIONAL' },
  { name: 'per-vault override', check: () => new MaxOrderNotionalCheck({ default: '1000000', perVault: { v1: '500' } }), order: order(), snapshot: snap(), reason: 'MAX_ORDER_NOTIONAL' },
  { name: 'no price to value it', check: () => new MaxOrderNotionalCheck({ default: '1000' }), order: order({}, { referencePrice: null }), snapshot: snap(), reason: 'NO_REFERENCE_PRICE' },

  // VaultDailyNotional: 10 × 100 = 1000 per order
  { name: 'vault day within limit', check: () => new VaultDailyNotionalCheck({ default: '2000' }), order: order(), snapshot: snap({ recentOrders: [existing({ quantity: '10' }, 'ACCEPTED')] }), reason: null },
  { name: 'vault day over limit', check: () => new VaultDailyNotionalCheck({ default: '1999' }), order: order(), snapshot: snap({ recentOrders: [existing({ quantity: '10' }, 'ACCEPTED')] }), reason: 'MAX_DAILY_NOTIONAL_VAULT' },
  {
    name: 'a canceled order counts only what filled',
    check: () => new VaultDailyNotionalCheck({ default: '1500' }),
    order: order(),
    snapshot: snap({ recentOrders: [existing({}, 'CANCELED', { filledQuantity: '5', filledNotional: '500' })] }),
    reason: null,
  },
  { name: 'denied orders do not count', check: () => new VaultDailyNotionalCheck({ default: '1000' }), order: order(), snapshot: snap({ recentOrders: [existing({}, 'DENIED')] }), reason: null },
  { name: 'yesterday does not count', check: () => new VaultDailyNotionalCheck({ default: '1000' }), order: order(), snapshot: snap({ recentOrders: [existing({}, 'FILLED', { createdAt: NOW - 86_400_000, filledNotional: '1000' })] }), reason: null },
  { name: 'other vaults do not count', check: () => new VaultDailyNotionalCheck({ default: '1000' }), order: order(), snapshot: snap({ recentOrders: [existing({ vaultId: 'v2' }, 'ACCEPTED')] }), reason: null },

  // GlobalDailyNotional
  { name: 'global day within limit', check: () => new GlobalDailyNotionalCheck('2000'), order: order(), snapshot: snap({ recentOrders: [existing({ vaultId: 'v2' }, 'ACCEPTED')] }), reason: null },
  { name: 'global day over limit across vaults', check: () => new GlobalDailyNotionalCheck('1999'), order: order(), snapshot: snap({ recentOrders: [existing({ vaultId: 'v2' }, 'ACCEPTED')] }), reason: 'MAX_DAILY_NOTIONAL_GLOBAL' },

  // Credit: 1000 per order against cash × leverage
  { name: 'buy within cash', check: () => new CreditCheck(), order: order(), snapshot: snap({ credit: { availableCash: '1000', leverage: '1' } }), reason: null },
  { name: 'buy over cash', check: () => new CreditCheck(), order: order(), snapshot: snap({ credit: { availableCash: '999.99', leverage: '1' } }), reason: 'CREDIT_LIMIT' },
  { name: 'leverage makes room', check: () => new CreditCheck(), order: order(), snapshot: snap({ credit: { availableCash: '500', leverage: '2' } }), reason: null },
  {
    name: 'open buys use the credit (what is left of them: 5 × 100)',
    check: () => new CreditCheck(),
    order: order(),
    snapshot: snap({ credit: { availableCash: '1499.99', leverage: '1' }, vaultOpenOrders: [existing({ quantity: '6' }, 'PARTIALLY_FILLED', { filledQuantity: '1' })] }),
    reason: 'CREDIT_LIMIT',
  },
  { name: 'sells are not limited', check: () => new CreditCheck(), order: order({ side: 'SELL' }), snapshot: snap({ credit: { availableCash: '0', leverage: '1' } }), reason: null },
  { name: 'unknown vault', check: () => new CreditCheck(), order: order(), snapshot: snap({ credit: null }), reason: 'NO_CREDIT' },
];

describe('risk checks, each alone', () => {
  it.each(cases)('$name → $reason', ({ check, order: o, snapshot, reason }) => {
    const c = check();
    const verdict = c.check(o, snapshot);
    if (reason === null) {
      expect(verdict).toEqual({ ok: true });
    } else {
      expect(verdict).toMatchObject({ ok: false, reason, check: c.name });
      expect((verdict as { message: string }).message.length).toBeGreaterThan(0);
    }
  });

  it('every check of the standard set can deny', () => {
    const reasons = new Set(cases.filter((c) => c.reason !== null).map((c) => c.check().name.split('(')[0]));
    const standard = standardRiskChecks({
      maxOrderNotional: { default: '1' },
      maxDailyNotionalPerVault: { default: '1' },
      maxDailyNotionalGlobal: '1',
      priceCollarPct: '1',
      maxPriceAgeMs: 1,
      ordersPerSecond: 1,
      orderBurst: 1,
      duplicateWindowMs: 1,
    });
    for (const c of standard.checks) {
      const base = c.name.split('(')[0] as string;
      if (base !== 'OrderRate') expect(reasons).toContain(base);
    }
  });
});

describe('OrderRateCheck', () => {
  it('allows a burst, then one order per 1/rate seconds, on the snapshot clock', () => {
    const check = new OrderRateCheck(2, 3);
    const at = (ms: number) => check.check(order(), snap({ now: NOW + ms })).ok;
    expect([at(0), at(0), at(0), at(0)]).toEqual([true, true, true, false]);
    expect(at(499)).toBe(false);
    expect(at(500)).toBe(true);
    expect(at(500)).toBe(false);
    expect(check.check(order(), snap({ now: NOW + 500 }))).toMatchObject({ reason: 'ORDER_RATE' });
    expect([at(10_000), at(10_000), at(10_000), at(10_000)]).toEqual([true, true, true, false]);
  });

  it('limits each vault on its own without spending the global budget', () => {
    const check = new OrderRateCheck(100, 100, { perSecond: 1, burst: 1 });
    expect(check.check(order(), snap()).ok).toBe(true);
    expect(check.check(order(), snap())).toMatchObject({ ok: false, reason: 'ORDER_RATE' });
    expect(check.check(order({ vaultId: 'v2' }), snap()).ok).toBe(true);
  });

  it('rejects a bucket that could never pass', () => {
    expect(() => new OrderRateCheck(0, 1)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

describe('CompositeRiskCheck', () => {
  it('returns the first denial, in order, and spends no rate token on an order denied before it', () => {
    const rate = new OrderRateCheck(1, 1);
    const composite = new CompositeRiskCheck([new ValidOrderCheck(), new KillSwitchCheck(), rate]);
    const halted = snap({ killSwitches: [{ key: 'global', scope: { kind: 'global' }, engaged: true, actor: 'a', reason: 'r', changedAt: NOW }] });
    expect(composite.check(order({ quantity: '-1' }), halted)).toMatchObject({ reason: 'INVALID_ORDER' });
    expect(composite.check(order(), halted)).toMatchObject({ reason: 'KILL_SWITCH', check: 'KillSwitch' });
    expect(composite.check(order(), snap())).toEqual({ ok: true });
    expect(composite.check(order(), snap())).toMatchObject({ reason: 'ORDER_RATE' });
    expect(composite.lookbackMs).toBe(0);
    expect(new CompositeRiskCheck([new DuplicateCheck(5000), new VaultDailyNotionalCheck({ default: '1' })]).lookbackMs).toBe(86_400_000);
  });

  it('the null check lets everything through', () => {
    expect(new NullRiskCheck().check()).toEqual({ ok: true });
  });

  it('refuses limits that are not positive decimals', () => {
    expect(() => new MaxOrderNotionalCheck({ default: '-1' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => new GlobalDailyNotionalCheck('1e6')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => new PriceCollarCheck('0', 1)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
