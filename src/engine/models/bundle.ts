/**
 * A trained ensemble as one JSON document: the feature models and the meta stacker, each with its artifact and
 * the artifact's SHA-256, plus what they were trained on. `vanta train` writes one; the product ships one in
 * `data/models/ensemble.json`, which the model registry takes in at start when it holds no live versions yet.
 *
 * A model's version is the first 12 hex digits of its artifact's hash: the same training gives the same
 * version, and any change of a weight gives another.
 */
import { readFile } from 'node:fs/promises';
import { canonicalJson, sha256Hex } from '../canonical.js';
import { StackerCombiner } from '../conviction/combiner.js';
import { LogisticStacker } from '../conviction/stacker.js';
import { type FeatureModel, GbdtFeatureModel, IsolationForestFeatureModel } from './feature-models.js';
import { GradientBoostedTrees } from './gbdt.js';
import { IsolationForest } from './isolation-forest.js';
import { type Model, ModelError, type ModelKind, type SerializedModel } from './model.js';

export const BUNDLE_FORMAT_VERSION = 1;

export type BundleRole = 'gbdt' | 'isolation_forest' | 'mlp' | 'forecaster' | 'stacker';

/** Roles whose models are TF.js networks: loaded through a {@link TfjsModelFactory}, never by this module. */
export const TFJS_ROLES: readonly BundleRole[] = ['mlp', 'forecaster'];

/** True when the bundle holds a TF.js model, which scores only through a {@link TfjsModelFactory}. */
export function hasTfjsModels(bundle: ModelBundle): boolean {
  return bundle.models.some((m) => TFJS_ROLES.includes(m.role));
}

export interface BundledModel {
  readonly role: BundleRole;
  readonly name: string;
  readonly kind: ModelKind;
  readonly version: string;
  readonly artifactHash: string;
  readonly artifact: SerializedModel;
}

export interface ModelBundle {
  readonly formatVersion: number;
  readonly featureSetVersion: string;
  readonly features: readonly string[];
  readonly horizonMs: number;
  /** How the models were trained (seeds, days, horizon), as the training job was configured. */
  readonly training: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly models: readonly BundledModel[];
}

export function artifactHash(artifact: SerializedModel): string {
  return sha256Hex(canonicalJson(artifact));
}

export function bundledModel(role: BundleRole, model: Model): BundledModel {
  const artifact = model.serialize();
  const hash = artifactHash(artifact);
  return { role, name: model.name, kind: model.kind, version: hash.slice(0, 12), artifactHash: hash, artifact };
}

/**
 * Makes a feature model of a bundle's TF.js model: scored in the calling thread (models/tfjs/feature-models.ts)
 * or through the worker pool (ml/models.ts). Kept out of this module so that loading a bundle never loads TF.js.
 */
export type TfjsModelFactory = (model: BundledModel, features: readonly string[], horizonMs: number) => FeatureModel;

export interface LoadOptions {
  /** Without it, the bundle's TF.js models do not score: they are listed in `unloaded`. */
  readonly tfjs?: TfjsModelFactory;
}

/** The models of a bundle, restored: the feature models the ensemble stage runs, and the stacker's combiner. */
export interface LoadedEnsemble {
  readonly featureModels: readonly FeatureModel[];
  readonly combiner: StackerCombiner | null;
  readonly bundle: ModelBundle;
  /** The bundle's TF.js models left out for want of a factory: the stacker reads 0 for their inputs. */
  readonly unloaded: readonly BundledModel[];
}

export function loadBundle(bundle: ModelBundle, options: LoadOptions = {}): LoadedEnsemble {
  if (bundle.formatVersion !== BUNDLE_FORMAT_VERSION) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `model bundle format ${bundle.formatVersion} is not ${BUNDLE_FORMAT_VERSION}`);
  }
  const featureModels: FeatureModel[] = [];
  const unloaded: BundledModel[] = [];
  let combiner: StackerCombiner | null = null;
  for (const m of bundle.models) {
    if (artifactHash(m.artifact) !== m.artifactHash) {
      throw new ModelError('MODEL_ARTIFACT_INVALID', `${m.name}: the artifact does not match its hash ${m.artifactHash}`);
    }
    if (m.role === 'gbdt') featureModels.push(new GbdtFeatureModel(GradientBoostedTrees.deserialize(m.artifact), m.version, bundle.features, bundle.horizonMs));
    else if (m.role === 'isolation_forest') featureModels.push(new IsolationForestFeatureModel(IsolationForest.deserialize(m.artifact), m.version, bundle.features, bundle.horizonMs));
    else if (TFJS_ROLES.includes(m.role)) {
      if (options.tfjs) featureModels.push(options.tfjs(m, bundle.features, bundle.horizonMs));
      else unloaded.push(m);
    }
    else if (m.role === 'stacker') combiner = new StackerCombiner(LogisticStacker.deserialize(m.artifact), m.version);
    else throw new ModelError('MODEL_ARTIFACT_INVALID', `unknown model role ${JSON.stringify((m as BundledModel).role)}`);
  }
  return { featureModels, combiner, bundle, unloaded };
}

export async function readBundle(path: string): Promise<ModelBundle> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `cannot read the model bundle ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  try {
    return JSON.parse(text) as ModelBundle;
  } catch (cause) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `the model bundle ${path} is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
