/**
 * The executor: takes intents from the autotrade queue, turns each into an order, runs the risk checks,
 * routes the order to its venue's broker and applies what the broker answers through the state machine.
 *
 * Every step is idempotent on the client order id, so an intent handed out again (an executor died holding
 * it) resumes its order instead of placing a second one: an order never submitted is checked and submitted,
 * an order submitted but never acknowledged is looked up at the venue first.
 */
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { BrokerOrderRequest } from './broker.js';
import { Cancellation, type CancelSweep } from './cancellation.js';
import type { ExecutionPublisher, OrderDenied } from './events.js';
import { refOf } from './events.js';
import { OrderJournal } from './journal.js';
import type { KillSwitchScope, KillSwitchStore } from './kill-switch-store.js';
import { covers } from './kill-switch-store.js';
import { draftOrder, isOpen, type Order } from './order.js';
import { OrderSync, type VenueSyncReport } from './order-sync.js';
import type { FillSink, LastPrices } from './ports.js';
import type { AutotradeQueue, QueuedIntent } from './queue.js';
import type { OrderRepository } from './repository.js';
import type { RiskEngine } from './risk/engine.js';
import type { BrokerRouter } from './router.js';
import { DEFAULT_RETRY, lookUp, realSleep, submitWithLookup, type RetryPolicy, type Sleep } from './submit.js';

export interface ExecutorOptions {
  readonly clock: Clock;
  readonly queue: AutotradeQueue;
  readonly orders: OrderRepository;
  readonly brokers: BrokerRouter;
  readonly risk: RiskEngine;
  readonly prices: LastPrices;
  readonly killSwitches: KillSwitchStore;
  readonly publish: ExecutionPublisher;
  /** Vault accounting: receives every fill once applied. */
  readonly fillSink?: FillSink | null;
  readonly retry?: RetryPolicy;
  /** How retries wait; tests pass one that returns at once. */
  readonly sleep?: Sleep;
  /** How long a taken intent stays leased to this executor. Defaults to 30 s. */
  readonly leaseMs?: number;
  /**
   * An order found submitted but missing at its venue after a restart is submitted again when it is younger
   * than this; older, it is rejected locally (the market it was priced for is gone). Defaults to 60 s.
   */
  readonly resubmitWindowMs?: number;
  /** The longest one cancel may take before the order is left pending cancel for the next sync. Defaults to 800 ms. */
  readonly cancelTimeoutMs?: number;
}

export type ProcessOutcome =
  | { readonly kind: 'denied'; readonly order: Order | null; readonly event: OrderDenied }
  | { readonly kind: 'placed' | 'rejected' | 'unknown' | 'resumed'; readonly order: Order };

export type ResumeOutcome = {
  /** `submitted`: it had not passed risk yet; `resubmitted`: it was missing at the venue and was handed over again. */
  readonly kind: 'synced' | 'submitted' | 'resubmitted' | 'denied' | 'rejected' | 'unknown' | 'untouched';
  readonly order: Order;
};

export class Executor {
  readonly journal: OrderJournal;
  readonly sync: OrderSync;
  readonly #cancellation: Cancellation;
  readonly #inFlight = new Set<string>();
  readonly #retry: RetryPolicy;
  readonly #sleep: Sleep;

