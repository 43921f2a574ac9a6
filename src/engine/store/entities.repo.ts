/**
 * The entity graph on either driver: entities and edges upserted idempotently, neighbours queried by direction
 * and kind, entities searched by name and identifiers (a substring search scans the table; a trigram index on
 * `name` is what a large graph will want).
 *
 * Every upsert merges an observation into the stored row by rules under which the result does not depend on the
 * order observations arrive in (a redelivery, a replay, two consumers racing):
 * - `first_seen`/`last_seen` widen (least/greatest); `created_by` follows the earliest observation and
 *   `updated_by` the latest;
 * - `name` and `attrs` are those of the latest observation that gave them (attrs are replaced whole, not merged:
 *   a merge of partial attribute sets cannot be order-independent without a version per key). An observation
 *   that gives neither, like the endpoints an edge implies, only widens the seen interval.
 * "Latest" compares a version: the observation's time zero-padded, then its event id, bytewise (`COLLATE "C"`,
 * so that PGlite and a server with another default collation agree). Repeats within one batch are merged in
 * memory by the same rules first, since one statement cannot update a row twice. Rows are written in key order, so
 * two transactions touching the same entities lock them in the same order and cannot deadlock.
 */
import { and, count, eq, gte, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import {
  EDGE_KINDS,
  type EdgeKind,
  type EntityKind,
  filerId,
  instrumentId,
  kindOfId,
  normalizeSymbol,
  padCik,
} from '../entities/ids.js';
import {
  type Attrs,
  type EdgeRecord,
  type EdgeUpsert,
  EntityGraphError,
  type EntityGraphRepository,
  type EntityRecord,
  type EntitySearchQuery,
  type EntityUpsert,
  type GraphDelta,
  type Neighbour,
  type NeighbourQuery,
} from '../entities/ports.js';
import type { VantaDb } from './db.js';
import { entities, entityEdges } from './schema.js';

/** Rows per statement: 10 parameters each stays far below PostgreSQL's 65,535. */
const CHUNK = 500;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const DEFAULT_SEARCH_LIMIT = 20;
const MAX_SEARCH_LIMIT = 100;
/** The `attrs` keys that hold identifiers, matched exactly by `search`. */
const IDENTIFIER_ATTRS = ['symbol', 'ticker', 'cik', 'cusip'] as const;

type EntityRow = typeof entities.$inferSelect;
type EdgeRow = typeof entityEdges.$inferSelect;
type EntityInsert = typeof entities.$inferInsert;
type EdgeInsert = typeof entityEdges.$inferInsert;

/** Sorts bytewise like `COLLATE "C"` for the ASCII ids and versions used here. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** An observation's version: its time, zero-padded so that text order is time order, then its event id. */
const versionOf = (ts: number, eventId: string) => `${String(ts).padStart(16, '0')}|${eventId}`;

/** The later of two versioned values; a missing version is older than any. */
function latest<V>(a: V, av: string | null | undefined, b: V, bv: string | null | undefined): [V, string | null] {
  if (bv != null && (av == null || bv > av)) return [b, bv];
  return [a, av ?? null];
}

/** What the merge rules read of a row (entity or edge). */
interface Observed {
  attrs?: unknown;
  attrsVersion?: string | null;
  firstSeen: number;
  lastSeen: number;
  createdBy: string;
  updatedBy: string;
}

/** Merges observation `b` into `a` by the same rules as the SQL of {@link mergeSet}. */
function merge<T extends Observed & { name?: string | null; nameVersion?: string | null }>(a: T, b: T): T {
  const [attrs, attrsVersion] = latest(a.attrs, a.attrsVersion, b.attrs, b.attrsVersion);
  const [name, nameVersion] = latest(a.name, a.nameVersion, b.name, b.nameVersion);
  const newer = versionOf(b.lastSeen, b.updatedBy) > versionOf(a.lastSeen, a.updatedBy);
  const older = versionOf(b.firstSeen, b.createdBy) < versionOf(a.firstSeen, a.createdBy);
  return {
    ...a,
    attrs,
    attrsVersion,
    ...('nameVersion' in a ? { name, nameVersion } : {}),
    firstSeen: Math.min(a.firstSeen, b.firstSeen),
    lastSeen: Math.max(a.lastSeen, b.lastSeen),
    createdBy: older ? b.createdBy : a.createdBy,
    updatedBy: newer ? b.updatedBy : a.updatedBy,
  };
}

/** Orders a text column bytewise, the same on every server whatever its default collation. */
const bytewise = (column: AnyPgColumn) => sql`${column} collate "C"`;

/** Merges repeats of a key and sorts by key. */
function collapse<T extends Observed>(rows: readonly T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    const known = byKey.get(k);
    byKey.set(k, known ? merge(known, row) : row);
  }
  return [...byKey.entries()].sort(([a], [b]) => cmp(a, b)).map(([, row]) => row);
}

