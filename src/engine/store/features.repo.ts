/**
 * The offline feature store over drizzle, on both drivers: append-only batches into `feature_values`, and the
 * point-in-time as-of join as one SQL statement per chunk of labels (a LATERAL subquery per label and feature
 * that walks the as-of index backwards and stops at the first usable row).
 */
import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import {
  type AsOfRequest,
  checkAsOfRequest,
  checkRows,
  type FeatureRepository,
  type FeatureRow,
  maxAgeOf,
  type TrainingRow,
} from '../features/offline.js';
import type { VantaDb } from './db.js';
import { featureValues } from './schema.js';

/** Rows per insert: sent as one JSON document, so only its size bounds it. */
const APPEND_CHUNK = 5_000;
/** Labels per as-of statement: each becomes one JSON document, joined with every feature. */
const LABEL_CHUNK = 2_000;

export class DrizzleFeatureRepository implements FeatureRepository {
  constructor(private readonly db: VantaDb) {}

  async append(rows: readonly FeatureRow[]): Promise<number> {
    checkRows(rows);
    let written = 0;
    for (let i = 0; i < rows.length; i += APPEND_CHUNK) written += await this.#insert(rows.slice(i, i + APPEND_CHUNK));
    return written;
  }

  /** One multi-row insert, in the order given (so `seq` follows it); repeats are skipped by the unique index. */
  async #insert(rows: readonly FeatureRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const document = JSON.stringify(
      rows.map((r, ord) => ({
        ord,
        entity: r.entity,
        feature: r.feature,
        version: r.version,
        ts: r.ts,
        value: r.value,
        observed_at: r.observedAt,
        source_event_id: r.sourceEventId,
      })),
    );
    // Written by hand: drizzle's insert would list `seq`, which is generated always.
    const written = await this.#rows(sql`
      insert into ${featureValues} (entity, feature, version, ts, value, observed_at, source_event_id)
      select r.entity, r.feature, r.version, r.ts, r.value, r.observed_at, r.source_event_id
      from jsonb_to_recordset(${document}::jsonb) as r(
        ord int, entity text, feature text, version text, ts bigint, value double precision,
        observed_at bigint, source_event_id text)
      order by r.ord
      on conflict do nothing
      returning seq`);
    return written.length;
  }

  async asOfJoin(request: AsOfRequest): Promise<readonly TrainingRow[]> {
    checkAsOfRequest(request);
    const { labels, features } = request;
    const values = labels.map(() => features.map((): number | null => null));
    const asOf = labels.map(() => features.map((): number | null => null));
    if (features.length > 0) {
      const featureDoc = JSON.stringify(
        features.map((f, i) => ({ i, feature: f.name, version: f.versionId, max_age: maxAgeOf(f, request.maxStaleness) })),
      );
      for (let start = 0; start < labels.length; start += LABEL_CHUNK) {
        const chunk = labels.slice(start, start + LABEL_CHUNK);
        const labelDoc = JSON.stringify(chunk.map((l, j) => ({ i: start + j, entity: l.entity, label_time: l.labelTime })));
        for (const row of await this.#rows(asOfJoinSql(labelDoc, featureDoc))) {
          const label = Number(row.label_index);
          const feature = Number(row.feature_index);
          values[label]![feature] = row.value === null ? null : Number(row.value);
          asOf[label]![feature] = Number(row.ts);
        }
      }
    }
    return labels.map((l, i) => ({ entity: l.entity, labelTime: l.labelTime, label: l.label, values: values[i]!, asOf: asOf[i]! }));
  }

  async history(entity: string, feature: string, version: string): Promise<readonly FeatureRow[]> {
    const rows = await this.db
      .select()
      .from(featureValues)
      .where(and(eq(featureValues.entity, entity), eq(featureValues.feature, feature), eq(featureValues.version, version)))
      .orderBy(asc(featureValues.ts), asc(featureValues.observedAt), asc(featureValues.seq));
    return rows.map(({ seq: _seq, ...row }) => row);
  }

  async count(): Promise<number> {
    const rows = await this.db.select({ n: count() }).from(featureValues);
    return rows[0]?.n ?? 0;
  }

  /** Runs a raw statement; postgres.js hands back an array of rows, PGlite an object holding them. */
  async #rows(query: SQL): Promise<Record<string, unknown>[]> {
    const result = (await this.db.execute(query)) as unknown;
    if (Array.isArray(result)) return result as Record<string, unknown>[];
    return (result as { rows: Record<string, unknown>[] }).rows;
  }
}

/**
 * For each (label, feature): the latest value with `ts <= label_time` that was known by then
 * (`observed_at <= label_time`), no older than the feature's `max_age` when it has one. Ties on `ts` go to
 * the value known last, then to the one stored last. Labels without a usable value return no row.
 */
function asOfJoinSql(labelDoc: string, featureDoc: string): SQL {
  return sql`
    select l.i as label_index, f.i as feature_index, v.value, v.ts::float8 as ts
    from jsonb_to_recordset(${labelDoc}::jsonb) as l(i int, entity text, label_time bigint)
    cross join jsonb_to_recordset(${featureDoc}::jsonb) as f(i int, feature text, version text, max_age bigint)
    cross join lateral (
      select fv.value, fv.ts
      from ${featureValues} fv
      where fv.entity = l.entity
        and fv.feature = f.feature
        and fv.version = f.version
        and fv.ts <= l.label_time
        and fv.observed_at <= l.label_time
        and (f.max_age is null or fv.ts >= l.label_time - f.max_age)
      order by fv.ts desc, fv.observed_at desc, fv.seq desc
      limit 1
    ) v`;
}
