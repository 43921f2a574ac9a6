import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { MemoryBus } from '../engine/bus/memory.js';
import { Topics, type TopicEvents } from '../engine/bus/topics.js';
import { TestClock } from '../engine/clock.js';
import { PriorWeightsCombiner } from '../engine/conviction/combiner.js';
import { instrumentFeatureSet } from '../engine/features/definitions.js';
import { ModelOps } from '../engine/modelops/service.js';
import { MemoryModelOpsStore } from '../engine/modelops/store.js';
import { fitReference } from '../engine/modelops/histogram.js';
import { type ReferenceFile, referencePathFor, referenceRecipe } from '../engine/modelops/reference.js';
import { loadBundle, readBundle } from '../engine/models/bundle.js';
import { bundleLocation } from './models.js';

const quiet = { info: (_fields?: unknown, _msg?: string) => {}, warn: () => {}, error: () => {} };

async function setup(store = new MemoryModelOpsStore(), clock = new TestClock(Date.UTC(2024, 5, 1)), drift = false, source = 'ensemble.json', log = quiet) {
  const config = loadConfig({ env: {}, file: undefined }).modelops;
  const bus = new MemoryBus();
  const seen: TopicEvents['models.registry'][] = [];
  bus.subscribe(Topics.modelRegistry, async (e) => void seen.push(e), { group: 'test', from: 'earliest' });
  const ensemble = loadBundle(await readBundle(bundleLocation()));
  const ops = new ModelOps({
    store,
    bus,
    clock,
    log,
    config: { ...config, drift: { ...config.drift, enabled: drift } },
    featureSet: instrumentFeatureSet(),
    live: { ensemble, source },
    shadow: [],
    fallbackCombiner: () => new PriorWeightsCombiner(),
  });
  await ops.start();
  await bus.drain(5000);
  return { ops, store, bus, seen, ensemble, clock };
}

