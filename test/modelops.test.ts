/**
 * Model operations end to end, on a real server on embedded defaults (PGlite, the in-memory bus, the
 * simulator): the shipped ensemble registered live at start and a retrained GBDT in shadow; a drift planted by
 * publishing feature snapshots whose `return_1h` is off by a unit error raises a drift alarm within the window
 * and cuts the GBDT's stacker weight in the convictions that follow; `promoteModel` refuses a promotion the
 * rule does not back (nothing changes), and with `override` moves the alias, which `modelAliasHistory` and the
 * audit log show with the caller's key as actor.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../src/api/auth/index.js';
import { Role } from '../src/api/roles.js';
import { loadConfig } from '../src/config.js';
import { canonicalJson, sha256Hex } from '../src/engine/canonical.js';
import { Topics } from '../src/engine/bus/topics.js';
import { LogisticStacker } from '../src/engine/conviction/stacker.js';
import type { ModelBundle } from '../src/engine/models/bundle.js';
import { createStore } from '../src/engine/store/repositories.js';
import type { FeaturesComputed, FeatureSnapshot } from '../src/engine/types.js';
import { createLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/server.js';
import { until } from './api-client.js';

/** Each poll may be a request: not more often than this. */
const POLL_MS = 200;


const BUNDLE = path.resolve('data/models/ensemble.json');
const SLOT = 30_000;

interface Gql<R> {
  readonly data?: R | null;
  readonly errors?: readonly { message: string }[];
}

let server: RunningServer;
let dir = '';
let alphaKey = '';
let alphaId = '';
let viewerKey = '';
let shipped: ModelBundle;
let gbdtModel = '';
let liveGbdt = '';
let shadowGbdt = '';
const liveVersion = () => liveGbdt.slice(liveGbdt.lastIndexOf('@') + 1);

async function gql<R>(query: string, variables: Record<string, unknown> = {}, key = alphaKey): Promise<Gql<R>> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Gql<R>;
}

/** A copy of the shipped bundle whose GBDT has another base score: a new version of the same model. */
async function retrainedBundle(file: string): Promise<string> {
  const bundle = JSON.parse(await readFile(BUNDLE, 'utf8')) as ModelBundle;
  const models = bundle.models.map((m) => {
    if (m.role !== 'gbdt') return m;
    const artifact = { ...m.artifact, state: { ...(m.artifact.state as Record<string, unknown>), baseScore: ((m.artifact.state as { baseScore: number }).baseScore ?? 0) + 0.05 } };
    const hash = sha256Hex(canonicalJson(artifact));
    return { ...m, artifact, artifactHash: hash, version: hash.slice(0, 12) };
  });
  await writeFile(file, JSON.stringify({ ...bundle, models }));
  return `${models.find((m) => m.role === 'gbdt')!.name}@${models.find((m) => m.role === 'gbdt')!.version}`;
}

const MODELS = `{ models { id status } }`;
const HISTORY = `query($model: String!) { modelAliasHistory(model: $model) {
  changes { seq versionId from to actor reason eventId }
  liveIntervals { versionId from to promotedBy } } }`;
const PROMOTE = `mutation($id: ID!, $reason: String!, $override: Boolean!) { promoteModel(versionId: $id, reason: $reason, override: $override) {
  version { id status } changes { versionId from to actor eventId } comparison { verdict days winner reasons } errors { code message path } } }`;
const REPORTS = `query($model: String!, $from: DateTime!, $to: DateTime!) { driftReports(model: $model, from: $from, to: $to, first: 200) {
  version level alarmed weightMultiplier keys { key level n } } }`;

