/**
 * Training references for drift: the distributions a version's inputs and outputs had on the data it was
 * trained on, fitted into histograms (histogram.ts) that the drift monitor compares live traffic with, and how
 * far the training data's own windows stray from them.
 *
 * A bundle carries its weights, not its training rows, so the reference is rebuilt the way the rows were made:
 * the scoring pipeline (harness.ts) runs on the simulator with the bundle's own training seeds from its start,
 * with the bundle's feature models scoring, and every feature snapshot and model output it produces is a
 * reference value. Same seeds, same stages, same models: the same reference, byte for byte, on every machine,
 * so it is computed once and stored with the version in the registry.
 *
 * **Calibration.** Pipeline features are not independent draws: instruments move together and rolling windows
 * overlap, so a drift window of a few thousand snapshots holds far fewer independent values, and the training
 * data's own windows differ from the pooled reference by far more than sampling noise of independent draws
 * would give (a 24-hour return barely changes within six hours). Thresholds that ignore this alarm on training
 * data itself. So each key also carries its **null divergence**: the largest PSI, KL and TV of any full window
 * of the training runs (the monitor's own window and slot, judged from the first full window on, as the monitor
 * does live) against the pooled reference. The monitor alarms on a calibrated key only beyond a margin over it
 * (drift.ts): a shift is what the training data never showed, not what it shows every day.
 */
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { SimulatorCore } from '../collectors/simulator/core.js';
import type { FeatureSet } from '../features/definitions.js';
import type { LoadedEnsemble } from '../models/bundle.js';
import type { ModelOpsConfig } from './config.js';
import type { DriftKey, NullDivergence } from './drift.js';
import { outputKey, outputValue } from './drift.js';
import { ModelOpsError } from './errors.js';
import { ScoringHarness } from './harness.js';
import { binCount, binIndex, divergence, fitReference, type ReferenceHistogram } from './histogram.js';

export interface ReferenceOptions {
  /** Simulated hours of each training seed replayed. */
  readonly hours: number;
  /** Simulated hours run first and left out, so that day-long features have filled in. Default 0. */
  readonly skipHours?: number;
  /** Bins per histogram. Default 10. */
  readonly bins?: number;
  /** Replace the bundle's training seeds (`training.baseSeeds` and `training.stackerSeeds`). */
  readonly seeds?: readonly number[];
  /** The monitor's window, slot and minimum sample, for the null divergence; without it keys are not calibrated. */
  readonly calibrate?: { readonly windowMs: number; readonly slotMs: number; readonly minSamples: number };
  /** Checked between hours of replay: when it says true, the build stops and gives no references. */
  readonly aborted?: () => boolean;
}

/**
 * The reference recipe of the config's drift settings: its `reference` section, calibrated for the monitor's
 * window, slot and minimum sample. The server and `vanta reference` both build it here, so that a written
 * reference file matches what the server would replay.
 */
export function referenceOptions(drift: ModelOpsConfig['drift']): ReferenceOptions {
  const { windowMs, slotMs, minSamples } = drift;
  return { ...drift.reference, calibrate: { windowMs, slotMs, minSamples } };
}

/** What a version is watched on: its feature inputs and its own output. */
export interface VersionReference {
  readonly versionId: string;
  readonly keys: readonly DriftKey[];
}

const HOUR = 3_600_000;

/** Everything a reference is a function of, besides the bundle: two builds with the same recipe are identical. */
export interface ReferenceRecipe {
  readonly seeds: readonly number[];
  readonly start: string;
  readonly hours: number;
  readonly skipHours: number;
  readonly bins: number;
  readonly calibrate: ReferenceOptions['calibrate'] | null;
}

/**
 * The recipe of a build: by default every seed the bundle was trained on (`training.baseSeeds`, then
 * `training.stackerSeeds`), from its training start.
 */
