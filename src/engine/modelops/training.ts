/**
 * Training the ensemble on simulated history, in two stages with disjoint seeds, so that no model is fitted on
 * what it is later judged on:
 *
 * 1. **Base models** (`baseSeeds`): the scoring pipeline runs on the simulator with no feature models; every
 *    feature snapshot it takes becomes a training row, labelled 1 when the instrument's close `horizonMs` later
 *    is higher. The tree ensemble (GBDT) is fitted on them (the latest 20% of the rows by time held out for
 *    early stopping), the MLP on the same earliest 80% (the rest held out to report its log loss), the
 *    isolation forest on a subsample of the same rows; the forecaster on each instrument's hourly series of its
 *    `return_1h` feature, cut from the same runs' snapshots as the live model cuts it. The TF.js models train on
 *    its cpu backend, whose plain JavaScript arithmetic gives the same weights on every machine.
 * 2. **Meta stacker** (`stackerSeeds`): the pipeline runs again with the fitted base models; every conviction's
 *    input vector becomes a row, labelled by the close `horizonMs` after it, and the logistic stacker is
 *    fitted on them.
 *
 * A snapshot holds the features as the online store served them at the snapshot's time, so its row is point in
 * time by construction; `offline-parity.test.ts` shows the offline store's as-of join gives the same rows.
 */
import { SimulatorCore } from '../collectors/simulator/core.js';
import { PriorWeightsCombiner } from '../conviction/combiner.js';
import { CONVICTION_INPUTS } from '../conviction/inputs.js';
import { LogisticStacker } from '../conviction/stacker.js';
import type { FeatureSet } from '../features/definitions.js';
import { bundledModel } from '../models/bundle.js';
import { GbdtFeatureModel, IsolationForestFeatureModel, rowOf } from '../models/feature-models.js';
import { GradientBoostedTrees, type GbdtParams } from '../models/gbdt.js';
import { IsolationForest, type IsolationForestParams } from '../models/isolation-forest.js';
import type { ForecasterParams, GaussianForecaster } from '../models/tfjs/forecaster.js';
import type { MlpClassifier, MlpParams } from '../models/tfjs/mlp.js';
import { Random } from '../random.js';
import type { Instrument } from '../types.js';
import { ScoringHarness } from './harness.js';

export interface TrainingConfig {
  readonly baseSeeds: readonly number[];
  readonly stackerSeeds: readonly number[];
  /** Simulated days per seed. */
  readonly days: number;
  /** The label's horizon: the close this long after the row's time. */
  readonly horizonMs: number;
  /** Epoch ms of the first bar's end. */
  readonly start: number;
  readonly gbdt?: Partial<GbdtParams>;
  readonly mlp?: Partial<MlpParams>;
  readonly forecaster?: Partial<ForecasterParams>;
  readonly isolationForest?: Partial<IsolationForestParams>;
  /**
   * The share of bar-driven snapshots kept as training rows (all others are kept). Bars make most snapshots, and
   * on a quiet instrument the next hour is noise: without thinning, the trees learn mostly that.
   */
  readonly barRowShare?: number;
  /** Rows the isolation forest is fitted on, drawn at random. */
  readonly isolationRows?: number;
  readonly instruments?: readonly Instrument[];
  /** Called as each run finishes. */
  readonly progress?: (message: string) => void;
}

export const DEFAULT_TRAINING: TrainingConfig = Object.freeze({
  baseSeeds: [101, 102],
  stackerSeeds: [201],
  days: 2,
  horizonMs: 60 * 60_000,
  start: Date.UTC(2024, 0, 2),
  barRowShare: 0.1,
  isolationRows: 20_000,
});

export interface LabelledRows {
  readonly X: number[][];
  readonly y: number[];
  readonly ts: number[];
}

