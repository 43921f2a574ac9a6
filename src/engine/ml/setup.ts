/**
 * The TF.js side of the model ensemble, as the composition root starts it when `models.tfjs.enabled` is on:
 * the worker pool (its backend then shows in `health`), the factory through which the trained bundle's MLP and
 * forecaster score in the pool, and, when `models.tfjs.mlpPath` names one, an MLP of its own file
 * (`TfjsModelFile`) as one more feature model of the ensemble stage.
 *
 * Turning TF.js off never changes the bundle or the versions of the models in it: the bundle's TF.js models
 * then do not score, and the stacker reads 0 for their inputs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { canonicalJson, sha256Hex } from '../canonical.js';
import type { TfjsModelFactory } from '../models/bundle.js';
import type { ModelVersionInfo } from '../models/catalog.js';
import { ModelError, type SerializedModel } from '../models/model.js';
import type { MlpClassifier } from '../models/tfjs/mlp.js';
import { describeBackend } from '../models/tfjs/backend.js';
import { PooledMlpFeatureModel, pooledTfjs } from './models.js';
import { TfjsPool, type TfjsPoolOptions } from './pool.js';

export const TFJS_MODEL_FILE_VERSION = 1;

/** A trained TF.js feature model on disk: the artifact, its hash, and what it was trained on. */
export interface TfjsModelFile {
  readonly formatVersion: number;
  readonly name: string;
  readonly version: string;
  readonly artifactHash: string;
  readonly artifact: SerializedModel;
  readonly featureSetVersion: string;
  readonly features: readonly string[];
  readonly horizonMs: number;
  readonly training: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, number | null>>;
}

export function tfjsModelFile(
  model: MlpClassifier,
  trainedOn: Pick<TfjsModelFile, 'featureSetVersion' | 'features' | 'horizonMs' | 'training' | 'metrics'>,
): TfjsModelFile {
  const artifact = model.serialize();
  const hash = sha256Hex(canonicalJson(artifact));
  return { formatVersion: TFJS_MODEL_FILE_VERSION, name: model.name, version: hash.slice(0, 12), artifactHash: hash, artifact, ...trainedOn };
}

export async function writeTfjsModelFile(path: string, file: TfjsModelFile): Promise<void> {
  await writeFile(path, `${JSON.stringify(file)}\n`);
}

/** Reads a model file, refusing one that is not JSON, of another format, or whose artifact does not match its hash. */
export async function readTfjsModelFile(path: string): Promise<TfjsModelFile> {
  let file: Partial<TfjsModelFile>;
  try {
    file = JSON.parse(await readFile(path, 'utf8')) as Partial<TfjsModelFile>;
  } catch (cause) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `cannot read the TF.js model file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (file?.formatVersion !== TFJS_MODEL_FILE_VERSION) throw new ModelError('MODEL_ARTIFACT_INVALID', `${path}: format ${JSON.stringify(file?.formatVersion)} is not ${TFJS_MODEL_FILE_VERSION}`);
  if (typeof file.name !== 'string' || typeof file.artifactHash !== 'string' || !file.artifact || !Array.isArray(file.features) || !(typeof file.horizonMs === 'number' && file.horizonMs > 0)) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `${path}: needs name, artifactHash, artifact, features and horizonMs`);
  }
  if (sha256Hex(canonicalJson(file.artifact)) !== file.artifactHash) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `${path}: the artifact of ${file.name} does not match its hash ${file.artifactHash}`);
  }
  return file as TfjsModelFile;
}

export interface TfjsModelsConfig extends TfjsPoolOptions {
  readonly mlpPath?: string | undefined;
}

export interface TfjsModels {
  readonly pool: TfjsPool;
  /** Scores a bundle's TF.js models through the pool (`loadBundle`'s `tfjs` option). */
  readonly bundleModels: TfjsModelFactory;
  /** The MLP of `mlpPath`, when one is configured. */
  readonly mlp: PooledMlpFeatureModel | null;
  /** Catalog entries for the TF.js models that score. */
  readonly versions: readonly ModelVersionInfo[];
  close(): Promise<void>;
}

export interface TfjsLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

/** Starts the pool and loads the configured MLP; the MLP must have been trained on the feature set in force. */
export async function startTfjsModels(
  config: TfjsModelsConfig,
  featureSet: { readonly names: readonly string[]; readonly version: string },
  log: TfjsLogger,
): Promise<TfjsModels> {
  const file = config.mlpPath ? await readTfjsModelFile(config.mlpPath) : null;
  if (file && file.featureSetVersion !== featureSet.version) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `${config.mlpPath}: ${file.name} was trained on features ${file.featureSetVersion}, not ${featureSet.version}; retrain it`);
  }
  const pool = await TfjsPool.start(config);
  log.info({ backend: pool.backend.backend, skipped: pool.backend.skipped, threads: config.threads ?? 1 }, `models: TF.js runs on ${describeBackend(pool.backend)}`);
  let mlp: PooledMlpFeatureModel | null = null;
  try {
    mlp = file ? new PooledMlpFeatureModel(pool, file, featureSet.names, file.horizonMs) : null;
  } catch (error) {
    await pool.close();
    throw error;
  }
  const versions: ModelVersionInfo[] = file
    ? [
        {
          id: `${file.name}@${file.version}`,
          name: file.name,
          kind: 'classifier',
          version: file.version,
          status: 'live',
          featureSetVersion: file.featureSetVersion,
          features: file.features,
          horizonMs: file.horizonMs,
          artifactHash: file.artifactHash,
          metrics: file.metrics,
          training: file.training,
        },
      ]
    : [];
  if (file) log.info({ model: `${file.name}@${file.version}` }, 'models: the MLP scores through the TF.js pool');
  return { pool, bundleModels: pooledTfjs(pool), mlp, versions, close: () => pool.close() };
}
