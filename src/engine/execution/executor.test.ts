import { describe, expect, it } from 'vitest';
import type { OrderIntent } from './broker.js';
import type { OrderDenied, OrderFilled } from './events.js';
import { draftOrder } from './order.js';
import { MemoryAutotradeQueue } from './queue.js';
import { bar, harness, intent, LOOSE_RISK, T0, type Harness, type HarnessOptions } from './testing/fixtures.js';

const priced = (h: Harness, price = 100, ts = h.clock.now()) => h.prices.update('AAPL', String(price), ts);

/** Feeds one minute bar and polls the venue, as the pipeline does. */
async function minute(h: Harness, price = 100, over: Parameters<typeof bar>[1] = {}) {
  h.clock.advance(60_000);
  h.feed('AAPL', bar(price, over));
  return h.executor.syncVenue('paper');
}

describe('Executor', () => {
  it('takes an intent from the queue, checks it, submits it and applies the fill', async () => {
    const h = harness();
    priced(h);
    const [outcome] = await h.submit(intent(), ['cv_1', 'alloc_1']);
    expect(outcome).toMatchObject({ kind: 'placed', order: { status: 'ACCEPTED', referencePrice: '100', brokerOrderId: expect.any(String) } });
    expect(h.types()).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderAccepted']);
    expect((await h.queue.list())[0]).toMatchObject({ state: 'done', outcome: 'submitted' });

    await minute(h);
    const order = await h.orders.get(outcome!.order!.clientOrderId);
    expect(order).toMatchObject({ status: 'FILLED', filledQuantity: '10', avgFillPrice: expect.any(String) });
    expect(h.types()).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    const fill = h.events[3] as OrderFilled;
    expect(fill.payload).toMatchObject({ vaultId: 'v1', instrument: 'AAPL', side: 'BUY', quantity: '10', leavesQuantity: '0', filledQuantity: '10', convictionId: 'cv_1', feeCurrency: 'USD' });
    expect(fill.tsEvent).toBe(h.clock.now());
    expect(h.sink.fills.map((f) => f.id)).toEqual([fill.id]);

    // Lineage: the first event names the conviction and the allocation; each next one its predecessor.
    expect(h.events[0]?.causationIds).toEqual(['cv_1', 'alloc_1']);
    for (let i = 1; i < h.events.length; i++) expect(h.events[i]?.causationIds).toEqual([h.events[i - 1]?.id]);
    expect((await h.orders.events(order!.clientOrderId)).map((e) => e.id)).toEqual(h.events.map((e) => e.id));
  });

  it('applies a fill seen twice once', async () => {
    const h = harness();
    priced(h);
    await h.submit(intent());
    await minute(h);
    await h.executor.syncVenue('paper');
    const fills = await h.paper.fills(0);
    expect(await h.executor.sync.applyFills(fills)).toEqual({ applied: 0, unknown: [] });
    expect(h.types().filter((t) => t === 'OrderFilled')).toHaveLength(1);
    expect(h.sink.fills).toHaveLength(1);
    expect(await h.orders.fills()).toHaveLength(1);
  });

  it('walks partial fills to FILLED across bars', async () => {
    const h = harness({ paperOptions: { participation: 0.1 } });
    priced(h);
    await h.submit(intent({ quantity: '250' }));
    const states: string[] = [];
    for (let i = 0; i < 3; i++) {
      await minute(h, 100, { volume: 1000 });
      states.push((await h.orders.list())[0]!.status);
    }
    expect(states).toEqual(['PARTIALLY_FILLED', 'PARTIALLY_FILLED', 'FILLED']);
    expect((h.events.filter((e) => e.type === 'OrderFilled') as OrderFilled[]).map((e) => e.payload.leavesQuantity)).toEqual(['150', '50', '0']);
  });

  it('records a broker rejection as OrderRejected with the broker code', async () => {
    const h = harness({ paperOptions: { quantityDecimals: 0 } });
    priced(h);
    const [outcome] = await h.submit(intent({ quantity: '1.5' }));
    expect(outcome).toMatchObject({ kind: 'rejected', order: { status: 'REJECTED' } });
    expect(h.events.at(-1)).toMatchObject({ type: 'OrderRejected', payload: { code: 'BROKER_REJECTED' } });
    expect((await h.queue.list())[0]?.outcome).toBe('rejected');
  });

  it('cancels a resting order through PENDING_CANCEL', async () => {
    const h = harness();
    priced(h);
    const [outcome] = await h.submit(intent({ type: 'LIMIT', limitPrice: '95' }));
    const canceled = await h.executor.cancel(outcome!.order!.clientOrderId, 'admin', 'changed my mind');
    expect(canceled.status).toBe('CANCELED');
    expect(h.types().slice(-2)).toEqual(['OrderCancelRequested', 'OrderCanceled']);
    expect(h.events.at(-2)).toMatchObject({ payload: { actor: 'admin', reason: 'changed my mind' } });
    expect(await h.paper.openOrders()).toEqual([]);
    // Cancelling a final order changes nothing.
    expect((await h.executor.cancel(canceled.clientOrderId, 'admin', 'again')).version).toBe(canceled.version);
  });

  it('denies an intent whose client order id is already an order, leaving that order alone', async () => {
    const h = harness();
    priced(h);
    const [first] = await h.submit(intent());
    const other = new MemoryAutotradeQueue();
    const entry = await other.enqueue(intent(), { causationIds: ['cv_1'], now: h.clock.now() });
    const [taken] = await other.take({ limit: 1, now: h.clock.now(), leaseMs: 1000 });
    const outcome = await harness({ shared: { ...h, queue: other }, paper: h.paper }).executor.process(taken!);
    expect(outcome).toMatchObject({ kind: 'denied', order: null, event: { payload: { reason: 'DUPLICATE_CLIENT_ORDER_ID', clientOrderId: entry.id } } });
    expect(await h.orders.get(entry.id)).toEqual(await h.orders.get(first!.order!.clientOrderId));
    expect(await h.paper.openOrders()).toHaveLength(1);
  });

  it('gives byte-identical events for the same inputs', async () => {
    const run = async () => {
      const h = harness();
      priced(h);
      await h.submit(intent({ convictionId: 'a' }));
      await h.submit(intent({ convictionId: 'b', side: 'SELL', quantity: '3' }));
      await minute(h, 101);
      await minute(h, 102);
      return JSON.stringify(h.events);
    };
    expect(await run()).toBe(await run());
  });
});

