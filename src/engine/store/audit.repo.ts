/**
 * The append-only, hash-chained audit log.
 *
 * Each entry's hash is `sha256Hex(prevHash + canonicalJson({ eventId, type, tsEvent, tsInit, causationIds,
 * payload }))`; the first entry's `prevHash` is 64 zeros. Appends are serialized so the chain never forks:
 * an in-process promise chain (enough for PGlite's single connection) and, on PostgreSQL, a transaction-scoped
 * advisory lock that also serializes appenders in other processes. `seq` is assigned as head + 1 under that
 * lock, and is the primary key, so even a broken lock could not write two entries at one position.
 */
import { asc, count, desc, eq, gt, gte, inArray, lt, sql } from 'drizzle-orm';
import { canonicalJson, sha256Hex } from '../canonical.js';
import type { VantaEvent } from '../types.js';
import type { VantaDb } from './db.js';
import { type AuditEntry, type AuditRepository, type ChainVerification, StoreError } from './ports.js';
import { auditLog } from './schema.js';

export const GENESIS_HASH = '0'.repeat(64);
/** Key of the PostgreSQL advisory lock held while appending. */
const AUDIT_LOCK_KEY = 7_413_296_002;
const VERIFY_BATCH = 1000;
const LOOKUP_CHUNK = 10_000;

type AuditRow = typeof auditLog.$inferSelect;

/** What an entry's hash covers. */
export interface AuditContent {
  readonly eventId: string;
  readonly type: string;
  readonly tsEvent: number;
  readonly tsInit: number;
  readonly causationIds: readonly string[];
  readonly payload: unknown;
}

export function auditHash(prevHash: string, content: AuditContent): string {
  return sha256Hex(
    prevHash +
      canonicalJson({
        eventId: content.eventId,
        type: content.type,
        tsEvent: content.tsEvent,
        tsInit: content.tsInit,
        causationIds: content.causationIds,
        payload: content.payload,
      }),
  );
}

export class DrizzleAuditRepository implements AuditRepository {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: VantaDb,
    private readonly kind: 'pglite' | 'postgres',
  ) {}

  append(event: VantaEvent): Promise<AuditEntry> {
    const run = this.tail.then(() => this.appendSerialized(event));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async appendSerialized(event: VantaEvent): Promise<AuditEntry> {
    const payloadJson = canonicalJson(event.payload ?? null);
    // PostgreSQL's jsonb cannot hold U+0000; refuse with a clear message rather than a driver error.
    if (payloadJson.includes('\\u0000')) {
      throw new StoreError(`Audit payload of event ${event.id} contains U+0000, which jsonb cannot store`);
    }
    // Store exactly the plain JSON value that is hashed (no Dates, class instances or undefined left),
    // so what is read back hashes the same.
    const payload: unknown = JSON.parse(payloadJson);
    try {
      return await this.db.transaction(async (tx) => {
        if (this.kind === 'postgres') {
          await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK_KEY))})`);
        }
        const existing = await tx.select().from(auditLog).where(eq(auditLog.eventId, event.id)).limit(1);
        if (existing[0]) return toEntry(existing[0]);
        const head = await tx
          .select({ seq: auditLog.seq, hash: auditLog.hash })
          .from(auditLog)
          .orderBy(desc(auditLog.seq))
          .limit(1);
        const prevHash = head[0]?.hash ?? GENESIS_HASH;
        const content: AuditContent = {
          eventId: event.id,
          type: event.type,
          tsEvent: event.tsEvent,
          tsInit: event.tsInit,
          causationIds: [...event.causationIds],
          payload,
        };
        const row = { seq: (head[0]?.seq ?? 0) + 1, ...content, causationIds: [...event.causationIds], prevHash };
        const inserted = await tx
          .insert(auditLog)
          .values({ ...row, hash: auditHash(prevHash, content) })
          .returning();
        return toEntry(inserted[0]!);
      });
    } catch (cause) {
      if (cause instanceof StoreError) throw cause;
      throw new StoreError(`Appending event ${event.id} to the audit log failed: ${errorMessage(cause)}`, { cause });
    }
  }

  async getByEventId(eventId: string): Promise<AuditEntry | null> {
    const rows = await this.db.select().from(auditLog).where(eq(auditLog.eventId, eventId)).limit(1);
    return rows[0] ? toEntry(rows[0]) : null;
  }

  /** The entries for these event ids that exist, in chain order. One query (per 10,000 ids). */
  async getManyByEventIds(eventIds: readonly string[]): Promise<readonly AuditEntry[]> {
    const unique = [...new Set(eventIds)];
    if (unique.length === 0) return [];
    const rows: AuditRow[] = [];
    for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
      const chunk = unique.slice(i, i + LOOKUP_CHUNK);
      rows.push(...(await this.db.select().from(auditLog).where(inArray(auditLog.eventId, chunk))));
    }
    return rows.sort((a, b) => a.seq - b.seq).map(toEntry);
  }

  async head(): Promise<AuditEntry | null> {
    const rows = await this.db.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    return rows[0] ? toEntry(rows[0]) : null;
  }

  /**
   * Walks the chain in seq order, in batches, from `fromSeq` (default 1; the entry before it is trusted as the
   * anchor). An entry is broken when its seq is not the next one, its `prevHash` is not the previous entry's
   * hash, or its hash does not match its content. `entries` counts the entries checked, the broken one included;
   * for a missing entry `brokenAtSeq` is the missing position.
   */
  async verify(fromSeq = 1): Promise<ChainVerification> {
    const start = Math.max(1, Math.trunc(fromSeq));
    const anchor = await this.db
      .select({ seq: auditLog.seq, hash: auditLog.hash })
      .from(auditLog)
      .where(lt(auditLog.seq, start))
      .orderBy(desc(auditLog.seq))
      .limit(1);
    let expectedSeq = anchor[0] ? anchor[0].seq + 1 : 1;
    let expectedPrev = anchor[0]?.hash ?? GENESIS_HASH;
    let entries = 0;
    let lastSeq = start - 1;
    for (;;) {
      const batch = await this.db
        .select()
        .from(auditLog)
        .where(lastSeq >= start ? gt(auditLog.seq, lastSeq) : gte(auditLog.seq, start))
        .orderBy(asc(auditLog.seq))
        .limit(VERIFY_BATCH);
      for (const row of batch) {
        entries += 1;
        if (row.seq !== expectedSeq) return { ok: false, entries, brokenAtSeq: expectedSeq };
        if (row.prevHash !== expectedPrev || auditHash(row.prevHash, toEntry(row)) !== row.hash) {
          return { ok: false, entries, brokenAtSeq: row.seq };
        }
        expectedSeq = row.seq + 1;
        expectedPrev = row.hash;
        lastSeq = row.seq;
      }
      if (batch.length < VERIFY_BATCH) return { ok: true, entries, brokenAtSeq: null };
    }
  }

  async count(): Promise<number> {
    const rows = await this.db.select({ n: count() }).from(auditLog);
    return rows[0]?.n ?? 0;
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    eventId: row.eventId,
    type: row.type,
    tsEvent: row.tsEvent,
    tsInit: row.tsInit,
    causationIds: row.causationIds,
    payload: row.payload,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** The innermost cause's message (drizzle wraps driver errors in a "Failed query: …" error). */
function errorMessage(error: unknown): string {
  let e = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}
