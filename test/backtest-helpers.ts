/** Shared set-up of the backtest tests: the config's models, vaults, risk limits and paper costs. */
import { loadConfig } from '../src/config.js';
import type { BacktestDeps } from '../src/engine/backtest/runner.js';
import type { BarSource } from '../src/engine/backtest/sources.js';
import { backtestDeps } from '../src/jobs/backtest.js';

export const T0 = Date.UTC(2024, 2, 4, 14, 30);
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

export function depsFor(source: BarSource): Promise<BacktestDeps> {
  return backtestDeps(loadConfig({ env: { LOG_LEVEL: 'silent' } }), source, quiet);
}
