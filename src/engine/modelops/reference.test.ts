import { describe, expect, it } from 'vitest';
import { SimulatorCore } from '../collectors/simulator/core.js';
import { instrumentFeatureSet } from '../features/definitions.js';
import { loadBundle, readBundle } from '../models/bundle.js';
import { bundleLocation } from '../../jobs/models.js';
import { ScoringHarness } from './harness.js';
import { buildTrainingReferences } from './reference.js';

describe('training references', () => {
  it('count each snapshot once per feature, however many models read the feature', async () => {
    const ensemble = loadBundle(await readBundle(bundleLocation()));
    const featureSet = instrumentFeatureSet();
    const [first, second] = await buildTrainingReferences(ensemble, featureSet, { hours: 1, seeds: [101] });
    // The same hour replayed by hand: every snapshot from the training start on is one reference value.
    const simulator = new SimulatorCore({ seed: 101 });
    const harness = new ScoringHarness({ simulator, featureSet, models: ensemble.featureModels });
    const start = Date.parse(String(ensemble.bundle.training.start));
    for (let done = 0; done < 60; done += 5) await harness.run(start + done * simulator.barMs, 5);
    await harness.close();
    const snapshots = harness.snapshots.filter((s) => s.asOf >= start).length;
    const shared = first!.keys.filter((k) => k.kind === 'feature' && second!.keys.some((o) => o.key === k.key));
    expect(shared.length).toBeGreaterThan(0);
    for (const k of shared) expect([k.key, k.reference.n]).toEqual([k.key, snapshots]);
  });
});
