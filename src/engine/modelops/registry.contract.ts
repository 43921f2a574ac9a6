/**
 * What every model registry must do (in memory and in SQL). Run with `modelRegistryContract(name, make)`;
 * `make` gives a fresh, empty registry per test. `reinforcementStateContract` adds what every model-ops store
 * must do with the reinforcement's checkpoints.
 */
import { describe, expect, it } from 'vitest';
import type { NewModelVersion } from './aliases.js';
import type { ChangeMeta } from './events.js';
import type { ModelRegistryRepository } from './registry.js';
import type { ReinforcementCheckpoint } from './reinforcement.js';
import type { ModelOpsStore } from './store.js';
import { codeOf } from '../testing/error-code.js';

const T0 = Date.UTC(2024, 2, 1);
const DAY = 86_400_000;
const MODEL = 'GBDT(rounds=300,depth=4)';

const version = (v: string, parent: string | null = null, model = MODEL): NewModelVersion => ({
  model,
  version: v,
  parentVersion: parent,
  featureSetVersion: 'fs-1',
  trainingWindow: { from: T0 - 30 * DAY, to: T0 },
  trainedAsOf: T0,
  artifactHash: `hash-${v}`,
  metrics: { precisionAt5: 0.6, ic: null },
});
const meta = (day: number, reason = `change on day ${day}`, causationIds: readonly string[] = []): ChangeMeta => ({
  actor: 'ops@vanta',
  reason,
  at: T0 + day * DAY,
  causationIds,
});

