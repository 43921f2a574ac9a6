/**
 * The TF.js models as feature models of the ensemble stage: the MLP direction classifier (./mlp.ts) and the
 * Gaussian forecaster (./forecaster.ts) of each instrument's hourly return. The server scores them through the
 * TF.js worker pool (src/engine/ml/models.ts); training, backtests and the benchmarks score them here, in the
 * calling thread, on whichever TF.js backend is active in it. One backend gives the same result for the same
 * input every time; two backends (wasm in the pool, cpu here) agree to about 1e-7.
 */
import type { BundledModel, TfjsModelFactory } from '../bundle.js';
import { type FeatureModel, type FeatureModelResult, horizonPhrase } from '../feature-models.js';
import { ModelError, type SerializedModel } from '../model.js';
import { FORECASTER_TYPE, ForecastNetwork, type ForecastOptions, forecastOptions, type ForecastStep, forecastSteps } from './forecaster.js';
import { normalCdf } from './gaussian.js';
import { MLP_TYPE, MlpNetwork } from './mlp.js';

/** Refuses an artifact that is not an MLP fitted on exactly these features, in this order. */
export function checkMlpArtifact(name: string, artifact: SerializedModel, features: readonly string[]): void {
  if (artifact.type !== MLP_TYPE) throw new ModelError('MODEL_ARTIFACT_INVALID', `${name}: not an ${MLP_TYPE} artifact`);
  const names = (artifact.state as { featureNames?: unknown } | null)?.featureNames;
  if (!Array.isArray(names) || names.join('|') !== features.join('|')) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `${name}: fitted on other features than the ${features.length} of the feature set`);
  }
}

/** The feature-model result of P(up) for an instrument. */
export function mlpResult(instrument: string, p: number, horizonMs: number): FeatureModelResult {
  return {
    signal: 2 * p - 1,
    score: p,
    summary: `The neural network puts the chance that ${instrument} rises over the next ${horizonPhrase(horizonMs)} at ${(100 * p).toFixed(0)}%.`,
  };
}

export class MlpFeatureModel implements FeatureModel {
  readonly kind = 'classifier' as const;
  readonly #network: MlpNetwork;

  constructor(
    readonly modelId: string,
    readonly version: string,
    artifact: SerializedModel,
    readonly features: readonly string[],
    readonly horizonMs: number,
  ) {
    checkMlpArtifact(modelId, artifact, features);
    this.#network = new MlpNetwork(artifact);
  }

  async score(instrument: string, rows: readonly (readonly number[])[]): Promise<readonly FeatureModelResult[]> {
    if (rows.length === 0) return [];
    const p = this.#network.infer(Float32Array.from(rows.flat()), rows.length, {});
    return Array.from(p, (probability) => mlpResult(instrument, probability, this.horizonMs));
  }
}

/** The feature whose hourly history the forecaster reads: the instrument's log return over the past hour. */
export const FORECAST_FEATURE = 'return_1h';

/** One forecast of the next step of a history (its last `window + 1` values). */
export type ForecastFn = (history: readonly number[]) => Promise<ForecastStep>;

/** The forecast asked of the network: one step, in closed form (no sampling), with the 10% and 90% quantiles. */
export const NEXT_STEP: ForecastOptions = forecastOptions({ horizon: 1, levels: [0.1, 0.9] });
const NEXT_STEP_REQUEST = { horizon: NEXT_STEP.horizon, samples: NEXT_STEP.samples, levels: [...NEXT_STEP.levels], seed: NEXT_STEP.seed };

/**
 * The series the forecaster reads, cut from feature snapshots: for each instrument, the value of `feature` in
 * the first snapshot of each step of `stepMs` (by event time). A missing value, or a step with no snapshot,
 * ends a series: the network reads consecutive steps only. Training cuts its series with this; the live model
 * keeps the tail of the same series as snapshots arrive.
 */
export class StepSeries {
  readonly #open = new Map<string, { step: number; values: number[] }>();
  /** The series ended so far, kept only when every value is (training's use). */
  readonly #ended: number[][] | null;

  constructor(
    readonly stepMs: number,
    /** The most values kept per instrument, older ones dropped; by default all, and ended series too. */
    readonly keep = Number.POSITIVE_INFINITY,
  ) {
    this.#ended = Number.isFinite(keep) ? null : [];
  }

  /** Takes the instrument's value as of `asOf` (NaN when missing); true when it opened a step. */
  offer(instrument: string, asOf: number, value: number): boolean {
    const step = Math.floor(asOf / this.stepMs);
    const open = this.#open.get(instrument);
    if (open && step <= open.step) return false;
    const continues = open !== undefined && step === open.step + 1 && Number.isFinite(value);
    if (open && !continues && open.values.length > 0) this.#ended?.push(open.values);
    const values = continues ? open.values : [];
    if (Number.isFinite(value)) values.push(value);
    if (values.length > this.keep) values.shift();
    this.#open.set(instrument, { step, values });
    return true;
  }

