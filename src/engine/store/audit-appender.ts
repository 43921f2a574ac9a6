/**
 * Appending to the hash-chained audit log (see audit.repo.ts for the chain itself).
 *
 * Group commit: appends that arrive while a write is in flight are written together by the next one, in the
 * order they were called, and each caller's promise resolves once its own entry is committed (see
 * group-commit.ts, which also isolates a bad event so it fails alone).
 *
 * Every write holds a transaction-scoped advisory lock while it inserts, so appenders in other processes (on
 * PostgreSQL) take turns. A batch is written one of two ways:
 * - after a write of its own, in one statement: the batch is chained from the head this appender wrote last
 *   and inserted only if that is still the head of the log. That is the usual case (one process appends, or
 *   one appends far more often than the others), and one statement is one round trip, to the database
 *   thread (pglite-thread.ts) or the server, where a transaction takes six;
 * - otherwise, or if that statement wrote nothing or failed (another appender wrote in between, an event is
 *   already in the log, a bad event), in a transaction: take the lock, look up which events are already in
 *   the log (redeliveries: their entries are returned, not written again), read the head, insert the new
 *   entries chained from it.
 *
 * Either way `seq` is the primary key and the event id is unique, so no write could fork the chain, leave a
 * gap in it, or append an event twice. (The one statement reads the head as of its start, possibly before
 * it got the lock; if another process appended meanwhile, the insert collides with that entry's `seq`,
 * fails, and the batch goes the second way.)
 */
import { desc, inArray, sql } from 'drizzle-orm';
import type { VantaEvent } from '../types.js';
import { chainHash, GENESIS_HASH, type PreparedContent, prepareContent, toEntry } from './audit-chain.js';
import type { VantaDb } from './db.js';
import { GroupCommit } from './group-commit.js';
import { jsonRows } from './json-rows.js';
import { type AuditEntry, StoreError } from './ports.js';
import { auditLog } from './schema.js';

/** Key of the PostgreSQL advisory lock held while appending. */
const AUDIT_LOCK_KEY = 7_413_296_002;
/** Entries written by one statement at most: 9 parameters' worth each, far below PostgreSQL's limits. */
const MAX_BATCH = 500;

interface Head {
  readonly seq: number;
  readonly hash: string;
}

/** A batch chained from a head: the entry of every item (known or new), and the new ones to insert. */
interface Chained {
  readonly entries: AuditEntry[];
  readonly fresh: AuditEntry[];
  readonly head: Head;
}

/** Chains the batch's new events from `head`, in order; events in `known` (or earlier in the batch) keep their entry. */
function chain(batch: readonly PreparedContent[], head: Head, known: Map<string, AuditEntry>): Chained {
  let { seq, hash: prevHash } = head;
  const fresh: AuditEntry[] = [];
  const entries = batch.map(({ content, canonical }) => {
    const existing = known.get(content.eventId);
    if (existing) return existing;
    const entry: AuditEntry = { ...content, seq: ++seq, prevHash, hash: chainHash(prevHash, canonical) };
    prevHash = entry.hash;
    known.set(entry.eventId, entry);
    fresh.push(entry);
    return entry;
  });
  return { entries, fresh, head: { seq, hash: prevHash } };
}

const insertable = (entries: readonly AuditEntry[]) => entries.map((e) => ({ ...e, causationIds: [...e.causationIds] }));

/** Takes the append lock, once per statement, held until the transaction ends. */
const takeLock = sql`(select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK_KEY))})) is not null`;

export class AuditAppender {
  readonly #commits = new GroupCommit<PreparedContent, AuditEntry>((batch) => this.#write(batch), MAX_BATCH);
  /** The head as of this appender's last write; null until then. */
  #head: Head | null = null;

  constructor(private readonly db: VantaDb) {}

  append(event: VantaEvent): Promise<AuditEntry> {
    try {
      return this.#commits.submit(prepareContent(event));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #write(batch: readonly PreparedContent[]): Promise<AuditEntry[]> {
    try {
      const head = this.#head;
      const chained = (head && (await this.#appendAfter(head, batch))) || (await this.#appendLocked(batch));
      this.#head = chained.head;
      return chained.entries;
    } catch (cause) {
      const what = batch.length === 1 ? `event ${batch[0]!.content.eventId}` : `${batch.length} events`;
      throw new StoreError(`Appending ${what} to the audit log failed: ${errorMessage(cause)}`, { cause });
    }
  }

  /** One statement, written only if `head` is still the head of the log; null when nothing was written. */
  async #appendAfter(head: Head, batch: readonly PreparedContent[]): Promise<Chained | null> {
    const chained = chain(batch, head, new Map());
    const stillHead = sql`(select coalesce(max(${auditLog.seq}), 0) from ${auditLog}) = ${head.seq}`;
    try {
      const written = await this.db
        .insert(auditLog)
        .select(sql`${jsonRows(auditLog, insertable(chained.fresh))} where ${takeLock} and ${stillHead}`)
        .returning({ seq: auditLog.seq });
      return written.length === chained.fresh.length ? chained : null;
    } catch {
      return null; // an event already in the log, another appender's entry, a bad event: the transaction sorts them out
    }
  }

  /** A transaction under the lock: redeliveries looked up, the head read, the new entries inserted. */
  async #appendLocked(batch: readonly PreparedContent[]): Promise<Chained> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select ${takeLock}`);
      const ids = [...new Set(batch.map((c) => c.content.eventId))];
      const existing = await tx.select().from(auditLog).where(inArray(auditLog.eventId, ids));
      const head = await tx
        .select({ seq: auditLog.seq, hash: auditLog.hash })
        .from(auditLog)
        .orderBy(desc(auditLog.seq))
        .limit(1);
      const known = new Map(existing.map((row) => [row.eventId, toEntry(row)]));
      const chained = chain(batch, head[0] ?? { seq: 0, hash: GENESIS_HASH }, known);
      if (chained.fresh.length > 0) await tx.insert(auditLog).select(jsonRows(auditLog, insertable(chained.fresh)));
      return chained;
    });
  }
}

/** The innermost cause's message (drizzle wraps driver errors in a "Failed query: …" error). */
function errorMessage(error: unknown): string {
  let e = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}