function checkTs(ts: number, what: string): void {
  if (!Number.isSafeInteger(ts) || ts < 0) throw new EntityGraphError(`${what}: ts must be epoch ms >= 0, got ${ts}`);
}

function entityRow(e: EntityUpsert): EntityInsert & Observed {
  if (kindOfId(e.id) !== e.kind) throw new EntityGraphError(`entity ${JSON.stringify(e.id)} is not of kind ${e.kind}`);
  checkTs(e.ts, e.id);
  const version = versionOf(e.ts, e.eventId);
  return {
    id: e.id,
    kind: e.kind,
    name: e.name ?? null,
    nameVersion: e.name != null ? version : null,
    attrs: e.attrs ?? {},
    attrsVersion: e.attrs !== undefined ? version : null,
    firstSeen: e.ts,
    lastSeen: e.ts,
    createdBy: e.eventId,
    updatedBy: e.eventId,
  };
}

function edgeRow(e: EdgeUpsert): EdgeInsert & Observed {
  if (!EDGE_KINDS.includes(e.kind)) throw new EntityGraphError(`unknown edge kind ${JSON.stringify(e.kind)}`);
  for (const end of [e.src, e.dst]) {
    if (kindOfId(end) === null) throw new EntityGraphError(`edge endpoint ${JSON.stringify(end)} is not an entity id`);
  }
  checkTs(e.ts, `${e.src} ${e.kind} ${e.dst}`);
  return {
    src: e.src,
    kind: e.kind,
    dst: e.dst,
    attrs: e.attrs ?? {},
    attrsVersion: e.attrs !== undefined ? versionOf(e.ts, e.eventId) : null,
    firstSeen: e.ts,
    lastSeen: e.ts,
    createdBy: e.eventId,
    updatedBy: e.eventId,
  };
}

/** The endpoints of edges, as observations of bare entities (no name, no attributes). */
function endpoints(edges: readonly EdgeUpsert[]): EntityUpsert[] {
  return edges.flatMap((e) =>
    [e.src, e.dst].map((id) => ({ id, kind: kindOfId(id) as EntityKind, ts: e.ts, eventId: e.eventId })),
  );
}

