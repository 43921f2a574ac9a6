import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { MemoryBus } from '../engine/bus/memory.js';
import { Topics, type TopicEvents } from '../engine/bus/topics.js';
import { TestClock } from '../engine/clock.js';
import { PriorWeightsCombiner } from '../engine/conviction/combiner.js';
import { CONVICTION_INPUTS } from '../engine/conviction/inputs.js';
import { instrumentFeatureSet } from '../engine/features/definitions.js';
import { ModelOps } from '../engine/modelops/service.js';
import { MemoryModelOpsStore, type ModelOpsStore } from '../engine/modelops/store.js';
import { fitReference } from '../engine/modelops/histogram.js';
import { type ReferenceFile, referencePathFor, referenceRecipe } from '../engine/modelops/reference.js';
import { type LoadOptions, loadBundle, readBundle } from '../engine/models/bundle.js';
import { inThreadTfjs } from '../engine/models/tfjs/feature-models.js';
import type { AuditRepository } from '../engine/store/ports.js';
import { createStore, type DrizzleStore } from '../engine/store/repositories.js';
import type { ConvictionVector } from '../engine/types.js';
import { lastWeightsFrom } from './modelops.js';
import { bundleLocation } from './models.js';

const quiet = { info: (_fields?: unknown, _msg?: string) => {}, warn: () => {}, error: () => {} };