interface HistoryData {
  modelAliasHistory: {
    changes: { seq: number; versionId: string; from: string | null; to: string; actor: string; reason: string; eventId: string }[];
    liveIntervals: { versionId: string; from: string; to: string | null; promotedBy: string }[];
  };
}
interface PromoteData {
  promoteModel: {
    version: { id: string; status: string } | null;
    changes: { versionId: string; from: string; to: string; actor: string; eventId: string }[];
    comparison: { verdict: string; days: number; winner: string | null; reasons: string[] } | null;
    errors: { code: string; message: string; path: string | null }[];
  };
}
interface ReportsData {
  driftReports: { version: string; level: string; alarmed: boolean; weightMultiplier: number; keys: { key: string; level: string; n: number }[] }[];
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vanta-modelops-'));
  shipped = JSON.parse(await readFile(BUNDLE, 'utf8')) as ModelBundle;
  const gbdt = shipped.models.find((m) => m.role === 'gbdt')!;
  gbdtModel = gbdt.name;
  liveGbdt = `${gbdt.name}@${gbdt.version}`;
  shadowGbdt = await retrainedBundle(path.join(dir, 'retrained.json'));
  // Embedded defaults: PGlite under ./data/pglite, here of a directory of the test's own. The keys are made
  // before the server starts, on the database it will open.
  process.chdir(dir);
  const store = await createStore(undefined);
  const keys = new ApiKeys(store.apiKeys);
  const alpha = await keys.create('quant desk', [Role.Alpha, Role.Markets]);
  const viewer = await keys.create('dashboard', [Role.Viewer]);
  await store.close();
  [alphaKey, alphaId, viewerKey] = [alpha.key, alpha.record.id, viewer.key];
  await writeFile(
    path.join(dir, 'vanta.config.json'),
    JSON.stringify({
      modelops: {
        shadowBundles: [path.join(dir, 'retrained.json')],
        // Windows in simulated time: ten half-minute slots, evaluated every second of wall time.
        // Live traffic gives about fifty snapshots a window, short of the minimum: only a planted shift reaches it.
        drift: { intervalMs: 1000, windowMs: 10 * SLOT, slotMs: SLOT, minSamples: 400, reference: { hours: 2 } },
        promotion: { intervalMs: 600_000 },
        // The reinforcement bias has a test of its own (reinforcement.server.test.ts): here only the cut moves weights.
        reinforcement: { enabled: false },
      },
    }),
  );
  const config = loadConfig({ env: { PORT: '0', VANTA_SIM_TICK_MS: '500', VANTA_SHUTDOWN_TIMEOUT_MS: '5000', LOG_LEVEL: 'silent' }, file: path.join(dir, 'vanta.config.json') });
  server = await startServer(config, { log: createLogger(process.env.MODELOPS_TEST_LOG === '1' ? 'info' : 'silent'), print: () => {} });
}, 120_000);

