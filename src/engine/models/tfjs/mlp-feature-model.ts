/**
 * The MLP direction classifier (./mlp.ts) as a feature model of the ensemble stage. The server scores it
 * through the TF.js worker pool (`PooledMlpFeatureModel`, src/engine/ml/models.ts); training, backtests and the
 * benchmarks score it here, in the calling thread, on whichever TF.js backend is active in it. One backend gives
 * the same result for the same row every time; two backends (wasm in the pool, cpu here) agree to about 1e-7.
 */
import type { BundledModel, TfjsModelFactory } from '../bundle.js';
import { type FeatureModel, type FeatureModelResult, horizonPhrase } from '../feature-models.js';
import { ModelError, type SerializedModel } from '../model.js';
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

/** `loadBundle`'s factory for a bundle's TF.js models, scoring them in the calling thread. */
export const inThreadTfjs: TfjsModelFactory = (model: BundledModel, features, horizonMs) => {
  if (model.role !== 'mlp') throw new ModelError('MODEL_ARTIFACT_INVALID', `${model.name}: no in-thread scorer for role ${model.role}`);
  return new MlpFeatureModel(model.name, model.version, model.artifact, features, horizonMs);
};
