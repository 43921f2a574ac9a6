/**
 * The reinforcement bias on a running server (embedded defaults, the simulator at ten bars a second): the live
 * stacker's convictions are judged once their horizon has passed, each input's multiplier moves with its
 * model's realized hit rate, every move is published on `models.weights` and recorded in the audit log with
 * the convictions that caused it, later convictions are scored with the moved weights under a combiner version
 * that names them, and such a conviction replays identically.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { Topics } from '../src/engine/bus/topics.js';
import { LogisticStacker } from '../src/engine/conviction/stacker.js';
import type { StackerWeightsChanged } from '../src/engine/modelops/events.js';
import type { ModelBundle } from '../src/engine/models/bundle.js';
import type { ConvictionScored } from '../src/engine/types.js';
import { createLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/server.js';
import { until } from './api-client.js';

/** Each poll may be a request: not more often than this. */
const POLL_MS = 200;

let server: RunningServer;
let dir = '';
let stacker: LogisticStacker;
let stackerId = '';
const home = process.cwd();
const changes: StackerWeightsChanged[] = [];
const convictions: ConvictionScored[] = [];


async function gql<R>(query: string, variables: Record<string, unknown> = {}): Promise<R> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: R; errors?: { message: string }[] };
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!;
}

beforeAll(async () => {
  const bundle = JSON.parse(await readFile(path.resolve('data/models/ensemble.json'), 'utf8')) as ModelBundle;
  const m = bundle.models.find((x) => x.role === 'stacker')!;
  stacker = LogisticStacker.deserialize(m.artifact);
  stackerId = `${m.name}@${m.version}`;
  dir = await mkdtemp(path.join(tmpdir(), 'vanta-reinforcement-'));
  process.chdir(dir);
  const config = loadConfig({
    env: { PORT: '0', VANTA_SIM_TICK_MS: '100', VANTA_SHUTDOWN_TIMEOUT_MS: '5000', LOG_LEVEL: 'silent' },
    file: undefined,
  });
  server = await startServer(
    { ...config, modelops: { ...config.modelops, drift: { ...config.modelops.drift, enabled: false }, promotion: { ...config.modelops.promotion, enabled: false } } },
    { log: createLogger('silent'), print: () => {} },
  );
  server.bus.subscribe(Topics.modelWeights, async (e) => void changes.push(e), { group: 'test-weights', from: 'earliest' });
  server.bus.subscribe(Topics.convictions, async (e) => void convictions.push(e), { group: 'test-convictions', from: 'earliest' });
}, 120_000);

