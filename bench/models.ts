/**
 * `npm run bench:models`: how fast each model scores, and the whole scoring path per instrument snapshot.
 *
 * - Rows per second: as many rows as the model's natural call takes (a batch of `--batch` rows for the TF.js
 *   networks and the pool; one row per call for the others, which have no batched form), repeated for
 *   `--seconds`.
 * - Batch-1 latency: one row, awaited before the next, `--samples` times; p50/p99 nearest-rank. Through the pool
 *   this includes the micro-batch window (`--window-ms`), which a lone request waits out.
 * - The TF.js networks (MLP, Gaussian LSTM forecaster) run on wasm and on cpu in the same run: direct (the
 *   network in this thread) and through a one-thread pool started on that backend.
 * - Scoring path: recorded feature snapshots of a simulator run, each published on `features.computed` of a
 *   memory bus and drained through the ensemble stage and the conviction scorer (snapshot → model outputs →
 *   conviction), with the shipped ensemble's models, and with the pooled MLP added.
 *
 *   npm run bench:models -- [--seconds 1.5] [--samples 400] [--batch 256] [--window-ms 2]
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { MemoryBus } from '../src/engine/bus/memory.js';
import { Topics } from '../src/engine/bus/topics.js';
import { TestClock } from '../src/engine/clock.js';
import { PriorWeightsCombiner } from '../src/engine/conviction/combiner.js';
import { ConvictionScorer } from '../src/engine/conviction/scorer.js';
import { CLEAN_ANNOTATIONS } from '../src/engine/enrich/annotations.js';
import { instrumentFeatureSet } from '../src/engine/features/definitions.js';
import { PooledMlpFeatureModel } from '../src/engine/ml/models.js';
import { type TfjsArtifact, TfjsPool } from '../src/engine/ml/pool.js';
import { simulate, snapshotRows } from '../src/engine/modelops/training.js';
import { Bocpd } from '../src/engine/models/bocpd.js';
import { artifactHash, loadBundle, readBundle } from '../src/engine/models/bundle.js';
import { EnsembleStage } from '../src/engine/models/ensemble-stage.js';
import { type FeatureModel, GbdtFeatureModel, IsolationForestFeatureModel } from '../src/engine/models/feature-models.js';
import { chooseBackend, describeBackend } from '../src/engine/models/tfjs/backend.js';
import { ForecastNetwork, GaussianForecaster } from '../src/engine/models/tfjs/forecaster.js';
import { MlpClassifier, MlpNetwork } from '../src/engine/models/tfjs/mlp.js';
import type { TfjsNetwork } from '../src/engine/models/tfjs/network.js';
import { ZScoreModel } from '../src/engine/models/zscore.js';
import { Random } from '../src/engine/random.js';
import { runStage } from '../src/engine/stage.js';
import type { FeaturesComputed, SignalEnriched } from '../src/engine/types.js';
import { bundleLocation } from '../src/jobs/models.js';
import { describeMachine, machineLine } from './pipeline/machine.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1.5' },
    samples: { type: 'string', default: '400' },
    batch: { type: 'string', default: '256' },
    'window-ms': { type: 'string', default: '2' },
  },
});
const SECONDS = Number(values.seconds);
const SAMPLES = Number(values.samples);
const BATCH = Number(values.batch);
const WINDOW_MS = Number(values['window-ms']);
const benchStarted = performance.now();

// ---- measuring ---------------------------------------------------------------------------------------------

/** Rows per second of `call`, which scores some rows and says how many. */
async function rowsPerSecond(call: () => number | Promise<number>): Promise<number> {
  for (let i = 0; i < 3; i++) await call(); // warm-up: kernels compiled, caches filled
  let rows = 0;
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) rows += await call();
  return rows / ((performance.now() - started) / 1000);
}

/** p50 and p99 in ms of `call`, one at a time. */
async function latency(call: () => unknown): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 20; i++) await call();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < SAMPLES && performance.now() - started < SECONDS * 2000) {
    const t = performance.now();
    await call();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const rank = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { p50: rank(0.5), p99: rank(0.99) };
}

