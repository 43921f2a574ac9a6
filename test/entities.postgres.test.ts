/**
 * The entity graph contract on a PostgreSQL server (a fresh database per suite), and the entity tables created
 * alike by the migrations on PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { entityGraphContract } from '../src/engine/store/entities.contract.js';
import { DrizzleEntityGraphRepository } from '../src/engine/store/entities.repo.js';
import { createStore } from '../src/engine/store/repositories.js';
import { freshPostgresStore } from './postgres-store.js';
import { createTestDatabase, postgresAvailable } from './services.js';

const available = await postgresAvailable();

describe.skipIf(!available)('entity graph on PostgreSQL', () => {
  entityGraphContract('postgres', async () => {
    const { store, cleanup } = await freshPostgresStore();
    return {
      graph: new DrizzleEntityGraphRepository(store.database.db),
      rawQuery: (text, params) => store.database.query(text, params),
      cleanup,
    };
  });

  it('migrations create the same entity tables, columns, indexes and constraints on both drivers', async () => {
    const { url, drop } = await createTestDatabase();
    const pg = await createStore(url);
    const lite = await createStore('memory://');
    const tables = `('entities', 'entity_edges')`;
    try {
      const queries = [
        `select table_name, column_name, data_type, is_nullable, column_default, udt_name
           from information_schema.columns where table_schema = 'public' and table_name in ${tables}
           order by table_name, column_name`,
        `select tablename, indexname, indexdef from pg_indexes
           where schemaname = 'public' and tablename in ${tables} order by tablename, indexname`,
        `select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as def
           from pg_constraint where connamespace = 'public'::regnamespace and contype <> 'n'
             and conrelid::regclass::text in ${tables} order by 1, 2`,
      ];
      for (const q of queries) {
        const onPg = await pg.database.query(q);
        expect(onPg.length).toBeGreaterThan(1);
        expect(normalize(onPg)).toEqual(normalize(await lite.database.query(q)));
      }
    } finally {
      await pg.close();
      await lite.close();
      await drop();
    }
  }, 60_000);
});

/** Rows as plain strings, so driver-specific value types (bigint as string or number) compare equal. */
function normalize(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, v == null ? null : String(v)])));
}
