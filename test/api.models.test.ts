/**
 * The ensemble over the real API: a real engine (in-memory PGlite, memory bus, test clock) runs simulated bars
 * through every stage with a fitted tree ensemble and isolation forest, then the models, an instrument's
 * features (now, from the online store, and as of a past time, from the offline store) and the explanation of a
 * conviction are queried over HTTP with the typed documents in test/gql.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, createApiServer } from '../src/api/http.js';
import { buildLineage } from '../src/engine/audit/lineage.js';
import { MemoryBus } from '../src/engine/bus/memory.js';
import { Topics } from '../src/engine/bus/topics.js';
import { TestClock } from '../src/engine/clock.js';
import { SimulatorCore } from '../src/engine/collectors/simulator/core.js';
import { UNIVERSE } from '../src/engine/collectors/universe.js';
import { PriorWeightsCombiner } from '../src/engine/conviction/combiner.js';
import { MemoryContentIndex } from '../src/engine/enrich/content-index.js';
import { Engine } from '../src/engine/engine.js';
import { instrumentFeatureSet } from '../src/engine/features/definitions.js';
import { MemoryOnlineStore } from '../src/engine/features/online.js';
import { simulate, snapshotRows } from '../src/engine/modelops/training.js';
import { bundledModel, loadBundle } from '../src/engine/models/bundle.js';
import { StaticModelCatalog } from '../src/engine/models/catalog.js';
import { GradientBoostedTrees } from '../src/engine/models/gbdt.js';
import { IsolationForest } from '../src/engine/models/isolation-forest.js';
import { zscoreModelName } from '../src/engine/models/zscore.js';
import { DrizzleFeatureRepository } from '../src/engine/store/features.repo.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { tamperAuditLog } from '../src/engine/store/store.contract.js';
import { HEALTH } from './api-fixtures.js';
import { post } from './api-client.js';
import { replayConviction } from '../src/engine/audit/replay.js';
import { combinerLookup } from '../src/jobs/models.js';
import { ExplainConvictionDocument, FeaturesDocument, ModelsDocument, ModelVersionDocument, ReplayConvictionDocument } from './gql/graphql.js';

const START = Date.UTC(2024, 0, 2);
const MIN = 60_000;
const BARS = 150;
const featureSet = instrumentFeatureSet();
let store: DrizzleStore;
let bus: MemoryBus;
let engine: Engine;
let api: ApiServer;
let clock: TestClock;
let gbdtVersion: string;

beforeAll(async () => {
  // Models fitted on another seed's snapshots, labelled 30 minutes ahead: small, but real.
  const training = await simulate(901, { days: BARS / 1440 + 0.05, start: START }, featureSet, { record: { outputs: false } });
  const rows = snapshotRows(training, featureSet.names, 30 * MIN);
  const trees = new GradientBoostedTrees({ rounds: 30, maxDepth: 3, learningRate: 0.3, seed: 3 });
  trees.fit(rows.X, rows.y, { featureNames: featureSet.names });
  const forest = new IsolationForest({ trees: 20, sampleSize: 64, seed: 3 }).fit(rows.X.map((r) => r.map((x) => (Number.isNaN(x) ? 0 : x))));
  const ensemble = loadBundle({
    formatVersion: 1,
    featureSetVersion: featureSet.version,
    features: featureSet.names,
    horizonMs: 30 * MIN,
    training: { source: 'simulator', baseSeeds: [901] },
    metrics: { baseRows: rows.y.length },
    models: [bundledModel('gbdt', trees), bundledModel('isolation_forest', forest)],
  });
  gbdtVersion = ensemble.bundle.models[0]!.version;

  store = await createStore('memory://');
  bus = new MemoryBus();
  clock = new TestClock(START);
  const online = new MemoryOnlineStore();
  const offline = new DrizzleFeatureRepository(store.database.db);
  const combiner = new PriorWeightsCombiner();
  engine = new Engine({
    bus,
    store,
    clock,
    contentIndex: new MemoryContentIndex(),
    instruments: UNIVERSE,
    collectors: [],
    log: { info() {}, warn() {}, error() {} },
    models: { featureSet, online, offline, featureModels: () => ensemble.featureModels, combiner: () => combiner, scoreIntervalMs: 5 * MIN },
  });
  await engine.start();
  const simulator = new SimulatorCore({ seed: 902 });
  for (let k = 1; k <= BARS; k++) {
    clock.set(START + k * MIN);
    await bus.publishMany(Topics.signalsRaw, simulator.step(START + k * MIN));
    await engine.drain(60_000);
  }
  api = await createApiServer(
    {
      store,
      bus,
      health: async () => HEALTH,
      lineage: (id) => buildLineage(store.audit, id),
      now: () => clock.now(),
      models: new StaticModelCatalog(zscoreModelName(), ensemble),
      features: { featureSet, online, offline },
      replay: (id) => replayConviction({ audit: store.audit, instruments: store.instruments, combiner: combinerLookup(null) }, id),
    },
    { port: 0, host: '127.0.0.1', production: true },
  );
}, 240_000);

afterAll(async () => {
  await api?.close();
  await engine?.stop();
  await bus?.close();
  await store?.close();
});

describe('models, features and explanations over GraphQL', () => {
  it('lists the code-defined and the trained models, each with its version and what it was trained on', async () => {
    const { data } = await post(api.url, ModelsDocument, {});
    const models = data!.models;
    expect(models.map((m) => m.kind).sort()).toEqual(['anomaly', 'classifier', 'graph', 'zscore']);
    const trees = models.find((m) => m.kind === 'classifier')!;
    expect(trees).toMatchObject({ version: gbdtVersion, status: 'live', featureSetVersion: featureSet.version, horizonSeconds: 1800, training: { baseSeeds: [901] } });
    expect(trees.features).toEqual(featureSet.names);
    expect(trees.artifactHash).toMatch(/^[0-9a-f]{64}$/);
    const one = await post(api.url, ModelVersionDocument, { id: trees.id });
    expect(one.data!.modelVersion).toMatchObject({ id: trees.id, kind: 'classifier' });
    expect((await post(api.url, ModelVersionDocument, { id: 'nope@1' })).data!.modelVersion).toBeNull();
  });

  it("serves an instrument's features now, and as they were known at a past time", async () => {
    const now = await post(api.url, FeaturesDocument, { entity: 'AAPL' });
    const values = Object.fromEntries(now.data!.features.map((f) => [f.feature, f]));
    expect(Object.keys(values).sort()).toEqual([...featureSet.names].sort());
    expect(values.return_1h!.value).not.toBeNull();
    expect(values.return_1h!.missing).toBeNull();
    // 30 minutes in, no close an hour old was known: the one-hour return was undefined then.
    const past = await post(api.url, FeaturesDocument, { entity: 'AAPL', asOf: new Date(START + 30 * MIN).toISOString() });
    const then = Object.fromEntries(past.data!.features.map((f) => [f.feature, f]));
    expect(then.return_1h!.value).toBeNull();
    expect(then.volatility_1d!.value).not.toBeNull();
    expect(Date.parse(then.volatility_1d!.asOf!)).toBeLessThanOrEqual(START + 30 * MIN);
    const bad = await post(api.url, FeaturesDocument, { entity: ' ' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'entity' });
  });

  it('explains a conviction down to the model outputs, their TreeSHAP attributions and the feature values they read', async () => {
    const rows = await store.database.query<{ event_id: string }>(
      `select a.event_id from audit_log a where a.type = 'ConvictionScored' and exists (
         select 1 from audit_log m where m.type = 'ModelScored' and m.payload->>'modelId' like 'GBDT(%'
           and m.event_id = any(a.causation_ids)) order by a.seq desc limit 1`,
    );
    expect(rows.length).toBe(1);
    const { data } = await post(api.url, ExplainConvictionDocument, { id: rows[0]!.event_id });
    const e = data!.explainConviction!;
    const trees = e.outputs.find((o) => o.modelId.startsWith('GBDT('))!;
    expect(trees.modelVersion).toBe(gbdtVersion);
    expect(trees.attributions.length).toBe(featureSet.names.length);
    expect(trees.snapshotId).toMatch(/^ftr_/);
    const values = trees.featureValues as Record<string, number | null>;
    for (const a of trees.attributions) expect(a.value).toBe(values[a.feature]);
    expect(e.conviction.reasonVector.some((r) => r.feature.startsWith('gbdt.'))).toBe(true);
    expect(e.conviction.reasonVector.reduce((s, r) => s + r.contribution, 0)).toBeCloseTo(e.conviction.convictionScore, 4);
    expect(e.conviction.contributingModels.map((m) => m.modelId)).toContain(trees.modelId);
    expect((await post(api.url, ExplainConvictionDocument, { id: 'cnv_unknown' })).data!.explainConviction).toBeNull();
  });

  it('replays convictions identical from their recorded inputs, and names the fields a tampered input changes', async () => {
    const rows = await store.database.query<{ event_id: string; causation_ids: string[] }>(
      `select event_id, causation_ids from audit_log where type = 'ConvictionScored' order by seq desc limit 5`,
    );
    expect(rows.length).toBe(5);
    for (const row of rows) {
      const { data } = await post(api.url, ReplayConvictionDocument, { id: row.event_id });
      expect(data!.replayConviction).toMatchObject({ status: 'IDENTICAL', differences: [], replayed: null });
    }
    // Rewrite one recorded model output. The database refuses updates to the audit log, so this tampers as a
    // superuser would (see tamperAuditLog); it is what a tampered copy would hold.
    const victim = rows[0]!;
    const target = victim.causation_ids.at(-1)!.replaceAll("'", "''");
    await tamperAuditLog(
      (text, params) => store.database.query(text, params),
      `update audit_log set payload = jsonb_set(payload, '{signal}', to_jsonb(-0.99::float8)) || jsonb_build_object('score', -9, 'polarity', -1) where event_id = '${target}'`,
    );
    const { data } = await post(api.url, ReplayConvictionDocument, { id: victim.event_id });
    expect(data!.replayConviction.status).toBe('DIFFERENT');
    expect(data!.replayConviction.differences.map((d) => d.path)).toContain('convictionScore');
    const missing = await post(api.url, ReplayConvictionDocument, { id: 'cnv_nope' });
    expect(missing.data!.replayConviction).toMatchObject({ status: 'UNAVAILABLE' });
  });
});
