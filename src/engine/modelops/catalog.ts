/**
 * The models API's catalog with the registry's aliases: each version's status is the alias the registry holds
 * for it now (the code-defined models, which the registry does not track, stay `live`), and versions the
 * registry knows beyond the loaded ones (shadow bundles' versions, retired ones) are listed from their records.
 *
 * It also carries the model-operations controller, for the resolvers of `promoteModel`, `modelComparison` and
 * the rest to reach through the API's `models` dependency.
 */
import type { ModelCatalog, ModelVersionInfo } from '../models/catalog.js';
import type { ModelKind } from '../models/model.js';
import type { RegisteredVersion } from './aliases.js';
import type { ModelOps } from './service.js';

function kindOf(model: string): ModelVersionInfo['kind'] {
  const type = model.slice(0, model.indexOf('(') >>> 0);
  const kinds: Record<string, ModelKind> = { GBDT: 'classifier', MlpClassifier: 'classifier', IsolationForest: 'anomaly', LogisticStacker: 'stacker', GaussianForecaster: 'forecaster' };
  return kinds[type] ?? 'classifier';
}

function fromRecord(v: RegisteredVersion): ModelVersionInfo {
  const r = v.record;
  return {
    id: r.id,
    name: r.model,
    kind: kindOf(r.model),
    version: r.version,
    status: v.alias,
    featureSetVersion: r.featureSetVersion,
    features: [],
    horizonMs: null,
    artifactHash: r.artifactHash,
    metrics: r.metrics,
    training: { source: 'registry', ...(r.trainingWindow ? { from: new Date(r.trainingWindow.from).toISOString(), to: new Date(r.trainingWindow.to).toISOString() } : {}) },
  };
}

export class RegistryModelCatalog implements ModelCatalog {
  constructor(
    private readonly base: ModelCatalog,
    readonly ops: ModelOps,
  ) {}

  async list(): Promise<readonly ModelVersionInfo[]> {
    const [loaded, registered] = await Promise.all([this.base.list(), this.ops.store.list()]);
    const byId = new Map(registered.map((v) => [v.record.id, v] as const));
    const out = loaded.map((info) => {
      const v = byId.get(info.id);
      return v ? { ...info, status: v.alias } : info;
    });
    const listed = new Set(out.map((i) => i.id));
    for (const v of registered) if (!listed.has(v.record.id)) out.push(fromRecord(v));
    return out;
  }

  async get(id: string): Promise<ModelVersionInfo | null> {
    return (await this.list()).find((v) => v.id === id) ?? null;
  }
}