  /** The instrument's current series, oldest first. */
  current(instrument: string): readonly number[] {
    return this.#open.get(instrument)?.values ?? [];
  }

  /** Every series cut so far (with `keep` finite, the current ones only). */
  all(): number[][] {
    return [...(this.#ended ?? []), ...[...this.#open.values()].map((o) => o.values)].filter((v) => v.length > 0);
  }
}

const percent = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)}%`;

/**
 * The forecaster as a feature model: each instrument's next-hour return forecast from its hourly history of
 * {@link FORECAST_FEATURE}, its evidence for an up move `2·P(return > 0) − 1` under the forecast Gaussian. Until
 * the history holds `window + 1` consecutive hours it says nothing (signal 0). The history lives in the model,
 * in this process: after a restart the forecaster speaks again once it has seen `window + 1` hours.
 */
export class ForecastFeatureModel implements FeatureModel {
  readonly kind = 'forecaster' as const;
  readonly features = [FORECAST_FEATURE] as const;
  readonly #series: StepSeries;
  /** The last result per instrument: it stands until a snapshot opens the next step, so a step's forecast is asked once. */
  readonly #last = new Map<string, FeatureModelResult>();

  constructor(
    readonly modelId: string,
    readonly version: string,
    /** Values a forecast reads. */
    readonly historyLength: number,
    readonly horizonMs: number,
    private readonly forecast: ForecastFn,
  ) {
    this.#series = new StepSeries(horizonMs, historyLength);
  }

  async score(instrument: string, rows: readonly (readonly number[])[], asOf?: number): Promise<readonly FeatureModelResult[]> {
    const results: FeatureModelResult[] = [];
    for (const row of rows) {
      const moved = asOf !== undefined && this.#series.offer(instrument, asOf, row[0]!);
      const cached = this.#last.get(instrument);
      if (cached && !moved) {
        results.push(cached);
        continue;
      }
      const history = this.#series.current(instrument);
      const result = history.length < this.historyLength ? this.#silent(instrument, history.length) : this.#result(instrument, await this.forecast(history));
      this.#last.set(instrument, result);
      results.push(result);
    }
    return results;
  }

  #silent(instrument: string, have: number): FeatureModelResult {
    return { signal: 0, score: 0.5, summary: `The forecaster has ${have} of the ${this.historyLength} consecutive hours of ${instrument}'s returns it reads.` };
  }

  #result(instrument: string, step: ForecastStep): FeatureModelResult {
    const p = step.std > 0 ? normalCdf(step.mean / step.std) : step.mean > 0 ? 1 : step.mean < 0 ? 0 : 0.5;
    const [low, high] = step.quantiles;
    return {
      signal: 2 * p - 1,
      score: p,
      summary:
        `The forecaster puts ${instrument}'s return over the next ${horizonPhrase(this.horizonMs)} at ${percent(step.mean)} ` +
        `(80% between ${percent(low!)} and ${percent(high!)}): a ${(100 * p).toFixed(0)}% chance that it rises.`,
    };
  }
}

/** The forecaster's history length, read off its artifact. */
export function forecasterHistoryLength(model: Pick<BundledModel, 'name' | 'artifact'>): number {
  if (model.artifact.type !== FORECASTER_TYPE) throw new ModelError('MODEL_ARTIFACT_INVALID', `${model.name}: not a ${FORECASTER_TYPE} artifact`);
  const window = (model.artifact.params as { window?: unknown } | null)?.window;
  if (!Number.isInteger(window)) throw new ModelError('MODEL_ARTIFACT_INVALID', `${model.name}: the params give no window`);
  return (window as number) + 1;
}

/** `loadBundle`'s factory for a bundle's TF.js models, scoring them in the calling thread. */
export const inThreadTfjs: TfjsModelFactory = (model: BundledModel, features, horizonMs) => {
  if (model.role === 'mlp') return new MlpFeatureModel(model.name, model.version, model.artifact, features, horizonMs);
  if (model.role === 'forecaster') {
    const network = new ForecastNetwork(model.artifact);
    const forecast: ForecastFn = async (history) => forecastSteps(network.infer(Float32Array.from(history), 1, NEXT_STEP_REQUEST), NEXT_STEP)[0]!;
    return new ForecastFeatureModel(model.name, model.version, forecasterHistoryLength(model), horizonMs, forecast);
  }
  throw new ModelError('MODEL_ARTIFACT_INVALID', `${model.name}: no in-thread scorer for role ${model.role}`);
};
