/**
 * The feature store and the model ensemble, built from config for the engine: the online store (Redis hashes
 * when Redis is configured, else memory), the offline store in the database, and the live models, from the
 * bundled trained ensemble (`data/models/ensemble.json`, or `models.bundlePath`).
 *
 * Without a bundle (or with `models.ensemble` off) the engine still scores with the z-score and graph models
 * under fixed prior weights, and says so once in the log.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { type Combiner, PriorWeightsCombiner } from '../engine/conviction/combiner.js';
import type { EngineLogger, EngineModels } from '../engine/engine.js';
import { instrumentFeatureSet } from '../engine/features/definitions.js';
import type { FeatureRepository } from '../engine/features/offline.js';
import { MemoryOnlineStore, RedisOnlineStore } from '../engine/features/online.js';
import { hasTfjsModels, type LoadedEnsemble, type LoadOptions, loadBundle, type ModelBundle, readBundle } from '../engine/models/bundle.js';
import type { FeatureModel } from '../engine/models/feature-models.js';
import type { TfjsModels } from '../engine/ml/setup.js';

export interface ConfiguredModels {
  readonly engine: EngineModels;
  /** The combiner of this name and version, for replaying a conviction; null when this server cannot build it. */
  readonly combinerFor: (name: string, version: string) => Combiner | null;
  /** What scores, for `health` and the models API. */
  readonly ensemble: LoadedEnsemble | null;
  /** The combiner in force. */
  readonly combiner: () => Combiner;
  /** The TF.js pool and its models when `models.tfjs.enabled` is on; the caller closes it. */
  readonly tfjs: TfjsModels | null;
  /** How this process loads a bundle's models (the shadow bundles of model operations load as the live one did). */
  readonly bundleOptions: LoadOptions;
}

/** Where the bundled trained ensemble lives: `data/models/ensemble.json` of the project this file is part of. */
export function bundleLocation(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6 && !existsSync(path.join(dir, 'package.json')); i++) dir = path.dirname(dir);
  return path.join(dir, 'data', 'models', 'ensemble.json');
}

/** The bundled trained ensemble, when there is one. */
export function defaultBundlePath(): string | null {
  const location = bundleLocation();
  return existsSync(location) ? location : null;
}

export async function configureModels(
  config: Config['models'],
  ports: {
    readonly redis?: Redis;
    readonly redisPrefix: string;
    readonly offline?: FeatureRepository;
    readonly log: EngineLogger;
    /** Starts the TF.js pool when `models.tfjs.enabled` is on: only a serving process does (it closes `tfjs`). */
    readonly serving?: boolean;
  },
): Promise<ConfiguredModels> {
  const featureSet = instrumentFeatureSet();
  const online = ports.redis ? new RedisOnlineStore({ redis: ports.redis, prefix: ports.redisPrefix }) : new MemoryOnlineStore();
  const bundlePath = config.bundlePath ?? defaultBundlePath();
  if (!config.ensemble) ports.log.info({}, 'models: the ensemble is off (models.ensemble); scoring with the z-score and graph models under prior weights');
  else if (!bundlePath) ports.log.warn({}, 'models: no trained ensemble found (data/models/ensemble.json); run `vanta train`; scoring with prior weights meanwhile');
  const bundle = config.ensemble && bundlePath ? await readBundle(bundlePath) : null;
  // Imported only when on: TF.js takes a while to load, and with it off the process never needs it.
  const tfjs = config.tfjs.enabled && ports.serving ? await (await import('../engine/ml/setup.js')).startTfjsModels(config.tfjs, featureSet, ports.log) : null;
  let ensemble: LoadedEnsemble | null = null;
  let bundleOptions: LoadOptions = {};
  try {
    bundleOptions = await bundleLoadOptions(bundle, tfjs, ports.serving === true);
    ensemble = bundle ? loadBundle(bundle, bundleOptions) : null;
  } catch (error) {
    await tfjs?.close();
    throw error;
  }
  if (ensemble && ensemble.bundle.featureSetVersion !== featureSet.version) {
    ports.log.warn(
      { bundle: ensemble.bundle.featureSetVersion, features: featureSet.version },
      'models: the ensemble was trained on another version of the features; retrain it (`vanta train`); scoring with prior weights meanwhile',
    );
    ensemble = null;
  } else if (ensemble) {
    ports.log.info({ bundle: bundlePath, models: ensemble.bundle.models.map((m) => `${m.name}@${m.version}`) }, 'models: ensemble loaded');
    if (ensemble.unloaded.length > 0) {
      ports.log.warn(
        { models: ensemble.unloaded.map((m) => `${m.name}@${m.version}`) },
        'models: the bundle\'s TF.js models do not score with models.tfjs off; the stacker reads 0 for their inputs',
      );
    }
  }
  const featureModels: readonly FeatureModel[] = [...(ensemble?.featureModels ?? []), ...(tfjs?.mlp ? [tfjs.mlp] : [])];
  const combiner: Combiner = ensemble?.combiner ?? new PriorWeightsCombiner();
  return {
    engine: {
      featureSet,
      online,
      offline: ports.offline,
      featureModels: () => featureModels,
      combiner: () => combiner,
      scoreIntervalMs: config.scoreIntervalMs,
    },
    ensemble,
    combiner: () => combiner,
    combinerFor: combinerLookup(ensemble),
    tfjs,
    bundleOptions,
  };
}

/**
 * How a bundle's TF.js models score: through the pool when it runs; in this thread in a process that does not
 * serve (a backtest scores its whole run in one process anyway); not at all in a server with TF.js off.
 */
async function bundleLoadOptions(bundle: ModelBundle | null, tfjs: TfjsModels | null, serving: boolean): Promise<LoadOptions> {
  if (tfjs) return { tfjs: tfjs.bundleModels };
  if (serving || !bundle || !hasTfjsModels(bundle)) return {};
  return { tfjs: (await import('../engine/models/tfjs/feature-models.js')).inThreadTfjs };
}

/** The prior weights (always), and the loaded ensemble's stacker by its version. */
export function combinerLookup(ensemble: LoadedEnsemble | null): (name: string, version: string) => Combiner | null {
  const prior = new PriorWeightsCombiner();
  return (name, version) => {
    if (name === prior.name && version === prior.version) return prior;
    const stacker = ensemble?.combiner;
    return stacker && stacker.name === name && stacker.version === version ? stacker : null;
  };
}
