/**
 * Training references for drift: the distributions a version's inputs and outputs had on the data it was
 * trained on, fitted into histograms (histogram.ts) that the drift monitor compares live traffic with.
 *
 * A bundle carries its weights, not its training rows, so the reference is rebuilt the way the rows were made:
 * the scoring pipeline (harness.ts) runs on the simulator with one of the bundle's own training seeds and its
 * start, with the bundle's feature models scoring, and every feature snapshot and model output it produces is
 * a reference value. Same seed, same stages, same models: the same reference, byte for byte, on every machine,
 * so it is computed once and stored with the version in the registry.
 */
import { SimulatorCore } from '../collectors/simulator/core.js';
import type { FeatureSet } from '../features/definitions.js';
import type { LoadedEnsemble } from '../models/bundle.js';
import type { DriftKey } from './drift.js';
import { outputKey, outputValue } from './drift.js';
import { ModelOpsError } from './errors.js';
import { ScoringHarness } from './harness.js';
import { fitReference, type ReferenceHistogram } from './histogram.js';

export interface ReferenceOptions {
  /** Simulated hours of the training seed replayed. */
  readonly hours: number;
  /** Simulated hours run first and left out, so that day-long features have filled in. Default 0. */
  readonly skipHours?: number;
  /** Bins per histogram. Default 10. */
  readonly bins?: number;
  /** Replaces the bundle's first training seed. */
  readonly seed?: number;
  /** Checked between hours of replay: when it says true, the build stops and gives no references. */
  readonly aborted?: () => boolean;
}

/** What a version is watched on: its feature inputs and its own output. */
export interface VersionReference {
  readonly versionId: string;
  readonly keys: readonly DriftKey[];
}

const HOUR = 3_600_000;

function trainingSeedAndStart(ensemble: LoadedEnsemble, seed: number | undefined): { seed: number; start: number } {
  const t = ensemble.bundle.training;
  const seeds = Array.isArray(t.baseSeeds) ? t.baseSeeds.filter((s): s is number => typeof s === 'number') : [];
  const start = typeof t.start === 'string' ? Date.parse(t.start) : Number.NaN;
  const chosen = seed ?? seeds[0];
  if (chosen === undefined || !Number.isFinite(start)) {
    throw new ModelOpsError('DRIFT_REFERENCE_INVALID', 'the model bundle names no training seed (training.baseSeeds) and start (training.start) to rebuild its reference from');
  }
  return { seed: chosen, start };
}

/** The references of each feature model of the bundle, keyed by `<model>@<version>`. */
export async function buildTrainingReferences(ensemble: LoadedEnsemble, featureSet: FeatureSet, options: ReferenceOptions): Promise<readonly VersionReference[]> {
  if (!(options.hours > 0 && Number.isFinite(options.hours))) throw new ModelOpsError('DRIFT_REFERENCE_INVALID', `reference hours must be positive, got ${options.hours}`);
  const { seed, start } = trainingSeedAndStart(ensemble, options.seed);
  const simulator = new SimulatorCore({ seed });
  const harness = new ScoringHarness({ simulator, featureSet, models: ensemble.featureModels });
  const skip = options.skipHours ?? 0;
  if (!(skip >= 0 && Number.isFinite(skip))) throw new ModelOpsError('DRIFT_REFERENCE_INVALID', `reference skipHours must be at least 0, got ${skip}`);
  // A few bars at a time, yielding to the event loop in between: on a running server the replay shares the
  // process with the pipeline and the API, and a server stopping meanwhile is not held up by the whole of it.
  const bars = Math.max(1, Math.round(((skip + options.hours) * HOUR) / simulator.barMs));
  const chunk = 5;
  for (let done = 0; done < bars; done += chunk) {
    if (options.aborted?.()) {
      await harness.close();
      return [];
    }
    await harness.run(start + done * simulator.barMs, Math.min(chunk, bars - done));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await harness.close();
  const from = start + skip * HOUR;
  const snapshots = harness.snapshots.filter((s) => s.asOf >= from);
  const bins = options.bins ?? 10;
  const features = new Map<string, ReferenceHistogram | null>();
  // A feature the replayed hours never gave a value (a daily return in the first day) cannot be watched.
  const featureOf = (name: string): ReferenceHistogram | null => {
    if (!features.has(name)) {
      const sample = snapshots.map((s) => s.values[name] ?? null);
      features.set(name, sample.some((x) => x !== null && Number.isFinite(x)) ? fitReference(name, sample, { bins }) : null);
    }
    return features.get(name)!;
  };
  return ensemble.featureModels.map((model) => {
    const id = `${model.modelId}@${model.version}`;
    const outputs = harness.outputs.filter((o) => o.modelId === model.modelId && o.modelVersion === model.version);
    // Outputs are few (a model speaks when its level changes): every one the run gave is kept.
    const keys: DriftKey[] = model.features.flatMap((f) => {
      const reference = featureOf(f);
      return reference ? [{ key: f, kind: 'feature' as const, reference }] : [];
    });
    if (outputs.length > 0) {
      const key = outputKey(outputs[0]!);
      keys.push({ key, kind: 'output', reference: fitReference(key, outputs.map(outputValue), { bins }) });
    }
    return { versionId: id, keys };
  });
}
