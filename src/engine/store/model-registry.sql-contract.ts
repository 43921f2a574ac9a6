/**
 * The model registry on SQL, run on both drivers: the registry contract and the reinforcement checkpoints' (the
 * ones the memory store passes), and what only a database adds: drift references and reports round-trip
 * exactly, a refused change leaves no row behind, and the table admits one live version per model whatever
 * writes it.
 */
import { describe, expect, it } from 'vitest';
import { fitReference } from '../modelops/histogram.js';
import { modelRegistryContract, reinforcementStateContract } from '../modelops/registry.contract.js';
import type { DriftReportRecord } from '../modelops/store.js';
import { parametersOf } from './model-registry.repo.js';
import type { DrizzleStore } from './repositories.js';

const TABLES = 'drift_reports, model_alias_changes, model_versions, models';
const T0 = Date.UTC(2024, 2, 1);

/** `store` gives the suite's store; each call empties the registry's tables first. */
export function modelRegistrySqlContract(name: string, store: () => Promise<DrizzleStore>): void {
  const fresh = async (): Promise<DrizzleStore> => {
    const s = await store();
    await s.database.query(`TRUNCATE ${TABLES}`);
    return s;
  };

  modelRegistryContract(name, async () => (await fresh()).modelRegistry);
  reinforcementStateContract(name, async () => (await fresh()).modelRegistry);

  describe(`model registry on SQL: ${name}`, () => {
    const input = (v: string) => ({
      model: 'GBDT(rounds=300,depth=4,lr=0.1)',
      version: v,
      parentVersion: null,
      featureSetVersion: 'fs-1',
      trainingWindow: { from: T0 - 86_400_000, to: T0 },
      trainedAsOf: T0,
      artifactHash: `hash-${v}`,
      metrics: { precisionAt5: 0.6, ic: null },
    });

    it('keeps the model parameters named in its name, and the lineage columns', async () => {
      const s = await fresh();
      await s.modelRegistry.register(input('a1'), { actor: 'ops', reason: 'r', at: T0 });
      const [model] = await s.database.query<{ params: unknown }>('select params from models');
      expect(model!.params).toEqual({ rounds: 300, depth: 4, lr: 0.1 });
      const [row] = await s.database.query<Record<string, unknown>>('select * from model_versions');
      expect(row).toMatchObject({ status: 'shadow', parent_version: null, feature_set_version: 'fs-1', artifact_hash: 'hash-a1' });
      expect(Number(row!.training_from)).toBe(T0 - 86_400_000);
      expect(parametersOf('PriorWeights(gain=1.5)')).toEqual({ gain: 1.5 });
      expect(parametersOf('plain')).toEqual({});
    });

    it('leaves no row behind when a change is refused', async () => {
      const s = await fresh();
      await s.modelRegistry.register(input('a1'), { actor: 'ops', reason: 'r', at: T0 + 10 });
      await expect(s.modelRegistry.setAlias('GBDT(rounds=300,depth=4,lr=0.1)@a1', 'live', { actor: 'ops', reason: 'r', at: T0 })).rejects.toMatchObject({
        code: 'ALIAS_TIME_INVALID',
      });
      const rows = await s.database.query<{ n: number }>('select count(*)::int as n from model_alias_changes');
      expect(rows[0]!.n).toBe(1);
    });

    it('admits one live version per model, whatever writes the table', async () => {
      const s = await fresh();
      await s.modelRegistry.register(input('a1'), { actor: 'ops', reason: 'r', at: T0 });
      await s.modelRegistry.register(input('a2'), { actor: 'ops', reason: 'r', at: T0 });
      await s.modelRegistry.setAlias('GBDT(rounds=300,depth=4,lr=0.1)@a1', 'live', { actor: 'ops', reason: 'r', at: T0 });
      await expect(s.database.query(`update model_versions set status = 'live' where version = 'a2'`)).rejects.toThrow();
    });

    it('stores a drift reference and reports, and reads them back exactly', async () => {
      const s = await fresh();
      const { version } = await s.modelRegistry.register(input('a1'), { actor: 'ops', reason: 'r', at: T0 });
      const keys = [{ key: 'return_1h', kind: 'feature' as const, reference: fitReference('return_1h', [0.1, -0.2, 0.30000000000000004, null, 0]) }];
      await s.modelRegistry.setReference(version.record.id, keys);
      expect(await s.modelRegistry.reference(version.record.id)).toEqual(keys);
      expect(await s.modelRegistry.reference('nope@1')).toBeNull();
      await expect(s.modelRegistry.setReference('nope@1', keys)).rejects.toMatchObject({ code: 'MODEL_VERSION_NOT_FOUND' });
      const report = (asOf: number): DriftReportRecord => ({
        id: `drf_${asOf}`,
        model: version.record.model,
        version: 'a1',
        asOf,
        windowStart: asOf - 100,
        windowEnd: asOf,
        level: 'ok',
        alarmed: false,
        raisedBy: null,
        weightMultiplier: 1,
        keys: [],
      });
      await s.modelRegistry.appendDriftReports([report(T0 + 2), report(T0 + 1), report(T0 + 3)]);
      await s.modelRegistry.appendDriftReports([report(T0 + 2)]);
      expect((await s.modelRegistry.driftReports(version.record.model, T0 + 1, T0 + 2, 10)).map((r) => r.asOf)).toEqual([T0 + 1, T0 + 2]);
      expect(await s.modelRegistry.driftReports(version.record.model, T0, T0 + 9, 10)).toHaveLength(3);
      expect(await s.modelRegistry.driftReports('other', T0, T0 + 9, 10)).toEqual([]);
      expect(await s.modelRegistry.latestDriftReport(version.record.model, 'a1')).toEqual(report(T0 + 3));
      expect(await s.modelRegistry.latestDriftReport(version.record.model, 'a2')).toBeNull();
    });
  });
}
