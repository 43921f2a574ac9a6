/**
 * `tsx bench/forecast.ts`: the Gaussian LSTM forecaster against naive baselines, walk-forward, on the two real
 * daily price series in ../shared/fixtures/market (S&P 500 2000–2020, AAPL 2013–2018).
 *
 * The series is the log close; a forecast is the next day's log close (a Gaussian). Walk-forward: the model is
 * fitted on every day before a test block and forecasts each day of the block one step ahead, from the days
 * before it only; then the block joins the training days and the next block is forecast by a model fitted
 * again. The baselines forecast the last value (a random walk): one with the training days' standard
 * deviation of daily returns, one with the last 60 days'. Metrics, over all test days, in percent of log price
 * (≈ percent of price): MAE of the mean, CRPS and negative log-likelihood of the Gaussian, and the share of days
 * inside the central 80% interval.
 *
 *   tsx bench/forecast.ts [--blocks 4] [--epochs 10] [--window 32] [--units 16] [--batch 128] [--series sp500,aapl]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chooseBackend, describeBackend } from '../src/engine/models/tfjs/backend.js';
import { ForecastNetwork, GaussianForecaster } from '../src/engine/models/tfjs/forecaster.js';
import { normalQuantile } from '../src/engine/models/tfjs/gaussian.js';
import { describeMachine, machineLine } from './pipeline/machine.js';

const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '4' },
    epochs: { type: 'string', default: '10' },
    window: { type: 'string', default: '32' },
    units: { type: 'string', default: '16' },
    batch: { type: 'string', default: '128' },
    series: { type: 'string', default: 'sp500,aapl' },
    fixtures: { type: 'string', default: new URL('../../shared/fixtures/market/', import.meta.url).pathname },
  },
});

const FILES: Record<string, { file: string; label: string }> = {
  sp500: { file: 'sp500_daily_2000_2020.csv', label: 'S&P 500 daily, 2000–2020' },
  aapl: { file: 'aapl_daily_2013_2018.csv', label: 'AAPL daily, 2013–2018' },
};

/** Dates and adjusted closes of a Yahoo-style daily CSV (Date,Open,High,Low,Close,Adj Close,Volume). */
function readCloses(path: string): { dates: string[]; closes: number[] } {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const columns = header!.toLowerCase().split(',');
  const close = columns.findIndex((c) => c === 'adj close' || c === 'adjclose');
  const dates: string[] = [];
  const closes: number[] = [];
  for (const line of lines) {
    const cells = line.split(',');
    const v = Number(cells[close]);
    if (!Number.isFinite(v) || v <= 0) continue; // "null" rows in some exports
    dates.push(cells[0]!);
    closes.push(v);
  }
  return { dates, closes };
}

interface Scores {
  n: number;
  abs: number;
  crps: number;
  nll: number;
  inside80: number;
}
const empty = (): Scores => ({ n: 0, abs: 0, crps: 0, nll: 0, inside80: 0 });
const Z80 = normalQuantile(0.9);

function phi(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}
/** The standard normal CDF, through erfc. */
function Phi(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}
function erfc(x: number): number {
  // Chebyshev fit of Numerical Recipes (erfcc): fractional error below 1.2e-7 everywhere.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

function score(s: Scores, actual: number, mean: number, std: number): void {
  const z = (actual - mean) / std;
  s.n++;
  s.abs += Math.abs(actual - mean);
  s.crps += std * (z * (2 * Phi(z) - 1) + 2 * phi(z) - 1 / Math.sqrt(Math.PI));
  s.nll += Math.log(std) + 0.5 * z * z + 0.5 * Math.log(2 * Math.PI);
  if (Math.abs(z) <= Z80) s.inside80++;
}

function std(xs: readonly number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
}

const choice = await chooseBackend();
const machine = describeMachine();
const blocks = Number(values.blocks);
const params = { window: Number(values.window), units: Number(values.units), epochs: Number(values.epochs), batchSize: Number(values.batch), learningRate: 0.01, seed: 7 };
console.log(`machine: ${machineLine(machine)}`);
console.log(`command: tsx bench/forecast.ts --blocks ${blocks} --epochs ${params.epochs} --window ${params.window} --units ${params.units} --batch ${params.batchSize} --series ${values.series}`);
console.log(`date: ${new Date().toISOString()}; TF.js backend: ${describeBackend(choice)}`);

const rows: string[] = [];
for (const key of values.series.split(',')) {
  const spec = FILES[key];
  if (!spec) throw new Error(`unknown series ${JSON.stringify(key)} (known: ${Object.keys(FILES).join(', ')})`);
  const { dates, closes } = readCloses(values.fixtures + spec.file);
  const y = closes.map(Math.log);
  // The first half trains the first model; the second half is cut into `blocks` test blocks.
  const firstTest = Math.floor(y.length / 2);
  const blockLength = Math.ceil((y.length - firstTest) / blocks);
  const results = { model: empty(), rwTrain: empty(), rw60: empty() };
  let fitSeconds = 0;
  let sigmaSum = 0;
  for (let b = 0; b < blocks; b++) {
    const from = firstTest + b * blockLength;
    const to = Math.min(y.length, from + blockLength);
    if (from >= to) break;
    const started = Date.now();
    const model = new GaussianForecaster(params);
    await model.fit(y.slice(0, from));
    fitSeconds += (Date.now() - started) / 1000;
    const network = new ForecastNetwork(model.serialize());
    const width = model.historyLength;
    const input = new Float32Array((to - from) * width);
    for (let t = from; t < to; t++) input.set(y.slice(t - width, t), (t - from) * width);
    // float32 holds a log price to about 1e-7 relative, far below a day's move.
    const out = network.infer(input, to - from, { horizon: 1, levels: [0.5] });
    network.dispose();
    const trainReturns = y.slice(1, from).map((v, i) => v - y[i]!);
    const sigmaTrain = std(trainReturns);
    for (let t = from; t < to; t++) {
      const k = (t - from) * 3;
      const mean = out[k]!;
      const sigma = out[k + 1]!;
      sigmaSum += sigma;
      score(results.model, y[t]!, mean, sigma);
      score(results.rwTrain, y[t]!, y[t - 1]!, sigmaTrain);
      const recent = y.slice(t - 60, t).map((v, i, a) => (i === 0 ? 0 : v - a[i - 1]!)).slice(1);
      score(results.rw60, y[t]!, y[t - 1]!, std(recent));
    }
  }
  const testDays = results.model.n;
  console.log(`${spec.label}: ${y.length} days, test ${dates[firstTest]} .. ${dates.at(-1)} (${testDays} days, ${blocks} refits, ${fitSeconds.toFixed(0)} s fitting), mean model σ ${(100 * sigmaSum / testDays).toFixed(2)}%`);
  for (const [name, s] of [
    ['GaussianForecaster (LSTM)', results.model],
    ['random walk, σ of training days', results.rwTrain],
    ['random walk, σ of last 60 days', results.rw60],
  ] as const) {
    rows.push(`| ${spec.label} | ${name} | ${s.n} | ${((100 * s.abs) / s.n).toFixed(3)} | ${((100 * s.crps) / s.n).toFixed(3)} | ${(s.nll / s.n).toFixed(3)} | ${((100 * s.inside80) / s.n).toFixed(1)}% |`);
  }
}

console.log('');
console.log('| series | forecast | test days | MAE % | CRPS % | NLL (log price) | inside 80% interval |');
console.log('|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
