/**
 * The one place orders change. `update` reads the order, turns drafts into events through the state machine,
 * hands new fills to the fill sink, saves order, events and fills in one `save`, then publishes. Inside a
 * process a per-order mutex orders the updates; across processes the store's version check does, and a
 * conflicting update is planned again from the fresh order.
 *
 * A fill already stored (same venue fill id) is dropped here, so a fill read twice is applied once.
 */
import type { Clock } from '../clock.js';
import { ExecutionError } from './errors.js';
import type { ExecutionPublisher, OrderEvent, OrderFilled, OrderInitialized } from './events.js';
import { KeyedMutex } from './mutex.js';
import { buildOrderEvent, type OrderEventDraft } from './order-events.js';
import type { Order } from './order.js';
import type { FillSink } from './ports.js';
import type { FillRecord, OrderRepository } from './repository.js';
import { applyOrderEvent, transitionOf, triggerOf } from './state-machine.js';

export interface JournalResult {
  readonly order: Order;
  readonly events: readonly OrderEvent[];
  /** Optional drafts the table had no row for, with the status they met. */
  readonly skipped: readonly { readonly draft: OrderEventDraft; readonly status: Order['status'] }[];
  /** Fill drafts dropped because the fill was already applied. */
  readonly repeatedFills: number;
}

export interface JournalOptions {
  readonly orders: OrderRepository;
  readonly clock: Clock;
  readonly publish: ExecutionPublisher;
  readonly fillSink?: FillSink | null;
  /** Re-plans after a version conflict before giving up. */
  readonly maxConflicts?: number;
}

export type Plan = (order: Order) => readonly OrderEventDraft[];

export class OrderJournal {
  readonly #mutex = new KeyedMutex();
  constructor(private readonly o: JournalOptions) {}

  get orders(): OrderRepository {
    return this.o.orders;
  }

  /** Stores a new order with its OrderInitialized event; when the id is taken, returns the stored order. */
  async create(draft: Order): Promise<{ readonly order: Order; readonly created: boolean }> {
    return this.#mutex.run(draft.clientOrderId, async () => {
      const event = buildOrderEvent(draft, { type: 'OrderInitialized', tsEvent: draft.createdAt }, this.o.clock.now()) as OrderInitialized;
      const order = applyOrderEvent(draft, event);
      if (!(await this.o.orders.create(order, event))) {
        const stored = await this.o.orders.get(draft.clientOrderId);
        if (!stored) throw new ExecutionError('ORDER_NOT_FOUND', `order ${draft.clientOrderId} vanished`);
        return { order: stored, created: false };
      }
      await this.o.publish(event);
      return { order, created: true };
    });
  }

  update(clientOrderId: string, plan: Plan): Promise<JournalResult> {
    return this.#mutex.run(clientOrderId, () => this.#update(clientOrderId, plan));
  }

  async #update(clientOrderId: string, plan: Plan): Promise<JournalResult> {
    const maxConflicts = this.o.maxConflicts ?? 5;
    for (let round = 0; ; round++) {
      const stored = await this.o.orders.get(clientOrderId);
      if (!stored) throw new ExecutionError('ORDER_NOT_FOUND', `no order ${clientOrderId}`);
      const result = await this.#apply(stored, plan(stored));
      if (result.events.length === 0) return result;
      const fills = result.events.filter((e): e is OrderFilled => e.type === 'OrderFilled');
      // The sink sees a fill before it is stored: a crash in between redelivers the same event (same id) on
      // the next sync, where storing first and crashing would lose it for accounting.
      if (this.o.fillSink) for (const f of fills) await this.o.fillSink.onFill(f);
      try {
        await this.o.orders.save({ order: result.order, expectedVersion: stored.version, events: result.events, fills: fills.map(recordOf) });
      } catch (err) {
        const retriable = err instanceof ExecutionError && (err.code === 'ORDER_VERSION_CONFLICT' || err.code === 'FILL_EXISTS');
        if (retriable && round < maxConflicts) continue;
        throw err;
      }
      for (const e of result.events) await this.o.publish(e);
      return result;
    }
  }

  async #apply(stored: Order, drafts: readonly OrderEventDraft[]): Promise<JournalResult> {
    let order = stored;
    const events: OrderEvent[] = [];
    const skipped: { draft: OrderEventDraft; status: Order['status'] }[] = [];
    const seenFills = new Set<string>();
    let repeatedFills = 0;
    const now = this.o.clock.now();
    for (const draft of drafts) {
      if (draft.type === 'OrderFilled') {
        const id = draft.fill.brokerFillId;
        if (draft.fill.clientOrderId !== order.clientOrderId) {
          throw new ExecutionError('ORDER_EVENT_MISMATCH', `fill ${id} is for ${draft.fill.clientOrderId}, not ${order.clientOrderId}`);
        }
        if (seenFills.has(id) || (await this.o.orders.hasFill(order.venue, id))) {
          repeatedFills++;
          continue;
        }
        seenFills.add(id);
      }
      const event = buildOrderEvent(order, draft, now);
      if (draft.optional && event.type !== 'OrderInitialized' && transitionOf(order.status, triggerOf(order, event)) === null) {
        skipped.push({ draft, status: order.status });
        continue;
      }
      order = applyOrderEvent(order, event);
      events.push(event);
    }
    return { order, events, skipped, repeatedFills };
  }
}

function recordOf(e: OrderFilled): FillRecord {
  const p = e.payload;
  return Object.freeze({
    venue: p.venue,
    brokerFillId: p.brokerFillId,
    brokerOrderId: p.brokerOrderId,
    clientOrderId: p.clientOrderId,
    vaultId: p.vaultId,
    instrument: p.instrument,
    side: p.side,
    quantity: p.quantity,
    price: p.price,
    fee: p.fee,
    feeCurrency: p.feeCurrency,
    ts: e.tsEvent,
    eventId: e.id,
  });
}
