import { describe, expect, it } from 'vitest';
import { BarFeed } from './bar-feed.js';
import { bar, harness, intent } from './testing/fixtures.js';

describe('BarFeed', () => {
  it('updates the last trade, fills resting paper orders and syncs them into the store', async () => {
    const h = harness();
    const feed = new BarFeed({ prices: h.prices, executor: h.executor, paper: h.paper });
    expect(await feed.onBar('AAPL', bar(100.25), h.clock.now())).toBeNull();
    expect(h.prices.lastTrade('AAPL')).toEqual({ price: '100.25', ts: h.clock.now() });
    await h.submit(intent());
    h.clock.advance(60_000);
    const report = await feed.onBar('AAPL', bar(101), h.clock.now());
    expect(report?.fillsApplied).toBe(1);
    expect((await h.orders.list())[0]?.status).toBe('FILLED');
    expect(h.sink.fills).toHaveLength(1);
  });
});
