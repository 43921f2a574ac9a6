/**
 * What the API says about the models: every model that scores, with its version, status, what it was trained
 * on and how it measured. The models written in code (the z-score and graph models, the prior weights) are
 * listed with version `1` and no artifact; the trained ones come from the ensemble in force.
 */
import { PriorWeightsCombiner } from '../conviction/combiner.js';
import type { LoadedEnsemble } from './bundle.js';
import { graphModelName } from './graph-model.js';
import type { ModelKind } from './model.js';

export type ModelStatus = 'live' | 'shadow' | 'retired';

export interface ModelVersionInfo {
  /** `<name>@<version>`: unique. */
  readonly id: string;
  readonly name: string;
  readonly kind: ModelKind | 'zscore';
  readonly version: string;
  readonly status: ModelStatus;
  readonly featureSetVersion: string | null;
  readonly features: readonly string[];
  readonly horizonMs: number | null;
  readonly artifactHash: string | null;
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly training: Readonly<Record<string, unknown>>;
}

export interface ModelCatalog {
  list(): Promise<readonly ModelVersionInfo[]>;
  get(id: string): Promise<ModelVersionInfo | null>;
}

const codeModel = (name: string, kind: ModelVersionInfo['kind']): ModelVersionInfo => ({
  id: `${name}@1`,
  name,
  kind,
  version: '1',
  status: 'live',
  featureSetVersion: null,
  features: [],
  horizonMs: null,
  artifactHash: null,
  metrics: {},
  training: { source: 'code' },
});

/** The models of a running engine: the code-defined ones and the loaded ensemble. */
export class StaticModelCatalog implements ModelCatalog {
  readonly #versions: readonly ModelVersionInfo[];

  /** `extra`: models loaded besides the ensemble (the TF.js ones, see src/engine/ml/setup.ts). */
  constructor(zscoreModelId: string, ensemble: LoadedEnsemble | null, extra: readonly ModelVersionInfo[] = []) {
    const versions: ModelVersionInfo[] = [codeModel(zscoreModelId, 'zscore'), codeModel(graphModelName(), 'graph')];
    if (ensemble) {
      const b = ensemble.bundle;
      for (const m of b.models) {
        versions.push({
          id: `${m.name}@${m.version}`,
          name: m.name,
          kind: m.kind,
          version: m.version,
          status: 'live',
          featureSetVersion: b.featureSetVersion,
          features: m.role === 'stacker' ? [] : b.features,
          horizonMs: b.horizonMs,
          artifactHash: m.artifactHash,
          metrics: b.metrics,
          training: b.training,
        });
      }
    } else {
      versions.push(codeModel(new PriorWeightsCombiner().name, 'stacker'));
    }
    versions.push(...extra);
    this.#versions = versions;
  }

  async list(): Promise<readonly ModelVersionInfo[]> {
    return this.#versions;
  }

  async get(id: string): Promise<ModelVersionInfo | null> {
    return this.#versions.find((v) => v.id === id) ?? null;
  }
}