export interface TrainedEnsemble {
  readonly gbdt: GradientBoostedTrees;
  readonly mlp: MlpClassifier;
  readonly forecaster: GaussianForecaster;
  readonly isolationForest: IsolationForest;
  readonly stacker: LogisticStacker;
  readonly features: readonly string[];
  readonly featureSetVersion: string;
  readonly horizonMs: number;
  readonly metrics: {
    readonly baseRows: number;
    readonly baseUpRate: number;
    readonly gbdtTrees: number;
    readonly gbdtValidationLogLoss: number | null;
    readonly gbdtValidationBaselineLogLoss: number | null;
    readonly mlpEpochs: number;
    readonly mlpValidationLogLoss: number | null;
    readonly mlpValidationBaselineLogLoss: number | null;
    readonly forecasterSamples: number;
    readonly forecasterTrainingNll: number;
    readonly stackerRows: number;
    readonly stackerUpRate: number;
  };
}

const DAY = 86_400_000;

/** Runs the pipeline for one seed and returns the harness (closed), its records intact. */
export async function simulate(
  seed: number,
  config: Pick<TrainingConfig, 'days' | 'start' | 'instruments'>,
  featureSet: FeatureSet,
  options: Pick<ConstructorParameters<typeof ScoringHarness>[0], 'models' | 'combiner' | 'record'> = {},
): Promise<ScoringHarness> {
  const simulator = new SimulatorCore({ seed, ...(config.instruments ? { instruments: config.instruments } : {}) });
  const harness = new ScoringHarness({ simulator, featureSet, ...options });
  await harness.run(config.start, Math.round((config.days * DAY) / simulator.barMs));
  await harness.close();
  return harness;
}

/** Snapshot rows labelled by the sign of the return over the horizon; rows whose horizon is unseen are left out. */
export function snapshotRows(harness: ScoringHarness, features: readonly string[], horizonMs: number, barRowShare = 1, seed = 1): LabelledRows {
  const rows: LabelledRows = { X: [], y: [], ts: [] };
  const random = new Random(seed);
  for (const s of harness.snapshots) {
    if (s.trigger === 'bar' && barRowShare < 1 && !(random.next() < barRowShare)) continue;
    const r = harness.prices.logReturn(s.instrument, s.asOf, s.asOf + horizonMs);
    if (r === null || r === 0) continue;
    rows.X.push(rowOf(s.values, features));
    rows.y.push(r > 0 ? 1 : 0);
    rows.ts.push(s.asOf);
  }
  return rows;
}

/** Conviction input rows labelled by the sign of the return over the horizon after each conviction. */
export function convictionRows(harness: ScoringHarness, inputs: readonly string[], horizonMs: number): LabelledRows {
  const rows: LabelledRows = { X: [], y: [], ts: [] };
  for (const c of harness.convictions) {
    const r = harness.prices.logReturn(c.vector.instrument, c.tsEvent, c.tsEvent + horizonMs);
    if (r === null || r === 0) continue;
    rows.X.push(inputs.map((name) => c.inputs.values[CONVICTION_INPUTS.indexOf(name as never)] ?? 0));
    rows.y.push(r > 0 ? 1 : 0);
    rows.ts.push(c.tsEvent);
  }
  return rows;
}

function concat(parts: readonly LabelledRows[]): LabelledRows {
  return { X: parts.flatMap((p) => p.X), y: parts.flatMap((p) => p.y), ts: parts.flatMap((p) => p.ts) };
}

/** The direction classifier's hyperparameters in `vanta train` (the GBDT's own defaults for the rest). */
export const DIRECTION_CLASSIFIER_PARAMS: Partial<GbdtParams> = Object.freeze({ rounds: 300, maxDepth: 4, learningRate: 0.1, minChildWeight: 50 });

export interface FittedClassifier {
  readonly gbdt: GradientBoostedTrees;
  readonly trees: number;
  /** Log loss on the held-out rows, and the base rate's on them. */
  readonly validationLogLoss: number | null;
  readonly baselineLogLoss: number | null;
}

/** The rows split by time: the earliest 80% to fit on, the latest 20% held out. */
export function timeSplit(rows: LabelledRows): { readonly train: Pick<LabelledRows, 'X' | 'y'>; readonly held: Pick<LabelledRows, 'X' | 'y'> } {
  const order = rows.ts.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
  const cut = Math.floor(order.length * 0.8);
  const pick = (idx: readonly number[]) => ({ X: idx.map((i) => rows.X[i]!), y: idx.map((i) => rows.y[i]!) });
  return { train: pick(order.slice(0, cut)), held: pick(order.slice(cut)) };
}

