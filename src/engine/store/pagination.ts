/**
 * Keyset pagination, newest first. A cursor is the base64url of the JSON `[sortKey, id]` of the last item
 * seen; the next page holds the items strictly after it in `(sortKey desc, id desc)` order.
 */
import { and, count, desc, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { VantaDb } from './db.js';
import { InvalidCursorError, type Page, type PageRequest } from './ports.js';

export const MAX_PAGE_SIZE = 500;

export interface SortKey {
  readonly key: number;
  readonly id: string;
}

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify([key.key, key.id]), 'utf8').toString('base64url');
}

/** Throws {@link InvalidCursorError} for anything `encodeCursor` could not have produced. */
export function decodeCursor(cursor: string): SortKey {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError(cursor);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(cursor);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== 'string'
  ) {
    throw new InvalidCursorError(cursor);
  }
  return { key: parsed[0] as number, id: parsed[1] as string };
}

/** `first` clamped to 1..500. */
export function pageSize(first: number): number {
  const n = Number.isNaN(first) ? 1 : Math.trunc(first);
  return Math.min(MAX_PAGE_SIZE, Math.max(1, n));
}

/**
 * Runs one keyset page over `table`, ordered by `(sortColumn desc, idColumn desc)`, plus the filtered count.
 * `toItem` maps a selected row to the item and `keyOf` gives the row's sort key for its cursor.
 */
export async function keysetPage<Row, Item>(
  db: VantaDb,
  spec: {
    readonly table: PgTable;
    readonly sortColumn: PgColumn;
    readonly idColumn: PgColumn;
    readonly where: SQL | undefined;
    readonly page: PageRequest;
    readonly toItem: (row: Row) => Item;
    readonly keyOf: (row: Row) => SortKey;
  },
): Promise<Page<Item>> {
  const limit = pageSize(spec.page.first);
  const after = spec.page.after ? decodeCursor(spec.page.after) : null;
  // A row comparison keeps the predicate on the (sort, id) index.
  const afterCondition = after
    ? sql`(${spec.sortColumn}, ${spec.idColumn}) < (${after.key}::bigint, ${after.id}::text)`
    : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(spec.table)
      .where(and(spec.where, afterCondition))
      .orderBy(desc(spec.sortColumn), desc(spec.idColumn))
      .limit(limit + 1) as unknown as Promise<Row[]>,
    db.select({ n: count() }).from(spec.table).where(spec.where),
  ]);
  const pageRows = rows.slice(0, limit);
  return {
    items: pageRows.map(spec.toItem),
    cursors: pageRows.map((row) => encodeCursor(spec.keyOf(row))),
    hasNextPage: rows.length > limit,
    totalCount: totals[0]?.n ?? 0,
  };
}
