/**
 * `npm run bench:ingest`: the ingest work before the pipeline, measured on its own, in one process per section.
 *
 * - parsers: documents per second, MB/s and median time per document of every pure parser of
 *   `src/engine/collectors/` on the real documents of `test/fixtures/` (synthetic ones where the fixtures
 *   have none), and of the SEC and chain signal mappings on the parsed documents. Bytes are in memory
 *   before the clock starts; each call is timed on its own (process.hrtime.bigint), after a warm-up.
 * - de-duplication: `contentHash` + `ContentIndex.claimMany` in batches of 500, in memory and in Redis,
 *   on simulator signals of which 20% are exact repeats.
 * - enrichment: `SignalEnricher.annotate` (near-duplicates, bot swarms) on the simulator's social posts.
 * - memory: each section's peak RSS (the kernel's maxRSS, and sampled) and peak V8 heap used, next to a
 *   baseline process that loads nothing of the product, started the same way.
 *
 *   npm run bench:ingest -- [--seconds 1] [--section parsers,enrich] [--signals 50000] [--repeat-share 0.2]
 *                           [--batch 500] [--posts 25000] [--seed 42] [--out bench/results]
 *
 * `--seconds` is the time budget of each measurement (each parser, each index, the enricher); the
 * environment variable BENCH_INGEST_SECONDS sets its default. `REDIS_URL` names the Redis (default
 * redis://127.0.0.1:6379); the Redis rows are skipped, with a line saying so, when it does not answer.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, machineLine } from './pipeline/machine.js';
import { writeResults } from './pipeline/report.js';
import type { DedupOutcome, DedupResult } from './ingest/dedup.js';
import type { EnrichResult } from './ingest/enrich.js';
import type { MemoryReport } from './ingest/memory.js';
import type { ParserResult } from './ingest/parsers.js';
import { dedupTable, documentTable, enrichTable, memoryTable, parserTable } from './ingest/report.js';
import { runSection, SECTION_NAMES, type SectionName, type Settings } from './ingest/sections.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.BENCH_INGEST_SECONDS ?? '1' },
    section: { type: 'string', default: SECTION_NAMES.join(',') },
    signals: { type: 'string', default: '50000' },
    'repeat-share': { type: 'string', default: '0.2' },
    batch: { type: 'string', default: '500' },
    posts: { type: 'string', default: '25000' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: path.join('bench', 'results') },
  },
});

function positive(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${JSON.stringify(text)}`);
  return n;
}

const sections = values.section.split(',').map((s) => s.trim());
for (const s of sections) {
  if (!SECTION_NAMES.includes(s as SectionName)) throw new Error(`--section: unknown section ${JSON.stringify(s)} (known: ${SECTION_NAMES.join(', ')})`);
}
const repeatShare = Number(values['repeat-share']);
if (!(repeatShare >= 0 && repeatShare < 1)) throw new Error(`--repeat-share must be in [0, 1), got ${values['repeat-share']}`);
const settings: Settings = {
  seconds: positive('seconds', values.seconds),
  seed: Number(values.seed) || 0,
  signals: Math.round(positive('signals', values.signals)),
  repeatShare,
  batch: Math.round(positive('batch', values.batch)),
  posts: Math.round(positive('posts', values.posts)),
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

const machine = describeMachine();
console.log(`machine: ${machineLine(machine)}`);
const args = process.argv.slice(2).join(' ');
console.log(`command: npm run bench:ingest${args ? ` -- ${args}` : ''}`);

let parsers: readonly ParserResult[] = [];
const dedup: DedupResult[] = [];
const skipped: string[] = [];
let enrich: EnrichResult | null = null;
const memory: { section: string; memory: MemoryReport; loadAverage: number }[] = [];

for (const section of SECTION_NAMES.filter((s) => sections.includes(s))) {
  const loadAverage = os.loadavg()[0]!;
  console.log(`\n${section} (load average ${loadAverage.toFixed(1)})`);
  const { result, memory: m } = await runSection(section, settings);
  if (section === 'parsers') parsers = result as ParserResult[];
  if (section === 'dedup-memory' || section === 'dedup-redis') {
    const outcome = result as DedupOutcome;
    if ('skipped' in outcome) {
      skipped.push(outcome.skipped);
      console.log(`  skipped: ${outcome.skipped}`);
      continue;
    }
    dedup.push(...outcome.results);
  }
  if (section === 'enrich') enrich = result as EnrichResult;
  memory.push({ section: section === 'baseline' ? 'baseline: node + tsx, no product code, idle 1 s' : section, memory: m, loadAverage });
}

console.log(`\n## Ingest benchmark\n\nmachine: ${machineLine(machine)}`);
console.log(`time budget per measurement: ${settings.seconds} s`);
if (parsers.length) console.log(`\n### Parsers\n\n${parserTable(parsers)}\n\n### Parsers, per document\n\n${documentTable(parsers)}`);
if (dedup.length || skipped.length) console.log(`\n### De-duplication\n\n${dedupTable(dedup, skipped)}`);
if (enrich) console.log(`\n### Enrichment\n\n${enrichTable(enrich)}`);
if (memory.length) console.log(`\n### Peak memory\n\n${memoryTable(memory)}`);
const file = writeResults(values.out, 'ingest', { machine, argv: process.argv.slice(2), settings, parsers, dedup, skipped, enrich, memory });
console.log(`\nraw results: ${file}`);
