/**
 * Faults at the broker: whatever the venue does to the answers, the end is exactly one order at the broker and
 * one in the store, and one fill's worth of position.
 */
import { describe, expect, it } from 'vitest';
import { FaultyBroker, type Fault } from './brokers/faulty.js';
import { bar, harness, intent } from './testing/fixtures.js';

const drop: Fault = { kind: 'drop' };
const drop5xx: Fault = { kind: 'drop', code: 'BROKER_UNAVAILABLE' };
const timeout: Fault = { kind: 'timeout' };
const unavailable: Fault = { kind: 'unavailable' };
const protocol: Fault = { kind: 'error', code: 'BROKER_PROTOCOL' };

const scenarios: readonly { name: string; submit: readonly Fault[]; getOrder?: readonly Fault[]; acceptedAfter: number }[] = [
  { name: 'the answer is dropped after the venue accepted the order', submit: [drop], acceptedAfter: 1 },
  { name: 'a 5xx after the venue accepted the order', submit: [drop5xx], acceptedAfter: 1 },
  { name: 'a timeout before the venue saw it', submit: [timeout], acceptedAfter: 2 },
  { name: 'a 5xx before the venue saw it', submit: [unavailable], acceptedAfter: 2 },
  { name: 'an unreadable answer is treated as unknown: looked up, then submitted', submit: [protocol], acceptedAfter: 2 },
  { name: 'three failures, then success', submit: [unavailable, timeout, unavailable], acceptedAfter: 4 },
  { name: 'dropped answer, and the look-up fails once too', submit: [drop], getOrder: [unavailable], acceptedAfter: 1 },
];

describe('broker faults end with exactly one order', () => {
  it.each(scenarios)('$name', async ({ submit, getOrder, acceptedAfter }) => {
    let faulty!: FaultyBroker;
    const h = harness({ wrap: (paper) => (faulty = new FaultyBroker(paper)) });
    faulty.inject('submit', ...submit);
    if (getOrder) faulty.inject('getOrder', ...getOrder);
    h.prices.update('AAPL', '100', h.clock.now());

    const [outcome] = await h.submit(intent());
    expect(outcome).toMatchObject({ kind: 'placed', order: { status: 'ACCEPTED' } });
    expect(faulty.calls('submit')).toBe(acceptedAfter);
    expect(await h.paper.openOrders()).toHaveLength(1);
    expect(await h.orders.list()).toHaveLength(1);
    expect(h.types().filter((t) => t === 'OrderSubmitted')).toHaveLength(1);

    h.clock.advance(60_000);
    h.feed('AAPL', bar(100));
    await h.executor.syncVenue('paper');
    expect(await h.paper.positions()).toEqual([expect.objectContaining({ instrument: 'AAPL', quantity: '10' })]);
    expect(await h.orders.fills()).toHaveLength(1);
    expect(h.sink.fills).toHaveLength(1);
  });

  it('after every attempt failed the order stays SUBMITTED, and the next sync settles it without a second order', async () => {
    let faulty!: FaultyBroker;
    const h = harness({ wrap: (paper) => (faulty = new FaultyBroker(paper)), executor: { retry: { attempts: 3, backoffMs: 1 } } });
    faulty.inject('submit', drop).inject('getOrder', timeout, timeout);
    h.prices.update('AAPL', '100', h.clock.now());
    const [outcome] = await h.submit(intent());
    expect(outcome).toMatchObject({ kind: 'unknown', order: { status: 'SUBMITTED' } });
    expect(await h.paper.openOrders()).toHaveLength(1);

    await h.executor.syncVenue('paper');
    expect((await h.orders.list())[0]?.status).toBe('ACCEPTED');
    expect(await h.paper.openOrders()).toHaveLength(1);
    expect(faulty.calls('submit')).toBe(1);
  });

  it('an order the venue never got, after every attempt failed, is submitted again by a later sync', async () => {
    let faulty!: FaultyBroker;
    const h = harness({ wrap: (paper) => (faulty = new FaultyBroker(paper)), executor: { retry: { attempts: 2, backoffMs: 1 } } });
    faulty.inject('submit', timeout).inject('getOrder', unavailable);
    h.prices.update('AAPL', '100', h.clock.now());
    expect((await h.submit(intent()))[0]).toMatchObject({ kind: 'unknown', order: { status: 'SUBMITTED' } });
    expect(await h.paper.openOrders()).toHaveLength(0);

    await h.executor.syncVenue('paper'); // within the grace period: the answer may still come
    expect((await h.orders.list())[0]?.status).toBe('SUBMITTED');
    h.clock.advance(5_000);
    await h.executor.syncVenue('paper');
    expect((await h.orders.list())[0]?.status).toBe('ACCEPTED');
    expect(await h.paper.openOrders()).toHaveLength(1);
  });

  it('a refusal is final: no retry, OrderRejected', async () => {
    let faulty!: FaultyBroker;
    const h = harness({ wrap: (paper) => (faulty = new FaultyBroker(paper)) });
    faulty.inject('submit', { kind: 'error', code: 'BROKER_REJECTED', message: 'insufficient buying power' });
    h.prices.update('AAPL', '100', h.clock.now());
    const [outcome] = await h.submit(intent());
    expect(outcome).toMatchObject({ kind: 'rejected', order: { status: 'REJECTED', statusReason: 'insufficient buying power' } });
    expect(faulty.calls('submit')).toBe(1);
    expect(await h.paper.openOrders()).toHaveLength(0);
  });

  it('waits between attempts with a doubling backoff', async () => {
    const waits: number[] = [];
    let faulty!: FaultyBroker;
    const h = harness({
      wrap: (paper) => (faulty = new FaultyBroker(paper)),
      executor: { retry: { attempts: 5, backoffMs: 100, maxBackoffMs: 300 }, sleep: async (ms) => void waits.push(ms) },
    });
    faulty.failTimes('submit', 4, unavailable);
    h.prices.update('AAPL', '100', h.clock.now());
    await h.submit(intent());
    expect(waits).toEqual([100, 200, 300, 300]);
    expect(await h.paper.openOrders()).toHaveLength(1);
  });
});