const home = process.cwd();
afterAll(async () => {
  await server?.close();
  process.chdir(home);
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('model operations on a running server', () => {
  it('registers the shipped ensemble live and the retrained GBDT in shadow', async () => {
    const { data } = await gql<{ models: { id: string; status: string }[] }>(MODELS);
    const status = new Map(data!.models.map((m) => [m.id, m.status]));
    for (const m of shipped.models) expect(status.get(`${m.name}@${m.version}`)).toBe('live');
    expect(status.get(shadowGbdt)).toBe('shadow');
    const history = (await gql<HistoryData>(HISTORY, { model: gbdtModel })).data!.modelAliasHistory;
    expect(history.changes.map((c) => [c.versionId, c.from, c.to])).toEqual([
      [liveGbdt, null, 'shadow'],
      [liveGbdt, 'shadow', 'live'],
      [shadowGbdt, null, 'shadow'],
    ]);
    expect(history.changes.every((c) => c.actor === 'system:modelops')).toBe(true);
  });

  it('a planted drift raises an alarm within the window, and the GBDT weight is cut in later convictions', async () => {
    const started = server.clock.now();
    const all = (from = started - 3_600_000) => gql<ReportsData>(REPORTS, { model: gbdtModel, from: new Date(from).toISOString(), to: new Date(server.clock.now() + 3_600_000).toISOString() });
    // Live traffic alone is watched and raises nothing.
    await until(async () => ((await all()).data?.driftReports.filter((r) => r.version === liveVersion()).length ?? 0) >= 3, 90_000, POLL_MS);
    const natural = (await all()).data!.driftReports;
    expect(natural.some((r) => r.alarmed)).toBe(false);

    const ws = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: { authorization: `Bearer ${viewerKey}` } });
    const alarms: { state: string; model: string; version: string; action: string; multiplier: number; keys: string[] }[] = [];
    const stopAlarms = ws.subscribe({ query: `subscription { driftAlarm { state model version action multiplier keys } }` }, {
      next: (r) => void alarms.push((r.data as { driftAlarm: (typeof alarms)[number] }).driftAlarm),
      error: () => {},
      complete: () => {},
    });
    const convictions: { contributingModels: { modelId: string; version: string; weight: number }[] }[] = [];
    const stopConvictions = ws.subscribe({ query: `subscription { convictionUpdated { contributingModels { modelId version weight } } }` }, {
      next: (r) => void convictions.push((r.data as { convictionUpdated: (typeof convictions)[number] }).convictionUpdated),
      error: () => {},
      complete: () => {},
    });
    try {
      // Real snapshots, as the feature stage publishes them, copied with return_1h off by a unit error (a
      // return in percent where a fraction is expected): the feed shifts, everything else is as it was.
      const real: FeatureSnapshot[] = [];
      const tap = server.bus.subscribe(Topics.featuresComputed, async (e) => void real.push(e.payload), { group: 'test-tap', from: 'latest' });
      await until(async () => real.length >= 50, 30_000, POLL_MS);
      await tap.close();
      const plant = async (round: number) => {
        const asOf = Math.floor(server.clock.now() / SLOT) * SLOT - SLOT / 2; // the slot just completed
        const events: FeaturesComputed[] = Array.from({ length: 600 }, (_, i) => {
          const s = real[i % real.length]!;
          const values = { ...s.values, return_1h: (s.values.return_1h ?? 0) * 100 + 0.5 };
          return { id: `planted_${round}_${i}`, type: 'FeaturesComputed', tsEvent: asOf, tsInit: server.clock.now(), causationIds: [], payload: { ...s, asOf, values } };
        });
        await server.bus.publishMany(Topics.featuresComputed, events);
      };
      const plantedAt = server.clock.now();
      await plant(1);
      await until(async () => alarms.some((a) => a.state === 'RAISED' && a.version === liveVersion()), 30_000, POLL_MS);
      const raised = alarms.find((a) => a.state === 'RAISED' && a.version === liveVersion())!;
      expect(raised).toMatchObject({ model: gbdtModel, action: 'cut_weight', multiplier: 0.5 });
      expect(raised.keys).toContain('return_1h');
      const reports = (await all(plantedAt)).data!.driftReports.filter((r) => r.version === liveVersion());
      const alarmed = reports.find((r) => r.alarmed)!;
      expect(alarmed.weightMultiplier).toBe(0.5);
      expect(alarmed.keys.find((k) => k.key === 'return_1h')!.level).toBe('alarm');

      // The stacker's GBDT weight, halved, in the convictions scored after the alarm.
      const stacker = LogisticStacker.deserialize(shipped.models.find((m) => m.role === 'stacker')!.artifact);
      const full = stacker.weights[stacker.params.inputs.indexOf('classifier:gbdt')]!;
      convictions.length = 0;
      await plant(2);
      await until(async () => convictions.some((c) => c.contributingModels.some((m) => m.modelId === gbdtModel)), 30_000, POLL_MS);
      const cut = convictions.find((c) => c.contributingModels.some((m) => m.modelId === gbdtModel))!;
      expect(cut.contributingModels.find((m) => m.modelId === gbdtModel)!.weight).toBeCloseTo(full * 0.5, 5);
      expect(cut.contributingModels.find((m) => m.modelId === stacker.name)!.version).toMatch(/\+w\(.*classifier:gbdt=0\.5/);
    } finally {
      stopAlarms();
      stopConvictions();
      await ws.dispose();
    }
  }, 240_000);

  it('refuses a promotion the rule does not back, and changes nothing', async () => {
    const before = (await gql<HistoryData>(HISTORY, { model: gbdtModel })).data!.modelAliasHistory;
    const refused = (await gql<PromoteData>(PROMOTE, { id: shadowGbdt, reason: 'looks better', override: false })).data!.promoteModel;
    expect(refused.errors.map((e) => e.code)).toEqual(['PROMOTION_REFUSED']);
    expect(refused.changes).toEqual([]);
    expect(refused.comparison).toMatchObject({ verdict: expect.stringMatching(/keep|demote/), winner: null });
    const unknown = (await gql<PromoteData>(PROMOTE, { id: `${gbdtModel}@nope`, reason: 'r', override: true })).data!.promoteModel;
    expect(unknown.errors).toEqual([expect.objectContaining({ code: 'MODEL_VERSION_NOT_FOUND', path: 'versionId' })]);
    // A dashboard key may read, not promote.
    const viewer = await gql<PromoteData>(PROMOTE, { id: shadowGbdt, reason: 'r', override: true }, viewerKey);
    expect(viewer.errors?.length).toBeGreaterThan(0);
    expect((await gql<HistoryData>(HISTORY, { model: gbdtModel })).data!.modelAliasHistory).toEqual(before);
  });

  it('promotes with an override: the alias moves, the history and the audit log name the caller', async () => {
    const done = (await gql<PromoteData>(PROMOTE, { id: shadowGbdt, reason: 'retrained on the latest window', override: true })).data!.promoteModel;
    expect(done.errors).toEqual([]);
    expect(done.version).toEqual({ id: shadowGbdt, status: 'live' });
    expect(done.changes.map((c) => [c.versionId, c.from, c.to, c.actor])).toEqual([
      [liveGbdt, 'live', 'shadow', alphaId],
      [shadowGbdt, 'shadow', 'live', alphaId],
    ]);
    const history = (await gql<HistoryData>(HISTORY, { model: gbdtModel })).data!.modelAliasHistory;
    expect(history.changes.at(-1)).toMatchObject({ versionId: shadowGbdt, to: 'live', actor: alphaId, reason: 'override: retrained on the latest window' });
    expect(history.liveIntervals.map((i) => [i.versionId, i.to === null, i.promotedBy])).toEqual([
      [liveGbdt, false, 'system:modelops'],
      [shadowGbdt, true, alphaId],
    ]);
    const models = new Map((await gql<{ models: { id: string; status: string }[] }>(MODELS)).data!.models.map((m) => [m.id, m.status]));
    expect([models.get(shadowGbdt), models.get(liveGbdt)]).toEqual(['live', 'shadow']);

    // The audit log holds the promotion with its actor, once the recorder has caught up.
    const promoted = done.changes[1]!.eventId;
    const LINEAGE = `query($id: ID!) { lineage(id: $id) { nodes { eventId type depth payload auditSeq } } }`;
    interface Node {
      eventId: string;
      type: string;
      depth: number;
      payload: { change: { actor: string; to: string } };
      auditSeq: number;
    }
    let root: Node | undefined;
    await until(async () => {
      const nodes = (await gql<{ lineage: { nodes: Node[] } | null }>(LINEAGE, { id: promoted })).data?.lineage?.nodes;
      root = nodes?.find((n) => n.depth === 0);
      return root !== undefined;
    }, 20_000, POLL_MS);
    expect(root).toMatchObject({ type: 'ModelPromoted', payload: { change: { actor: alphaId, to: 'live' } } });
    expect(root!.auditSeq).toBeGreaterThan(0);
  });
});
