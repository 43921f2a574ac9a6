/**
 * `vanta backtest`: a backtest from the command line, and what it needs from the config (the trained models,
 * the bundled vault files, the risk limits and the paper venue's costs).
 *
 *   vanta backtest --from <iso> --to <iso> [--vaults <id,id|all>] [--seed n] [--data <csv>] [--bar 1m|5m|1h]
 *                  [--scenario <kind[:at[:bars]]>]... [--halt-drawdown <pct>] [--retrain-every <hours>]
 *                  [--report <file.html>] [--no-store]
 *
 * Progress goes to stderr; the summary to stdout. The run is stored in the database (`backtests`,
 * `backtest(id)` in GraphQL) and its HTML report written (default `backtests/<id>.html`).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { renderReport } from '../engine/backtest/report.js';
import { type BacktestDeps, type BacktestRun, runBacktest } from '../engine/backtest/runner.js';
import { parseScenarioArg } from '../engine/backtest/scenarios.js';
import { type BarSource, CsvSource, readBarsCsv, SimulatorSource } from '../engine/backtest/sources.js';
import { BacktestError, type BacktestSpec, type ScenarioSpec } from '../engine/backtest/types.js';
import type { EngineLogger } from '../engine/engine.js';
import type { BacktestRepository } from '../engine/store/backtests.repo.js';
import { configureModels } from './models.js';
import { bundledVaultFiles } from './trading.js';

/** What a backtest run takes from the config. */
export async function backtestDeps(
  config: Config,
  source: BarSource,
  log: EngineLogger,
  onProgress?: (done: number, total: number) => void,
): Promise<BacktestDeps> {
  const models = await configureModels(config.models, { redisPrefix: config.redisPrefix, log });
  const files = config.trading.vaults ?? bundledVaultFiles();
  const vaults = await Promise.all(
    files.map(async (file) => {
      const document = JSON.parse(await readFile(file, 'utf8')) as { id?: unknown };
      if (typeof document.id !== 'string') throw new BacktestError(`vault file ${file}: no id`);
      return { id: document.id, document };
    }),
  );
  const r = config.trading.risk;
  return {
    source,
    models: {
      featureSet: models.engine.featureSet,
      featureModels: models.engine.featureModels(),
      combiner: models.combiner(),
      ...(models.engine.scoreIntervalMs !== undefined ? { scoreIntervalMs: models.engine.scoreIntervalMs } : {}),
    },
    vaults,
    risk: {
      maxOrderNotional: { default: r.maxOrderNotional },
      maxDailyNotionalPerVault: { default: r.maxDailyNotionalPerVault },
      maxDailyNotionalGlobal: r.maxDailyNotionalGlobal,
      priceCollarPct: r.priceCollarPct,
      maxPriceAgeMs: r.maxPriceAgeMs,
      ordersPerSecond: r.ordersPerSecond,
      orderBurst: r.orderBurst,
      duplicateWindowMs: r.duplicateWindowMs,
    },
    paper: { ...config.trading.paper },
    ...(onProgress ? { onProgress } : {}),
  };
}

const BARS: Record<string, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };

function parseTime(flag: string, text: string | undefined): number {
  if (!text) throw new BacktestError(`--${flag} is required (an ISO-8601 date-time, e.g. 2024-03-04T14:30:00Z)`);
  const ms = Date.parse(text);
  if (!Number.isSafeInteger(ms)) throw new BacktestError(`--${flag} ${JSON.stringify(text)} is not an ISO-8601 date-time`);
  return ms;
}

/** A progress bar on stderr, redrawn at most every percent. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((done / total) * 100);
    if (pct === last && done !== total) return;
    last = pct;
    const width = 30;
    const filled = Math.round((done / total) * width);
    stream.write(`\rbacktest [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${done}/${total} bars${done === total ? '\n' : ''}`);
  };
}

export interface BacktestCommandPorts {
  readonly config: Config;
  readonly log: EngineLogger;
  /** Where the run is stored; not stored when absent. */
  readonly repository?: BacktestRepository;
}