  constructor(private readonly o: ExecutorOptions) {
    this.journal = new OrderJournal({ orders: o.orders, clock: o.clock, publish: o.publish, fillSink: o.fillSink ?? null });
    this.sync = new OrderSync(this.journal, o.brokers);
    this.#retry = o.retry ?? DEFAULT_RETRY;
    this.#sleep = o.sleep ?? realSleep;
    this.#cancellation = new Cancellation({
      journal: this.journal,
      sync: this.sync,
      brokers: o.brokers,
      clock: o.clock,
      timeoutMs: o.cancelTimeoutMs ?? 800,
      inFlight: (id) => this.#inFlight.has(id),
    });
  }

  /** Takes up to `limit` intents and processes them one after the other, in queue order. */
  async runOnce(limit = 16): Promise<readonly ProcessOutcome[]> {
    const entries = await this.o.queue.take({ limit, now: this.o.clock.now(), leaseMs: this.o.leaseMs ?? 30_000 });
    const out: ProcessOutcome[] = [];
    for (const entry of entries) out.push(await this.process(entry));
    return out;
  }

  async process(entry: QueuedIntent): Promise<ProcessOutcome> {
    const existing = await this.o.orders.get(entry.id);
    if (existing && entry.attempts <= 1) return this.#denyDuplicate(entry, existing);
    if (existing) {
      const resumed = await this.resume(existing);
      await this.o.queue.complete(entry.id, 'resumed', this.o.clock.now());
      return { kind: 'resumed', order: resumed.order };
    }
    const last = entry.intent.type === 'MARKET' ? await this.o.prices.lastTrade(entry.intent.instrument) : null;
    const draft = draftOrder(entry.intent, { referencePrice: last?.price ?? null, causationIds: entry.causationIds, now: this.o.clock.now() });
    const { order, created } = await this.journal.create(draft);
    if (!created) {
      const resumed = await this.resume(order);
      await this.o.queue.complete(entry.id, 'resumed', this.o.clock.now());
      return { kind: 'resumed', order: resumed.order };
    }
    const outcome = await this.#checkAndSubmit(order);
    await this.o.queue.complete(entry.id, outcome.kind === 'denied' ? 'denied' : outcome.kind === 'rejected' ? 'rejected' : 'submitted', this.o.clock.now());
    return outcome;
  }

  /** Carries an order left half-way (by a crash) to where it would have got. */
  async resume(order: Order): Promise<ResumeOutcome> {
    if (order.status === 'INITIALIZED') {
      const outcome = await this.#checkAndSubmit(order);
      return { kind: outcome.kind === 'placed' ? 'submitted' : outcome.kind === 'resumed' ? 'synced' : outcome.kind, order: outcome.order ?? order };
    }
    if (order.status !== 'SUBMITTED' || order.brokerOrderId !== null) return { kind: 'untouched', order };
    const broker = this.o.brokers.route(order.venue);
    const found = await lookUp(broker, order.clientOrderId, this.#retry, this.#sleep);
    if (found === undefined) return { kind: 'unknown', order };
    if (found) {
      const { result } = await this.sync.applyBrokerOrder(order, found);
      return { kind: 'synced', order: await this.#afterSubmit(result.order) };
    }
    const age = this.o.clock.now() - (order.submittedAt ?? order.createdAt);
    if (age > (this.o.resubmitWindowMs ?? 60_000)) {
      const { order: rejected } = await this.journal.update(order.clientOrderId, () => [
        { type: 'OrderRejected', reason: `not at ${order.venue} ${age}ms after submission`, code: 'NOT_FOUND_AT_BROKER', tsEvent: this.o.clock.now(), optional: true },
      ]);
      return { kind: 'rejected', order: rejected };
    }
    const placed = await this.#submit(order);
    return { kind: placed.kind === 'placed' ? 'resubmitted' : placed.kind === 'unknown' ? 'unknown' : 'rejected', order: placed.order };
  }

  async #checkAndSubmit(order: Order): Promise<ProcessOutcome> {
    const verdict = await this.o.risk.evaluate(order, { clientOrderIdTaken: false, routed: this.o.brokers.has(order.venue) });
    const now = this.o.clock.now();
    if (!verdict.ok) {
      const { order: denied, events } = await this.journal.update(order.clientOrderId, () => [
        { type: 'OrderDenied', check: verdict.check, reason: verdict.reason, message: verdict.message, tsEvent: now },
      ]);
      return { kind: 'denied', order: denied, event: events[0] as OrderDenied };
    }
    const { order: submitted } = await this.journal.update(order.clientOrderId, () => [{ type: 'OrderSubmitted', tsEvent: now }]);
    return this.#submit(submitted);
  }

  async #submit(order: Order): Promise<{ readonly kind: 'placed' | 'rejected' | 'unknown'; readonly order: Order }> {
    const broker = this.o.brokers.route(order.venue);
    this.#inFlight.add(order.clientOrderId);
    let outcome;
    try {
      outcome = await submitWithLookup(broker, requestOf(order), this.#retry, this.#sleep);
    } finally {
      this.#inFlight.delete(order.clientOrderId);
    }
    const current = (await this.o.orders.get(order.clientOrderId)) ?? order;
    if (outcome.kind === 'placed') {
      const { result } = await this.sync.applyBrokerOrder(current, outcome.order);
      return { kind: 'placed', order: await this.#afterSubmit(result.order) };
    }
    if (outcome.kind === 'refused') {
      const { order: rejected } = await this.journal.update(order.clientOrderId, () => [
        { type: 'OrderRejected', reason: outcome.error.message, code: outcome.error.code, tsEvent: this.o.clock.now(), optional: true },
      ]);
      return { kind: 'rejected', order: rejected };
    }
    // Unknown: the order stays SUBMITTED; the next venue sync or a restart's reconciliation finds out.
    return { kind: 'unknown', order: current };
  }

  /**
   * A kill switch engaged while the order was on its way, or a cancel asked for before the venue had it:
   * the sweep could not reach it then, so cancel it now.
   */
  async #afterSubmit(order: Order): Promise<Order> {
    if (!isOpen(order.status)) return order;
    const hit = (await this.o.killSwitches.engaged()).find((k) => covers(k.scope, order));
    if (hit) return this.#cancellation.cancel(order.clientOrderId, `kill-switch:${hit.key}`, hit.reason);
    if (order.status === 'PENDING_CANCEL') return this.#cancellation.cancelAtVenue(order);
    return order;
  }

  async #denyDuplicate(entry: QueuedIntent, existing: Order): Promise<ProcessOutcome> {
    const now = this.o.clock.now();
    // The stored order stands; the denial is recorded as an event of its own, not a transition.
    const event: OrderDenied = Object.freeze({
      id: eventId('ord', 'OrderDenied', entry.id, 'duplicate', entry.enqueuedAt, entry.attempts),
      type: 'OrderDenied',
      tsEvent: now,
      tsInit: now,
      causationIds: Object.freeze([...entry.causationIds]),
      payload: Object.freeze({
        ...refOf(existing),
        check: 'Duplicate',
        reason: 'DUPLICATE_CLIENT_ORDER_ID',
        message: `an order with client order id ${entry.id} exists (${existing.status})`,
      }),
    });
    await this.o.publish(event);
    await this.o.queue.complete(entry.id, 'duplicate', now);
    return { kind: 'denied', order: null, event };
  }

  cancel(clientOrderId: string, actor: string, reason: string): Promise<Order> {
    return this.#cancellation.cancel(clientOrderId, actor, reason);
  }

  /** Cancels every open order a kill switch of this scope covers, all at once. */
  cancelOpenOrders(scope: KillSwitchScope, actor: string, reason: string): Promise<CancelSweep> {
    return this.#cancellation.sweep(scope, actor, reason);
  }

  /**
   * Polls a venue (see OrderSync.syncVenue). An order left SUBMITTED by a submit whose outcome stayed unknown,
   * and that the venue still does not have once `graceMs` have passed, is resumed: submitted again or, when
   * too old, rejected. Orders this executor is submitting right now are left alone.
   */
  async syncVenue(venue: string, options: { readonly graceMs?: number } = {}): Promise<VenueSyncReport> {
    const report = await this.sync.syncVenue(venue);
    const grace = options.graceMs ?? 5_000;
    for (const r of report.orders) {
      const o = r.result.order;
      const lost = r.broker === null && o.status === 'SUBMITTED' && o.brokerOrderId === null && !this.#inFlight.has(o.clientOrderId);
      if (lost && this.o.clock.now() - (o.submittedAt ?? o.createdAt) >= grace) await this.resume(o);
    }
    return report;
  }
}

export function requestOf(order: Order): BrokerOrderRequest {
  return {
    clientOrderId: order.clientOrderId,
    instrument: order.instrument,
    side: order.side,
    type: order.type,
    quantity: order.quantity,
    limitPrice: order.limitPrice,
    timeInForce: order.timeInForce,
  };
}
