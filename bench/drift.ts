/**
 * `npm run bench:drift`: how often the drift monitor alarms on the real pipeline when nothing has shifted — the
 * shipped ensemble's training reference (as the server builds it, `modelops.drift.reference`) against the
 * simulator on seeds the models never saw, with the default thresholds and windows, on the models' feature inputs.
 *
 *   npm run bench:drift -- [--hours 24] [--seeds 9,33] [--reference-hours 24] [--reference-skip 0]
 *                          [--start 2026-01-05T14:30:00Z] [--out bench/results]
 *
 * The synthetic streams of `drift.false-alarm.test.ts` are independent draws; pipeline features are not (every
 * instrument moves with the market, and rolling windows overlap), which is what this measures.
 */
import { parseArgs } from 'node:util';
import { SimulatorCore } from '../src/engine/collectors/simulator/core.js';
import { instrumentFeatureSet } from '../src/engine/features/definitions.js';
import { DEFAULT_DRIFT, DriftMonitor } from '../src/engine/modelops/drift.js';
import { ScoringHarness } from '../src/engine/modelops/harness.js';
import { buildTrainingReferences } from '../src/engine/modelops/reference.js';
import { loadBundle, readBundle } from '../src/engine/models/bundle.js';
import { inThreadTfjs } from '../src/engine/models/tfjs/feature-models.js';
import { bundleLocation } from '../src/jobs/models.js';
import { describeMachine, machineLine } from './pipeline/machine.js';
import { writeResults } from './pipeline/report.js';

const { values } = parseArgs({
  options: {
    hours: { type: 'string', default: '24' },
    seeds: { type: 'string', default: '9,33' },
    'reference-hours': { type: 'string', default: '24' },
    'reference-skip': { type: 'string', default: '0' },
    /** The training seeds replayed for the reference; default: the bundle's own (training.baseSeeds). */
    'reference-seeds': { type: 'string' },
    /** Thresholds as configured, without each key's null divergence. */
    uncalibrated: { type: 'boolean', default: false },
    margin: { type: 'string', default: String(DEFAULT_DRIFT.calibration.margin) },
    /** When the live run starts (its simulated clock); the training seeds' own start is 2024-01-02T00:00:00Z. */
    start: { type: 'string', default: '2026-01-05T14:30:00Z' },
    out: { type: 'string', default: 'bench/results' },
  },
});
const HOUR = 3_600_000;
const hours = Number(values.hours);
const seeds = values.seeds.split(',').map(Number);
const referenceHours = Number(values['reference-hours']);
const referenceSkip = Number(values['reference-skip']);
const referenceSeeds = values['reference-seeds']?.split(',').map(Number);
const calibrated = !values.uncalibrated;
const config = { ...DEFAULT_DRIFT, calibration: { margin: Number(values.margin) } };
const machine = describeMachine();
console.log(`machine: ${machineLine(machine)}`);
console.log(`command: npm run bench:drift -- --hours ${hours} --seeds ${seeds.join(',')} --reference-hours ${referenceHours} --reference-skip ${referenceSkip}${referenceSeeds ? ` --reference-seeds ${referenceSeeds.join(',')}` : ''}${calibrated ? '' : ' --uncalibrated'} --margin ${config.calibration.margin} --start ${values.start}`);
console.log(`date: ${new Date().toISOString()}`);

const ensemble = loadBundle(await readBundle(bundleLocation()), { tfjs: inThreadTfjs });
const featureSet = instrumentFeatureSet();
const built = Date.now();
const references = await buildTrainingReferences(ensemble, featureSet, {
  hours: referenceHours,
  skipHours: referenceSkip,
  bins: 10,
  ...(referenceSeeds ? { seeds: referenceSeeds } : {}),
  ...(calibrated ? { calibrate: { windowMs: config.windowMs, slotMs: config.slotMs, minSamples: config.minSamples } } : {}),
});
console.log(`reference built in ${((Date.now() - built) / 1000).toFixed(1)} s`);
for (const k of references[0]?.keys ?? []) {
  const c = k.calibration;
  console.log(`  ${k.key}: ${k.reference.n} values${c ? `, null over ${c.windows} windows: PSI ${c.psi.toFixed(3)} TV ${c.tv.toFixed(3)}` : ''}`);
}
const start = Date.parse(values.start);
if (!Number.isFinite(start)) throw new Error(`--start ${values.start} is not an ISO-8601 time`);