/** One setup per risk check: what to change so that the standard set denies with that reason. */
const denials: readonly { reason: OrderDenied['payload']['reason']; options?: HarnessOptions; setup?: (h: Harness) => Promise<void> | void; intent?: Partial<OrderIntent> }[] = [
  { reason: 'INVALID_ORDER', intent: { quantity: '-1' } },
  { reason: 'KILL_SWITCH', setup: (h) => h.killSwitches.engage({ kind: 'global' }, 'admin', 'halt').then(() => undefined) },
  { reason: 'NOT_TRADABLE', intent: { venue: 'nowhere' } },
  {
    reason: 'DUPLICATE_ORDER',
    options: { risk: { ...LOOSE_RISK, duplicateWindowMs: 60_000 } },
    setup: async (h) => {
      await h.submit(intent({ convictionId: 'earlier' }));
    },
  },
  { reason: 'NO_REFERENCE_PRICE', intent: { instrument: 'MSFT' } },
  { reason: 'STALE_REFERENCE_PRICE', setup: (h) => h.clock.advance(LOOSE_RISK.maxPriceAgeMs + 1) },
  { reason: 'PRICE_COLLAR', intent: { type: 'LIMIT', limitPrice: '111' } },
  { reason: 'MAX_ORDER_NOTIONAL', options: { risk: { ...LOOSE_RISK, maxOrderNotional: { default: '999' } } } },
  { reason: 'MAX_DAILY_NOTIONAL_VAULT', options: { risk: { ...LOOSE_RISK, maxDailyNotionalPerVault: { default: '1500' } } }, setup: async (h) => void (await h.submit(intent({ convictionId: 'x' }))) },
  { reason: 'MAX_DAILY_NOTIONAL_GLOBAL', options: { risk: { ...LOOSE_RISK, maxDailyNotionalGlobal: '1500' } }, setup: async (h) => void (await h.submit(intent({ convictionId: 'x', vaultId: 'v2' }))) },
  { reason: 'NO_CREDIT', intent: { vaultId: 'ghost' } },
  { reason: 'CREDIT_LIMIT', setup: (h) => void h.credit.set('v1', '999.99') },
  { reason: 'ORDER_RATE', options: { risk: { ...LOOSE_RISK, ordersPerSecond: 1, orderBurst: 1 } }, setup: async (h) => void (await h.submit(intent({ convictionId: 'x', quantity: '1' }))) },
];

describe('Executor denials', () => {
  it.each(denials)('denies with $reason, as an event, and sends nothing', async ({ reason, options, setup, intent: over }) => {
    const h = harness(options);
    h.prices.update('AAPL', '100', h.clock.now());
    await setup?.(h);
    const before = (await h.paper.openOrders()).length;
    const [outcome] = await h.submit(intent(over));
    expect(outcome?.kind).toBe('denied');
    const denied = h.events.at(-1) as OrderDenied;
    expect(denied).toMatchObject({ type: 'OrderDenied', payload: { reason, check: expect.any(String), message: expect.any(String) } });
    expect(outcome?.order).toMatchObject({ status: 'DENIED', statusReason: expect.stringContaining(reason) });
    expect(await h.paper.openOrders()).toHaveLength(before);
    expect((await h.queue.get(denied.payload.clientOrderId))?.outcome).toBe('denied');
  });

  it('lists a case for every deny reason but the duplicate id (covered above)', async () => {
    const { DENY_REASONS } = await import('./events.js');
    expect(new Set([...denials.map((d) => d.reason), 'DUPLICATE_CLIENT_ORDER_ID'])).toEqual(new Set(DENY_REASONS));
  });

  it('an order that never passed risk before a crash is checked when resumed', async () => {
    const h = harness();
    h.prices.update('AAPL', '100', T0);
    await h.queue.enqueue(intent(), { causationIds: ['cv_1'], now: T0 });
    await h.queue.take({ limit: 1, now: T0, leaseMs: 1000 });
    await h.executor.journal.create(draftOrder(intent(), { referencePrice: '100', causationIds: ['cv_1'], now: T0 }));
    h.clock.advance(1000);
    const [outcome] = await harness({ shared: h, paper: h.paper, clock: h.clock }).executor.runOnce();
    expect(outcome).toMatchObject({ kind: 'resumed', order: { status: 'ACCEPTED' } });
    expect(await h.paper.openOrders()).toHaveLength(1);
  });
});