export function modelRegistryContract(name: string, make: () => ModelRegistryRepository | Promise<ModelRegistryRepository>): void {
  describe(`model registry contract: ${name}`, () => {
    it('registers a version in shadow with its lineage, and an event with the envelope', async () => {
      const repo = await make();
      const { version: v, event } = await repo.register(version('a1'), meta(0, 'first training', ['job_1']));
      expect(v.alias).toBe('shadow');
      expect(v.record).toMatchObject({ id: `${MODEL}@a1`, parentVersion: null, featureSetVersion: 'fs-1', registeredAt: T0 });
      expect(event).toMatchObject({ type: 'ModelVersionRegistered', tsEvent: T0, tsInit: T0, causationIds: ['job_1'] });
      expect(event.payload.change).toMatchObject({ from: null, to: 'shadow', seq: 1, eventId: event.id });
      expect(await repo.get(`${MODEL}@a1`)).toEqual(v);
      expect(await repo.get('nope@1')).toBeNull();
    });

    it('refuses a version registered twice, and changes nothing', async () => {
      const repo = await make();
      await repo.register(version('a1'), meta(0));
      expect(await codeOf(repo.register(version('a1'), meta(1)))).toBe('MODEL_VERSION_EXISTS');
      expect(await repo.history(MODEL)).toHaveLength(1);
    });

    it('promotes, replacing the previous live version, with one event per move', async () => {
      const repo = await make();
      await repo.register(version('a1'), meta(0));
      await repo.register(version('a2', 'a1'), meta(1));
      const first = await repo.setAlias(`${MODEL}@a1`, 'live', meta(2, 'initial'));
      expect(first.events.map((e) => e.type)).toEqual(['ModelPromoted']);
      const second = await repo.setAlias(`${MODEL}@a2`, 'live', meta(5, 'beat live', ['prm_1']));
      expect(second.events.map((e) => [e.type, e.payload.change.versionId, e.payload.change.to])).toEqual([
        ['ModelRetired', `${MODEL}@a1`, 'retired'],
        ['ModelPromoted', `${MODEL}@a2`, 'live'],
      ]);
      expect(second.events[1]!.payload).toMatchObject({ replaced: `${MODEL}@a1` });
      expect(second.events.every((e) => e.causationIds[0] === 'prm_1' && e.tsEvent === T0 + 5 * DAY)).toBe(true);
      expect((await repo.get(`${MODEL}@a1`))!.alias).toBe('retired');
      expect((await repo.list(MODEL)).filter((v) => v.alias === 'live').map((v) => v.record.version)).toEqual(['a2']);
    });

    it('can keep the replaced version in shadow', async () => {
      const repo = await make();
      await repo.register(version('a1'), meta(0));
      await repo.register(version('a2'), meta(0));
      await repo.setAlias(`${MODEL}@a1`, 'live', meta(1));
      const { events } = await repo.setAlias(`${MODEL}@a2`, 'live', meta(2), { previousLive: 'shadow' });
      expect(events.map((e) => e.type)).toEqual(['ModelDemoted', 'ModelPromoted']);
      expect((await repo.get(`${MODEL}@a1`))!.alias).toBe('shadow');
    });

    it('keeps the full history of who was live when, and answers for any time', async () => {
      const repo = await make();
      await repo.register(version('a1'), meta(0));
      await repo.register(version('a2', 'a1'), meta(1));
      await repo.setAlias(`${MODEL}@a1`, 'live', meta(2));
      await repo.setAlias(`${MODEL}@a2`, 'live', meta(5));
      await repo.setAlias(`${MODEL}@a2`, 'shadow', meta(7, 'drift alarm', ['mop_alarm']));
      await repo.setAlias(`${MODEL}@a1`, 'live', meta(8, 'rollback'));
      const intervals = await repo.liveIntervals(MODEL);
      expect(intervals.map((i) => [i.version, i.from, i.to])).toEqual([
        ['a1', T0 + 2 * DAY, T0 + 5 * DAY],
        ['a2', T0 + 5 * DAY, T0 + 7 * DAY],
        ['a1', T0 + 8 * DAY, null],
      ]);
      const at = async (day: number) => (await repo.liveAt(MODEL, T0 + day * DAY))?.record.version ?? null;
      expect([await at(1), await at(2), await at(4.9), await at(5), await at(7), await at(7.5), await at(8), await at(100)]).toEqual([
        null, 'a1', 'a1', 'a2', null, null, 'a1', 'a1',
      ]);
      expect(await repo.aliasAt(`${MODEL}@a2`, T0)).toBeNull();
      expect(await repo.aliasAt(`${MODEL}@a2`, T0 + 6 * DAY)).toBe('live');
      expect(await repo.aliasAt(`${MODEL}@a2`, T0 + 7 * DAY)).toBe('shadow');
      expect((await repo.history(MODEL)).map((c) => c.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    it.each([
      ['shadow', 'shadow'],
      ['retired', 'shadow'],
      ['retired', 'retired'],
    ] as const)('refuses %s → %s and changes nothing', async (from, to) => {
      const repo = await make();
      await repo.register(version('a1'), meta(0));
      if (from === 'retired') await repo.setAlias(`${MODEL}@a1`, 'retired', meta(1));
      const before = await repo.history(MODEL);
      expect(await codeOf(repo.setAlias(`${MODEL}@a1`, to, meta(2)))).toBe('ALIAS_TRANSITION_INVALID');
      expect(await repo.history(MODEL)).toEqual(before);
    });

    it('refuses an unknown version and a change dated before the latest', async () => {
      const repo = await make();
      expect(await codeOf(repo.setAlias('nope@1', 'live', meta(0)))).toBe('MODEL_VERSION_NOT_FOUND');
      await repo.register(version('a1'), meta(3));
      expect(await codeOf(repo.setAlias(`${MODEL}@a1`, 'live', meta(2)))).toBe('ALIAS_TIME_INVALID');
      expect(await codeOf(repo.register(version('a2'), meta(1)))).toBe('ALIAS_TIME_INVALID');
      expect((await repo.get(`${MODEL}@a1`))!.alias).toBe('shadow');
    });

    it('keeps models apart: one live version per model', async () => {
      const repo = await make();
      await repo.register(version('a1'), meta(0));
      await repo.register(version('b1', null, 'Other(x=1)'), meta(0));
      await repo.setAlias(`${MODEL}@a1`, 'live', meta(1));
      const { events } = await repo.setAlias('Other(x=1)@b1', 'live', meta(1));
      expect(events.map((e) => e.type)).toEqual(['ModelPromoted']);
      expect((await repo.list()).map((v) => [v.record.id, v.alias])).toEqual([
        [`${MODEL}@a1`, 'live'],
        ['Other(x=1)@b1', 'live'],
      ]);
    });

    it('gives the same event ids for the same changes', async () => {
      const run = async () => {
        const repo = await make();
        const a = await repo.register(version('a1'), meta(0));
        const b = await repo.setAlias(`${MODEL}@a1`, 'live', meta(1));
        return [a.event.id, ...b.events.map((e) => e.id)];
      };
      const [x, y] = [await run(), await run()];
      expect(x).toEqual(y);
      expect(new Set(x).size).toBe(x.length);
    });
  });
}

export function reinforcementStateContract(name: string, make: () => ModelOpsStore | Promise<ModelOpsStore>): void {
  describe(`reinforcement checkpoints: ${name}`, () => {
    const STACKER = 'LogisticStacker(inputs=2,l2=1)';
    const checkpoint = (v: string, judged: number): ReinforcementCheckpoint => ({
      formatVersion: 1,
      stacker: { name: STACKER, version: v },
      inputs: ['classifier:gbdt', 'forecaster'],
      asOf: T0 + judged,
      records: {
        'classifier:gbdt': { hitRate: 0.30000000000000004, calls: 12, multiplier: 0.9 },
        forecaster: { hitRate: 0.5, calls: 0, multiplier: 1 },
      },
      pending: [
        { convictionId: 'cnv_1', instrument: 'AAPL', ts: T0, due: T0 + 3_600_000, row: [0.1, -0.7000000000000001], close: 187.33 },
        { convictionId: 'cnv_2', instrument: 'BTC-USD', ts: T0 + 1, due: T0 + 3_600_001, row: [0, 1e-9], close: null },
      ],
      dropped: 0,
      judged,
    });

    it('stores a version’s checkpoint and reads it back exactly, the last one written', async () => {
      const repo = await make();
      await repo.register(version('s1', null, STACKER), meta(0));
      await repo.register(version('s2', null, STACKER), meta(0));
      expect(await repo.reinforcementState(`${STACKER}@s1`)).toBeNull();
      await repo.setReinforcementState(`${STACKER}@s1`, checkpoint('s1', 5));
      expect(await repo.reinforcementState(`${STACKER}@s1`)).toEqual(checkpoint('s1', 5));
      await repo.setReinforcementState(`${STACKER}@s1`, { ...checkpoint('s1', 9), pending: [] });
      expect(await repo.reinforcementState(`${STACKER}@s1`)).toEqual({ ...checkpoint('s1', 9), pending: [] });
      expect(await repo.reinforcementState(`${STACKER}@s2`)).toBeNull();
    });

    it('refuses an unknown version, and has none for it', async () => {
      const repo = await make();
      expect(await codeOf(repo.setReinforcementState('nope@1', checkpoint('1', 1)))).toBe('MODEL_VERSION_NOT_FOUND');
      expect(await repo.reinforcementState('nope@1')).toBeNull();
    });

    it('keeps the checkpoint through alias changes', async () => {
      const repo = await make();
      await repo.register(version('s1', null, STACKER), meta(0));
      await repo.setReinforcementState(`${STACKER}@s1`, checkpoint('s1', 5));
      await repo.setAlias(`${STACKER}@s1`, 'live', meta(1));
      await repo.setAlias(`${STACKER}@s1`, 'shadow', meta(2));
      expect(await repo.reinforcementState(`${STACKER}@s1`)).toEqual(checkpoint('s1', 5));
    });
  });
}
