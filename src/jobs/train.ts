/**
 * `vanta train`: trains the ensemble on simulated history (modelops/training.ts) and writes it as a model
 * bundle, the file the server takes its live models from (`data/models/ensemble.json` by default), and next to
 * it the bundle's drift reference (`vanta reference`, with the config's drift settings), so that a retrained
 * bundle never meets a reference of another. The same flags give the same files, byte for byte: nothing in them
 * depends on the wall clock.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { instrumentFeatureSet } from '../engine/features/definitions.js';
import { referencePathFor } from '../engine/modelops/reference.js';
import { DEFAULT_TRAINING, type TrainingConfig, trainEnsemble } from '../engine/modelops/training.js';
import { BUNDLE_FORMAT_VERSION, bundledModel, type ModelBundle } from '../engine/models/bundle.js';
import { writeReference } from './reference.js';

export async function buildBundle(config: TrainingConfig): Promise<ModelBundle> {
  const featureSet = instrumentFeatureSet();
  const trained = await trainEnsemble(featureSet, config);
  return {
    formatVersion: BUNDLE_FORMAT_VERSION,
    featureSetVersion: trained.featureSetVersion,
    features: trained.features,
    horizonMs: trained.horizonMs,
    training: {
      source: 'simulator',
      baseSeeds: config.baseSeeds,
      stackerSeeds: config.stackerSeeds,
      days: config.days,
      start: new Date(config.start).toISOString(),
      horizonMs: config.horizonMs,
      barRowShare: config.barRowShare ?? 1,
    },
    metrics: trained.metrics,
    models: [
      bundledModel('gbdt', trained.gbdt),
      bundledModel('mlp', trained.mlp),
      bundledModel('forecaster', trained.forecaster),
      bundledModel('isolation_forest', trained.isolationForest),
      bundledModel('stacker', trained.stacker),
    ],
  };
}

const seeds = (text: string, flag: string): number[] => {
  const list = text.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || !list.every(Number.isSafeInteger)) throw new Error(`--${flag} must be comma-separated integers, got ${JSON.stringify(text)}`);
  return list;
};

export async function trainCommand(argv: readonly string[], defaultOut: string, config: Config): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string', default: defaultOut },
      days: { type: 'string', default: String(DEFAULT_TRAINING.days) },
      'base-seeds': { type: 'string', default: DEFAULT_TRAINING.baseSeeds.join(',') },
      'stacker-seeds': { type: 'string', default: DEFAULT_TRAINING.stackerSeeds.join(',') },
    },
  });
  const days = Number(values.days);
  if (!(days > 0)) throw new Error(`--days must be positive, got ${values.days}`);
  const baseSeeds = seeds(values['base-seeds'], 'base-seeds');
  const stackerSeeds = seeds(values['stacker-seeds'], 'stacker-seeds');
  if (baseSeeds.some((s) => stackerSeeds.includes(s))) throw new Error('--base-seeds and --stacker-seeds must not share a seed');
  const started = Date.now();
  const bundle = await buildBundle({
    ...DEFAULT_TRAINING,
    days,
    baseSeeds,
    stackerSeeds,
    progress: (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${message}`),
  });
  await mkdir(path.dirname(values.out), { recursive: true });
  await writeFile(values.out, `${JSON.stringify(bundle, null, 1)}\n`);
  console.log(`wrote ${values.out}: ${bundle.models.map((m) => `${m.name}@${m.version}`).join(', ')}`);
  await writeReference(values.out, referencePathFor(values.out), config.modelops.drift);
  return 0;
}