async function setup(
  store = new MemoryModelOpsStore(),
  clock = new TestClock(Date.UTC(2024, 5, 1)),
  drift = false,
  source = 'ensemble.json',
  log = quiet,
  options: LoadOptions = { tfjs: inThreadTfjs },
) {
  const config = loadConfig({ env: {}, file: undefined }).modelops;
  const bus = new MemoryBus();
  const seen: TopicEvents['models.registry'][] = [];
  bus.subscribe(Topics.modelRegistry, async (e) => void seen.push(e), { group: 'test', from: 'earliest' });
  const ensemble = loadBundle(await readBundle(bundleLocation()), options);
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
    expect(first.ops.live.liveFeatureModels().map((m) => m.modelId.slice(0, m.modelId.indexOf('(')))).toEqual(['GBDT', 'MlpClassifier', 'GaussianForecaster', 'IsolationForest']);
    expect(first.ops.live.combiner()).toBe(first.ensemble.combiner);

    // A restart on the same registry changes nothing.
    first.clock.advance(60_000);
    const again = await setup(first.store, first.clock);
    expect(again.seen).toEqual([]);
    expect(await again.store.history(first.ensemble.bundle.models[0]!.name)).toHaveLength(2);
  });

  it('does not register a TF.js model of the bundle that is not loaded (TF.js off), and registers the rest', async () => {
    const { store, ensemble } = await setup(undefined, undefined, false, 'ensemble.json', quiet, {});
    expect(ensemble.unloaded.map((m) => m.role)).toEqual(['mlp', 'forecaster']);
    const registered = (await store.list()).map((v) => v.record.id).sort();
    expect(registered).toEqual(ensemble.bundle.models.filter((m) => !ensemble.unloaded.includes(m)).map((m) => `${m.name}@${m.version}`).sort());
    expect(registered).toHaveLength(3);
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
      const ensemble = loadBundle(await readBundle(bundleLocation()), { tfjs: inThreadTfjs });
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

describe('the reinforcement across a restart', () => {
  const HOUR = 3_600_000;
  const T0 = Date.UTC(2024, 5, 3);
  const INSTRUMENTS = ['AAPL', 'MSFT', 'NVDA'];

  /** Hourly bars of three instruments, each followed by a conviction of the live stacker on it (3 h horizon), from a seeded walk. */
  function stream(hours: number) {
    let seed = 11;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const close = new Map(INSTRUMENTS.map((i) => [i, 100]));
    return Array.from({ length: hours }, (_, h) =>
      INSTRUMENTS.map((instrument) => {
        const price = close.get(instrument)! * Math.exp(rand() * 0.02);
        close.set(instrument, price);
        return { instrument, ts: T0 + h * HOUR, close: price, values: CONVICTION_INPUTS.map(() => rand()) };
      }),
    ).flat();
  }
  const STEPS = stream(40);
  /** Records by input (a stored record's keys come back in an order of the database's). */
  const byInput = (records: ReturnType<ModelOps['reinforcement']>) => Object.fromEntries(records!.map(({ input, ...r }) => [input, r]));

  type Logged = { level: string; fields: Record<string, unknown>; msg: string };
  /** Model ops on `store` (the shipped bundle, drift off), the audit log recording its weight changes as the server's does. */
  async function reinforced(registry: ModelOpsStore, audit?: AuditRepository) {
    const logged: Logged[] = [];
    const log = Object.fromEntries(
      (['info', 'warn', 'error'] as const).map((level) => [level, (fields: Record<string, unknown>, msg: string) => void logged.push({ level, fields, msg })]),
    ) as never;
    const config = loadConfig({ env: {}, file: undefined }).modelops;
    const bus = new MemoryBus();
    if (audit) bus.subscribe(Topics.modelWeights, async (e) => void (await audit.append(e)), { group: 'audit', from: 'earliest' });
    const ensemble = loadBundle(await readBundle(bundleLocation()));
    const ops = new ModelOps({
      store: registry,
      bus,
      clock: new TestClock(T0),
      log,
      config: { ...config, drift: { ...config.drift, enabled: false } },
      featureSet: instrumentFeatureSet(),
      live: { ensemble, source: 'ensemble.json' },
      shadow: [],
      fallbackCombiner: () => new PriorWeightsCombiner(),
      ...(audit ? { lastWeights: lastWeightsFrom(audit) } : {}),
    });
    await ops.start();
    const stacker = ensemble.combiner!;
    const id = `${stacker.name}@${stacker.version}`;
    /** Each step's bar judged, then its conviction recorded; the bus drained, so the audit log has every change. */
    const play = async (steps: typeof STEPS) => {
      for (const s of steps) {
        await ops.observeBar(s.instrument, s.ts, s.close);
        const vector = {
          id: `cnv_${s.instrument}_${s.ts}`,
          instrument: s.instrument,
          ttl: 3 * 3600,
          contributingModels: [{ modelId: stacker.name, version: stacker.version, weight: 1, output: 0 }],
        } as unknown as ConvictionVector;
        ops.observeConviction(s.values, vector, s.ts);
      }
      await bus.drain(5000);
    };
    return { ops, id, stacker, play, logged };
  }

  /** The run without a restart: its records at the end, and the steps that moved a multiplier. */
  async function uninterrupted() {
    const run = await reinforced(new MemoryModelOpsStore());
    const multipliers = () => run.ops.reinforcement(run.id)!.map((r) => r.multiplier);
    const moved: number[] = [];
    for (const [i, step] of STEPS.entries()) {
      const before = multipliers();
      await run.play([step]);
      if (multipliers().some((m, j) => m !== before[j])) moved.push(i);
    }
    return { records: run.ops.reinforcement(run.id), moved };
  }

  let whole: Awaited<ReturnType<typeof uninterrupted>>;
  let store: DrizzleStore | undefined;
  beforeAll(async () => {
    whole = await uninterrupted();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('ends a run stopped and restarted mid-stream with the records of the run without a restart', async () => {
    store = await createStore('memory://');
    // A stop after a bar that judged convictions without moving a multiplier: their drift is in no recorded step.
    const half = STEPS.findIndex((_, i) => i >= STEPS.length / 2 && !whole.moved.includes(i - 1));
    const first = await reinforced(store.modelRegistry, store.audit);
    await first.play(STEPS.slice(0, half));
    await first.ops.stop();
    const atStop = first.ops.reinforcement(first.id);
    const saved = (await store.modelRegistry.reinforcementState(first.id))!;
    expect(saved.pending.length).toBeGreaterThan(2 * INSTRUMENTS.length);
    // The audit log's last step misses the hit rates' drift since: what a restart took back before checkpoints.
    const last = await lastWeightsFrom(store.audit)(first.stacker.name, first.stacker.version);
    expect(last!.payload.state).not.toEqual(byInput(atStop));

    const second = await reinforced(store.modelRegistry, store.audit);
    expect(second.logged.map((l) => l.msg)).toContain('modelops: reinforcement restored from its checkpoint');
    expect(second.ops.reinforcement(second.id)).toEqual(atStop);
    expect(second.ops.live.combiner().version).toBe(first.ops.live.combiner().version);
    await second.play(STEPS.slice(half));
    expect(second.ops.reinforcement(second.id)).toEqual(whole.records);
  });

  it('after a crash, takes the records of a step recorded after the checkpoint and drops the convictions it judged', async () => {
    store = await createStore('memory://');
    const db = store;
    let run = await reinforced(db.modelRegistry, db.audit);
    let at = 0;
    /** Plays on to `checkpointAt`, checkpoints, plays on to `crashAfter` (a step that moved a multiplier), and starts again. */
    const crash = async (checkpointAt: number, crashAfter: number) => {
      await run.play(STEPS.slice(at, checkpointAt));
      await run.ops.checkpointReinforcement();
      const saved = (await db.modelRegistry.reinforcementState(run.id))!;
      await run.play(STEPS.slice(checkpointAt, crashAfter + 1));
      at = crashAfter + 1;
      const last = (await lastWeightsFrom(db.audit)(run.stacker.name, run.stacker.version))!;
      run = await reinforced(db.modelRegistry, db.audit);
      const restored = run.logged.find((l) => l.msg === 'modelops: reinforcement restored from its checkpoint, with the records of the later step in the audit log');
      return { saved, last, restored };
    };

    // A step of a later hour than the checkpoint's last bar (36 steps: 12 whole hours).
    const later = whole.moved.find((i) => i >= 36)!;
    const first = await crash(36, later);
    expect(first.last.tsEvent).toBeGreaterThan(first.saved.asOf!);
    expect(byInput(run.ops.reinforcement(run.id))).toEqual(first.last.payload.state);
    const waiting = first.saved.pending.filter((p) => p.due > first.last.tsEvent).length;
    expect(waiting).toBeLessThan(first.saved.pending.length);
    expect(first.restored).toMatchObject({ level: 'warn', fields: { stacker: run.id, from: first.last.id, waiting, forgotten: first.saved.pending.length - waiting } });

    // A step on the second or third instrument of an hour: the checkpoint before it saw that hour's first bar.
    const tie = whole.moved.find((i) => i > later + INSTRUMENTS.length && i % INSTRUMENTS.length !== 0)!;
    const second = await crash(tie, tie);
    expect(second.last.tsEvent).toBe(second.saved.asOf);
    expect(second.restored?.fields).toMatchObject({ from: second.last.id });
    expect(byInput(run.ops.reinforcement(run.id))).toEqual(second.last.payload.state);
  });
});
