/** Enriched signals, keyed by the envelope id of their `SignalEnriched` event. */
import { and, arrayContains, count, eq, type SQL } from 'drizzle-orm';
import type { EnrichmentFlag } from '../enrich/annotations.js';
import type { SignalEnriched, SignalKind } from '../types.js';
import type { VantaDb } from './db.js';
import { keysetPage } from './pagination.js';
import { jsonRows } from './json-rows.js';
import { writtenFlags } from './written.js';
import type { Page, PageRequest, SignalEvidence, SignalFilter, SignalRecord, SignalRepository } from './ports.js';
import { signals } from './schema.js';

type SignalRow = typeof signals.$inferSelect;

export class DrizzleSignalRepository implements SignalRepository {
  constructor(private readonly db: VantaDb) {}

  /**
   * False when nothing was written: the same event id was stored before (a redelivery), or a signal with the
   * same content hash was (a duplicate the enrich stage did not catch); the first one stored wins.
   */
  async insert(event: SignalEnriched): Promise<boolean> {
    const [written] = await this.insertMany([event]);
    return written ?? false;
  }

  async insertMany(events: readonly SignalEnriched[]): Promise<readonly boolean[]> {
    if (events.length === 0) return [];
    const written = await this.db
      .insert(signals)
      .select(jsonRows(signals, events.map(toRow)))
      .onConflictDoNothing()
      .returning({ id: signals.id });
    return writtenFlags(events, written);
  }

  async get(id: string): Promise<SignalRecord | null> {
    const rows = await this.db.select().from(signals).where(eq(signals.id, id)).limit(1);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  list(filter: SignalFilter, page: PageRequest): Promise<Page<SignalRecord>> {
    return keysetPage<SignalRow, SignalRecord>(this.db, {
      table: signals,
      sortColumn: signals.tsInit,
      idColumn: signals.id,
      where: signalWhere(filter),
      page,
      toItem: toRecord,
      keyOf: (row) => ({ key: row.tsInit, id: row.id }),
    });
  }

  async count(): Promise<number> {
    const rows = await this.db.select({ n: count() }).from(signals);
    return rows[0]?.n ?? 0;
  }
}

/** The stored form of an enriched signal (what `get` and `list` return, and what the API publishes). */
export function signalRecordOf(event: SignalEnriched): SignalRecord {
  const p = event.payload;
  return {
    id: event.id,
    source: p.source,
    kind: p.kind,
    instrument: p.instrument,
    externalId: p.externalId,
    contentHash: p.contentHash,
    polarity: p.polarity,
    magnitude: p.magnitude,
    body: p.body,
    flags: p.flags,
    weight: p.weight,
    evidence: evidenceOf(p),
    tsEvent: event.tsEvent,
    tsInit: event.tsInit,
    causationIds: event.causationIds,
  };
}

/** The evidence worth keeping: null for a clean signal, so that the common case stores nothing. */
function evidenceOf(p: SignalEnriched['payload']): SignalEvidence | null {
  const { nearDuplicateOf, swarm, lateness, clockSkewMs } = p;
  if (!nearDuplicateOf && !swarm && !lateness && clockSkewMs === null) return null;
  return { nearDuplicateOf, swarm, lateness, clockSkewMs };
}

function toRow(event: SignalEnriched): typeof signals.$inferInsert {
  const record = signalRecordOf(event);
  return { ...record, flags: [...record.flags], causationIds: [...event.causationIds] };
}

function signalWhere(filter: SignalFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.instrument != null) conditions.push(eq(signals.instrument, filter.instrument));
  if (filter.kind != null) conditions.push(eq(signals.kind, filter.kind));
  if (filter.source != null) conditions.push(eq(signals.source, filter.source));
  if (filter.flag != null) conditions.push(arrayContains(signals.flags, [filter.flag]));
  return conditions.length ? and(...conditions) : undefined;
}

function toRecord(row: SignalRow): SignalRecord {
  return {
    id: row.id,
    source: row.source,
    kind: row.kind as SignalKind,
    instrument: row.instrument,
    externalId: row.externalId,
    contentHash: row.contentHash,
    polarity: row.polarity,
    magnitude: row.magnitude,
    body: row.body as Record<string, unknown>,
    flags: row.flags as EnrichmentFlag[],
    weight: row.weight,
    evidence: row.evidence as SignalEvidence | null,
    tsEvent: row.tsEvent,
    tsInit: row.tsInit,
    causationIds: row.causationIds,
  };
}