/** Fits the direction classifier on labelled rows, the latest 20% by time held out for early stopping. */
export function fitDirectionClassifier(rows: LabelledRows, features: readonly string[], params: Partial<GbdtParams> = {}): FittedClassifier {
  const { train, held } = timeSplit(rows);
  const gbdt = new GradientBoostedTrees({ ...DIRECTION_CLASSIFIER_PARAMS, ...params });
  const report = gbdt.fit(train.X, train.y, { validation: held, featureNames: features });
  return { gbdt, trees: report.trees, validationLogLoss: report.validationLoss?.[report.trees] ?? null, baselineLogLoss: report.validationLoss?.[0] ?? null };
}

/** The MLP's hyperparameters in `vanta train` (its own defaults for the rest). */
export const MLP_CLASSIFIER_PARAMS: Partial<MlpParams> = Object.freeze({ hidden: Object.freeze([16]), epochs: 30, batchSize: 256, learningRate: 0.0005, patience: 4 });

export interface FittedMlp {
  readonly mlp: MlpClassifier;
  /** Epochs the kept weights had, and the held-out log loss after them. */
  readonly epochs: number;
  readonly validationLogLoss: number | null;
}

/** Fits the MLP on the earliest 80% of the rows by time, the rest held out to choose its epoch. */
export async function fitMlpClassifier(rows: LabelledRows, features: readonly string[], params: Partial<MlpParams> = {}): Promise<FittedMlp> {
  const { MlpClassifier } = await import('../models/tfjs/mlp.js');
  const { chooseBackend } = await import('../models/tfjs/backend.js');
  await chooseBackend(['cpu']);
  const { train, held } = timeSplit(rows);
  const mlp = new MlpClassifier({ ...MLP_CLASSIFIER_PARAMS, ...params });
  const report = await mlp.fit(train.X, train.y, features, held.y.length > 0 ? held : undefined);
  const kept = report.epochsKept ?? report.loss.length;
  return { mlp, epochs: kept, validationLogLoss: report.validationLoss?.[kept - 1] ?? null };
}

/** The forecaster's hyperparameters in `vanta train`: it reads 8 hours of returns (so speaks after 9). */
export const FORECASTER_PARAMS: Partial<ForecasterParams> = Object.freeze({ window: 8, units: 16, epochs: 20, batchSize: 64, learningRate: 0.01 });

/** The forecaster's training series of one run: each instrument's hourly `return_1h`, as the live model cuts it. */
export async function forecastSeries(harness: ScoringHarness, stepMs: number): Promise<number[][]> {
  const { FORECAST_FEATURE, StepSeries } = await import('../models/tfjs/feature-models.js');
  const series = new StepSeries(stepMs);
  for (const s of harness.snapshots) series.offer(s.instrument, s.asOf, s.values[FORECAST_FEATURE] ?? Number.NaN);
  return series.all();
}

/** Fits the forecaster on the series (cpu backend). */
export async function fitForecaster(series: readonly (readonly number[])[], params: Partial<ForecasterParams> = {}): Promise<{ readonly forecaster: GaussianForecaster; readonly samples: number; readonly nll: number }> {
  const { GaussianForecaster } = await import('../models/tfjs/forecaster.js');
  const { chooseBackend } = await import('../models/tfjs/backend.js');
  await chooseBackend(['cpu']);
  const forecaster = new GaussianForecaster({ ...FORECASTER_PARAMS, ...params });
  const report = await forecaster.fit(series);
  return { forecaster, samples: report.samples, nll: report.loss.at(-1)! };
}

/** The share of labels that are up (1). */
export function upRate(y: readonly number[]): number {
  return y.reduce((a, b) => a + b, 0) / Math.max(1, y.length);
}

