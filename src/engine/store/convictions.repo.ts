/** Conviction vectors, keyed by the envelope id of their `ConvictionScored` event. */
import { and, arrayContains, count, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { ContributingModel, ConvictionBand, ConvictionVector, Direction, ReasonComponent } from '../types.js';
import type { VantaDb } from './db.js';
import { keysetPage } from './pagination.js';
import { jsonRows } from './json-rows.js';
import { writtenFlags } from './written.js';
import type { ConvictionFilter, ConvictionRepository, ConvictionToStore, Page, PageRequest } from './ports.js';
import { convictionVectors } from './schema.js';

type ConvictionRow = typeof convictionVectors.$inferSelect;

export class DrizzleConvictionRepository implements ConvictionRepository {
  constructor(private readonly db: VantaDb) {}

  async insert(vector: ConvictionVector, causationIds: readonly string[]): Promise<boolean> {
    const [written] = await this.insertMany([{ vector, causationIds }]);
    return written ?? false;
  }

  async insertMany(items: readonly ConvictionToStore[]): Promise<readonly boolean[]> {
    if (items.length === 0) return [];
    const written = await this.db
      .insert(convictionVectors)
      .select(jsonRows(convictionVectors, items.map(toRow)))
      .onConflictDoNothing({ target: convictionVectors.id })
      .returning({ id: convictionVectors.id });
    return writtenFlags(
      items.map((i) => i.vector),
      written,
    );
  }

  async get(id: string): Promise<ConvictionVector | null> {
    const rows = await this.db.select().from(convictionVectors).where(eq(convictionVectors.id, id)).limit(1);
    return rows[0] ? toVector(rows[0]) : null;
  }

  list(filter: ConvictionFilter, page: PageRequest): Promise<Page<ConvictionVector>> {
    return keysetPage<ConvictionRow, ConvictionVector>(this.db, {
      table: convictionVectors,
      sortColumn: convictionVectors.createdAt,
      idColumn: convictionVectors.id,
      where: convictionWhere(filter),
      page,
      toItem: toVector,
      keyOf: (row) => ({ key: row.createdAt, id: row.id }),
    });
  }

  async count(): Promise<number> {
    const rows = await this.db.select({ n: count() }).from(convictionVectors);
    return rows[0]?.n ?? 0;
  }
}

function toRow({ vector, causationIds }: ConvictionToStore): typeof convictionVectors.$inferInsert {
  return {
    id: vector.id,
    signalId: vector.signalId,
    instrument: vector.instrument,
    score: vector.convictionScore,
    direction: vector.direction,
    band: vector.band,
    reasonVector: vector.reasonVector,
    contributingModels: vector.contributingModels,
    routingTags: [...vector.routingTags],
    ttlSeconds: vector.ttl,
    expiresAt: vector.expiresAt,
    explanation: vector.explanation,
    createdAt: vector.createdAt,
    causationIds: [...causationIds],
  };
}

function convictionWhere(filter: ConvictionFilter): SQL | undefined {
  const c = convictionVectors;
  const conditions: SQL[] = [];
  if (filter.instrument != null) conditions.push(eq(c.instrument, filter.instrument));
  if (filter.minAbsScore != null) conditions.push(sql`abs(${c.score}) >= ${filter.minAbsScore}::double precision`);
  if (filter.band != null) conditions.push(eq(c.band, filter.band));
  if (filter.routingTag != null) conditions.push(arrayContains(c.routingTags, [filter.routingTag]));
  if (filter.activeAt != null) conditions.push(gt(c.expiresAt, Math.floor(filter.activeAt)));
  return conditions.length ? and(...conditions) : undefined;
}

function toVector(row: ConvictionRow): ConvictionVector {
  return {
    id: row.id,
    signalId: row.signalId,
    instrument: row.instrument,
    convictionScore: row.score,
    direction: row.direction as Direction,
    band: row.band as ConvictionBand,
    reasonVector: row.reasonVector as readonly ReasonComponent[],
    contributingModels: row.contributingModels as readonly ContributingModel[],
    ttl: row.ttlSeconds,
    expiresAt: row.expiresAt,
    routingTags: row.routingTags,
    explanation: row.explanation,
    createdAt: row.createdAt,
  };
}
