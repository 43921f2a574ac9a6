/**
 * `npm run bench:quality`: how good the convictions are, on simulator seeds the models never trained on.
 *
 * Each evaluation seed is simulated for `--days` days through the scoring harness (the live stages on a test
 * clock) three times: with the z-score and graph models under prior weights (what scores before any model is
 * trained), with the trained feature models under prior weights, and with the trained feature models under the
 * trained meta stacker (what `npm start` runs). Each day, the strongest conviction per instrument is a call,
 * judged by the log return over its TTL (modelops/evaluate.ts); Precision@5, hit rate, IC, rank IC and Brier
 * score are computed over all seeds' days together, next to the no-skill baselines.
 *
 *   npm run bench:quality -- [--seeds 301,302,303] [--days 2] [--bundle data/models/ensemble.json] [--out bench/results]
 */
import { parseArgs } from 'node:util';
import { PriorWeightsCombiner, type Combiner } from '../src/engine/conviction/combiner.js';
import { instrumentFeatureSet } from '../src/engine/features/definitions.js';
import { dailyCalls } from '../src/engine/modelops/evaluate.js';
import { DEFAULT_TRAINING, simulate } from '../src/engine/modelops/training.js';
import { loadBundle, readBundle } from '../src/engine/models/bundle.js';
import { inThreadTfjs } from '../src/engine/models/tfjs/feature-models.js';
import { type Call, evaluateCalls, type Evaluation } from '../src/engine/models/evaluation.js';
import type { FeatureModel } from '../src/engine/models/feature-models.js';
import { bundleLocation } from '../src/jobs/models.js';
import { describeMachine, machineLine } from './pipeline/machine.js';
import { writeResults } from './pipeline/report.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '301,302,303' },
    days: { type: 'string', default: '2' },
    bundle: { type: 'string', default: bundleLocation() },
    out: { type: 'string', default: 'bench/results' },
  },
});
const seeds = values.seeds.split(',').map(Number);
const days = Number(values.days);
const bundle = await readBundle(values.bundle);
const trainedOn = [...((bundle.training.baseSeeds as number[]) ?? []), ...((bundle.training.stackerSeeds as number[]) ?? [])];
const overlap = seeds.filter((s) => trainedOn.includes(s));
if (overlap.length > 0) throw new Error(`evaluation seeds ${overlap.join(', ')} were used in training`);
const loaded = loadBundle(bundle, { tfjs: inThreadTfjs });
const featureSet = instrumentFeatureSet();

const machine = describeMachine();
console.log(`machine: ${machineLine(machine)}`);
console.log(`command: npm run bench:quality -- --seeds ${values.seeds} --days ${days}`);
console.log(`bundle: ${loaded.bundle.models.map((m) => `${m.name}@${m.version}`).join(', ')}; trained on seeds ${trainedOn.join(', ')}`);

const configurations: { name: string; models: readonly FeatureModel[]; combiner: Combiner }[] = [
  { name: 'z-score + graph, prior weights', models: [], combiner: new PriorWeightsCombiner() },
  { name: 'ensemble, prior weights', models: loaded.featureModels, combiner: new PriorWeightsCombiner() },
  { name: 'ensemble, meta stacker (live)', models: loaded.featureModels, combiner: loaded.combiner ?? new PriorWeightsCombiner() },
];

const results: { name: string; evaluation: Evaluation; convictions: number; seconds: number }[] = [];
for (const c of configurations) {
  const calls: Call[] = [];
  let convictions = 0;
  const started = Date.now();
  for (const seed of seeds) {
    const h = await simulate(seed, { days, start: DEFAULT_TRAINING.start }, featureSet, { models: c.models, combiner: c.combiner, record: { snapshots: false, outputs: false } });
    convictions += h.convictions.length;
    // Days of different seeds are different days: prefix them so Precision@5 is taken per seed-day.
    calls.push(...dailyCalls(h.convictions, h.prices).map((call) => ({ ...call, day: `${seed}:${call.day}` })));
  }
  const evaluation = evaluateCalls(calls, 5);
  results.push({ name: c.name, evaluation, convictions, seconds: (Date.now() - started) / 1000 });
  console.log(`${c.name}: ${JSON.stringify(evaluation)}`);
}

const f = (x: number | null, d = 3) => (x === null ? '–' : x.toFixed(d));
console.log('\n| configuration | seed-days | calls | Precision@5 | hit rate | IC | rank IC | Brier | Brier, base rate | up rate |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const e = r.evaluation;
  console.log(`| ${r.name} | ${e.daysWithK}/${e.days} | ${e.calls} | ${f(e.precisionAtK)} | ${f(e.hitRate)} | ${f(e.ic)} | ${f(e.rankIc)} | ${f(e.brier)} | ${f(e.baseline.brier)} | ${f(e.baseline.upRate)} |`);
}
console.log(`\nraw results: ${writeResults(values.out, 'quality', { machine, seeds, days, bundle: values.bundle, results })}`);