/** The SQL of the merge rules, for table `t` against `excluded`. */
function mergeSet(t: 'entities' | 'entity_edges'): Record<string, SQL> {
  const cur = (c: string) => sql.raw(`"${t}"."${c}"`);
  const ex = (c: string) => sql.raw(`excluded."${c}"`);
  const c = (x: SQL) => sql`(${x} collate "C")`;
  const version = (ts: SQL, by: SQL) => sql`lpad(${ts}::text, 16, '0') || '|' || ${by}`;
  const last = (of: typeof cur) => c(version(of('last_seen'), of('updated_by')));
  const first = (of: typeof cur) => c(version(of('first_seen'), of('created_by')));
  const newer = sql`${last(ex)} > ${last(cur)}`;
  const older = sql`${first(ex)} < ${first(cur)}`;
  /** A versioned column takes the excluded value when its version is later (a null version is older than any). */
  const versioned = (col: string) => {
    const v = `${col}_version`;
    const takes = sql`${ex(v)} is not null and (${cur(v)} is null or ${c(ex(v))} > ${c(cur(v))})`;
    return {
      value: sql`case when ${takes} then ${ex(col)} else ${cur(col)} end`,
      version: sql`case when ${takes} then ${ex(v)} else ${cur(v)} end`,
    };
  };
  const attrs = versioned('attrs');
  const name = versioned('name');
  return {
    ...(t === 'entities' ? { name: name.value, nameVersion: name.version } : {}),
    attrs: attrs.value,
    attrsVersion: attrs.version,
    firstSeen: sql`least(${cur('first_seen')}, ${ex('first_seen')})`,
    lastSeen: sql`greatest(${cur('last_seen')}, ${ex('last_seen')})`,
    createdBy: sql`case when ${older} then ${ex('created_by')} else ${cur('created_by')} end`,
    updatedBy: sql`case when ${newer} then ${ex('updated_by')} else ${cur('updated_by')} end`,
  };
}

type Executor = Pick<VantaDb, 'insert'>;

export class DrizzleEntityGraphRepository implements EntityGraphRepository {
  constructor(private readonly db: VantaDb) {}

  async record(delta: GraphDelta): Promise<void> {
    const entityRows = collapse([...delta.entities, ...endpoints(delta.edges)].map(entityRow), (r) => r.id);
    const edgeRows = collapse(delta.edges.map(edgeRow), (r) => `${r.src}\u0000${r.kind}\u0000${r.dst}`);
    if (entityRows.length === 0) return;
    await this.db.transaction(async (tx) => {
      await writeEntities(tx, entityRows);
      await writeEdges(tx, edgeRows);
    });
  }

  upsertEntities(list: readonly EntityUpsert[]): Promise<void> {
    return this.record({ entities: list, edges: [] });
  }

  upsertEdges(list: readonly EdgeUpsert[]): Promise<void> {
    return this.record({ entities: [], edges: list });
  }

  async getEntity(id: string): Promise<EntityRecord | null> {
    const rows = await this.db.select().from(entities).where(eq(entities.id, id)).limit(1);
    return rows[0] ? toEntity(rows[0]) : null;
  }

  async getEdge(src: string, kind: EdgeKind, dst: string): Promise<EdgeRecord | null> {
    const rows = await this.db
      .select()
      .from(entityEdges)
      .where(and(eq(entityEdges.src, src), eq(entityEdges.kind, kind), eq(entityEdges.dst, dst)))
      .limit(1);
    return rows[0] ? toEdge(rows[0]) : null;
  }