export async function backtestCommand(argv: readonly string[], ports: BacktestCommandPorts): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        vaults: { type: 'string', default: 'all' },
        seed: { type: 'string' },
        data: { type: 'string' },
        bar: { type: 'string', default: '1m' },
        scenario: { type: 'string', multiple: true },
        'halt-drawdown': { type: 'string' },
        'retrain-every': { type: 'string' },
        report: { type: 'string' },
        'no-store': { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    console.error(`vanta backtest: ${err instanceof Error ? err.message : String(err)}`);
    return 64;
  }
  let run: BacktestRun;
  try {
    const from = parseTime('from', values.from);
    const to = parseTime('to', values.to);
    const seed = values.seed === undefined ? ports.config.simulator.seed : Number(values.seed);
    if (!Number.isSafeInteger(seed)) throw new BacktestError(`--seed ${JSON.stringify(values.seed)} is not an integer`);
    const barMs = BARS[values.bar];
    if (!barMs) throw new BacktestError(`--bar ${JSON.stringify(values.bar)}: one of ${Object.keys(BARS).join(', ')}`);
    const halt = values['halt-drawdown'] === undefined ? null : Number(values['halt-drawdown']);
    if (halt !== null && !(halt > 0 && halt < 100)) throw new BacktestError(`--halt-drawdown ${values['halt-drawdown']} must be a percentage in (0, 100)`);
    const retrain = values['retrain-every'] === undefined ? null : Number(values['retrain-every']);
    if (retrain !== null && !(retrain > 0 && Number.isFinite(retrain))) throw new BacktestError(`--retrain-every ${values['retrain-every']} must be a positive number of hours`);
    const scenarios: ScenarioSpec[] = (values.scenario ?? []).map(parseScenarioArg);
    const vaults = values.vaults === 'all' ? 'all' : values.vaults.split(',').map((v) => v.trim()).filter((v) => v !== '');
    const source: BarSource = values.data ? new CsvSource(await readBarsCsv(values.data)) : new SimulatorSource(seed, barMs);
    const spec: BacktestSpec = { from, to, vaults, seed, barMs, dataPath: values.data ?? null, scenarios, haltDrawdownPct: halt, retrainEveryHours: retrain };
    run = await runBacktest(spec, await backtestDeps(ports.config, source, ports.log, progressBar()));
  } catch (err) {
    if (err instanceof BacktestError) {
      console.error(`vanta backtest: ${err.message}`);
      return 64;
    }
    throw err;
  }
  const reportPath = values.report ?? path.join('backtests', `${run.result.id}.html`);
  await mkdir(path.dirname(reportPath), { recursive: true });
  await writeFile(reportPath, renderReport({ ...run.result, reportPath }));
  const result = { ...run.result, reportPath };
  if (ports.repository && !values['no-store']) await ports.repository.save(result);
  const s = result.summary;
  console.log(`backtest ${result.id}: ${s.bars} bars, ${s.events} events, ${s.convictions} convictions, ${s.orders} orders, ${s.fills} fills in ${(s.wallMs / 1000).toFixed(1)} s`);
  for (const v of result.vaults) {
    console.log(`  ${v.vaultId}: ${v.startEquity} → ${v.endEquity} (${(v.returnPct * 100).toFixed(2)}%), max drawdown ${(v.maxDrawdown * 100).toFixed(2)}%, ${v.trades} fills, fees ${v.fees}`);
  }
  const denials = result.risk.denials.map((d) => `${d.reason} ${d.count}`).join(', ') || 'none';
  console.log(`  risk: denials ${denials}; kill switches ${result.risk.killSwitches.length}; broker errors ${result.risk.brokerErrors}; duplicated orders ${result.risk.duplicateOrders}`);
  for (const r of s.retrains ?? []) {
    const loss = r.validationLogLoss === null ? '' : `, held-out log loss ${r.validationLogLoss.toFixed(4)} (base rate ${r.baselineLogLoss?.toFixed(4)})`;
    console.log(`  retrain at ${new Date(r.at).toISOString()}: ${r.model ?? 'kept the model (too few rows)'} on ${r.rows} rows${loss}`);
  }
  for (const sc of s.scenarios) console.log(`  scenario ${sc.kind}: ${sc.description}; drawdowns ${sc.drawdowns.map((d) => `${d.vaultId} ${(d.maxDrawdown * 100).toFixed(2)}%`).join(', ')}`);
  console.log(`  report: ${reportPath}${ports.repository && !values['no-store'] ? '; stored (query `backtest(id)`)' : ''}`);
  return 0;
}
