/**
 * The filing views of `filings.ports.ts` over the `signals` table: jsonb conditions on `signals.body`, keyset
 * pagination on `(ts_event desc, id desc)` (cursors as in `pagination.ts`), and the 4/A retraction rules as
 * correlated subqueries.
 *
 * Every condition reads `body` through `->>`; none has an index yet. Expression indexes on the fields filtered
 * most (`kind, body->>'issuerCik'`, `kind, body->>'filerCik'`, `body->>'retractsExternalId'`, a GIN index on
 * `body->'owners'`) are what a large store will want once the listings are used in earnest.
 */
import { and, count, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { instrumentId } from '../entities/ids.js';
import type { VantaDb } from './db.js';
import { insiderClusterOf, insiderTransactionOf, institutionalHoldingOf } from './filing-bodies.js';
import type {
  FilingRepository,
  FilingSignalRef,
  InsiderClusterFilter,
  InsiderClusterRecord,
  InsiderTransactionFilter,
  InsiderTransactionRecord,
  InstitutionalHoldingFilter,
  InstitutionalHoldingRecord,
  RetractionRecord,
} from './filings.ports.js';
import { decodeCursor, encodeCursor, pageSize } from './pagination.js';
import type { Page, PageRequest } from './ports.js';
import { entityEdges, signals } from './schema.js';

type Body = Readonly<Record<string, unknown>>;

/** `body->>'key'`, or `body->'a'->>'b'` for a path; keys are this file's constants, spelled as SQL literals. */
function field(body: AnyPgColumn, ...path: string[]): SQL {
  const keys = path.map((k) => {
    if (!/^\w+$/.test(k)) throw new Error(`not a body key: ${k}`);
    return sql.raw(`'${k}'`);
  });
  const last = keys.pop()!;
  return keys.length === 0 ? sql`(${body}->>${last})` : sql`(${body}->${sql.join(keys, sql`->`)}->>${last})`;
}

const s = (...path: string[]) => field(signals.body, ...path);
/** Text compared bytewise, so dates and codes order alike on every server collation. */
const bytes = (x: SQL) => sql`${x} collate "C"`;

/** The retraction signal a correlated subquery looks at, against the outer `signals` row. */
const retraction = alias(signals, 'retraction');
const fromRetractions = sql`${signals} as ${sql.identifier('retraction')}`;
const r = (...path: string[]) => field(retraction.body, ...path);

/**
 * Whether `retraction` withdraws the outer `signals` row (see `collectors/sec/signals.ts`, "Amendments replace"):
 * by external id; by accession; by issuer, owner, form and filing date; or as an amendment of the same original
 * (named by its accession or its date) filed before the retracting one.
 */
const withdraws: SQL = and(
  eq(retraction.kind, 'insider_filing'),
  sql`${r('retracts')} = 'true'`,
  or(
    sql`${r('retractsExternalId')} = ${signals.externalId}`,
    and(sql`${r('retractsExternalId')} is null`, sql`${r('retractsAccession')} = ${s('accessionNumber')}`),
    and(
      sql`${r('match', 'issuerCik')} = ${s('issuerCik')}`,
      sql`${r('match', 'ownerCik')} = ${s('ownerCik')}`,
      sql`${r('match', 'documentType')} = ${s('documentType')}`,
      sql`${r('match', 'filedDate')} = ${s('filedDate')}`,
    ),
    and(
      sql`${s('amendment')} = 'true'`,
      sql`(${signals.tsEvent}, ${bytes(s('accessionNumber'))}) < (${retraction.tsEvent}, ${bytes(r('amendedBy'))})`,
      or(
        sql`${s('amends', 'accessionNumber')} = ${r('retractsAccession')}`,
        and(
          sql`${r('match', 'issuerCik')} = ${s('issuerCik')}`,
          sql`${r('match', 'ownerCik')} = ${s('ownerCik')}`,
          sql`${s('amends', 'dateOfOriginalSubmission')} = ${r('match', 'filedDate')}`,
        ),
      ),
    ),
  ),
)!;

/** The earliest retraction withdrawing the outer row, as `{signalId, amendedBy, reason}`, or null. */
const retractionOfRow = sql<RetractionRecord | null>`(
  select jsonb_build_object('signalId', ${retraction.id}, 'amendedBy', ${r('amendedBy')}, 'reason', ${r('reason')})
  from ${fromRetractions} where ${withdraws}
  order by ${retraction.tsEvent}, ${retraction.id} limit 1)`;

/** A transaction row of an SEC ownership form (not a retraction, not a simulated filing without an accession). */
const isOwnershipTransaction: SQL = and(
  eq(signals.kind, 'insider_filing'),
  sql`${s('retracts')} is distinct from 'true'`,
  sql`${s('accessionNumber')} is not null`,
  sql`${s('transactionCode')} is not null`,
)!;

function insiderWhere(f: InsiderTransactionFilter): SQL {
  const conditions: (SQL | undefined)[] = [isOwnershipTransaction];
  if (f.instrument != null) conditions.push(eq(signals.instrument, f.instrument));
  if (f.issuerCik != null) conditions.push(sql`${s('issuerCik')} = ${f.issuerCik}`);
  if (f.ownerCik != null) {
    conditions.push(sql`(${signals.body}->'owners') @> ${JSON.stringify([{ cik: f.ownerCik }])}::jsonb`);
  }
  if (f.codes != null) conditions.push(inArray(sql`upper(${s('transactionCode')})`, [...f.codes]));
  if (f.discretionaryOnly) conditions.push(inArray(sql`upper(${s('transactionCode')})`, ['P', 'S']));
  if (f.transactedFrom != null) conditions.push(sql`${bytes(s('transactionDate'))} >= ${f.transactedFrom}`);
  if (f.transactedTo != null) conditions.push(sql`${bytes(s('transactionDate'))} <= ${f.transactedTo}`);
  if (!f.includeRetracted) conditions.push(sql`not exists (select 1 from ${fromRetractions} where ${withdraws})`);
  return and(...conditions)!;
}

function holdingWhere(f: InstitutionalHoldingFilter): SQL {
  const conditions: (SQL | undefined)[] = [eq(signals.kind, 'institutional_holding')];
  if (f.managerCik != null) conditions.push(sql`${s('filerCik')} = ${f.managerCik}`);
  if (f.cusip != null) conditions.push(sql`upper(${s('cusip')}) = ${f.cusip}`);
  if (f.reportPeriod != null) conditions.push(sql`${s('periodOfReport')} = ${f.reportPeriod}`);
  if (f.instrument != null) {
    // 13F rows name a CUSIP, not a symbol: the entity graph's `holds` edges say which instrument a CUSIP is.
    const cusips = sql`select upper(${entityEdges.attrs}->>'cusip') from ${entityEdges}
      where ${entityEdges.dst} = ${instrumentId(f.instrument)} and ${entityEdges.kind} = 'holds'`;
    conditions.push(or(eq(signals.instrument, f.instrument), sql`upper(${s('cusip')}) in (${cusips})`));
  }
  return and(...conditions)!;
}

function clusterWhere(f: InsiderClusterFilter): SQL {
  const conditions: (SQL | undefined)[] = [eq(signals.kind, 'insider_cluster')];
  if (f.instrument != null) conditions.push(eq(signals.instrument, f.instrument));
  if (f.issuerId != null) conditions.push(sql`${s('issuerId')} = ${f.issuerId}`);
  if (f.status != null) conditions.push(sql`${s('status')} = ${f.status}`);
  if (f.from != null) conditions.push(sql`${s('windowEnd')}::bigint >= ${Math.floor(f.from)}::bigint`);
  if (f.to != null) conditions.push(sql`${s('windowStart')}::bigint <= ${Math.floor(f.to)}::bigint`);
  return and(...conditions)!;
}

interface Row {
  readonly ref: FilingSignalRef;
  readonly body: Body;
  readonly retraction: RetractionRecord | null;
}

export class DrizzleFilingRepository implements FilingRepository {
  constructor(private readonly db: VantaDb) {}

  async insiderTransactions(
    filter: InsiderTransactionFilter,
    page: PageRequest,
  ): Promise<Page<InsiderTransactionRecord>> {
    const rows = await this.#page(insiderWhere(filter), page, filter.includeRetracted ?? false);
    return mapItems(rows, (row) => insiderTransactionOf(row.ref, row.body, row.retraction));
  }

  async institutionalHoldings(
    filter: InstitutionalHoldingFilter,
    page: PageRequest,
  ): Promise<Page<InstitutionalHoldingRecord>> {
    const rows = await this.#page(holdingWhere(filter), page, false);
    const held = await this.#instrumentsByCusip(rows.items.filter((row) => row.ref.instrument === null));
    return mapItems(rows, (row) => {
      const holding = institutionalHoldingOf(row.ref, row.body);
      return holding.instrument === null ? { ...holding, instrument: held.get(holding.cusip) ?? null } : holding;
    });
  }

  async insiderClusters(filter: InsiderClusterFilter, page: PageRequest): Promise<Page<InsiderClusterRecord>> {
    const rows = await this.#page(clusterWhere(filter), page, false);
    return mapItems(rows, (row) => insiderClusterOf(row.ref, row.body));
  }

  /** One keyset page of signals matching `where`, newest first, with the filtered count. */
  async #page(where: SQL, page: PageRequest, withRetraction: boolean): Promise<Page<Row>> {
    const limit = pageSize(page.first);
    const after = page.after ? decodeCursor(page.after) : null;
    const afterCondition = after
      ? sql`(${signals.tsEvent}, ${signals.id}) < (${after.key}::bigint, ${after.id}::text)`
      : undefined;
    const [rows, totals] = await Promise.all([
      this.db
        .select({
          id: signals.id,
          source: signals.source,
          externalId: signals.externalId,
          instrument: signals.instrument,
          tsEvent: signals.tsEvent,
          tsInit: signals.tsInit,
          body: signals.body,
          retraction: withRetraction ? retractionOfRow : sql<null>`null`,
        })
        .from(signals)
        .where(and(where, afterCondition))
        .orderBy(desc(signals.tsEvent), desc(signals.id))
        .limit(limit + 1),
      this.db.select({ n: count() }).from(signals).where(where),
    ]);
    const pageRows = rows.slice(0, limit);
    return {
      items: pageRows.map((row) => ({
        ref: {
          signalId: row.id,
          source: row.source,
          externalId: row.externalId,
          instrument: row.instrument,
          tsEvent: row.tsEvent,
          tsInit: row.tsInit,
        },
        body: row.body as Body,
        retraction: row.retraction,
      })),
      cursors: pageRows.map((row) => encodeCursor({ key: row.tsEvent, id: row.id })),
      hasNextPage: rows.length > limit,
      totalCount: totals[0]?.n ?? 0,
    };
  }

  /** CUSIP → the instrument the entity graph's `holds` edges tie it to (the first by symbol, should two). */
  async #instrumentsByCusip(rows: readonly Row[]): Promise<Map<string, string>> {
    const cusips = [...new Set(rows.map((row) => row.body.cusip).filter((c): c is string => typeof c === 'string'))];
    if (cusips.length === 0) return new Map();
    const cusip = sql<string>`upper(${entityEdges.attrs}->>'cusip')`;
    const found = await this.db
      .select({ cusip, instrument: sql<string>`min(${entityEdges.dst} collate "C")` })
      .from(entityEdges)
      .where(and(eq(entityEdges.kind, 'holds'), inArray(cusip, cusips.map((c) => c.toUpperCase()))))
      .groupBy(cusip);
    return new Map(found.map((f) => [f.cusip, f.instrument.slice('ins:'.length)]));
  }
}

function mapItems<A, B>(page: Page<A>, map: (item: A) => B): Page<B> {
  return { ...page, items: page.items.map(map) };
}
