/**
 * The store contract on a PostgreSQL server (a fresh database per suite), the same migrations producing the same
 * tables on both drivers, and what only a server adds: several processes sharing one audit chain.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/engine/store/db.js';
import { StoreError } from '../src/engine/store/ports.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { batchWritesContract } from '../src/engine/store/store.batch.contract.js';
import { type ContractStore, storeContract } from '../src/engine/store/store.contract.js';
import { deadLettered } from '../src/engine/store/store.fixtures.js';
import { freshPostgresStore } from './postgres-store.js';
import { createTestDatabase, postgresAvailable } from './services.js';

const available = await postgresAvailable();

describe.skipIf(!available)('store on PostgreSQL', () => {
  const freshDatabase = async (): Promise<ContractStore> => {
    const { store, cleanup } = await freshPostgresStore();
    return {
      store,
      rawQuery: (text, params) => store.database.query(text, params),
      cleanup,
    };
  };
  storeContract('postgres', freshDatabase);
  batchWritesContract('postgres', freshDatabase);

  describe('migrations', () => {
    it('produce the same tables, columns and indexes on PGlite and PostgreSQL', async () => {
      const { url, drop } = await createTestDatabase();
      const pg = await createStore(url);
      const lite = await createStore('memory://');
      try {
        const columns = `select table_name, column_name, data_type, is_nullable, column_default,
            character_maximum_length, numeric_precision, numeric_scale, udt_name
          from information_schema.columns where table_schema = 'public' order by table_name, column_name`;
        const indexes = `select tablename, indexname, indexdef from pg_indexes
          where schemaname = 'public' order by tablename, indexname`;
        // Only some PostgreSQL versions catalogue NOT NULL constraints in pg_constraint; the columns query covers them.
        const constraints = `select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as def
          from pg_constraint where connamespace = 'public'::regnamespace and contype <> 'n' order by 1, 2`;
        for (const q of [columns, indexes, constraints]) {
          const onPg = await pg.database.query(q);
          const onLite = await lite.database.query(q);
          expect(onPg.length).toBeGreaterThan(10);
          expect(normalize(onPg)).toEqual(normalize(onLite));
        }
        const tables = new Set((await pg.database.query(columns)).map((r) => r.table_name));
        expect([...tables].sort()).toEqual([
          'api_keys', 'audit_checkpoints', 'audit_log', 'autotrade_queue', 'backtests', 'collector_cursors', 'conviction_vectors',
          'drift_reports', 'entities', 'entity_edges', 'feature_values', 'fills', 'instruments', 'kill_switches', 'model_alias_changes',
          'model_versions', 'models', 'order_events', 'orders', 'persona_versions', 'personas', 'positions', 'signals', 'vault_fills',
          'vault_growth', 'vault_states', 'vault_versions', 'vaults',
        ]);
      } finally {
        await pg.close();
        await lite.close();
        await drop();
      }
    });
  });

  describe('several processes on one database', () => {
    let url = '';
    let drop: () => Promise<void> = async () => {};
    const stores: DrizzleStore[] = [];
    beforeAll(async () => {
      ({ url, drop } = await createTestDatabase());
      // Servers starting together: concurrent migrations must apply once, without errors.
      stores.push(...(await Promise.all([createStore(url), createStore(url), createStore(url)])));
    });
    afterAll(async () => {
      await Promise.all(stores.map((s) => s.close()));
      await drop();
    });

    it('applied the migrations once', async () => {
      const rows = await stores[0]!.database.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      const journal = JSON.parse(readFileSync(new URL('../migrations/meta/_journal.json', import.meta.url), 'utf8')) as {
        entries: unknown[];
      };
      expect(rows[0]?.n).toBe(journal.entries.length);
    });

    it('keeps one unforked audit chain when separate connection pools append at once', async () => {
      const appends = stores.flatMap((store, s) =>
        Array.from({ length: 30 }, (_, i) => store.audit.append(deadLettered(`p${s}_${i}`, { s, i }))),
      );
      // The same event from two "processes" is stored once.
      appends.push(stores[1]!.audit.append(deadLettered('p0_0', { s: 0, i: 0 })));
      await Promise.all(appends);
      expect(await stores[2]!.audit.count()).toBe(90);
      expect(await stores[0]!.audit.verify()).toEqual({ ok: true, entries: 90, brokenAtSeq: null });
    });
  });

  describe('openDatabase (postgres)', () => {
    it('reports an unreachable server with a StoreError naming the URL without its password', async () => {
      const error = await openDatabase('postgres://postgres:s3cret@127.0.0.1:1/nowhere').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toContain('postgres://postgres@127.0.0.1:1/nowhere');
      expect((error as Error).message).not.toContain('s3cret');
    });

    it('answers ping and reports its kind', async () => {
      const { url, drop } = await createTestDatabase();
      const store = await createStore(url);
      try {
        expect(store.kind).toBe('postgres');
        expect(await store.ping()).toBe(true);
      } finally {
        await store.close();
        await drop();
      }
      expect(await store.ping()).toBe(false);
    });
  });
});

/** Rows as plain strings, so driver-specific value types (bigint as string or number) compare equal. */
function normalize(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, v == null ? null : String(v)])));
}
