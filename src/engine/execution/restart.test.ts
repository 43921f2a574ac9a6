/**
 * A restart mid-order: the executor dies between handing an order to the venue and recording the answer. A new
 * executor over the same storage and the same paper broker state reconciles, resumes, and ends with the same
 * positions, fills and order states as a run without the crash.
 */
import { describe, expect, it } from 'vitest';
import { TestClock } from '../clock.js';
import { Random } from '../random.js';
import { FaultyBroker } from './brokers/faulty.js';
import { PaperBroker } from './brokers/paper.js';
import type { ReconciliationReported } from './events.js';
import { bar, harness, intent, T0, type Harness } from './testing/fixtures.js';

type Crash = 'none' | 'after the venue accepted' | 'before the venue saw it';

async function bars(h: Harness, n: number) {
  for (let i = 0; i < n; i++) {
    h.clock.advance(60_000);
    h.feed('AAPL', bar(100 + i, { volume: 1000 }));
    await h.executor.syncVenue('paper');
  }
}

async function run(crash: Crash) {
  const clock = new TestClock(T0);
  const paper = new PaperBroker({ clock, random: new Random(11), participation: 0.1, randomSlippageBps: 3 });
  let faulty!: FaultyBroker;
  const first = harness({ clock, paper, wrap: (p) => (faulty = new FaultyBroker(p)), executor: { leaseMs: 30_000 } });
  first.prices.update('AAPL', '100', T0);

  // An order that trades over several bars, so a position is open when the crash comes.
  await first.submit(intent({ convictionId: 'a', quantity: '150' }));
  await bars(first, 1);

  await first.queue.enqueue(intent({ convictionId: 'b', side: 'SELL', quantity: '40' }), { causationIds: ['b'], now: clock.now() });
  let second = first;
  let report: readonly ReconciliationReported[] = [];
  let atCrash: readonly string[] = [];
  if (crash === 'none') {
    await first.executor.runOnce();
    clock.advance(31_000);
  } else {
    faulty.inject('submit', { kind: 'hang', forward: crash === 'after the venue accepted' });
    void first.executor.runOnce(); // never returns: the process is gone
    await new Promise((resolve) => setTimeout(resolve, 5));
    clock.advance(31_000); // the dead executor's lease runs out
    atCrash = (await first.orders.list()).map((o) => o.status);
    second = harness({ clock, paper, shared: first, executor: { leaseMs: 30_000 } });
    report = await second.reconciler.reconcileAll();
    await second.executor.runOnce(); // takes the intent again: resumes, places nothing new
  }
  await bars(second, 3);

  const orders = await second.orders.list();
  return {
    atCrash,
    report,
    second,
    positions: await paper.positions(),
    venueOrders: (await Promise.all(orders.map((o) => paper.getOrder(o.clientOrderId)))).map((o) => o && { status: o.status, filled: o.filledQuantity }),
    fills: (await second.orders.fills()).map((f) => ({ id: f.clientOrderId, q: f.quantity, p: f.price, fee: f.fee, ts: f.ts })),
    states: orders.map((o) => ({ id: o.clientOrderId, status: o.status, filled: o.filledQuantity, avg: o.avgFillPrice })),
    ledger: second.sink.fills.map((f) => f.id),
    venueFills: (await paper.fills(0)).length,
  };
}

describe('restart mid-order', () => {
  it.each(['after the venue accepted', 'before the venue saw it'] as const)(
    'a crash %s ends like the run without it',
    async (crash) => {
      const clean = await run('none');
      const crashed = await run(crash);
      expect(crashed.atCrash).toEqual(['PARTIALLY_FILLED', 'SUBMITTED']);
      expect(clean.positions).toEqual([{ instrument: 'AAPL', quantity: '110', avgPrice: expect.any(String) }]);
      expect(crashed.positions).toEqual(clean.positions);
      expect(crashed.fills).toEqual(clean.fills);
      expect(crashed.states).toEqual(clean.states);
      expect(crashed.venueOrders).toEqual(clean.venueOrders);
      expect(crashed.ledger).toEqual(clean.ledger);
      expect(crashed.venueFills).toBe(clean.venueFills);
      expect(crashed.states).toHaveLength(2);

      const [paperReport] = crashed.report;
      expect(paperReport?.payload.venue).toBe('paper');
      const kinds = paperReport?.payload.differences.map((d) => d.kind) ?? [];
      if (crash === 'before the venue saw it') expect(kinds).toContain('RESUBMITTED');
      else expect(paperReport?.payload.ordersUpdated).toBeGreaterThanOrEqual(1);
      expect(kinds).not.toContain('POSITION_MISMATCH');
      expect(crashed.second.events.some((e) => e.type === 'ReconciliationReported')).toBe(true);
    },
  );
});
