import { describe, expect, it } from 'vitest';
import { TestClock } from '../clock.js';
import { Random } from '../random.js';
import type { Broker, BrokerOrder } from './broker.js';
import { FaultyBroker } from './brokers/faulty.js';
import { PaperBroker } from './brokers/paper.js';
import type { ReconciliationReported } from './events.js';
import { bar, harness, intent, T0, type Harness } from './testing/fixtures.js';

/** A venue whose order reports are changed on the way out: for differences a paper broker never makes. */
class Lying extends FaultyBroker {
  constructor(
    inner: Broker,
    private readonly lie: (o: BrokerOrder) => BrokerOrder,
  ) {
    super(inner);
  }
  override async getOrder(id: string) {
    const o = await super.getOrder(id);
    return o && this.lie(o);
  }
  override async openOrders() {
    return (await super.openOrders()).map(this.lie);
  }
}

/** A first run that placed orders and stopped; the venue went on trading. */
async function placed(h: Harness, ...intents: Parameters<typeof intent>[0][]) {
  h.prices.update('AAPL', '100', h.clock.now());
  for (const i of intents) await h.submit(intent(i));
}

const restart = (h: Harness, wrap?: (p: PaperBroker) => Broker) => harness({ clock: h.clock, paper: h.paper, shared: h, wrap });
const kinds = (r: ReconciliationReported | undefined) => r?.payload.differences.map((d) => d.kind);

