/**
 * `npm run bench:pipeline`: sustained signals per second through the real pipeline (bus → dedup → z-score →
 * scorer → store, every event appended to the audit chain), and ingest→conviction latency, embedded
 * (in-memory bus, PGlite) and on PostgreSQL with Redis Streams.
 *
 *   npm run bench:pipeline -- --mode embedded|postgres|both --rate 5000 --seconds 20
 *                             [--no-search] [--search-seconds 10] [--warmup-bars 25] [--seed 42]
 *
 * For each mode: one trial at `--rate` for `--seconds`, then (unless `--no-search`) a step search for the
 * highest rate the mode sustains. See bench/README.md for what is measured and how to read it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, machineLine } from './pipeline/machine.js';
import { markdownTable, writeResults } from './pipeline/report.js';
import { searchSustainedRate } from './pipeline/search.js';
import { runTrial, type TrialResult, type TrialSettings } from './pipeline/trial.js';
import type { Mode } from './pipeline/deployments.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'both' },
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '20' },
    'no-search': { type: 'boolean', default: false },
    'search-seconds': { type: 'string', default: '10' },
    'search-from': { type: 'string' },
    'search-max': { type: 'string', default: '80000' },
    'warmup-bars': { type: 'string', default: '25' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: path.join('bench', 'results') },
  },
});

function positive(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${JSON.stringify(text)}`);
  return n;
}

const modes: Mode[] =
  values.mode === 'both' ? ['embedded', 'postgres'] : values.mode === 'embedded' || values.mode === 'postgres' ? [values.mode] : [];
if (modes.length === 0) throw new Error(`--mode must be embedded, postgres or both, got ${JSON.stringify(values.mode)}`);
const rate = positive('rate', values.rate);
const seconds = positive('seconds', values.seconds);
const searchSeconds = positive('search-seconds', values['search-seconds']);
const base = { warmupBars: positive('warmup-bars', values['warmup-bars']), seed: Number(values.seed) || 0 };
const settings = (mode: Mode, r: number, s: number): TrialSettings => ({
  mode,
  rate: r,
  seconds: s,
  ...base,
  drainCapSeconds: Math.max(10, s / 2),
});

const machine = describeMachine();
console.log(`machine: ${machineLine(machine)}`);
const args = process.argv.slice(2).join(' ');
console.log(`command: npm run bench:pipeline${args ? ` -- ${args}` : ''}`);

const rows: (TrialResult & { label: string })[] = [];
const summary: { mode: Mode; highestSustainedRate: number | null }[] = [];
const show = (label: string) => (r: TrialResult) => {
  rows.push({ ...r, label });
  const p = r.ingestToConviction;
  console.log(
    `  ${r.mode} ${label} @ ${r.targetRate}/s: achieved ${Math.round(r.achievedRate)}/s, backlog ${r.backlogAtEnd}, ` +
      `${r.sustained ? 'kept up' : 'fell behind'}; ingest→conviction p50 ${p?.p50.toFixed(1) ?? '-'} ms, p99 ${p?.p99.toFixed(1) ?? '-'} ms`,
  );
};

for (const mode of modes) {
  console.log(`\n${mode}: ${rate}/s for ${seconds} s`);
  show('at target')(await runTrial(settings(mode, rate, seconds)));
  if (!values['no-search']) {
    console.log(`${mode}: searching for the highest sustained rate (${searchSeconds} s per step)`);
    const outcome = await searchSustainedRate(
      (r) => runTrial(settings(mode, r, searchSeconds)),
      { from: Number(values['search-from'] ?? rate), min: 50, max: positive('search-max', values['search-max']), precision: 1.1 },
      show('search'),
    );
    summary.push({ mode, highestSustainedRate: outcome.best?.targetRate ?? null });
  }
}

console.log(`\n## Pipeline benchmark\n\nmachine: ${machineLine(machine)}\n`);
console.log(markdownTable(rows));
for (const s of summary) console.log(`\n${s.mode}: highest sustained rate ${s.highestSustainedRate ?? 'none found'} signals/s`);
const file = writeResults(values.out, 'pipeline', { machine, argv: process.argv.slice(2), summary, trials: rows });
console.log(`\nraw results: ${file}`);
