/**
 * Reconciliation at start: for each venue, read its open orders, its fills since the newest fill we hold and
 * its positions; bring the store up to what the venue knows better (an order filled or cancelled while we
 * were down); carry orders left between submit and acknowledgement to the end (look up, submit again if
 * missing); and report every difference as one ReconciliationReported event per venue, for the audit log.
 */
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { ExecutionPublisher, ReconciliationDifference, ReconciliationReported } from './events.js';
import type { Executor } from './executor.js';
import { dec, text, ZERO, type Dec } from './money.js';
import type { OrderRepository } from './repository.js';
import type { BrokerRouter } from './router.js';

export interface ReconcilerOptions {
  readonly executor: Executor;
  readonly orders: OrderRepository;
  readonly brokers: BrokerRouter;
  readonly clock: Clock;
  readonly publish: ExecutionPublisher;
  /**
   * Compare the venue's positions with those the stored fills add up to. Meaningful only when the account
   * at the venue trades for Vanta alone; defaults to true.
   */
  readonly comparePositions?: boolean;
}

const diff = (d: Partial<ReconciliationDifference> & Pick<ReconciliationDifference, 'kind' | 'detail'>): ReconciliationDifference =>
  Object.freeze({ clientOrderId: null, instrument: null, store: null, broker: null, ...d });

export class Reconciler {
  constructor(private readonly o: ReconcilerOptions) {}

  async reconcileAll(): Promise<readonly ReconciliationReported[]> {
    const out: ReconciliationReported[] = [];
    for (const venue of this.o.brokers.venues()) out.push(await this.reconcile(venue));
    return out;
  }

  async reconcile(venue: string): Promise<ReconciliationReported> {
    const startedAt = this.o.clock.now();
    // The plain sync: orders missing at the venue are resumed below, where the difference is reported.
    const report = await this.o.executor.sync.syncVenue(venue);
    const differences: ReconciliationDifference[] = [];
    let updated = 0;

    for (const r of report.orders) {
      const id = r.before.clientOrderId;
      const base = { clientOrderId: id, instrument: r.before.instrument };
      if (r.broker === null) {
        const after = r.result.order;
        if (after.status === 'SUBMITTED' && after.brokerOrderId === null) {
          const resumed = await this.o.executor.resume(after);
          if (resumed.kind === 'resubmitted') {
            updated++;
            differences.push(diff({ ...base, kind: 'RESUBMITTED', store: after.status, broker: resumed.order.status, detail: 'submitted before a crash, not at the venue: handed over again' }));
            continue;
          }
          if (resumed.kind === 'synced') {
            updated++;
            continue;
          }
          if (resumed.kind === 'rejected') updated++;
          differences.push(diff({ ...base, kind: 'MISSING_AT_BROKER', store: after.status, detail: `not at the venue; ${resumed.kind}: now ${resumed.order.status}` }));
          continue;
        }
        differences.push(diff({ ...base, kind: 'MISSING_AT_BROKER', store: after.status, detail: 'open in the store, unknown to the venue' }));
        continue;
      }
      const after = r.result.order;
      if (after.status !== r.before.status || after.filledQuantity !== r.before.filledQuantity) {
        updated++;
        differences.push(
          diff({
            ...base,
            kind: 'UPDATED_FROM_BROKER',
            store: `${r.before.status} ${r.before.filledQuantity}`,
            broker: `${r.broker.status} ${r.broker.filledQuantity}`,
            detail: `now ${after.status}, filled ${after.filledQuantity}`,
          }),
        );
      }
      for (const s of r.result.skipped) {
        differences.push(diff({ ...base, kind: 'STATUS_CONFLICT', store: s.status, broker: r.broker.status, detail: `${s.draft.type} cannot apply to ${s.status}` }));
      }
      if (!dec(r.broker.filledQuantity).eq(dec(after.filledQuantity))) {
        differences.push(diff({ ...base, kind: 'QUANTITY_MISMATCH', store: after.filledQuantity, broker: r.broker.filledQuantity, detail: 'filled quantity differs' }));
      }
      if (!dec(r.broker.quantity).eq(dec(after.quantity))) {
        differences.push(diff({ ...base, kind: 'QUANTITY_MISMATCH', store: after.quantity, broker: r.broker.quantity, detail: 'ordered quantity differs' }));
      }
    }
    for (const b of report.unknownOrders) {
      differences.push(diff({ kind: 'UNKNOWN_AT_BROKER', clientOrderId: b.clientOrderId, instrument: b.instrument, broker: b.status, detail: `${b.side} ${b.quantity} open at the venue, not in the store` }));
    }
    for (const f of report.unknownFills) {
      differences.push(diff({ kind: 'UNKNOWN_FILL', clientOrderId: f.clientOrderId, instrument: f.instrument, broker: f.quantity, detail: `fill ${f.brokerFillId} for an order the store does not hold` }));
    }
    if (this.o.comparePositions ?? true) differences.push(...(await this.#positions(venue)));

    const event: ReconciliationReported = Object.freeze({
      id: eventId('recon', venue, startedAt),
      type: 'ReconciliationReported',
      tsEvent: startedAt,
      tsInit: this.o.clock.now(),
      causationIds: [],
      payload: Object.freeze({
        venue,
        startedAt,
        ordersChecked: report.orders.length,
        ordersUpdated: updated,
        fillsApplied: report.fillsApplied,
        differences: Object.freeze(differences),
      }),
    });
    await this.o.publish(event);
    return event;
  }

  async #positions(venue: string): Promise<ReconciliationDifference[]> {
    const [reported, fills] = await Promise.all([this.o.brokers.route(venue).positions(), this.o.orders.fills({ venue })]);
    const ours = new Map<string, Dec>();
    for (const f of fills) {
      const q = dec(f.quantity);
      ours.set(f.instrument, (ours.get(f.instrument) ?? ZERO).plus(f.side === 'BUY' ? q : q.neg()));
    }
    const theirs = new Map(reported.map((p) => [p.instrument, dec(p.quantity)]));
    const out: ReconciliationDifference[] = [];
    for (const instrument of [...new Set([...ours.keys(), ...theirs.keys()])].sort()) {
      const a = ours.get(instrument) ?? ZERO;
      const b = theirs.get(instrument) ?? ZERO;
      if (!a.eq(b)) {
        out.push(diff({ kind: 'POSITION_MISMATCH', instrument, store: text(a), broker: text(b), detail: 'the stored fills do not add up to the venue position' }));
      }
    }
    return out;
  }
}
