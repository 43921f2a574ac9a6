/**
 * The TF.js models as the rest of the engine sees them, scored through the pool (pool.ts): the MLP direction
 * classifier as a feature model of the ensemble stage, and the Gaussian forecaster as a probabilistic
 * forecast of a series. Both hold only the artifact; the networks live in the pool's workers.
 */
import type { FeatureModel, FeatureModelResult } from '../models/feature-models.js';
import { ModelError } from '../models/model.js';
import { FORECASTER_TYPE, type ForecastOptions, forecastOptions, type ForecastStep, forecastSteps } from '../models/tfjs/forecaster.js';
import { MLP_TYPE } from '../models/tfjs/mlp.js';
import type { TfjsArtifact, TfjsPool } from './pool.js';

const minutes = (ms: number): string => (ms >= 2 * 3_600_000 ? `${Math.round(ms / 3_600_000)} hours` : `${Math.round(ms / 60_000)} minutes`);

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
    if (model.artifact.type !== MLP_TYPE) throw new ModelError('MODEL_ARTIFACT_INVALID', `${model.name}: not an ${MLP_TYPE} artifact`);
    const names = (model.artifact.state as { featureNames?: unknown } | null)?.featureNames;
    if (!Array.isArray(names) || names.join('|') !== features.join('|')) {
      throw new ModelError('MODEL_ARTIFACT_INVALID', `${model.name}: fitted on other features than the ${features.length} of the feature set`);
    }
    this.modelId = model.name;
    this.version = model.artifactHash.slice(0, 12);
  }

  async score(instrument: string, rows: readonly (readonly number[])[]): Promise<readonly FeatureModelResult[]> {
    const outputs = await Promise.all(rows.map((row) => this.pool.infer(this.model, Float32Array.from(row))));
    return outputs.map((out) => {
      const p = out[0]!;
      return {
        signal: 2 * p - 1,
        score: p,
        summary: `The neural network puts the chance that ${instrument} rises over the next ${minutes(this.horizonMs)} at ${(100 * p).toFixed(0)}%.`,
      };
    });
  }
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
