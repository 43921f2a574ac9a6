/**
 * Section "parsers": each parser case (see documents.ts) on its documents, round-robin, each call timed on
 * its own. First a warm-up of a quarter of the budget (at least 20 rounds), then calls until the budget of
 * call time is spent and the round is complete, so every document of a case is parsed equally often.
 */
import { parserCases, type ParserCase } from './documents.js';
import { Durations, secondsToNs, timeCalls } from './timing.js';

export interface DocumentResult {
  readonly name: string;
  readonly bytes: number;
  readonly synthetic: boolean;
  readonly records: number;
  readonly calls: number;
  readonly docsPerSecond: number;
  readonly mbPerSecond: number;
  readonly medianUs: number;
  readonly p99Us: number;
}

export interface ParserResult {
  readonly module: string;
  readonly call: string;
  readonly recordsLabel: string;
  readonly kind: ParserCase['kind'];
  readonly documents: readonly DocumentResult[];
  /** Over all calls of the case: the fixture documents in turn. */
  readonly totalBytes: number;
  readonly totalRecords: number;
  readonly calls: number;
  readonly docsPerSecond: number;
  readonly mbPerSecond: number;
  readonly medianUs: number;
}

export interface ParserSettings {
  readonly seconds: number;
  readonly seed: number;
}

/** Keeps results reachable, so that no call can be optimised away. */
let sink = 0;

async function measureCase(c: ParserCase, budgetNs: bigint, log: (line: string) => void): Promise<ParserResult> {
  const docs = c.documents;
  const n = docs.length;
  const records = docs.map((d) => d.run());

  let warmupCalls = 0;
  await timeCalls((i) => void (sink += docs[i % n]!.run()), () => void warmupCalls++, budgetNs / 4n, n);
  for (let round = warmupCalls / n; round < 20; round++) for (const d of docs) sink += d.run();

  const perDoc = docs.map(() => new Durations());
  const all = new Durations();
  await timeCalls(
    (i) => void (sink += docs[i % n]!.run()),
    (i, ns) => {
      perDoc[i % n]!.push(ns);
      all.push(ns);
    },
    budgetNs,
    n,
  );

  const documents = docs.map((d, j): DocumentResult => {
    const t = perDoc[j]!;
    const seconds = t.totalNs / 1e9;
    return {
      name: d.name,
      bytes: d.bytes,
      synthetic: d.synthetic,
      records: records[j]!,
      calls: t.count,
      docsPerSecond: t.count / seconds,
      mbPerSecond: (t.count * d.bytes) / 1e6 / seconds,
      medianUs: t.percentile(50) / 1e3,
      p99Us: t.percentile(99) / 1e3,
    };
  });
  const seconds = all.totalNs / 1e9;
  const rounds = all.count / n;
  const totalBytes = docs.reduce((s, d) => s + d.bytes, 0);
  const result: ParserResult = {
    module: c.module,
    call: c.call,
    recordsLabel: c.records,
    kind: c.kind,
    documents,
    totalBytes,
    totalRecords: records.reduce((s, r) => s + r, 0),
    calls: all.count,
    docsPerSecond: all.count / seconds,
    mbPerSecond: (rounds * totalBytes) / 1e6 / seconds,
    medianUs: all.percentile(50) / 1e3,
  };
  log(`  ${c.module} ${c.call}: ${Math.round(result.docsPerSecond).toLocaleString('en-US')} docs/s, ${result.mbPerSecond.toFixed(1)} MB/s, median ${result.medianUs.toFixed(1)} µs`);
  return result;
}

export async function run(settings: ParserSettings, log: (line: string) => void): Promise<ParserResult[]> {
  const cases = parserCases(settings.seed);
  const results: ParserResult[] = [];
  for (const c of cases) results.push(await measureCase(c, secondsToNs(settings.seconds), log));
  if (sink === Number.MIN_SAFE_INTEGER) log('');
  return results;
}
