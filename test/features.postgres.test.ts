/**
 * The offline feature store contract on a PostgreSQL server (a fresh database per suite), the feature table
 * created alike by the migrations on both drivers, and the as-of join served by its index.
 */
import { describe, expect, it } from 'vitest';
import { offlineStoreContract } from '../src/engine/features/offline.contract.js';
import { DrizzleFeatureRepository } from '../src/engine/store/features.repo.js';
import { createStore } from '../src/engine/store/repositories.js';
import { freshPostgresStore } from './postgres-store.js';
import { createTestDatabase, postgresAvailable } from './services.js';

const available = await postgresAvailable();

describe.skipIf(!available)('offline feature store on PostgreSQL', () => {
  offlineStoreContract('postgres', async () => {
    const { store, cleanup } = await freshPostgresStore();
    return {
      features: new DrizzleFeatureRepository(store.database.db),
      cleanup,
    };
  });

  it('migrations create the same feature table, columns and indexes on both drivers', async () => {
    const { url, drop } = await createTestDatabase();
    const pg = await createStore(url);
    const lite = await createStore('memory://');
    try {
      const queries = [
        `select column_name, data_type, is_nullable, column_default, is_identity, identity_generation, udt_name
           from information_schema.columns where table_schema = 'public' and table_name = 'feature_values'
           order by column_name`,
        `select indexname, indexdef from pg_indexes
           where schemaname = 'public' and tablename = 'feature_values' order by indexname`,
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
  });

  it('the as-of lookup walks the as-of index and stops at the first usable row', async () => {
    const { url, drop } = await createTestDatabase();
    const store = await createStore(url);
    try {
      const repo = new DrizzleFeatureRepository(store.database.db);
      const rows = Array.from({ length: 20_000 }, (_, i) => ({
        entity: `E${i % 50}`,
        feature: i % 2 ? 'a' : 'b',
        version: 'v1',
        ts: 1_000 * i,
        value: i,
        observedAt: 1_000 * i,
        sourceEventId: `ev${i}`,
      }));
      await repo.append(rows);
      await store.database.query('analyze feature_values');
      const plan = await store.database.query(`explain select fv.value from feature_values fv
        where fv.entity = 'E7' and fv.feature = 'a' and fv.version = 'v1' and fv.ts <= 5000000 and fv.observed_at <= 5000000
        order by fv.ts desc, fv.observed_at desc, fv.seq desc limit 1`);
      const text = plan.map((r) => String(r['QUERY PLAN'])).join('\n');
      expect(text).toMatch(/Index Scan Backward using feature_values_as_of_idx/);
      expect(text).not.toMatch(/Sort/);
    } finally {
      await store.close();
      await drop();
    }
  });
});

/** Rows as plain strings, so driver-specific value types compare equal. */
function normalize(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, v == null ? null : String(v)])));
}
