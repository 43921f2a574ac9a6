/**
 * The execution engine's ports on a PostgreSQL server (a fresh database per suite), and what only a server
 * adds: several processes, each with its own connection pool, working the same queue and the same orders.
 */
import { describe, expect, it } from 'vitest';
import { buildOrderEvent } from '../src/engine/execution/order-events.js';
import { draftOrder, type Order } from '../src/engine/execution/order.js';
import type { OrderInitialized } from '../src/engine/execution/events.js';
import type { FillRecord } from '../src/engine/execution/repository.js';
import { applyOrderEvent } from '../src/engine/execution/state-machine.js';
import { intent, T0 } from '../src/engine/execution/testing/fixtures.js';
import { executionStoreContract } from '../src/engine/store/execution.sql-contract.js';
import type { DrizzleStore } from '../src/engine/store/repositories.js';
import { freshPostgresStore, storesOnOneDatabase } from './postgres-store.js';
import { postgresAvailable } from './services.js';

const available = await postgresAvailable();

function created(convictionId: string): { order: Order; event: OrderInitialized } {
  const draft = draftOrder(intent({ convictionId }), { referencePrice: '100', causationIds: ['cv'], now: T0 });
  const event = buildOrderEvent(draft, { type: 'OrderInitialized', tsEvent: T0 }, T0) as OrderInitialized;
  return { order: applyOrderEvent(draft, event), event };
}

function fill(order: Order, id: string): FillRecord {
  return {
    venue: order.venue,
    brokerFillId: id,
    brokerOrderId: 'b',
    clientOrderId: order.clientOrderId,
    vaultId: order.vaultId,
    instrument: order.instrument,
    side: order.side,
    quantity: '1',
    price: '100',
    fee: '0',
    feeCurrency: null,
    ts: T0,
    eventId: `fill_${id}`,
  };
}

describe.skipIf(!available)('execution ports on PostgreSQL', () => {
  executionStoreContract('postgres', freshPostgresStore);

  describe('two processes on one database', () => {
    const stores = storesOnOneDatabase(2);

    it('never hands one queued intent to two executors taking at once', async () => {
      const [a, b] = stores as [DrizzleStore, DrizzleStore];
      const total = 300;
      for (let i = 0; i < total; i += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, j) =>
            a.autotradeQueue.enqueue(intent({ convictionId: `q${i + j}` }), { causationIds: [], now: T0 + i + j }),
          ),
        );
      }
      // Four executors per process, each taking small batches until the queue is empty; leases outlast the test.
      const handedOut: string[] = [];
      const executor = async (store: DrizzleStore) => {
        for (;;) {
          const batch = await store.autotradeQueue.take({ limit: 7, now: T0 + 10_000, leaseMs: 3_600_000 });
          if (batch.length === 0) return;
          handedOut.push(...batch.map((e) => e.id));
        }
      };
      await Promise.all([a, b, a, b, a, b, a, b].map(executor));
      expect(handedOut).toHaveLength(total);
      expect(new Set(handedOut).size).toBe(total);
      const taken = await b.autotradeQueue.list({ state: 'taken' });
      expect(taken).toHaveLength(total);
      expect(taken.every((e) => e.attempts === 1)).toBe(true);
    });

    it('lets one of two saves against the same version win, and keeps nothing of the other', async () => {
      const [a, b] = stores as [DrizzleStore, DrizzleStore];
      for (let round = 0; round < 10; round++) {
        const { order, event } = created(`race${round}`);
        await a.orders.create(order, event);
        const submitted = buildOrderEvent(order, { type: 'OrderSubmitted', tsEvent: T0 }, T0);
        const denied = buildOrderEvent(order, { type: 'OrderDenied', check: 'X', reason: 'KILL_SWITCH', message: 'm', tsEvent: T0 }, T0);
        const plans = [
          { store: a, e: submitted, fills: [] as FillRecord[] },
          { store: b, e: denied, fills: [fill(order, `r${round}`)] },
        ];
        const results = await Promise.allSettled(
          plans.map((p) =>
            p.store.orders.save({ order: applyOrderEvent(order, p.e), expectedVersion: order.version, events: [p.e], fills: p.fills }),
          ),
        );
        const won = results.findIndex((r) => r.status === 'fulfilled');
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const lost = results[1 - won] as PromiseRejectedResult;
        expect(lost.reason).toMatchObject({ code: 'ORDER_VERSION_CONFLICT' });
        const winner = plans[won]!;
        expect((await b.orders.events(order.clientOrderId)).map((e) => e.id)).toEqual([event.id, winner.e.id]);
        expect((await a.orders.get(order.clientOrderId))?.status).toBe(winner.e.type === 'OrderSubmitted' ? 'SUBMITTED' : 'DENIED');
        expect(await a.orders.hasFill('paper', `r${round}`)).toBe(winner.fills.length > 0);
      }
    });

    it('stores a venue fill claimed by two orders at once for one of them only', async () => {
      const [a, b] = stores as [DrizzleStore, DrizzleStore];
      for (let round = 0; round < 10; round++) {
        const x = created(`dupx${round}`);
        const y = created(`dupy${round}`);
        await a.orders.create(x.order, x.event);
        await a.orders.create(y.order, y.event);
        const sx = buildOrderEvent(x.order, { type: 'OrderSubmitted', tsEvent: T0 }, T0);
        const sy = buildOrderEvent(y.order, { type: 'OrderSubmitted', tsEvent: T0 }, T0);
        const shared = `shared${round}`;
        const results = await Promise.allSettled([
          a.orders.save({ order: applyOrderEvent(x.order, sx), expectedVersion: x.order.version, events: [sx], fills: [fill(x.order, shared)] }),
          b.orders.save({ order: applyOrderEvent(y.order, sy), expectedVersion: y.order.version, events: [sy], fills: [fill(y.order, shared)] }),
        ]);
        const won = results.findIndex((r) => r.status === 'fulfilled');
        expect(won).toBeGreaterThanOrEqual(0);
        expect((results[1 - won] as PromiseRejectedResult).reason).toMatchObject({ code: 'FILL_EXISTS' });
        const [winner, loser] = won === 0 ? [x, y] : [y, x];
        const stored = (await b.orders.fills({ since: T0 })).filter((f) => f.brokerFillId === shared);
        expect(stored.map((f) => f.clientOrderId)).toEqual([winner.order.clientOrderId]);
        expect(await a.orders.get(loser.order.clientOrderId)).toEqual(loser.order);
        expect(await a.orders.events(loser.order.clientOrderId)).toEqual([loser.event]);
      }
    });
  });
});
