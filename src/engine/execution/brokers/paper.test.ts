import { describe, expect, it } from 'vitest';
import { TestClock } from '../../clock.js';
import { Random } from '../../random.js';
import type { BrokerOrderRequest } from '../broker.js';
import { bar, T0 } from '../testing/fixtures.js';
import { brokerContract } from './broker.contract.js';
import { PaperBroker, type PaperBrokerOptions } from './paper.js';

const exact: Partial<PaperBrokerOptions> = { spreadBps: 2, slippageBps: 1, randomSlippageBps: 0, impactBps: 10, feeBps: 1, minFee: '0', participation: 1 };

function paper(over: Partial<PaperBrokerOptions> = {}) {
  const clock = new TestClock(T0);
  return { clock, broker: new PaperBroker({ clock, random: new Random(1), ...exact, ...over }) };
}

const req = (n: number, over: Partial<BrokerOrderRequest> = {}): BrokerOrderRequest => ({
  clientOrderId: `c${n}`,
  instrument: 'AAPL',
  side: 'BUY',
  type: 'MARKET',
  quantity: '10',
  limitPrice: null,
  timeInForce: 'GTC',
  ...over,
});

describe('PaperBroker', () => {
  brokerContract('paper', async () => {
    const { clock, broker } = paper();
    return {
      broker,
      instrument: 'AAPL',
      quantity: '10',
      restingLimit: '1',
      clientOrderId: (n) => `contract-${n}`,
      fill: async () => {
        clock.advance(60_000);
        broker.onBar('AAPL', bar(100), clock.now());
      },
    };
  });

  it('fills a resting market buy at the open plus half the spread, slippage and impact, rounded up', async () => {
    const { clock, broker } = paper();
    await broker.submit(req(1));
    clock.advance(60_000);
    const [fill] = broker.onBar('AAPL', bar(100, { open: 100, close: 102 }), clock.now());
    // 1 + 1 + 10 × 10/1e6 = 2.0001 bps on 100 → 100.020001 → 100.0201
    expect(fill).toMatchObject({ quantity: '10', price: '100.0201', fee: '0.11', ts: clock.now(), brokerFillId: expect.stringMatching(/-1$/) });
    expect(await broker.getOrder('c1')).toMatchObject({ status: 'filled', filledQuantity: '10', avgFillPrice: '100.0201' });
  });

  it('fills a market sell below the reference, rounded down', async () => {
    const { clock, broker } = paper({ positions: [{ instrument: 'AAPL', quantity: '10', avgPrice: '90' }] });
    await broker.submit(req(1, { side: 'SELL' }));
    clock.advance(60_000);
    const [fill] = broker.onBar('AAPL', bar(100), clock.now());
    expect(fill?.price).toBe('99.9799'); // 99.979999 rounded against the seller
    expect(await broker.positions()).toEqual([]);
  });

  it('meets the close when the order arrived during the bar, and waits out the latency', async () => {
    const { clock, broker } = paper({ latencyMs: 30_000, spreadBps: 0, slippageBps: 0, impactBps: 0 });
    clock.advance(10_000);
    await broker.submit(req(1)); // reaches the book at T0 + 40 s
    expect(broker.onBar('AAPL', bar(100, { open: 99, close: 101 }), T0 + 30_000)).toEqual([]);
    const [fill] = broker.onBar('AAPL', bar(100, { open: 99, close: 101 }), T0 + 60_000);
    expect(fill?.price).toBe('101');
  });

  it('takes at most its share of each bar’s volume, filling the rest on later bars', async () => {
    const { clock, broker } = paper({ participation: 0.1, spreadBps: 0, slippageBps: 0, impactBps: 0 });
    await broker.submit(req(1, { quantity: '250' }));
    const sizes: string[] = [];
    const prices = [100, 101, 102];
    for (const p of prices) {
      clock.advance(60_000);
      for (const f of broker.onBar('AAPL', bar(p, { volume: 1000 }), clock.now())) sizes.push(f.quantity);
      if (sizes.length === 1) expect((await broker.getOrder('c1'))?.status).toBe('partially_filled');
    }
    expect(sizes).toEqual(['100', '100', '50']);
    // (100·100 + 100·101 + 50·102) / 250 = 100.8
    expect(await broker.getOrder('c1')).toMatchObject({ status: 'filled', filledQuantity: '250', avgFillPrice: '100.8' });
    expect(await broker.fills(T0 + 120_000)).toHaveLength(2);
    expect(broker.onBar('AAPL', bar(100, { volume: 0 }), clock.now() + 60_000)).toEqual([]);
  });

  it.each([
    { name: 'buy limit not touched', side: 'BUY', limit: '98', b: { open: 100, low: 99, high: 101, close: 100 }, price: null },
    { name: 'buy limit touched by the low', side: 'BUY', limit: '99.5', b: { open: 100, low: 99, high: 101, close: 100 }, price: '99.5' },
    { name: 'buy limit gapped through at the open', side: 'BUY', limit: '99.5', b: { open: 98, low: 97, high: 99, close: 98 }, price: '98' },
    { name: 'sell limit not touched', side: 'SELL', limit: '102', b: { open: 100, low: 99, high: 101, close: 100 }, price: null },
    { name: 'sell limit touched by the high', side: 'SELL', limit: '100.5', b: { open: 100, low: 99, high: 101, close: 100 }, price: '100.5' },
    { name: 'sell limit gapped through at the open', side: 'SELL', limit: '100.5', b: { open: 103, low: 102, high: 104, close: 103 }, price: '103' },
  ] as const)('$name', async ({ side, limit, b, price }) => {
    const { clock, broker } = paper();
    await broker.submit(req(1, { side, type: 'LIMIT', limitPrice: limit }));
    clock.advance(60_000);
    const fills = broker.onBar('AAPL', bar(100, b), clock.now());
    expect(fills.map((f) => f.price)).toEqual(price === null ? [] : [price]);
  });

  it('charges fee bps with a minimum, rounded up to cents', async () => {
    const { clock, broker } = paper({ feeBps: 5, minFee: '1', spreadBps: 0, slippageBps: 0, impactBps: 0 });
    await broker.submit(req(1, { quantity: '1' }));
    await broker.submit(req(2, { quantity: '1000' }));
    clock.advance(60_000);
    const fills = broker.onBar('AAPL', bar(100.01), clock.now());
    expect(fills.map((f) => f.fee)).toEqual(['1', '50.01']); // 0.05 → minimum 1; 100010 × 5 bps = 50.005 → 50.01
  });

  it('keeps signed positions with a weighted average, and flips at the fill price', async () => {
    const { clock, broker } = paper({ spreadBps: 0, slippageBps: 0, impactBps: 0 });
    const step = async (n: number, side: 'BUY' | 'SELL', quantity: string, price: number) => {
      await broker.submit(req(n, { side, quantity }));
      clock.advance(60_000);
      broker.onBar('AAPL', bar(price), clock.now());
      return (await broker.positions())[0];
    };
    expect(await step(1, 'BUY', '10', 100)).toEqual({ instrument: 'AAPL', quantity: '10', avgPrice: '100' });
    expect(await step(2, 'BUY', '10', 110)).toEqual({ instrument: 'AAPL', quantity: '20', avgPrice: '105' });
    expect(await step(3, 'SELL', '5', 120)).toEqual({ instrument: 'AAPL', quantity: '15', avgPrice: '105' });
    expect(await step(4, 'SELL', '20', 90)).toEqual({ instrument: 'AAPL', quantity: '-5', avgPrice: '90' });
  });

  it('cancels what an IOC order could not fill, and expires a DAY order on a later day', async () => {
    const { clock, broker } = paper({ participation: 0.1 });
    await broker.submit(req(1, { quantity: '150', timeInForce: 'IOC' }));
    await broker.submit(req(2, { type: 'LIMIT', limitPrice: '50', timeInForce: 'DAY' }));
    clock.advance(60_000);
    broker.onBar('AAPL', bar(100, { volume: 1000 }), clock.now());
    expect(await broker.getOrder('c1')).toMatchObject({ status: 'canceled', filledQuantity: '100', reason: 'IOC remainder' });
    expect((await broker.getOrder('c2'))?.status).toBe('accepted');
    broker.onBar('AAPL', bar(100), T0 + 86_400_000 + 60_000);
    expect((await broker.getOrder('c2'))?.status).toBe('expired');
    expect(await broker.openOrders()).toEqual([]);
  });

  it('is deterministic for a seed, and the seed moves the random slippage', async () => {
    const run = async (seed: number) => {
      const clock = new TestClock(T0);
      const broker = new PaperBroker({ clock, random: new Random(seed), randomSlippageBps: 5 });
      for (let i = 0; i < 5; i++) await broker.submit(req(i, { quantity: String(10 + i) }));
      clock.advance(60_000);
      return broker.onBar('AAPL', bar(100), clock.now()).map((f) => f.price);
    };
    expect(await run(3)).toEqual(await run(3));
    expect(await run(3)).not.toEqual(await run(4));
  });

  it('refuses malformed orders and cancels of final ones; a closed broker is unavailable', async () => {
    const { clock, broker } = paper({ quantityDecimals: 0 });
    await expect(broker.submit(req(1, { quantity: '1.5' }))).rejects.toMatchObject({ code: 'BROKER_REJECTED' });
    await expect(broker.submit(req(2, { type: 'LIMIT', limitPrice: null }))).rejects.toMatchObject({ code: 'BROKER_REJECTED' });
    await expect(broker.submit(req(3, { quantity: '0' }))).rejects.toMatchObject({ code: 'BROKER_REJECTED' });
    await broker.submit(req(4));
    clock.advance(60_000);
    broker.onBar('AAPL', bar(100), clock.now());
    await expect(broker.cancel('c4')).rejects.toMatchObject({ code: 'BROKER_REJECTED' });
    await expect(broker.cancel('nope')).rejects.toMatchObject({ code: 'BROKER_NOT_FOUND' });
    await broker.close();
    await expect(broker.getOrder('c4')).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
  });

  it('rejects a participation outside (0, 1]', () => {
    expect(() => paper({ participation: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