export async function trainEnsemble(featureSet: FeatureSet, config: TrainingConfig = DEFAULT_TRAINING): Promise<TrainedEnsemble> {
  const features = featureSet.names;
  const say = config.progress ?? (() => {});

  const baseParts: LabelledRows[] = [];
  const hourly: number[][] = [];
  for (const seed of config.baseSeeds) {
    const harness = await simulate(seed, config, featureSet, { record: { outputs: false } });
    baseParts.push(snapshotRows(harness, features, config.horizonMs, config.barRowShare ?? 1, seed));
    hourly.push(...(await forecastSeries(harness, config.horizonMs)));
    say(`base seed ${seed}: ${baseParts.at(-1)!.y.length} rows`);
  }
  const base = concat(baseParts);
  if (base.y.length < 100) throw new Error(`too few training rows (${base.y.length}): simulate more days`);

  const { gbdt, trees, validationLogLoss, baselineLogLoss } = fitDirectionClassifier(base, features, config.gbdt);
  say(`gbdt: ${trees} trees, validation log loss ${validationLogLoss?.toFixed(4) ?? '-'} (base rate alone ${baselineLogLoss?.toFixed(4) ?? '-'})`);
  // The MLP holds out the tree ensemble's rows (timeSplit), so the base rate's log loss on them is the same.
  const fittedMlp = await fitMlpClassifier(base, features, config.mlp);
  say(`mlp: ${fittedMlp.epochs} epochs, validation log loss ${fittedMlp.validationLogLoss?.toFixed(4) ?? '-'} (base rate alone ${baselineLogLoss?.toFixed(4) ?? '-'})`);
  const { mlp } = fittedMlp;
  const fittedForecaster = await fitForecaster(hourly, config.forecaster);
  say(`forecaster: ${fittedForecaster.samples} windows of ${hourly.length} hourly series, training NLL ${fittedForecaster.nll.toFixed(4)}`);
  const { forecaster } = fittedForecaster;

  const random = new Random(7);
  const want = Math.min(config.isolationRows ?? 20_000, base.X.length);
  const sample: number[][] = [];
  for (let i = 0; i < base.X.length && sample.length < want; i++) {
    if (random.next() < want / base.X.length) sample.push(base.X[i]!.map((x) => (Number.isNaN(x) ? 0 : x)));
  }
  const isolationForest = new IsolationForest({ trees: 100, sampleSize: 256, seed: 7, ...config.isolationForest }).fit(sample);

  const { inThreadTfjs } = await import('../models/tfjs/feature-models.js');
  const tfjs = (role: 'mlp' | 'forecaster', model: MlpClassifier | GaussianForecaster) => inThreadTfjs({ ...bundledModel(role, model), version: 'training' }, features, config.horizonMs);
  const models = [
    new GbdtFeatureModel(gbdt, 'training', features, config.horizonMs),
    tfjs('mlp', mlp),
    tfjs('forecaster', forecaster),
    new IsolationForestFeatureModel(isolationForest, 'training', features, config.horizonMs),
  ];
  const stackerParts: LabelledRows[] = [];
  for (const seed of config.stackerSeeds) {
    const harness = await simulate(seed, config, featureSet, { models, combiner: new PriorWeightsCombiner(), record: { snapshots: false, outputs: false } });
    stackerParts.push(convictionRows(harness, CONVICTION_INPUTS, config.horizonMs));
    say(`stacker seed ${seed}: ${stackerParts.at(-1)!.y.length} rows`);
  }
  const stackerRows = concat(stackerParts);
  if (stackerRows.y.length < 50) throw new Error(`too few stacker rows (${stackerRows.y.length}): simulate more days`);
  const stacker = new LogisticStacker({ inputs: CONVICTION_INPUTS, l2: 1 }).fit(stackerRows.X, stackerRows.y);

  return {
    gbdt,
    mlp,
    forecaster,
    isolationForest,
    stacker,
    features,
    featureSetVersion: featureSet.version,
    horizonMs: config.horizonMs,
    metrics: {
      baseRows: base.y.length,
      baseUpRate: upRate(base.y),
      gbdtTrees: trees,
      gbdtValidationLogLoss: validationLogLoss,
      gbdtValidationBaselineLogLoss: baselineLogLoss,
      mlpEpochs: fittedMlp.epochs,
      mlpValidationLogLoss: fittedMlp.validationLogLoss,
      mlpValidationBaselineLogLoss: baselineLogLoss,
      forecasterSamples: fittedForecaster.samples,
      forecasterTrainingNll: fittedForecaster.nll,
      stackerRows: stackerRows.y.length,
      stackerUpRate: upRate(stackerRows.y),
    },
  };
}
