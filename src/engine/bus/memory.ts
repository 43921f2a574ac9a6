/**
 * The in-memory bus for embedded mode (one process).
 *
 * Per topic an append-only log; per (topic, group) an offset into it. Each group hands its events to its
 * subscribers strictly in order, one delivery at a time; different groups run concurrently. A delivery is one
 * event, or for `subscribeBatch` every event waiting up to `maxBatch`. Several subscriptions in one group share
 * the group's queue (round robin), as consumers of a Redis consumer group would.
 *
 * A handler that throws gets the same event again after a short backoff, up to `maxAttempts` deliveries;
 * then the event is published on `Topics.deadLetter` as a `DeadLettered` and the group moves on (a dead
 * letter that keeps failing is dropped and reported to `onError`, never dead-lettered again).
 *
 * Delivery is cooperative: handlers that never wait on I/O (PGlite runs in-process) would otherwise chain
 * microtasks for as long as a backlog lasts and starve timers and sockets, so every pump steps aside to the
 * event loop once the bus has been running for `YIELD_EVERY_MS` without a break.
 *
 * Memory stays bounded by progress: events every active group has handled are trimmed, keeping the last
 * `retention` of them for groups that join later with `earliest` (as Redis keeps MAXLEN entries). Events
 * not yet handled by an active group are never trimmed. A group with no subscription left keeps its offset
 * but no longer holds events back; if it comes back it resumes at the oldest event still retained.
 */
import type { BatchHandler, BatchSubscribeOptions, Bus, Handler, SubscribeOptions, Subscription, TopicLag } from './bus.js';
import { BusError } from './bus.js';
import type { BusErrorContext, BusRetryOptions } from './dead-letter.js';
import { DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_MAX_ATTEMPTS, deadLetter, settlesWithin, sleep } from './dead-letter.js';
import { Topics, type Topic, type TopicEvents } from './topics.js';
import type { VantaEvent } from '../types.js';

export interface MemoryBusOptions extends BusRetryOptions {
  /** Events kept per topic after every active group has handled them. Default 10_000. */
  readonly retention?: number;
}

const DEFAULT_RETENTION = 10_000;
const DEFAULT_RETRY_DELAY_MS = 10;
const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;
const YIELD_EVERY_MS = 10;

// Handlers are stored type-erased, as batch handlers: each log only ever holds its own topic's events.
type AnyBatchHandler = (events: readonly VantaEvent[]) => Promise<void>;

interface Member {
  readonly handler: AnyBatchHandler;
  /** Events handed over at once: 1 for `subscribe`. */
  readonly maxBatch: number;
  closed: boolean;
}

interface Delivery {
  readonly member: Member;
  /**
   * Resolves to how many of the delivered events were handled or dead-lettered: all of them, or fewer if the
   * delivery was abandoned (close) part way.
   */
  readonly done: Promise<number>;
}

interface Group {
  readonly name: string;
  /** Absolute index of the next event to hand out. */
  offset: number;
  readonly members: Member[];
  roundRobin: number;
  pumping: boolean;
  current: Delivery | null;
}

/** An append-only log whose head can be dropped; indexes are absolute (they never shift). */
class TopicLog {
  readonly groups = new Map<string, Group>();
  #items: (VantaEvent | undefined)[] = [];
  #head = 0; // array index of the oldest retained event
  #base = 0; // absolute index of the oldest retained event