export function referenceRecipe(ensemble: LoadedEnsemble, options: ReferenceOptions): ReferenceRecipe {
  if (!(options.hours > 0 && Number.isFinite(options.hours))) throw new ModelOpsError('DRIFT_REFERENCE_INVALID', `reference hours must be positive, got ${options.hours}`);
  const skipHours = options.skipHours ?? 0;
  if (!(skipHours >= 0 && Number.isFinite(skipHours))) throw new ModelOpsError('DRIFT_REFERENCE_INVALID', `reference skipHours must be at least 0, got ${skipHours}`);
  const t = ensemble.bundle.training;
  const numbers = (xs: unknown) => (Array.isArray(xs) ? xs.filter((s): s is number => typeof s === 'number') : []);
  const seeds = options.seeds ?? [...numbers(t.baseSeeds), ...numbers(t.stackerSeeds)];
  const start = typeof t.start === 'string' ? Date.parse(t.start) : Number.NaN;
  if (seeds.length === 0 || !Number.isFinite(start)) {
    throw new ModelOpsError('DRIFT_REFERENCE_INVALID', 'the model bundle names no training seed (training.baseSeeds) and start (training.start) to rebuild its reference from');
  }
  const c = options.calibrate;
  return {
    seeds: [...seeds],
    start: new Date(start).toISOString(),
    hours: options.hours,
    skipHours,
    bins: options.bins ?? 10,
    calibrate: c ? { windowMs: c.windowMs, slotMs: c.slotMs, minSamples: c.minSamples } : null,
  };
}

/**
 * A build written to a file (`vanta reference`), next to its bundle: `ensemble.json` → `ensemble.reference.json`.
 * The server reads it instead of replaying the training seeds when the recipe and the versions match.
 */
export interface ReferenceFile {
  readonly formatVersion: 1;
  readonly recipe: ReferenceRecipe;
  readonly versions: readonly VersionReference[];
}

export function referencePathFor(bundlePath: string): string {
  return bundlePath.endsWith('.json') ? `${bundlePath.slice(0, -'.json'.length)}.reference.json` : `${bundlePath}.reference.json`;
}

/**
 * The references of a file written for this recipe and these versions; null when there is no file, or it was
 * written for another recipe or other versions (the caller builds them then). A file that is not a reference
 * file is an error: it says which.
 */
export async function readReferenceFile(file: string, recipe: ReferenceRecipe, versionIds: readonly string[]): Promise<readonly VersionReference[] | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: ReferenceFile;
  try {
    parsed = JSON.parse(text) as ReferenceFile;
  } catch (err) {
    throw new ModelOpsError('DRIFT_REFERENCE_INVALID', `${file} is not JSON: ${(err as Error).message}`);
  }
  if (parsed?.formatVersion !== 1 || !Array.isArray(parsed.versions)) throw new ModelOpsError('DRIFT_REFERENCE_INVALID', `${file} is not a drift reference file (formatVersion 1)`);
  if (!isDeepStrictEqual(parsed.recipe, recipe)) return null;
  const byId = new Map(parsed.versions.map((v) => [v.versionId, v]));
  const found = versionIds.map((id) => byId.get(id));
  return found.every((v): v is VersionReference => v !== undefined) ? found : null;
}

/** One key's values in one replayed run, with their event times. */
interface Run {
  readonly ts: number[];
  readonly values: (number | null)[];
}

