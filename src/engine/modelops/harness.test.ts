import { describe, expect, it } from 'vitest';
import { SimulatorCore } from '../collectors/simulator/core.js';
import { instrumentFeatureSet } from '../features/definitions.js';
import { ScoringHarness } from './harness.js';

const START = Date.UTC(2024, 0, 2);

async function run(seed: number, bars: number) {
  const harness = new ScoringHarness({ simulator: new SimulatorCore({ seed }), featureSet: instrumentFeatureSet() });
  await harness.run(START, bars);
  await harness.close();
  return harness;
}

describe('ScoringHarness', () => {
  it('runs the live stages on simulated bars: snapshots, model outputs and convictions come out', async () => {
    const h = await run(3, 90);
    expect(h.snapshots.length).toBeGreaterThan(52);
    expect(h.outputs.length).toBeGreaterThan(0);
    expect(h.convictions.length).toBe(h.outputs.length); // each output re-scores its instrument
    const c = h.convictions[0]!;
    expect(c.vector.reasonVector.reduce((a, r) => a + r.contribution, 0)).toBeCloseTo(c.vector.convictionScore, 5);
    expect(h.prices.closeAt('AAPL', START + 89 * 60_000)).toBeGreaterThan(0);
  }, 60_000);

  it('a run is reproducible to the byte', async () => {
    const [a, b] = [await run(4, 60), await run(4, 60)];
    expect(JSON.stringify(a.convictions)).toBe(JSON.stringify(b.convictions));
    expect(JSON.stringify(a.snapshots)).toBe(JSON.stringify(b.snapshots));
  }, 60_000);
});
