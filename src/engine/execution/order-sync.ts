/**
 * Bringing stored orders up to what the venue reports: one order (after a submit or a cancel answer), a
 * batch of fills pushed by a venue stream, or a whole venue (a periodic poll, and reconciliation at start).
 */
import type { BrokerFill, BrokerOrder } from './broker.js';
import type { OrderJournal, JournalResult } from './journal.js';
import { dec, sum } from './money.js';
import type { Order } from './order.js';
import type { BrokerRouter } from './router.js';
import { planFromBroker } from './sync-plan.js';

export interface OrderSyncResult {
  readonly before: Order;
  /** What the venue reported; null when it has no such order. */
  readonly broker: BrokerOrder | null;
  readonly result: JournalResult;
}

export interface VenueSyncReport {
  readonly venue: string;
  /** Fills were read from this time on. */
  readonly since: number;
  readonly orders: readonly OrderSyncResult[];
  /** Open at the venue, unknown to the store. */
  readonly unknownOrders: readonly BrokerOrder[];
  /** Fills at the venue for orders the store does not hold. */
  readonly unknownFills: readonly BrokerFill[];
  readonly fillsApplied: number;
}

export class OrderSync {
  constructor(
    private readonly journal: OrderJournal,
    private readonly brokers: BrokerRouter,
  ) {}

  /**
   * Applies the venue's report of one order. When the venue says more filled than we know and the fills at
   * hand do not account for it, reads the order's fills from the venue.
   */
  async applyBrokerOrder(order: Order, broker: BrokerOrder | null, fills: readonly BrokerFill[] = []): Promise<OrderSyncResult> {
    const repo = this.journal.orders;
    let known = fills.filter((f) => f.clientOrderId === order.clientOrderId);
    if (broker) {
      const fresh: BrokerFill[] = [];
      for (const f of known) if (!(await repo.hasFill(order.venue, f.brokerFillId))) fresh.push(f);
      const expected = dec(broker.filledQuantity).minus(dec(order.filledQuantity));
      if (expected.gt(sum(fresh.map((f) => dec(f.quantity))))) {
        const venue = this.brokers.route(order.venue);
        const read = (await venue.fills(order.submittedAt ?? order.createdAt)).filter((f) => f.clientOrderId === order.clientOrderId);
        const ids = new Set(known.map((f) => f.brokerFillId));
        known = [...known, ...read.filter((f) => !ids.has(f.brokerFillId))];
      }
    }
    const result = await this.journal.update(order.clientOrderId, (current) => planFromBroker(current, broker, known));
    return { before: order, broker, result };
  }

  /** Asks the venue about one order and applies the answer. */
  async syncOrder(order: Order): Promise<OrderSyncResult> {
    const broker = await this.brokers.route(order.venue).getOrder(order.clientOrderId);
    return this.applyBrokerOrder(order, broker);
  }

  /** Applies fills a venue pushed; returns those for orders the store does not hold. */
  async applyFills(fills: readonly BrokerFill[]): Promise<{ readonly applied: number; readonly unknown: readonly BrokerFill[] }> {
    const byOrder = new Map<string, BrokerFill[]>();
    for (const f of fills) byOrder.set(f.clientOrderId, [...(byOrder.get(f.clientOrderId) ?? []), f]);
    let applied = 0;
    const unknown: BrokerFill[] = [];
    for (const [id, list] of byOrder) {
      const order = await this.journal.orders.get(id);
      if (!order) {
        unknown.push(...list);
        continue;
      }
      const { result } = await this.applyBrokerOrder(order, null, list);
      applied += result.events.filter((e) => e.type === 'OrderFilled').length;
    }
    return { applied, unknown };
  }

  /**
   * Polls a venue: its open orders and the fills since the newest fill we hold, applied to every stored open
   * order of the venue and to the orders those fills belong to.
   */
  async syncVenue(venue: string): Promise<VenueSyncReport> {
    const broker = this.brokers.route(venue);
    const orders = this.journal.orders;
    const open = (await orders.list({ venue, open: true })).filter((o) => o.status !== 'INITIALIZED');
    const lastFill = await orders.lastFillTs(venue);
    const starts = open.map((o) => o.submittedAt ?? o.createdAt);
    // Inclusive of the newest stored fill's time, so fills in the same millisecond are not missed; the
    // journal drops the ones already applied.
    const from = lastFill ?? (starts.length > 0 ? Math.min(...starts) : 0);
    const [brokerOpen, fills] = await Promise.all([broker.openOrders(), broker.fills(from)]);
    const openById = new Map(brokerOpen.map((b) => [b.clientOrderId, b]));
    const results: OrderSyncResult[] = [];
    let fillsApplied = 0;
    const handled = new Set<string>();
    for (const order of open) {
      handled.add(order.clientOrderId);
      const reported = openById.get(order.clientOrderId) ?? (await broker.getOrder(order.clientOrderId));
      const synced = await this.applyBrokerOrder(order, reported, fills);
      fillsApplied += synced.result.events.filter((e) => e.type === 'OrderFilled').length;
      results.push(synced);
    }
    const rest = fills.filter((f) => !handled.has(f.clientOrderId));
    const pushed = await this.applyFills(rest);
    fillsApplied += pushed.applied;
    const known = await Promise.all(brokerOpen.map(async (b) => ((await orders.get(b.clientOrderId)) ? null : b)));
    return {
      venue,
      since: from,
      orders: results,
      unknownOrders: known.filter((b): b is BrokerOrder => b !== null),
      unknownFills: pushed.unknown,
      fillsApplied,
    };
  }
}
