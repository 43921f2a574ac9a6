/**
 * The TF.js models as the rest of the engine sees them, scored through the pool (pool.ts): the MLP direction
 * classifier as a feature model of the ensemble stage, and the Gaussian forecaster as a probabilistic forecast
 * of a series (and, wrapped in `ForecastFeatureModel`, as a feature model too). Both hold only the artifact;
 * the networks live in the pool's workers.
 */
import type { TfjsModelFactory } from '../models/bundle.js';
import type { FeatureModel, FeatureModelResult } from '../models/feature-models.js';
import { ModelError } from '../models/model.js';
import { FORECASTER_TYPE, type ForecastOptions, forecastOptions, type ForecastStep, forecastSteps } from '../models/tfjs/forecaster.js';
import { checkMlpArtifact, ForecastFeatureModel, mlpResult, NEXT_STEP } from '../models/tfjs/feature-models.js';
import type { TfjsArtifact, TfjsPool } from './pool.js';

export class PooledMlpFeatureModel implements FeatureModel {
  readonly kind = 'classifier' as const;
  readonly modelId: string;
  readonly version: string;

  constructor(
    private readonly pool: TfjsPool,
    readonly model: TfjsArtifact,
    readonly features: readonly string[],
    readonly horizonMs: number,
  ) {
    checkMlpArtifact(model.name, model.artifact, features);
    this.modelId = model.name;
    this.version = model.artifactHash.slice(0, 12);
  }

  async score(instrument: string, rows: readonly (readonly number[])[]): Promise<readonly FeatureModelResult[]> {
    const outputs = await Promise.all(rows.map((row) => this.pool.infer(this.model, Float32Array.from(row))));
    return outputs.map((out) => mlpResult(instrument, out[0]!, this.horizonMs));
  }
}

/** `loadBundle`'s factory for a bundle's TF.js models, scoring them through the pool. */
export function pooledTfjs(pool: TfjsPool): TfjsModelFactory {
  return (model, features, horizonMs) => {
    if (model.role === 'mlp') return new PooledMlpFeatureModel(pool, model, features, horizonMs);
    if (model.role === 'forecaster') {
      const forecaster = new PooledForecaster(pool, model);
      return new ForecastFeatureModel(model.name, model.version, forecaster.historyLength, horizonMs, async (history) => (await forecaster.forecast(history, NEXT_STEP))[0]!);
    }
    throw new ModelError('MODEL_ARTIFACT_INVALID', `${model.name}: no pooled scorer for role ${model.role}`);
  };
}

export class PooledForecaster {
  readonly name: string;
  readonly version: string;
  /** Values a forecast reads: the last `window + 1` of the series. */
  readonly historyLength: number;

  constructor(
    private readonly pool: TfjsPool,
    readonly model: TfjsArtifact,
  ) {
    if (model.artifact.type !== FORECASTER_TYPE) throw new ModelError('MODEL_ARTIFACT_INVALID', `${model.name}: not a ${FORECASTER_TYPE} artifact`);
    const window = (model.artifact.params as { window?: unknown } | null)?.window;
    if (!Number.isInteger(window)) throw new ModelError('MODEL_ARTIFACT_INVALID', `${model.name}: the params give no window`);
    this.name = model.name;
    this.version = model.artifactHash.slice(0, 12);
    this.historyLength = (window as number) + 1;
  }

  /** The forecast of each step 1..horizon after the series' last value. */
  async forecast(series: readonly number[], options: Partial<ForecastOptions> = {}): Promise<ForecastStep[]> {
    if (series.length < this.historyLength) {
      throw new ModelError('MODEL_INPUT_INVALID', `${this.name}: a forecast needs the last ${this.historyLength} values, got ${series.length}`);
    }
    const o = forecastOptions(options);
    const row = Float32Array.from(series.slice(series.length - this.historyLength));
    const out = await this.pool.infer(this.model, row, { horizon: o.horizon, samples: o.samples, levels: [...o.levels], seed: o.seed });
    return forecastSteps(out, o);
  }
}