interface Row {
  readonly seed: number;
  readonly model: string;
  readonly evaluations: number;
  readonly alarmed: number;
  readonly raised: number;
  readonly firstAlarmHours: number | null;
  readonly keysInAlarm: Readonly<Record<string, number>>;
}
const rows: Row[] = [];
for (const seed of seeds) {
  const simulator = new SimulatorCore({ seed });
  const harness = new ScoringHarness({ simulator, featureSet, models: ensemble.featureModels, record: { outputs: false } });
  await harness.run(start, Math.round((hours * HOUR) / simulator.barMs));
  await harness.close();
  for (const reference of references) {
    const model = ensemble.featureModels.find((m) => `${m.modelId}@${m.version}` === reference.versionId)!;
    // Its feature inputs (the harness keeps outputs without their event times; outputs are few, rarely past the minimum).
    const own = reference.keys.filter((k) => k.kind === 'feature');
    const monitor = new DriftMonitor(own, [{ model: model.modelId, version: model.version, keys: own.map((k) => k.key) }], config);
    let i = 0;
    let evaluations = 0;
    let alarmed = 0;
    let raised = 0;
    let firstAlarm: number | null = null;
    const keysInAlarm: Record<string, number> = {};
    // As the server does: every quarter hour of event time, over the default six-hour window.
    for (let now = start + DEFAULT_DRIFT.slotMs; now <= start + hours * HOUR; now += DEFAULT_DRIFT.slotMs) {
      while (i < harness.snapshots.length && harness.snapshots[i]!.asOf < now) monitor.observeSnapshot(harness.snapshots[i++]!);
      const report = monitor.evaluate(now);
      evaluations++;
      if (report.models[0]!.alarmed) alarmed++;
      for (const e of report.events) if (e.type === 'DriftAlarmRaised') {
        raised++;
        firstAlarm ??= (now - start) / HOUR;
        // What moved: each alarmed key's mass per bin, reference → live.
        for (const k of report.keys.filter((k) => k.level === 'alarm')) {
          const bins = k.bins.filter((b) => b.reference > 0 || b.live > 0).map((b) => `${b.label} ${(100 * b.reference).toFixed(0)}→${(100 * b.live).toFixed(0)}%`);
          console.log(`  seed ${seed} ${model.modelId.replace(/\(.*$/, '')} raised at ${firstAlarm} h: ${k.key} PSI ${k.psi.toFixed(3)} (alarm at ${k.alarmAt.psi?.toFixed(3)}) TV ${k.tv.toFixed(3)} (alarm at ${k.alarmAt.tv?.toFixed(3)}): ${bins.join(', ')}`);
        }
      }
      for (const k of report.keys) if (k.level === 'alarm') keysInAlarm[k.key] = (keysInAlarm[k.key] ?? 0) + 1;
    }
    const row = { seed, model: model.modelId.replace(/\(.*$/, ''), evaluations, alarmed, raised, firstAlarmHours: firstAlarm, keysInAlarm };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}

console.log('\n| live seed | model | evaluations | with an alarm standing | first alarm after (simulated h) | keys in alarm (evaluations) |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const keys = Object.entries(r.keysInAlarm).sort(([, a], [, b]) => b - a).map(([k, n]) => `${k} ${n}`).join(', ') || '–';
  console.log(`| ${r.seed} | ${r.model} | ${r.evaluations} | ${r.alarmed} | ${r.firstAlarmHours ?? '–'} | ${keys} |`);
}
console.log(`results: ${writeResults(values.out, 'drift', { machine, hours, seeds, referenceHours, referenceSkip, rows })}`);
