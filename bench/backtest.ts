/**
 * `npm run bench:backtest`: how fast a backtest runs with the full stage stack (de-duplication, enrichment,
 * features, the z-score, graph and trained feature models, the meta stacker, allocation over the bundled vaults,
 * risk, the paper broker, the KPI tracker), and the wall time of a long run.
 *
 *   npm run bench:backtest -- [--short-hours 4] [--long-days 7] [--long-bar 1h] [--seed 42] [--out bench/results]
 *
 * Two runs on the simulator: a short one at 1-minute bars (input events per second, and bus events per second
 * over every topic), and a long one at a coarser bar (wall time for simulated weeks).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { runBacktest } from '../src/engine/backtest/runner.js';
import { SimulatorSource } from '../src/engine/backtest/sources.js';
import { backtestDeps } from '../src/jobs/backtest.js';
import { describeMachine, machineLine } from './pipeline/machine.js';
import { writeResults } from './pipeline/report.js';

const { values } = parseArgs({
  options: {
    'short-hours': { type: 'string', default: '4' },
    'long-days': { type: 'string', default: '7' },
    'long-bar': { type: 'string', default: '1h' },
    seed: { type: 'string', default: '42' },
    bundle: { type: 'string' },
    out: { type: 'string', default: 'bench/results' },
  },
});
const BARS: Record<string, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };
const longBarMs = BARS[values['long-bar']];
if (!longBarMs) throw new Error(`--long-bar must be one of ${Object.keys(BARS).join(', ')}`);
const seed = Number(values.seed);
// `--bundle` scores with another trained ensemble than the shipped one (to compare two).
const config = loadConfig({ env: { LOG_LEVEL: 'silent', ...(values.bundle ? { VANTA_MODEL_BUNDLE: values.bundle } : {}) } });
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const start = Date.UTC(2024, 2, 4, 0, 0);

const machine = describeMachine();
console.log(`machine: ${machineLine(machine)}`);
console.log(`command: npm run bench:backtest -- --short-hours ${values['short-hours']} --long-days ${values['long-days']} --long-bar ${values['long-bar']} --seed ${seed}${values.bundle ? ` --bundle ${values.bundle}` : ''}`);
console.log(`date: ${new Date().toISOString()}`);

async function trial(label: string, barMs: number, spanMs: number) {
  const source = new SimulatorSource(seed, barMs);
  const deps = await backtestDeps(config, source, quiet);
  const t0 = performance.now();
  const run = await runBacktest({ from: start, to: start + spanMs, vaults: 'all', seed, barMs }, deps);
  const seconds = (performance.now() - t0) / 1000;
  const r = run.result;
  const row = {
    label,
    bar: `${barMs / 60_000} min`,
    simulated: `${(spanMs / 3_600_000).toFixed(1)} h`,
    bars: r.summary.bars,
    inputEvents: run.events,
    busEvents: run.busEvents,
    convictions: r.summary.convictions,
    orders: r.summary.orders,
    fills: r.summary.fills,
    wallSeconds: Number(seconds.toFixed(1)),
    inputEventsPerSecond: Math.round(run.events / seconds),
    busEventsPerSecond: Math.round(run.busEvents / seconds),
    simulatedHoursPerWallMinute: Number(((spanMs / 3_600_000) / (seconds / 60)).toFixed(1)),
    heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  };
  console.log(JSON.stringify(row));
  return row;
}

const rows = [
  await trial('short, 1-minute bars', 60_000, Number(values['short-hours']) * 3_600_000),
  await trial(`long, ${values['long-bar']} bars`, longBarMs, Number(values['long-days']) * 86_400_000),
];
console.log('\n| run | bar | simulated | bars | input events | bus events | convictions | orders | fills | wall s | input ev/s | bus ev/s | sim h / wall min |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.label} | ${r.bar} | ${r.simulated} | ${r.bars} | ${r.inputEvents} | ${r.busEvents} | ${r.convictions} | ${r.orders} | ${r.fills} | ${r.wallSeconds} | ${r.inputEventsPerSecond} | ${r.busEventsPerSecond} | ${r.simulatedHoursPerWallMinute} |`);
}
console.log(`results: ${writeResults(values.out, 'backtest', { machine, seed, rows })}`);
