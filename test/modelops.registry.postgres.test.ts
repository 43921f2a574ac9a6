/**
 * The model registry on a PostgreSQL server (a fresh database for the suite): the registry contract and the SQL
 * extras, and what only a server adds: two processes changing one model's aliases at once take turns, so the
 * model keeps one live version and one history in time order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelRegistrySqlContract } from '../src/engine/store/model-registry.sql-contract.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { createTestDatabase, postgresAvailable } from './services.js';

const available = await postgresAvailable();

describe.skipIf(!available)('model registry on PostgreSQL', () => {
  let url = '';
  let drop: () => Promise<void> = async () => {};
  let shared: Promise<DrizzleStore> | undefined;
  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase());
  });
  afterAll(async () => {
    await (await shared)?.close();
    await drop();
  });

  modelRegistrySqlContract('postgres', () => (shared ??= createStore(url)));

  it('serializes concurrent promotions of one model from two processes', async () => {
    const a = await (shared ??= createStore(url));
    const b = await createStore(url);
    try {
      await a.database.query('TRUNCATE drift_reports, model_alias_changes, model_versions, models');
      const model = 'GBDT(rounds=10)';
      const T0 = Date.UTC(2024, 2, 1);
      for (const v of ['v1', 'v2', 'v3', 'v4']) {
        await a.modelRegistry.register(
          { model, version: v, parentVersion: null, featureSetVersion: null, trainingWindow: null, trainedAsOf: null, artifactHash: null, metrics: {} },
          { actor: 'ops', reason: 'r', at: T0 },
        );
      }
      const results = await Promise.allSettled(
        ['v1', 'v2', 'v3', 'v4'].map((v, i) =>
          (i % 2 ? b : a).modelRegistry.setAlias(`${model}@${v}`, 'live', { actor: `ops${i}`, reason: 'race', at: T0 + 1000 }),
        ),
      );
      expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
      const live = (await a.modelRegistry.list(model)).filter((v) => v.alias === 'live');
      expect(live).toHaveLength(1);
      const history = await b.modelRegistry.history(model);
      expect(history.map((c) => c.seq)).toEqual(history.map((_, i) => i + 1));
      // Four registrations, four promotions, three replaced: each promotion after the first retires the previous live.
      expect(history).toHaveLength(4 + 4 + 3);
      const intervals = await a.modelRegistry.liveIntervals(model);
      expect(intervals.filter((i) => i.to === null).map((i) => i.versionId)).toEqual([live[0]!.record.id]);
    } finally {
      await b.close();
    }
  });
});
