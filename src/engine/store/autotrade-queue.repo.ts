/**
 * The autotrade queue over drizzle, on both drivers (it runs queue.contract.ts).
 *
 * `take` is one statement: an UPDATE of the rows a `SELECT … FOR UPDATE SKIP LOCKED` picks (pending, or taken
 * with a lease that ran out, oldest first). Executors on other connections taking at the same moment skip the
 * rows this one has locked instead of waiting for them, and a row another executor leased meanwhile no longer
 * matches when it is re-read under the lock, so no entry is handed to two executors at once. PGlite has one
 * connection, where the statement simply runs alone.
 */
import { and, asc, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { clientOrderIdOf, type OrderIntent } from '../execution/broker.js';
import { ExecutionError } from '../execution/errors.js';
import type { AutotradeQueue, QueuedIntent, QueueOutcome, QueueState, TakeOptions } from '../execution/queue.js';
import type { VantaDb } from './db.js';
import { autotradeQueue } from './schema.js';

type QueueRow = typeof autotradeQueue.$inferSelect;

export class DrizzleAutotradeQueue implements AutotradeQueue {
  constructor(private readonly db: VantaDb) {}

  async enqueue(intent: OrderIntent, options: { readonly causationIds: readonly string[]; readonly now: number }): Promise<QueuedIntent> {
    const id = clientOrderIdOf(intent);
    const inserted = await this.db
      .insert(autotradeQueue)
      .values({
        id,
        intent: { ...intent },
        causationIds: [...options.causationIds],
        enqueuedAt: options.now,
        state: 'pending',
        attempts: 0,
        leaseUntil: null,
        outcome: null,
        completedAt: null,
      })
      .onConflictDoNothing({ target: autotradeQueue.id })
      .returning();
    if (inserted[0]) return toEntry(inserted[0]);
    // Queued before (entries are never deleted): the stored entry stands, whatever this intent says.
    const stored = await this.get(id);
    if (!stored) throw new ExecutionError('QUEUE_ENTRY_NOT_FOUND', `queued intent ${id} vanished`);
    return stored;
  }

  async take(options: TakeOptions): Promise<readonly QueuedIntent[]> {
    if (options.limit <= 0) return [];
    const q = autotradeQueue;
    const due = this.db
      .select({ id: q.id })
      .from(q)
      .where(or(eq(q.state, 'pending'), and(eq(q.state, 'taken'), or(isNull(q.leaseUntil), lte(q.leaseUntil, options.now)))))
      .orderBy(asc(q.enqueuedAt), bytewise(q.id))
      .limit(options.limit)
      .for('update', { skipLocked: true });
    const rows = await this.db
      .update(q)
      .set({ state: 'taken', attempts: sql`${q.attempts} + 1`, leaseUntil: options.now + options.leaseMs })
      .where(inArray(q.id, due))
      .returning();
    // RETURNING follows no order: put the entries back in the order they were picked.
    return rows.map(toEntry).sort(byAge);
  }

  async complete(id: string, outcome: QueueOutcome, now: number): Promise<void> {
    const updated = await this.db
      .update(autotradeQueue)
      .set({ state: 'done', leaseUntil: null, outcome, completedAt: now })
      .where(eq(autotradeQueue.id, id))
      .returning({ id: autotradeQueue.id });
    if (updated.length === 0) throw new ExecutionError('QUEUE_ENTRY_NOT_FOUND', `no queued intent ${id}`);
  }

  async get(id: string): Promise<QueuedIntent | null> {
    const rows = await this.db.select().from(autotradeQueue).where(eq(autotradeQueue.id, id)).limit(1);
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async list(filter: { readonly state?: QueueState } = {}): Promise<readonly QueuedIntent[]> {
    const rows = await this.db
      .select()
      .from(autotradeQueue)
      .where(filter.state === undefined ? undefined : eq(autotradeQueue.state, filter.state))
      .orderBy(asc(autotradeQueue.enqueuedAt), bytewise(autotradeQueue.id));
    return rows.map(toEntry);
  }
}

/** Ids compared bytewise, as the in-memory queue compares them, whatever the database collation. */
const bytewise = (column: typeof autotradeQueue.id): SQL => sql`${column} collate "C"`;

const byAge = (a: QueuedIntent, b: QueuedIntent): number =>
  a.enqueuedAt - b.enqueuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function toEntry(row: QueueRow): QueuedIntent {
  return Object.freeze({
    id: row.id,
    intent: Object.freeze({ ...(row.intent as OrderIntent) }),
    causationIds: Object.freeze([...row.causationIds]),
    enqueuedAt: row.enqueuedAt,
    state: row.state as QueueState,
    attempts: row.attempts,
    leaseUntil: row.leaseUntil,
    outcome: row.outcome as QueueOutcome | null,
    completedAt: row.completedAt,
  });
}