describe('Reconciler', () => {
  it('applies an order filled while we were down, and reports it', async () => {
    const h = harness();
    await placed(h, { convictionId: 'a' });
    h.clock.advance(60_000);
    h.paper.onBar('AAPL', bar(100), h.clock.now()); // fills at the venue; nobody is listening

    const after = restart(h);
    const [report] = await after.reconciler.reconcileAll();
    expect(report).toMatchObject({ type: 'ReconciliationReported', payload: { venue: 'paper', ordersChecked: 1, ordersUpdated: 1, fillsApplied: 1 } });
    expect(kinds(report)).toEqual(['UPDATED_FROM_BROKER']);
    expect(report?.payload.differences[0]).toMatchObject({ store: 'ACCEPTED 0', broker: 'filled 10', detail: 'now FILLED, filled 10' });
    expect((await h.orders.list())[0]?.status).toBe('FILLED');
    expect(h.sink.fills).toHaveLength(1);
    // A second pass finds nothing more.
    expect(kinds(await after.reconciler.reconcile('paper'))).toEqual([]);
  });

  it('applies a cancel made at the venue while we were down', async () => {
    const h = harness();
    await placed(h, { type: 'LIMIT', limitPrice: '95' });
    await h.paper.cancel((await h.orders.list())[0]!.clientOrderId);
    const [report] = await restart(h).reconciler.reconcileAll();
    expect(kinds(report)).toEqual(['UPDATED_FROM_BROKER']);
    expect((await h.orders.list())[0]?.status).toBe('CANCELED');
  });

  it('reports an order and a fill the store does not know, and the position they leave', async () => {
    const h = harness();
    await h.paper.submit({ clientOrderId: 'manual-1', instrument: 'AAPL', side: 'BUY', type: 'MARKET', quantity: '5', limitPrice: null, timeInForce: 'GTC' });
    await h.paper.submit({ clientOrderId: 'manual-2', instrument: 'MSFT', side: 'BUY', type: 'LIMIT', quantity: '1', limitPrice: '1', timeInForce: 'GTC' });
    h.clock.advance(60_000);
    h.paper.onBar('AAPL', bar(100), h.clock.now());
    const [report] = await h.reconciler.reconcileAll();
    expect(kinds(report)).toEqual(['UNKNOWN_AT_BROKER', 'UNKNOWN_FILL', 'POSITION_MISMATCH']);
    expect(report?.payload.differences[0]).toMatchObject({ clientOrderId: 'manual-2', instrument: 'MSFT' });
    expect(report?.payload.differences[2]).toMatchObject({ instrument: 'AAPL', store: '0', broker: '5' });
  });

  it('reports an open order the venue has never heard of', async () => {
    const h = harness();
    await placed(h, { type: 'LIMIT', limitPrice: '95' });
    // The venue lost its book (a new paper broker with the same name).
    const clock = h.clock;
    const amnesiac = new PaperBroker({ clock, random: new Random(1) });
    const after = harness({ clock, paper: amnesiac, shared: h });
    const [report] = await after.reconciler.reconcileAll();
    expect(kinds(report)).toEqual(['MISSING_AT_BROKER']);
    expect(report?.payload.differences[0]).toMatchObject({ store: 'ACCEPTED' });
  });

  it('hands an order submitted before a crash to the venue again, or rejects it when it is too old', async () => {
    for (const [waited, kind, status] of [
      [10_000, 'RESUBMITTED', 'ACCEPTED'],
      [120_000, 'MISSING_AT_BROKER', 'REJECTED'],
    ] as const) {
      const clock = new TestClock(T0);
      let faulty!: FaultyBroker;
      const h = harness({ clock, wrap: (p) => (faulty = new FaultyBroker(p)) });
      faulty.inject('submit', { kind: 'hang', forward: false });
      h.prices.update('AAPL', '100', clock.now());
      await h.queue.enqueue(intent(), { causationIds: [], now: clock.now() });
      void h.executor.runOnce();
      await new Promise((resolve) => setTimeout(resolve, 5));
      clock.advance(waited);
      const [report] = await restart(h).reconciler.reconcileAll();
      expect(kinds(report)).toEqual([kind]);
      expect((await h.orders.list())[0]?.status).toBe(status);
      expect(await h.paper.openOrders()).toHaveLength(status === 'ACCEPTED' ? 1 : 0);
    }
  });

  it('reports quantities the venue disagrees on', async () => {
    const h = harness();
    await placed(h, { type: 'LIMIT', limitPrice: '95' });
    const after = restart(h, (p) => new Lying(p, (o) => ({ ...o, quantity: '11', filledQuantity: '2', status: 'partially_filled' })));
    const [report] = await after.reconciler.reconcileAll();
    expect(kinds(report)).toEqual(['QUANTITY_MISMATCH', 'QUANTITY_MISMATCH']);
    expect(report?.payload.differences.map((d) => [d.store, d.broker])).toEqual([
      ['0', '2'],
      ['10', '11'],
    ]);
  });

  it('reports a status the state machine cannot reach from ours', async () => {
    const h = harness({ paperOptions: { participation: 0.1 } });
    await placed(h, { quantity: '150' });
    h.clock.advance(60_000);
    h.feed('AAPL', bar(100, { volume: 1000 }));
    await h.executor.syncVenue('paper');
    expect((await h.orders.list())[0]?.status).toBe('PARTIALLY_FILLED');
    const after = restart(h, (p) => new Lying(p, (o) => ({ ...o, status: 'rejected', reason: 'venue says no' })));
    const [report] = await after.reconciler.reconcileAll();
    expect(kinds(report)).toContain('STATUS_CONFLICT');
    expect((await h.orders.list())[0]?.status).toBe('PARTIALLY_FILLED');
  });

  it('with matching books reports nothing, and can skip comparing positions', async () => {
    const h = harness({ paperOptions: { positions: [{ instrument: 'TSLA', quantity: '3', avgPrice: '200' }] } });
    await placed(h, { convictionId: 'a' });
    expect(kinds((await h.reconciler.reconcileAll())[0])).toEqual(['POSITION_MISMATCH']);
    const { Reconciler } = await import('./reconcile.js');
    const quiet = new Reconciler({ executor: h.executor, orders: h.orders, brokers: h.brokers, clock: h.clock, publish: async () => {}, comparePositions: false });
    expect(kinds(await quiet.reconcile('paper'))).toEqual([]);
  });
});