interface Row {
  readonly model: string;
  readonly backend: string;
  readonly path: string;
  readonly rowsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
}
const table: Row[] = [];
async function measure(
  model: string,
  backend: string,
  path: string,
  batch: () => number | Promise<number>,
  one: () => unknown,
  afterThroughput?: () => void,
): Promise<void> {
  const rps = await rowsPerSecond(batch);
  afterThroughput?.();
  const { p50, p99 } = await latency(one);
  const row = { model, backend, path, rowsPerSecond: rps, p50, p99 };
  table.push(row);
  console.error(`  ${model} [${backend}, ${path}]: ${fmtRate(rps)} rows/s, p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`);
}
const fmtRate = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));

// ---- data and models ---------------------------------------------------------------------------------------

const machine = describeMachine();
const lscpu = (() => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? machine.cpu;
  } catch {
    return machine.cpu;
  }
})();
console.log(`machine: ${machineLine(machine)} (${lscpu})`);
console.log(`command: npm run bench:models -- --seconds ${SECONDS} --samples ${SAMPLES} --batch ${BATCH} --window-ms ${WINDOW_MS}`);
console.log(`date: ${new Date().toISOString()}`);

const featureSet = instrumentFeatureSet();
const bundle = await readBundle(bundleLocation());
const loaded = loadBundle(bundle); // read only: the shipped ensemble is neither retrained nor written
const gbdt = loaded.featureModels.find((m): m is GbdtFeatureModel => m instanceof GbdtFeatureModel)!;
const forest = loaded.featureModels.find((m): m is IsolationForestFeatureModel => m instanceof IsolationForestFeatureModel)!;
const features = bundle.features;

console.error('simulating feature snapshots (seed 501, 0.25 days) ...');
const harness = await simulate(501, { days: 0.25, start: Date.UTC(2024, 0, 2) }, featureSet, { record: { outputs: false } });
const labelled = snapshotRows(harness, features, bundle.horizonMs);
const snapshots = harness.snapshots;
const rows = labelled.X;
console.error(`  ${snapshots.length} snapshots, ${rows.length} labelled rows of ${features.length} features`);

