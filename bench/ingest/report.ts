/** The markdown tables `bench:ingest` prints. */
import type { DedupResult } from './dedup.js';
import type { EnrichResult } from './enrich.js';
import type { MemoryReport } from './memory.js';
import type { ParserResult } from './parsers.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
/** Three significant figures, or the integer when larger. */
const num = (n: number): string => (n >= 100 ? int(n) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const kb = (bytes: number): string => num(bytes / 1024);
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)}%`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const documentsOf = (r: ParserResult): string => {
  const synthetic = r.documents.filter((d) => d.synthetic).length;
  return synthetic === r.documents.length ? `${synthetic} synthetic` : String(r.documents.length);
};

/** One row per parser (or mapping): its documents parsed in turn. A mapping reads no bytes: no MB/s. */
export function parserTable(results: readonly ParserResult[]): string {
  return table(
    ['module', 'call', 'documents', 'KB', 'records', 'docs/s', 'MB/s', 'median µs/doc'],
    results.map((r) => [
      r.module,
      `\`${r.call}\`${r.kind === 'map' ? ' (parsed → drafts)' : ''}`,
      documentsOf(r),
      kb(r.totalBytes),
      `${int(r.totalRecords)} ${r.recordsLabel}`,
      int(r.docsPerSecond),
      r.kind === 'map' ? '–' : num(r.mbPerSecond),
      num(r.medianUs),
    ]),
  );
}

/** One row per document. */
export function documentTable(results: readonly ParserResult[]): string {
  return table(
    ['module', 'call', 'document', 'KB', 'records', 'docs/s', 'MB/s', 'median µs', 'p99 µs'],
    results.flatMap((r) =>
      r.documents.map((d) => [
        r.module,
        `\`${r.call}\``,
        `${d.name}${d.synthetic ? ' (synthetic)' : ''}`,
        kb(d.bytes),
        int(d.records),
        int(d.docsPerSecond),
        r.kind === 'map' ? '–' : num(d.mbPerSecond),
        num(d.medianUs),
        num(d.p99Us),
      ]),
    ),
  );
}

export function dedupTable(results: readonly DedupResult[], skipped: readonly string[]): string {
  const rows = results.map((r) => [
    r.measure,
    int(r.signals),
    `${int(r.repeats)} (${pct(r.repeats, r.signals)})`,
    int(r.batch),
    int(r.passes),
    int(r.signalsPerSecond),
    num(r.medianBatchMs),
    num(r.p99BatchMs),
    r.duplicatesFound === null ? '–' : int(r.duplicatesFound),
  ]);
  const header = ['de-duplication', 'signals', 'exact repeats', 'batch', 'passes', 'signals/s', 'median ms/batch', 'p99 ms/batch', 'duplicates found'];
  return [table(header, rows), ...skipped.map((s) => `\nskipped: ${s}`)].join('\n');
}

export function enrichTable(r: EnrichResult): string {
  return table(
    ['enrichment', 'posts', 'flagged near_duplicate', 'flagged bot_swarm', 'passes', 'posts/s', 'median µs/post', 'p99 µs/post'],
    [[
      `\`${r.measure}\``,
      int(r.posts),
      `${int(r.nearDuplicates)} (${pct(r.nearDuplicates, r.posts)})`,
      `${int(r.botSwarm)} (${pct(r.botSwarm, r.posts)})`,
      int(r.passes),
      int(r.postsPerSecond),
      num(r.medianUs),
      num(r.p99Us),
    ]],
  );
}

export function memoryTable(rows: readonly { readonly section: string; readonly memory: MemoryReport; readonly loadAverage: number }[]): string {
  return table(
    ['section (own process)', 'peak RSS (maxRSS) MiB', 'peak RSS sampled MiB', 'peak heap used MiB', 'samples', 'load at start'],
    rows.map(({ section, memory: m, loadAverage }) => [
      section,
      mib(m.maxRssBytes),
      mib(m.peakRssSampledBytes),
      mib(m.peakHeapUsedBytes),
      int(m.samples),
      loadAverage.toFixed(1),
    ]),
  );
}