  async neighbours(id: string, query: NeighbourQuery = {}): Promise<readonly Neighbour[]> {
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_LIMIT)));
    const direction = query.direction ?? 'both';
    if (query.kinds && query.kinds.length === 0) return [];
    const filters = (): SQL[] => [
      ...(query.kinds ? [inArray(entityEdges.kind, [...query.kinds])] : []),
      ...(query.since != null ? [gte(entityEdges.lastSeen, query.since)] : []),
    ];
    const side = async (dir: 'out' | 'in'): Promise<Neighbour[]> => {
      const [self, other] = dir === 'out' ? [entityEdges.src, entityEdges.dst] : [entityEdges.dst, entityEdges.src];
      const rows = await this.db
        .select({ edge: entityEdges, entity: entities })
        .from(entityEdges)
        .innerJoin(entities, eq(entities.id, other))
        .where(and(eq(self, id), ...filters()))
        .orderBy(bytewise(entityEdges.kind), bytewise(other))
        .limit(limit);
      return rows.map((r) => ({ entity: toEntity(r.entity), edge: toEdge(r.edge), direction: dir }));
    };
    const out = direction === 'in' ? [] : await side('out');
    const inbound = direction === 'out' ? [] : await side('in');
    return [...out, ...inbound].slice(0, limit);
  }

  async search(text: string, query: EntitySearchQuery = {}): Promise<readonly EntityRecord[]> {
    const needle = text.trim();
    if (needle === '') return [];
    const limit = Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_SEARCH_LIMIT)));
    const exact = exactMatch(needle);
    const pattern = `%${needle.replace(/[\\%_]/g, '\\$&')}%`;
    const rows = await this.db
      .select()
      .from(entities)
      .where(
        and(
          query.kind ? eq(entities.kind, query.kind) : undefined,
          or(exact, ilike(entities.name, pattern), ilike(entities.id, pattern)),
        ),
      )
      .orderBy(
        sql`case when ${exact} then 0 else 1 end`,
        sql`lower(${entities.name}) collate "C" asc nulls last`,
        bytewise(entities.id),
      )
      .limit(limit);
    return rows.map(toEntity);
  }

  async edgesCreatedBy(eventId: string): Promise<readonly EdgeRecord[]> {
    const rows = await this.db
      .select()
      .from(entityEdges)
      .where(eq(entityEdges.createdBy, eventId))
      .orderBy(bytewise(entityEdges.src), bytewise(entityEdges.kind), bytewise(entityEdges.dst));
    return rows.map(toEdge);
  }

  async countEntities(): Promise<number> {
    const rows = await this.db.select({ n: count() }).from(entities);
    return rows[0]?.n ?? 0;
  }

  async countEdges(): Promise<number> {
    const rows = await this.db.select({ n: count() }).from(entityEdges);
    return rows[0]?.n ?? 0;
  }
}

/** Whether an entity is what `needle` identifies exactly (see `EntityGraphRepository.search`). */
function exactMatch(needle: string): SQL {
  const upper = needle.toUpperCase();
  const ids = [needle];
  const symbol = normalizeSymbol(needle);
  if (symbol) ids.push(instrumentId(symbol));
  const cik = padCik(needle);
  if (cik) ids.push(filerId(cik));
  const values = cik ? [upper, cik] : [upper];
  return or(
    sql`lower(${entities.id}) in (${sql.join(
      ids.map((id) => sql`${id.toLowerCase()}`),
      sql`, `,
    )})`,
    ...IDENTIFIER_ATTRS.map((key) => inArray(sql`upper(${entities.attrs}->>${key})`, values)),
    sql`exists (select 1 from ${entityEdges} where ${entityEdges.dst} = ${entities.id}
      and ${entityEdges.kind} = 'holds' and upper(${entityEdges.attrs}->>'cusip') = ${upper})`,
  )!;
}

async function writeEntities(tx: Executor, rows: readonly EntityInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx
      .insert(entities)
      .values(rows.slice(i, i + CHUNK))
      .onConflictDoUpdate({ target: entities.id, set: mergeSet('entities') });
  }
}

async function writeEdges(tx: Executor, rows: readonly EdgeInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx
      .insert(entityEdges)
      .values(rows.slice(i, i + CHUNK))
      .onConflictDoUpdate({
        target: [entityEdges.src, entityEdges.kind, entityEdges.dst],
        set: mergeSet('entity_edges'),
      });
  }
}

function toEntity(row: EntityRow): EntityRecord {
  return {
    id: row.id,
    kind: row.kind as EntityKind,
    name: row.name,
    attrs: row.attrs as Attrs,
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    createdBy: row.createdBy,
    updatedBy: row.updatedBy,
  };
}

function toEdge(row: EdgeRow): EdgeRecord {
  return {
    src: row.src,
    kind: row.kind as EdgeKind,
    dst: row.dst,
    attrs: row.attrs as Attrs,
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    createdBy: row.createdBy,
    updatedBy: row.updatedBy,
  };
}