const mainChoice = await chooseBackend(['wasm', 'cpu']);
console.log(`TF.js in this thread: ${describeBackend(mainChoice)}; fitting the MLP and the forecaster here`);
const mlpModel = new MlpClassifier({ hidden: [32, 16], epochs: 3, seed: 7 });
await mlpModel.fit(rows, labelled.y, features);
const forecasterModel = new GaussianForecaster({ window: 32, units: 16, epochs: 2, seed: 7 });
const sp500 = readFileSync(new URL('../../shared/fixtures/market/sp500_daily_2000_2020.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => Math.log(Number(l.split(',')[5])))
  .filter(Number.isFinite);
await forecasterModel.fit(sp500.slice(0, 1500));
const artifactOf = (m: MlpClassifier | GaussianForecaster): TfjsArtifact => {
  const artifact = m.serialize();
  return { name: m.name, artifactHash: artifactHash(artifact), artifact };
};
const mlp = artifactOf(mlpModel);
const forecaster = artifactOf(forecasterModel);

const mlpRows = rows.map((r) => Float32Array.from(r));
const historyRows = Array.from({ length: 1000 }, (_, i) => Float32Array.from(sp500.slice(1500 + i, 1500 + i + forecasterModel.historyLength)));
const concat = (list: readonly Float32Array[], from: number, n: number): Float32Array => {
  const width = list[0]!.length;
  const out = new Float32Array(n * width);
  for (let i = 0; i < n; i++) out.set(list[(from + i) % list.length]!, i * width);
  return out;
};
let cursor = 0;
const next = <T>(list: readonly T[]): T => list[cursor++ % list.length]!;

// ---- the models that run in this thread --------------------------------------------------------------------

console.error('measuring ...');
{
  const bus = new MemoryBus();
  const clock = new TestClock(Date.UTC(2024, 0, 2));
  const zscore = new ZScoreModel(bus, clock);
  const random = new Random(3);
  let t = Date.UTC(2024, 0, 2);
  let seq = 0;
  const event = (): SignalEnriched => {
    seq++;
    t += 1_000;
    return {
      id: `enr_${seq}`,
      type: 'SignalEnriched',
      tsEvent: t,
      tsInit: t,
      causationIds: [`sig_${seq}`],
      payload: {
        source: 'bench',
        kind: 'social_mention',
        instrument: ['NVDA', 'AAPL', 'MSFT', 'TSLA'][seq % 4]!,
        externalId: null,
        body: {},
        contentHash: `h${seq}`,
        polarity: random.next() < 0.5 ? -1 : 1,
        magnitude: 1,
        ...CLEAN_ANNOTATIONS,
      },
    };
  };
  await measure(zscore.modelId, 'JS', 'direct (one signal per call)', async () => (await zscore.handle(event()), 1), () => zscore.handle(event()));
  await bus.close();
}
await measure(forest.modelId, 'JS', 'direct (one row per call)', async () => (await forest.score('X', [next(rows)]), 1), () => forest.score('X', [next(rows)]));
await measure(`${gbdt.modelId} + TreeSHAP`, 'JS', 'direct (one row per call)', async () => (await gbdt.score('X', [next(rows)]), 1), () => gbdt.score('X', [next(rows)]));
{
  const bocpd = new Bocpd();
  const returns = sp500.slice(1).map((v, i) => v - sp500[i]!);
  await measure(bocpd.name, 'JS', 'direct (one step per call)', () => (bocpd.update(next(returns)), 1), () => bocpd.update(next(returns)));
}

// ---- the TF.js networks on each backend, direct and through the pool ---------------------------------------

for (const backend of ['wasm', 'cpu'] as const) {
  await chooseBackend([backend]);
  const networks: [string, TfjsNetwork, readonly Float32Array[], Record<string, number | number[]>][] = [
    [mlp.name, new MlpNetwork(mlp.artifact), mlpRows, {}],
    [forecaster.name, new ForecastNetwork(forecaster.artifact), historyRows, { horizon: 1, levels: [0.1, 0.5, 0.9] }],
  ];
  for (const [name, network, inputs, options] of networks) {
    await measure(
      name,
      backend,
      `direct (batch ${BATCH})`,
      () => (network.infer(concat(inputs, cursor++, BATCH), BATCH, options), BATCH),
      () => network.infer(next(inputs), 1, options),
    );
    network.dispose();
  }
  const pool = await TfjsPool.start({ threads: 1, backends: [backend], batchWindowMs: WINDOW_MS, maxBatch: BATCH });
  console.error(`  pool on ${describeBackend(pool.backend)}`);
  for (const [artifact, inputs, options] of [
    [mlp, mlpRows, {}],
    [forecaster, historyRows, { horizon: 1, levels: [0.1, 0.5, 0.9] }],
  ] as const) {
    const before = pool.stats;
    await measure(
      artifact.name,
      backend,
      `pool (${BATCH} concurrent requests)`,
      async () => (await Promise.all(Array.from({ length: BATCH }, () => pool.infer(artifact, next(inputs), options))), BATCH),
      () => pool.infer(artifact, next(inputs), options),
      () => {
        const after = pool.stats;
        console.error(`    rows per batch sent while measuring rows/s: ${((after.rows - before.rows) / (after.batches - before.batches)).toFixed(1)}`);
      },
    );
  }
  await pool.close();
}

// ---- the whole scoring path, per instrument snapshot -------------------------------------------------------

await chooseBackend(['wasm', 'cpu']);
const pathRows: { name: string; snapshotsPerSecond: number; p50: number; p99: number; convictions: number }[] = [];
const pool = await TfjsPool.start({ threads: 1, backends: ['wasm', 'cpu'], batchWindowMs: WINDOW_MS });
const eagerPool = await TfjsPool.start({ threads: 1, backends: ['wasm', 'cpu'], batchWindowMs: 0 });
const instruments = new Map(harness.instruments.map((i) => [i.symbol, i]));
for (const [name, models] of [
  ['shipped ensemble (GBDT+TreeSHAP, IsolationForest)', [gbdt, forest]],
  [`shipped ensemble + MLP through the pool (window ${WINDOW_MS} ms)`, [gbdt, forest, new PooledMlpFeatureModel(pool, mlp, features, bundle.horizonMs)]],
  ['shipped ensemble + MLP through the pool (window 0)', [gbdt, forest, new PooledMlpFeatureModel(eagerPool, mlp, features, bundle.horizonMs)]],
] as [string, FeatureModel[]][]) {
  const bus = new MemoryBus();
  const clock = new TestClock(Date.UTC(2024, 0, 2));
  let convictions = 0;
  runStage(bus, new EnsembleStage(bus, clock, () => models) as never);
  runStage(bus, new ConvictionScorer(bus, clock, (s) => instruments.get(s), () => loaded.combiner ?? new PriorWeightsCombiner(), () => void convictions++) as never);
  let seq = 0;
  const one = async (): Promise<void> => {
    const snapshot = snapshots[seq % snapshots.length]!;
    seq++;
    // Each pass over the recording is moved forward in time, so the stage sees new snapshots, not repeats.
    const shift = Math.floor((seq - 1) / snapshots.length) * 86_400_000;
    const event: FeaturesComputed = {
      id: `fc_${seq}`,
      type: 'FeaturesComputed',
      tsEvent: snapshot.asOf + shift,
      tsInit: snapshot.asOf + shift,
      causationIds: [`sig_${seq}`],
      payload: { ...snapshot, asOf: snapshot.asOf + shift },
    };
    clock.set(Math.max(clock.now(), event.tsEvent));
    await bus.publish(Topics.featuresComputed, event);
    await bus.drain(10_000);
  };
  const rps = await rowsPerSecond(async () => (await one(), 1));
  const { p50, p99 } = await latency(one);
  pathRows.push({ name, snapshotsPerSecond: rps, p50, p99, convictions });
  console.error(`  scoring path, ${name}: ${fmtRate(rps)} snapshots/s, p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms, ${convictions} convictions`);
  await bus.close();
}
await pool.close();
await eagerPool.close();
await harness.close();
tf.disposeVariables();

// ---- report ------------------------------------------------------------------------------------------------

const ratio = (model: string, path: string): string => {
  const w = table.find((r) => r.model === model && r.backend === 'wasm' && r.path.startsWith(path));
  const c = table.find((r) => r.model === model && r.backend === 'cpu' && r.path.startsWith(path));
  return w && c ? `${(w.rowsPerSecond / c.rowsPerSecond).toFixed(1)}× rows/s, ${(c.p50 / w.p50).toFixed(1)}× p50` : 'n/a';
};
console.log('');
console.log('| model | backend | path | rows/s | batch-1 p50 ms | batch-1 p99 ms |');
console.log('|---|---|---|---|---|---|');
for (const r of table) console.log(`| ${r.model} | ${r.backend} | ${r.path} | ${fmtRate(r.rowsPerSecond)} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} |`);
console.log('');
console.log('| wasm against cpu | direct | pool |');
console.log('|---|---|---|');
for (const m of [mlp.name, forecaster.name]) console.log(`| ${m} | ${ratio(m, 'direct')} | ${ratio(m, 'pool')} |`);
console.log('');
console.log('| scoring path (snapshot → ensemble stage → conviction) | snapshots/s | p50 ms | p99 ms |');
console.log('|---|---|---|---|');
for (const r of pathRows) console.log(`| ${r.name} | ${fmtRate(r.snapshotsPerSecond)} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} |`);
console.log('');
console.log(`total ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`);