  get base(): number {
    return this.#base;
  }
  get end(): number {
    return this.#base + this.#items.length - this.#head;
  }
  append(event: VantaEvent): void {
    this.#items.push(event);
  }
  /** The events at absolute indexes `from` (inclusive) to `to` (exclusive). */
  slice(from: number, to: number): VantaEvent[] {
    if (from < this.#base || to > this.end) throw new BusError(`memory bus: events ${from}..${to} are not retained`);
    const start = this.#head + from - this.#base;
    return this.#items.slice(start, start + (to - from)) as VantaEvent[];
  }
  /** Drops every event before absolute index `index`. */
  dropBefore(index: number): void {
    const n = Math.min(index, this.end) - this.#base;
    if (n <= 0) return;
    this.#items.fill(undefined, this.#head, this.#head + n);
    this.#head += n;
    this.#base += n;
    // Compact now and then rather than shifting the array on every event.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}

export class MemoryBus implements Bus {
  readonly kind = 'memory' as const;
  readonly #logs = new Map<Topic, TopicLog>();
  readonly #idleWaiters = new Set<() => void>();
  readonly #retention: number;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #closeTimeoutMs: number;
  readonly #now: () => number;
  readonly #onError: ((error: unknown, context: BusErrorContext) => void) | undefined;
  #closed = false;
  #lastYield = performance.now();

  constructor(options: MemoryBusOptions = {}) {
    this.#retention = Math.max(0, options.retention ?? DEFAULT_RETENTION);
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.#retryDelayMs = Math.max(0, options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS);
    this.#closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    const clock = options.clock;
    this.#now = clock ? () => clock.now() : Date.now;
    this.#onError = options.onError;
  }

  async publish<T extends Topic>(topic: T, event: TopicEvents[T]): Promise<void> {
    if (this.#closed) throw new BusError(`cannot publish on ${topic}: the bus is closed`, { code: 'BUS_CLOSED' });
    this.#append(topic, event);
  }

  async publishMany<T extends Topic>(topic: T, events: readonly TopicEvents[T][]): Promise<void> {
    if (this.#closed) throw new BusError(`cannot publish on ${topic}: the bus is closed`, { code: 'BUS_CLOSED' });
    for (const event of events) this.#append(topic, event);
  }

  subscribe<T extends Topic>(topic: T, handler: Handler<T>, options: SubscribeOptions): Subscription {
    const one = handler as (event: VantaEvent) => Promise<void>;
    return this.#join(topic, (events) => one(events[0]!), { ...options, maxBatch: 1 });
  }

  subscribeBatch<T extends Topic>(topic: T, handler: BatchHandler<T>, options: BatchSubscribeOptions): Subscription {
    return this.#join(topic, handler as AnyBatchHandler, options);
  }

  #join(topic: Topic, handler: AnyBatchHandler, options: BatchSubscribeOptions): Subscription {
    if (this.#closed) throw new BusError(`cannot subscribe to ${topic}: the bus is closed`, { code: 'BUS_CLOSED' });
    const log = this.#log(topic);
    let group = log.groups.get(options.group);
    if (!group) {
      const offset = options.from === 'latest' ? log.end : log.base;
      group = { name: options.group, offset, members: [], roundRobin: 0, pumping: false, current: null };
      log.groups.set(options.group, group);
    }
    const member: Member = { handler, maxBatch: Math.max(1, Math.trunc(options.maxBatch)), closed: false };
    group.members.push(member);
    this.#kick(topic, log, group);
    const g = group;
    return {
      close: async () => {
        if (member.closed) return;
        member.closed = true;
        g.members.splice(g.members.indexOf(member), 1);
        if (g.current?.member === member) await settlesWithin(g.current.done, this.#closeTimeoutMs);
        this.#notify();
      },
    };
  }

  async drain(timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS): Promise<void> {
    if (this.#closed) throw new BusError('cannot drain: the bus is closed', { code: 'BUS_CLOSED' });
    if (this.#idle()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#idleWaiters.delete(waiter);
        reject(new BusError(`memory bus did not drain within ${timeoutMs} ms`, { code: 'BUS_DRAIN_TIMEOUT' }));
      }, timeoutMs);
      const waiter = (): void => {
        if (!this.#closed && !this.#idle()) return;
        clearTimeout(timer);
        this.#idleWaiters.delete(waiter);
        if (this.#closed) reject(new BusError('the bus closed while draining', { code: 'BUS_CLOSED' }));
        else resolve();
      };
      this.#idleWaiters.add(waiter);
    });
  }

  async lag(): Promise<readonly TopicLag[]> {
    const out: TopicLag[] = [];
    for (const [topic, log] of this.#logs) {
      for (const group of log.groups.values()) {
        out.push({ topic, group: group.name, pending: log.end - Math.max(group.offset, log.base) });
      }
    }
    return out;
  }

  /** Stops every group after the event in flight (waiting up to `closeTimeoutMs` for it). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const inFlight: Promise<number>[] = [];
    for (const log of this.#logs.values()) {
      for (const group of log.groups.values()) if (group.current) inFlight.push(group.current.done);
    }
    this.#notify();
    await settlesWithin(Promise.all(inFlight), this.#closeTimeoutMs);
  }

  #log(topic: Topic): TopicLog {
    let log = this.#logs.get(topic);
    if (!log) {
      log = new TopicLog();
      this.#logs.set(topic, log);
    }
    return log;
  }

  #append(topic: Topic, event: VantaEvent): void {
    const log = this.#log(topic);
    log.append(event);
    for (const group of log.groups.values()) this.#kick(topic, log, group);
    this.#trim(log);
  }

  /**
   * Starts the group's pump on a later microtask, so handlers never run inside `publish()`. The group counts as
   * pumping from now on, so the other events published in the same tick do not queue a pump each.
   */
  #kick(topic: Topic, log: TopicLog, group: Group): void {
    if (group.pumping || group.members.length === 0) return;
    group.pumping = true;
    queueMicrotask(() => void this.#pump(topic, log, group));
  }

  /** Hands the group's events out until it has caught up, lost its members or the bus closed. */
  async #pump(topic: Topic, log: TopicLog, group: Group): Promise<void> {
    try {
      while (!this.#closed && group.members.length > 0) {
        if (group.offset < log.base) group.offset = log.base; // it was away and events were trimmed
        if (group.offset >= log.end) break;
        const member = group.members[group.roundRobin++ % group.members.length]!;
        const events = log.slice(group.offset, Math.min(log.end, group.offset + member.maxBatch));
        const delivery: Delivery = { member, done: this.#deliverBatch(topic, group.name, member, events) };
        group.current = delivery;
        const handled = await delivery.done;
        group.current = null;
        group.offset += handled;
        if (handled < events.length) continue; // its member left: hand the rest to another one
        this.#trim(log);
        this.#notify();
        await this.#yieldIfBusy();
      }
    } finally {
      group.pumping = false;
      group.current = null;
      this.#notify();
    }
  }

  /** Lets timers and I/O run when the bus has had the thread for a while. */
  async #yieldIfBusy(): Promise<void> {
    if (performance.now() - this.#lastYield < YIELD_EVERY_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#lastYield = performance.now();
  }

  /**
   * Hands the events over in one call; if that throws, one at a time (see {@link Bus.subscribeBatch}). Returns
   * how many were handled or dead-lettered before the member left.
   */
  async #deliverBatch(topic: Topic, group: string, member: Member, events: readonly VantaEvent[]): Promise<number> {
    if (events.length > 1) {
      try {
        await member.handler(events);
        return events.length;
      } catch (err) {
        this.#report(err, { topic, group, operation: 'batch' });
      }
    }
    for (const [i, event] of events.entries()) {
      if (!(await this.#deliver(topic, group, member, event))) return i;
    }
    return events.length;
  }

  /** Runs the handler on one event with retries; dead-letters the event when it keeps failing. */
  async #deliver(topic: Topic, group: string, member: Member, event: VantaEvent): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await member.handler([event]);
        return true;
      } catch (err) {
        const gaveUp = attempt >= this.#maxAttempts;
        this.#report(err, { topic, group, eventId: event.id, attempt, gaveUp });
        if (gaveUp) {
          // Dead letters that fail again are dropped (reported above), not dead-lettered in a loop.
          if (topic !== Topics.deadLetter) this.#append(Topics.deadLetter, deadLetter(group, err, event, this.#now()));
          return true;
        }
      }
      await sleep(this.#retryDelayMs * attempt);
      if (this.#closed || member.closed) return false;
    }
  }

  /** Drops what every active group has handled, beyond the last `retention` events. */
  #trim(log: TopicLog): void {
    let pin = log.end;
    for (const group of log.groups.values()) {
      if (group.members.length > 0) pin = Math.min(pin, Math.max(group.offset, log.base));
    }
    log.dropBefore(Math.min(pin, log.end - this.#retention));
  }

  #idle(): boolean {
    for (const log of this.#logs.values()) {
      for (const group of log.groups.values()) {
        if (group.members.length === 0) continue;
        if (group.pumping || Math.max(group.offset, log.base) < log.end) return false;
      }
    }
    return true;
  }

  #notify(): void {
    for (const waiter of [...this.#idleWaiters]) waiter();
  }

  #report(error: unknown, context: BusErrorContext): void {
    try {
      this.#onError?.(error, context);
    } catch {
      // a failing logger must not stop the bus
    }
  }
}