describe('model operations at start', () => {
  it('registers the shipped bundle live once, publishing each change on models.registry', async () => {
    const first = await setup();
    const ids = first.ensemble.bundle.models.map((m) => `${m.name}@${m.version}`);
    expect((await first.store.list()).map((v) => [v.record.id, v.alias]).sort()).toEqual(ids.map((id) => [id, 'live']).sort());
    expect(first.seen.map((e) => e.type).sort()).toEqual([...ids.map(() => 'ModelPromoted'), ...ids.map(() => 'ModelVersionRegistered')].sort());
    expect(first.seen.every((e) => e.payload.change.actor === 'system:modelops')).toBe(true);
    expect(first.ops.live.liveFeatureModels()).toHaveLength(2);
    expect(first.ops.live.combiner()).toBe(first.ensemble.combiner);

    // A restart on the same registry changes nothing.
    first.clock.advance(60_000);
    const again = await setup(first.store, first.clock);
    expect(again.seen).toEqual([]);
    expect(await again.store.history(first.ensemble.bundle.models[0]!.name)).toHaveLength(2);
  });

  it('a demoted feature model stops scoring at once; the stacker falls back when it is retired', async () => {
    const { ops, ensemble } = await setup();
    const gbdt = ensemble.featureModels.find((m) => m.kind === 'classifier')!;
    const done = await ops.demote(`${gbdt.modelId}@${gbdt.version}`, { actor: 'ops@desk', reason: 'bad week', to: 'shadow' });
    expect(done.ok).toBe(true);
    expect(ops.live.liveFeatureModels().map((m) => m.modelId)).not.toContain(gbdt.modelId);
    expect(ops.live.shadowFeatureModels().map((m) => m.modelId)).toContain(gbdt.modelId);
    const stacker = ensemble.combiner!;
    await ops.demote(`${stacker.name}@${stacker.version}`, { actor: 'ops@desk', reason: 'retrain', to: 'retired' });
    expect(ops.live.combiner()).toBeInstanceOf(PriorWeightsCombiner);
    // Back live without a rule to pass: the model has no live version to beat.
    const back = await ops.promote(`${gbdt.modelId}@${gbdt.version}`, { actor: 'ops@desk', reason: 'fixed', override: false });
    expect(back.ok).toBe(true);
    expect(ops.live.liveFeatureModels().map((m) => m.modelId)).toContain(gbdt.modelId);
  });

  it('restores a drift alarm that stood at the last stop: the weight stays cut until an evaluation clears it', async () => {
    const first = await setup();
    const gbdt = first.ensemble.featureModels.find((m) => m.kind === 'classifier')!;
    const id = `${gbdt.modelId}@${gbdt.version}`;
    const key = gbdt.features[0]!;
    // References stored (so none is rebuilt), and the last report before the stop: the GBDT in alarm.
    const reference = fitReference(key, Array.from({ length: 1000 }, (_, i) => i % 10));
    for (const m of first.ensemble.featureModels) await first.store.setReference(`${m.modelId}@${m.version}`, [{ key, kind: 'feature', reference }]);
    const at = first.clock.now();
    await first.store.appendDriftReports([
      { id: 'drf_before_stop', model: gbdt.modelId, version: gbdt.version, asOf: at, windowStart: at - 6 * 3_600_000, windowEnd: at, level: 'alarm', alarmed: true, raisedBy: 'mop_raised_before', weightMultiplier: 0.5, keys: [] },
    ]);

    const again = await setup(first.store, first.clock, true);
    await again.ops.monitorsReady;
    expect(again.ops.driftStatus(id)).toMatchObject({ alarmed: true, raisedBy: 'mop_raised_before', weightMultiplier: 0.5 });
    expect(again.ops.live.combiner().version).toMatch(/\+w\(classifier:gbdt=0\.5\)$/);

    // Live values like the reference's, a full window of them: the next evaluation clears the restored alarm.
    const start = again.clock.now();
    for (let i = 0; i < 6000; i++) {
      again.ops.observeSnapshot({ instrument: 'AAPL', asOf: start + i * 3_600, trigger: 'bar', values: { [key]: i % 10 } } as never);
    }
    const drift: TopicEvents['models.drift'][] = [];
    again.bus.subscribe(Topics.modelDrift, async (e) => void drift.push(e), { group: 'test-drift', from: 'earliest' });
    again.clock.set(start + 6 * 3_600_000 + 900_000);
    await again.ops.evaluateDrift();
    await again.bus.drain(5000);
    expect(again.ops.driftStatus(id)).toMatchObject({ alarmed: false, weightMultiplier: 1 });
    expect(drift.filter((e) => e.payload.model === gbdt.modelId).map((e) => [e.type, e.causationIds])).toEqual([['DriftAlarmCleared', ['mop_raised_before']]]);
    expect(again.ops.live.combiner()).toBe(again.ensemble.combiner);
  });

  describe('drift references written next to the bundle (`vanta reference`)', () => {
    const config = loadConfig({ env: {}, file: undefined }).modelops.drift;
    const options = { ...config.reference, calibrate: { windowMs: config.windowMs, slotMs: config.slotMs, minSamples: config.minSamples } };
    const calibration = { windowMs: config.windowMs, slotMs: config.slotMs, windows: 72, psi: 0.3, kl: 0.2, tv: 0.15 };
    let dir: string;
    beforeAll(async () => void (dir = await mkdtemp(path.join(tmpdir(), 'vanta-reference-'))));
    afterAll(async () => rm(dir, { recursive: true, force: true }));

    async function written(recipeOptions: typeof options) {
      const ensemble = loadBundle(await readBundle(bundleLocation()));
      const ids = ensemble.featureModels.map((m) => `${m.modelId}@${m.version}`);
      const key = ensemble.featureModels[0]!.features[0]!;
      const reference = fitReference(key, Array.from({ length: 1000 }, (_, i) => i % 10));
      const versions = ids.map((versionId) => ({ versionId, keys: [{ key, kind: 'feature' as const, reference, calibration }] }));
      const bundle = path.join(dir, `ensemble-${recipeOptions.hours}.json`);
      const file: ReferenceFile = { formatVersion: 1, recipe: referenceRecipe(ensemble, recipeOptions), versions };
      await writeFile(referencePathFor(bundle), JSON.stringify(file));
      return { bundle, ids, key, reference, versions };
    }

    it('takes the file for a missing reference and in place of an uncalibrated stored one, without a replay', async () => {
      const { bundle, ids, key, reference, versions } = await written(options);
      const { store } = await setup(); // the versions registered
      await store.setReference(ids[0]!, [{ key, kind: 'feature', reference }]); // stored by an earlier release: no calibration
      const lines: string[] = [];
      const log = { ...quiet, info: (_: unknown, msg?: string) => void lines.push(String(msg)) };
      const { ops } = await setup(store, undefined, true, bundle, log);
      await ops.monitorsReady;
      for (const v of versions) expect(await store.reference(v.versionId)).toEqual(v.keys);
      expect(lines).toContain('modelops: training references read');
      expect(lines).not.toContain('modelops: training references built');
    });

    it('leaves stored references alone when the file was written for another recipe', async () => {
      const { bundle, ids, key, reference } = await written({ ...options, hours: options.hours + 1 });
      const { store } = await setup();
      const old = [{ key, kind: 'feature' as const, reference }];
      for (const id of ids) await store.setReference(id, old);
      const { ops } = await setup(store, undefined, true, bundle);
      await ops.monitorsReady;
      for (const id of ids) expect(await store.reference(id)).toEqual(old);
    });
  });
});
