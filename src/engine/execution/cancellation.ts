/**
 * Cancelling: one order, or every open order a kill switch covers. The cancel request is recorded first
 * (PENDING_CANCEL), then sent; each venue call is bounded by a deadline so that a sweep over a slow venue
 * still finishes within a second. An order whose cancel timed out stays PENDING_CANCEL and the next sync
 * settles it from what the venue reports.
 */
import { BrokerError, type Broker, type BrokerOrder } from './broker.js';
import type { Clock } from '../clock.js';
import { ExecutionError } from './errors.js';
import type { OrderJournal } from './journal.js';
import { covers, type KillSwitchScope } from './kill-switch-store.js';
import { isOpen, type Order } from './order.js';
import type { OrderSync } from './order-sync.js';
import type { BrokerRouter } from './router.js';
import { transitionOf } from './state-machine.js';

export interface CancelSweep {
  /** Open orders the scope covered. */
  readonly covered: number;
  /** No longer open when the sweep ended (canceled, or filled before the cancel landed). */
  readonly closed: number;
  /** Still open (pending cancel at a slow venue). */
  readonly pending: number;
  readonly failed: readonly { readonly clientOrderId: string; readonly error: string }[];
}

export interface CancellationOptions {
  readonly journal: OrderJournal;
  readonly sync: OrderSync;
  readonly brokers: BrokerRouter;
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** True while a submit of this order is on its way: a venue that has not seen it yet may still get it. */
  readonly inFlight: (clientOrderId: string) => boolean;
}

function withDeadline<T>(work: Promise<T>, ms: number, venue: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BrokerError('BROKER_TIMEOUT', `no answer to cancel within ${ms}ms`, venue)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export class Cancellation {
  constructor(private readonly o: CancellationOptions) {}

  async cancel(clientOrderId: string, actor: string, reason: string): Promise<Order> {
    const order = await this.o.journal.orders.get(clientOrderId);
    if (!order) throw new ExecutionError('ORDER_NOT_FOUND', `no order ${clientOrderId}`);
    // INITIALIZED has not passed risk: the kill switch check denies it there, nothing is at a venue.
    if (!isOpen(order.status) || order.status === 'INITIALIZED') return order;
    const { order: requested } = await this.o.journal.update(clientOrderId, (o) =>
      transitionOf(o.status, 'OrderCancelRequested') ? [{ type: 'OrderCancelRequested', actor, reason, tsEvent: this.o.clock.now() }] : [],
    );
    if (!isOpen(requested.status)) return requested;
    return this.cancelAtVenue(requested);
  }

  /** Sends the cancel of an order already PENDING_CANCEL and applies the answer. */
  async cancelAtVenue(order: Order): Promise<Order> {
    const broker = this.o.brokers.route(order.venue);
    try {
      const answer = await withDeadline(broker.cancel(order.clientOrderId), this.o.timeoutMs, order.venue);
      return (await this.o.sync.applyBrokerOrder(order, answer)).result.order;
    } catch (err) {
      if (!(err instanceof BrokerError) || err.uncertain) return order;
      if (err.code !== 'BROKER_NOT_FOUND' && err.code !== 'BROKER_REJECTED') return order;
      return this.#refused(broker, order, err);
    }
  }

  /** The venue refused the cancel or does not know the order: find out what it does know. */
  async #refused(broker: Broker, order: Order, err: BrokerError): Promise<Order> {
    let reported: BrokerOrder | null;
    try {
      reported = await withDeadline(broker.getOrder(order.clientOrderId), this.o.timeoutMs, order.venue);
    } catch {
      return order;
    }
    const now = this.o.clock.now();
    if (reported === null) {
      // Never reached the venue. While its submit is still on the way, leave it pending: the executor
      // cancels it again once the submit answers.
      if (this.o.inFlight(order.clientOrderId)) return order;
      const { order: canceled } = await this.o.journal.update(order.clientOrderId, () => [
        { type: 'OrderCanceled', reason: `not at ${order.venue}: ${err.message}`, tsEvent: now, optional: true },
      ]);
      return canceled;
    }
    const synced = (await this.o.sync.applyBrokerOrder(order, reported)).result.order;
    if (synced.status === 'PENDING_CANCEL' && (reported.status === 'accepted' || reported.status === 'partially_filled')) {
      const { order: working } = await this.o.journal.update(order.clientOrderId, () => [
        { type: 'OrderCancelRejected', reason: err.message, tsEvent: now, optional: true },
      ]);
      return working;
    }
    return synced;
  }

  async sweep(scope: KillSwitchScope, actor: string, reason: string): Promise<CancelSweep> {
    const open = (await this.o.journal.orders.list({ open: true })).filter((o) => o.status !== 'INITIALIZED' && covers(scope, o));
    const settled = await Promise.allSettled(open.map((o) => this.cancel(o.clientOrderId, actor, reason)));
    let closed = 0;
    let pending = 0;
    const failed: { clientOrderId: string; error: string }[] = [];
    settled.forEach((s, i) => {
      if (s.status === 'rejected') {
        failed.push({ clientOrderId: (open[i] as Order).clientOrderId, error: String(s.reason instanceof Error ? s.reason.message : s.reason) });
      } else if (isOpen(s.value.status)) pending++;
      else closed++;
    });
    return { covered: open.length, closed, pending, failed };
  }
}
