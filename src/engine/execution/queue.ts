/**
 * The autotrade queue: intents are persisted here first, then taken by an executor. Taking leases an entry;
 * an executor that dies leaves its lease to run out, and the next `take` hands the entry out again with one
 * more attempt, so no intent is lost and none is processed by two executors at once. The executor is
 * idempotent on the client order id, which makes a second attempt safe.
 *
 * In-memory implementation here; a SQL implementation runs queue.contract.ts (`take` is a
 * `SELECT … FOR UPDATE SKIP LOCKED` over pending or expired entries).
 */
import { clientOrderIdOf, type OrderIntent } from './broker.js';
import { ExecutionError } from './errors.js';

export type QueueState = 'pending' | 'taken' | 'done';
/** How the executor finished with an entry. */
export type QueueOutcome = 'submitted' | 'denied' | 'rejected' | 'resumed' | 'duplicate';

export interface QueuedIntent {
  /** The intent's client order id: an intent queued twice is one entry. */
  readonly id: string;
  readonly intent: OrderIntent;
  /** The events that caused the intent (the conviction, the allocation). */
  readonly causationIds: readonly string[];
  readonly enqueuedAt: number;
  readonly state: QueueState;
  /** How many times the entry has been taken. */
  readonly attempts: number;
  /** While taken: when the lease runs out. */
  readonly leaseUntil: number | null;
  readonly outcome: QueueOutcome | null;
  readonly completedAt: number | null;
}

export interface TakeOptions {
  readonly limit: number;
  readonly now: number;
  readonly leaseMs: number;
}

export interface AutotradeQueue {
  /** Persists the intent; idempotent on its client order id (the stored entry is returned unchanged). */
  enqueue(intent: OrderIntent, options: { readonly causationIds: readonly string[]; readonly now: number }): Promise<QueuedIntent>;
  /**
   * Leases up to `limit` entries that are pending or whose lease ran out, oldest first (enqueuedAt, then id),
   * and returns them as taken.
   */
  take(options: TakeOptions): Promise<readonly QueuedIntent[]>;
  /** Marks an entry done. Throws QUEUE_ENTRY_NOT_FOUND for an unknown id. */
  complete(id: string, outcome: QueueOutcome, now: number): Promise<void>;
  get(id: string): Promise<QueuedIntent | null>;
  list(filter?: { readonly state?: QueueState }): Promise<readonly QueuedIntent[]>;
}

const byAge = (a: QueuedIntent, b: QueuedIntent): number =>
  a.enqueuedAt - b.enqueuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class MemoryAutotradeQueue implements AutotradeQueue {
  readonly #entries = new Map<string, QueuedIntent>();

  async enqueue(intent: OrderIntent, options: { readonly causationIds: readonly string[]; readonly now: number }): Promise<QueuedIntent> {
    const id = clientOrderIdOf(intent);
    const existing = this.#entries.get(id);
    if (existing) return existing;
    const entry: QueuedIntent = Object.freeze({
      id,
      intent: Object.freeze({ ...intent }),
      causationIds: Object.freeze([...options.causationIds]),
      enqueuedAt: options.now,
      state: 'pending',
      attempts: 0,
      leaseUntil: null,
      outcome: null,
      completedAt: null,
    });
    this.#entries.set(id, entry);
    return entry;
  }

  async take(options: TakeOptions): Promise<readonly QueuedIntent[]> {
    if (options.limit <= 0) return [];
    const due = [...this.#entries.values()]
      .filter((e) => e.state === 'pending' || (e.state === 'taken' && (e.leaseUntil ?? 0) <= options.now))
      .sort(byAge)
      .slice(0, options.limit);
    return due.map((e) => {
      const taken: QueuedIntent = Object.freeze({
        ...e,
        state: 'taken',
        attempts: e.attempts + 1,
        leaseUntil: options.now + options.leaseMs,
      });
      this.#entries.set(e.id, taken);
      return taken;
    });
  }

  async complete(id: string, outcome: QueueOutcome, now: number): Promise<void> {
    const e = this.#entries.get(id);
    if (!e) throw new ExecutionError('QUEUE_ENTRY_NOT_FOUND', `no queued intent ${id}`);
    this.#entries.set(id, Object.freeze({ ...e, state: 'done', leaseUntil: null, outcome, completedAt: now }));
  }

  async get(id: string): Promise<QueuedIntent | null> {
    return this.#entries.get(id) ?? null;
  }

  async list(filter: { readonly state?: QueueState } = {}): Promise<readonly QueuedIntent[]> {
    return [...this.#entries.values()].filter((e) => filter.state === undefined || e.state === filter.state).sort(byAge);
  }
}