/** Replays one training seed; null when aborted. */
async function replay(seed: number, start: number, hours: number, ensemble: LoadedEnsemble, featureSet: FeatureSet, aborted?: () => boolean): Promise<ScoringHarness | null> {
  const simulator = new SimulatorCore({ seed });
  const harness = new ScoringHarness({ simulator, featureSet, models: ensemble.featureModels });
  // A few bars at a time, yielding to the event loop in between: on a running server the replay shares the
  // process with the pipeline and the API, and a server stopping meanwhile is not held up by the whole of it.
  const bars = Math.max(1, Math.round((hours * HOUR) / simulator.barMs));
  const chunk = 5;
  for (let done = 0; done < bars; done += chunk) {
    if (aborted?.()) {
      await harness.close();
      return null;
    }
    await harness.run(start + done * simulator.barMs, Math.min(chunk, bars - done));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await harness.close();
  return harness;
}

/**
 * The largest divergence from `reference` of any full window of the runs: windows of whole slots, stepped a
 * slot at a time, from the first that begins at or after a run's first value to the last that ends by its
 * last, each with at least `minSamples` values. Null when no window qualifies.
 */
export function nullDivergence(reference: ReferenceHistogram, runs: readonly Run[], window: NonNullable<ReferenceOptions['calibrate']>): NullDivergence | null {
  const { slotMs, windowMs, minSamples } = window;
  const width = windowMs / slotMs;
  let worst: NullDivergence | null = null;
  for (const run of runs) {
    if (run.ts.length === 0) continue;
    const first = Math.floor(run.ts.reduce((a, b) => Math.min(a, b)) / slotMs);
    const last = Math.floor(run.ts.reduce((a, b) => Math.max(a, b)) / slotMs); // the last slot may be partial: windows end before it
    const slots = new Map<number, number[]>();
    run.ts.forEach((t, i) => {
      const slot = Math.floor(t / slotMs);
      let counts = slots.get(slot);
      if (!counts) slots.set(slot, (counts = new Array<number>(binCount(reference)).fill(0)));
      counts[binIndex(reference, run.values[i])]!++;
    });
    for (let startSlot = first; startSlot + width <= last; startSlot++) {
      const live = new Array<number>(binCount(reference)).fill(0);
      for (let slot = startSlot; slot < startSlot + width; slot++) slots.get(slot)?.forEach((c, i) => (live[i]! += c));
      if (live.reduce((x, y) => x + y, 0) < minSamples) continue;
      const d = divergence(reference, live);
      const prev: NullDivergence = worst ?? { windowMs, slotMs, windows: 0, psi: 0, kl: 0, tv: 0 };
      worst = { windowMs, slotMs, windows: prev.windows + 1, psi: Math.max(prev.psi, d.psi), kl: Math.max(prev.kl, d.kl), tv: Math.max(prev.tv, d.tv) };
    }
  }
  return worst;
}

/** The references of each feature model of the bundle, keyed by `<model>@<version>`. */
export async function buildTrainingReferences(ensemble: LoadedEnsemble, featureSet: FeatureSet, options: ReferenceOptions): Promise<readonly VersionReference[]> {
  const recipe = referenceRecipe(ensemble, options);
  const { seeds, hours, skipHours, bins } = recipe;
  const start = Date.parse(recipe.start);
  const from = start + skipHours * HOUR;
  // Per key, one run per seed.
  const runs = new Map<string, Run[]>();
  const runOf = (key: string, seedIndex: number): Run => {
    let list = runs.get(key);
    if (!list) runs.set(key, (list = []));
    while (list.length <= seedIndex) list.push({ ts: [], values: [] });
    return list[seedIndex]!;
  };
  const outputKeys = new Map<string, string>();
  // Each feature once, however many models read it: a snapshot gives one value of it, live as here.
  const features = [...new Set(ensemble.featureModels.flatMap((m) => m.features))];
  for (const [i, seed] of seeds.entries()) {
    const harness = await replay(seed, start, skipHours + hours, ensemble, featureSet, options.aborted);
    if (!harness) return [];
    for (const f of features) runOf(f, i);
    for (const snapshot of harness.snapshots) {
      if (snapshot.asOf < from) continue;
      for (const f of features) {
        const run = runOf(f, i);
        run.ts.push(snapshot.asOf);
        run.values.push(snapshot.values[f] ?? null);
      }
    }
    harness.outputs.forEach((output, j) => {
      const ts = harness.outputTimes[j]!;
      if (ts < from) return;
      const key = outputKey(output);
      outputKeys.set(`${output.modelId}@${output.modelVersion}`, key);
      const run = runOf(key, i);
      run.ts.push(ts);
      run.values.push(outputValue(output));
    });
  }
  const fitted = new Map<string, DriftKey | null>();
  const keyOf = (key: string, kind: DriftKey['kind']): DriftKey | null => {
    if (!fitted.has(key)) {
      const keyRuns = runs.get(key) ?? [];
      const sample = keyRuns.flatMap((r) => r.values);
      // A feature the replayed hours never gave a value (a daily return in the first day) cannot be watched.
      if (!sample.some((x) => x !== null && Number.isFinite(x))) fitted.set(key, null);
      else {
        const reference = fitReference(key, sample, { bins });
        const calibration = recipe.calibrate ? nullDivergence(reference, keyRuns, recipe.calibrate) : null;
        fitted.set(key, calibration ? { key, kind, reference, calibration } : { key, kind, reference });
      }
    }
    return fitted.get(key)!;
  };
  return ensemble.featureModels.map((model) => {
    const id = `${model.modelId}@${model.version}`;
    const keys = model.features.map((f) => keyOf(f, 'feature')).filter((k): k is DriftKey => k !== null);
    // Outputs are few (a model speaks when its level changes): every one the runs gave is kept.
    const output = outputKeys.get(id);
    const outputRef = output ? keyOf(output, 'output') : null;
    if (outputRef) keys.push(outputRef);
    return { versionId: id, keys };
  });
}
