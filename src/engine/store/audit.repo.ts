/**
 * The append-only, hash-chained audit log (entries and hashes: audit-chain.ts).
 *
 * Appends are serialized so the chain never forks: in process by group commit (one write at a time, each
 * carrying every append that arrived while the previous one ran) and by a transaction-scoped advisory lock
 * that also serializes appenders in other processes (audit-appender.ts). `seq` is assigned as head + 1, and is
 * the primary key, so even a broken lock could not write two entries at one position.
 */
import { and, asc, count, desc, eq, gt, gte, inArray, lt, lte, max, min, sql } from 'drizzle-orm';
import type { VantaEvent } from '../types.js';
import { AuditAppender } from './audit-appender.js';
import { auditHash, GENESIS_HASH, toEntry } from './audit-chain.js';
import type { VantaDb } from './db.js';
import type { AuditEntry, AuditRepository, ChainVerification } from './ports.js';
import { auditLog } from './schema.js';

export { type AuditContent, auditHash, GENESIS_HASH } from './audit-chain.js';

const VERIFY_BATCH = 1000;
const LOOKUP_CHUNK = 10_000;

type AuditRow = typeof auditLog.$inferSelect;

export class DrizzleAuditRepository implements AuditRepository {
  readonly #appender: AuditAppender;

  constructor(private readonly db: VantaDb) {
    this.#appender = new AuditAppender(db);
  }

  /** Group commit: see audit-appender.ts. */
  append(event: VantaEvent): Promise<AuditEntry> {
    return this.#appender.append(event);
  }

  appendMany(events: readonly VantaEvent[]): Promise<readonly AuditEntry[]> {
    return Promise.all(events.map((event) => this.#appender.append(event)));
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

  async latestOfType(type: string, payload: Readonly<Record<string, string>> = {}): Promise<AuditEntry | null> {
    const fields = Object.entries(payload).map(([k, v]) => sql`${auditLog.payload} ->> ${k} = ${v}`);
    const rows = await this.db.select().from(auditLog).where(and(eq(auditLog.type, type), ...fields)).orderBy(desc(auditLog.seq)).limit(1);
    return rows[0] ? toEntry(rows[0]) : null;
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
        if (row.seq !== expectedSeq) return { ok: false, entries, brokenAtSeq: expectedSeq, problem: 'removed' };
        if (auditHash(row.prevHash, toEntry(row)) !== row.hash) {
          return { ok: false, entries, brokenAtSeq: row.seq, problem: 'altered', eventId: row.eventId };
        }
        if (row.prevHash !== expectedPrev) return { ok: false, entries, brokenAtSeq: row.seq, problem: 'reordered', eventId: row.eventId };
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

  async range(fromSeq: number, toSeq: number, limit: number): Promise<readonly AuditEntry[]> {
    const rows = await this.db
      .select()
      .from(auditLog)
      .where(and(gte(auditLog.seq, fromSeq), lte(auditLog.seq, toSeq)))
      .orderBy(asc(auditLog.seq))
      .limit(limit);
    return rows.map(toEntry);
  }

  async seqSpan(fromTs: number, toTs: number): Promise<{ readonly fromSeq: number; readonly toSeq: number } | null> {
    const rows = await this.db
      .select({ lo: min(auditLog.seq), hi: max(auditLog.seq) })
      .from(auditLog)
      .where(and(gte(auditLog.tsInit, fromTs), lte(auditLog.tsInit, toTs)));
    const { lo, hi } = rows[0] ?? {};
    return lo == null || hi == null ? null : { fromSeq: Number(lo), toSeq: Number(hi) };
  }
}
