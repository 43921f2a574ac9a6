/**
 * `vanta reference`: builds the drift references of a bundle's feature models (modelops/reference.ts) with the
 * drift settings of the config, and writes them next to the bundle (`ensemble.json` → `ensemble.reference.json`),
 * where the server reads them at start instead of replaying the training seeds (about a minute of CPU on a
 * first start). Deterministic: the same bundle and settings give the same file, byte for byte.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { instrumentFeatureSet } from '../engine/features/definitions.js';
import { buildTrainingReferences, type ReferenceFile, referenceOptions, referencePathFor, referenceRecipe } from '../engine/modelops/reference.js';
import { loadBundle, readBundle } from '../engine/models/bundle.js';
import { inThreadTfjs } from '../engine/models/tfjs/feature-models.js';
import { bundleLocation } from './models.js';

export async function referenceCommand(argv: readonly string[], config: Config): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      bundle: { type: 'string', default: config.models.bundlePath ?? bundleLocation() },
      out: { type: 'string' },
    },
  });
  await writeReference(values.bundle, values.out ?? referencePathFor(values.bundle), config.modelops.drift);
  return 0;
}

/** Builds the references of the bundle at `bundlePath` for these drift settings and writes them to `out`. */
export async function writeReference(bundlePath: string, out: string, drift: Config['modelops']['drift']): Promise<void> {
  const ensemble = loadBundle(await readBundle(bundlePath), { tfjs: inThreadTfjs });
  const options = referenceOptions(drift);
  const recipe = referenceRecipe(ensemble, options);
  const started = Date.now();
  const versions = await buildTrainingReferences(ensemble, instrumentFeatureSet(), options);
  const file: ReferenceFile = { formatVersion: 1, recipe, versions };
  await writeFile(out, `${JSON.stringify(file)}\n`);
  console.log(`wrote ${out} in ${((Date.now() - started) / 1000).toFixed(0)} s: seeds ${recipe.seeds.join(', ')}, ${recipe.hours} h each`);
  for (const v of versions) {
    console.log(`  ${v.versionId}`);
    for (const k of v.keys) {
      const c = k.calibration;
      console.log(`    ${k.key}: ${k.reference.n} values${c ? `; the largest of ${c.windows} training windows: PSI ${c.psi.toFixed(3)}, TV ${c.tv.toFixed(3)}` : ''}`);
    }
  }
}