afterAll(async () => {
  await server?.close();
  process.chdir(home);
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('the reinforcement bias on live traffic', () => {
  it('moves input weights by realized hit rates, publishes each move with the convictions that caused it', async () => {
    await until(() => changes.length >= 3, 150_000, POLL_MS);
    const first = changes[0]!;
    expect(first.payload.stacker).toBe(stacker.name);
    expect(first.causationIds.length).toBeGreaterThan(0);
    const scored = new Map(convictions.map((c) => [c.id, c]));
    for (const id of first.causationIds) {
      const cause = scored.get(id)!;
      expect(cause).toBeDefined();
      // A conviction is judged only after its horizon: the move comes at or after its time plus its TTL.
      expect(first.tsEvent).toBeGreaterThanOrEqual(cause.tsEvent + cause.payload.ttl * 1000);
    }
    for (const c of first.payload.changes) {
      expect(stacker.params.inputs).toContain(c.input);
      expect(Math.abs(c.to - c.from)).toBeGreaterThan(0.01);
      // The default rule: 1 + gain × (hitRate − 0.5) × 2 with gain 0.5, within [0.5, 1.5].
      expect(c.to).toBeCloseTo(Math.min(1.5, Math.max(0.5, 1 + 0.5 * (c.hitRate - 0.5) * 2)), 12);
    }

    // What GraphQL reports is what the last event says.
    const last = changes.at(-1)!;
    const { stackerWeights } = await gql<{ stackerWeights: { input: string; hitRate: number; calls: number; multiplier: number }[] }>(
      `query($id: ID!) { stackerWeights(versionId: $id) { input hitRate calls multiplier } }`,
      { id: stackerId },
    );
    expect(stackerWeights.map((w) => w.input)).toEqual([...stacker.params.inputs]);
    for (const w of stackerWeights) expect(w.multiplier).toBeCloseTo(last.payload.multipliers[w.input]!, 12);
    expect(stackerWeights.some((w) => w.calls > 0)).toBe(true);

    // The audit log holds the move with its causes: lineage walks from it to the convictions.
    await until(async () => {
      const r = await gql<{ lineage: { nodes: { eventId: string; type: string; depth: number }[] } | null }>(
        `query($id: ID!) { lineage(id: $id) { nodes { eventId type depth } } }`,
        { id: first.id },
      );
      const nodes = r.lineage?.nodes ?? [];
      return nodes.some((n) => n.depth === 0 && n.type === 'StackerWeightsChanged') && nodes.some((n) => n.depth === 1 && n.type === 'ConvictionScored');
    }, 30_000, POLL_MS);
  }, 200_000);

  it('scores later convictions with the moved weights, under a version that names them, and replays one identically', async () => {
    const weighted = () => convictions.filter((c) => /\+w\(/.test(c.payload.contributingModels.at(-1)!.version));
    await until(() => weighted().length > 0, 60_000, POLL_MS);
    const c = weighted()[0]!;
    const combiner = c.payload.contributingModels.at(-1)!;
    expect(combiner.modelId).toBe(stacker.name);
    const label = /\+w\((.*)\)$/.exec(combiner.version)![1]!;
    const multipliers = new Map(label.split(',').map((p) => [p.split('=')[0]!, Number(p.split('=')[1])] as const));
    expect(multipliers.size).toBeGreaterThan(0);
    for (const [input, m] of multipliers) {
      expect(stacker.params.inputs).toContain(input);
      expect(m).not.toBe(1);
    }
    const replay = await gql<{ replayConviction: { status: string; reason: string | null } }>(`query($id: ID!) { replayConviction(id: $id) { status reason } }`, { id: c.id });
    expect(replay.replayConviction).toEqual({ status: 'IDENTICAL', reason: null });
  }, 120_000);

  it('takes its weights back after a restart on the same data directory', async () => {
    const last = changes.at(-1)!;
    await server.close();
    const config = loadConfig({ env: { PORT: '0', VANTA_SIM_TICK_MS: '100', VANTA_SHUTDOWN_TIMEOUT_MS: '5000', LOG_LEVEL: 'silent' }, file: undefined });
    server = await startServer(
      { ...config, modelops: { ...config.modelops, drift: { ...config.modelops.drift, enabled: false }, promotion: { ...config.modelops.promotion, enabled: false } } },
      { log: createLogger('silent'), print: () => {} },
    );
    // The audit log may have recorded a later move than the last this test saw before the stop.
    const { stackerWeights } = await gql<{ stackerWeights: { input: string; hitRate: number; calls: number; multiplier: number }[] }>(
      `query($id: ID!) { stackerWeights(versionId: $id) { input hitRate calls multiplier } }`,
      { id: stackerId },
    );
    const calls = stackerWeights.reduce((a, w) => a + w.calls, 0);
    const lastCalls = Object.values(last.payload.state!).reduce((a, r) => a + r.calls, 0);
    expect(calls).toBeGreaterThanOrEqual(lastCalls);
    expect(stackerWeights.some((w) => w.multiplier !== 1)).toBe(true);
    for (const w of stackerWeights) {
      expect(w.multiplier).toBeGreaterThanOrEqual(0.5);
      expect(w.multiplier).toBeLessThanOrEqual(1.5);
    }
  }, 120_000);
});
