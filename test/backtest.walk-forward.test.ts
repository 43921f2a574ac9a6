/**
 * Walk-forward retraining inside a backtest: the direction classifier is refitted on the run's own labelled
 * snapshots every few simulated hours and scores from then on. No retrain trains on a snapshot whose label
 * was not yet known at its time; the run stays reproducible to the byte.
 */
import { describe, expect, it } from 'vitest';
import { type BacktestRun, runBacktest } from '../src/engine/backtest/runner.js';
import { SimulatorSource } from '../src/engine/backtest/sources.js';
import { BacktestError, type BacktestSpec } from '../src/engine/backtest/types.js';
import { depsFor, T0 } from './backtest-helpers.js';

const HOUR = 3_600_000;
const spec: BacktestSpec = { from: T0, to: T0 + 12 * HOUR, vaults: ['risk-averse-core'], seed: 17, barMs: 300_000, retrainEveryHours: 4 };

async function run(s: BacktestSpec = spec): Promise<BacktestRun> {
  return runBacktest(s, { ...(await depsFor(new SimulatorSource(s.seed, s.barMs))), wallNow: () => 0 });
}

describe('walk-forward retraining in a backtest', () => {
  let first: BacktestRun;

  it('retrains every period on labels known by then, and the new version scores the bars that follow', async () => {
    first = await run();
    const retrains = first.result.summary.retrains!;
    expect(retrains.map((r) => (r.at - T0) / HOUR)).toEqual([4, 8, 12]);
    const trained = retrains.filter((r) => r.model !== null);
    expect(trained.length).toBeGreaterThan(0);
    for (const r of retrains) {
      expect(r.lastRowAt! + HOUR).toBeLessThanOrEqual(r.at);
      expect(r.rows).toBeGreaterThan(0);
    }
    // Each retrain sees more of the run than the one before.
    for (let i = 1; i < retrains.length; i++) expect(retrains[i]!.rows).toBeGreaterThan(retrains[i - 1]!.rows);
    // A version trained before the last bar scores the bars after it.
    const scored = trained.filter((r) => r.at < spec.to);
    expect(scored.length).toBeGreaterThan(0);
    for (const r of scored) expect(first.outputsByModel[r.model!]).toBeGreaterThan(0);
    const shipped = Object.keys(first.outputsByModel).find((id) => id.startsWith('GBDT(') && !trained.some((r) => r.model === id));
    expect(shipped).toBeDefined();
  }, 300_000);

  it('is reproducible to the byte, and a run without it has no retrains', async () => {
    const again = await run();
    expect(again.result.summary.retrains).toEqual(first.result.summary.retrains);
    expect(again.decisions).toEqual(first.decisions);
    const plain = await run({ ...spec, to: T0 + HOUR, retrainEveryHours: null });
    expect(plain.result.summary.retrains).toBeUndefined();
    await expect(run({ ...spec, retrainEveryHours: -1 })).rejects.toThrow(BacktestError);
  }, 300_000);
});
