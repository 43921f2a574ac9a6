/**
 * Sections "dedup-memory" and "dedup-redis": exact de-duplication as the dedup stage does it, batch by
 * batch (500 signals by default, the stage's `maxBatch`): `contentHash` of each signal, then one
 * `claimMany` on the content index. What the stage does after (normalising, publishing) is not included.
 *
 * The stream (streams.ts) has a known share of exact repeats. Each pass runs the whole stream through a
 * fresh, empty index (a new key prefix in Redis), so every pass finds the same duplicates; passes repeat
 * until the time budget is spent, after one untimed warm-up pass. The time counted is each batch's, from
 * the first hash to the claims' answer (for Redis: the round trip of one pipeline).
 */
import { Redis } from 'ioredis';
import { contentHash } from '../../src/engine/enrich/dedup.js';
import { type ContentIndex, MemoryContentIndex, RedisContentIndex } from '../../src/engine/enrich/content-index.js';
import type { SignalIngested } from '../../src/engine/types.js';
import { uniqueName } from '../../test/services.js';
import { dedupStream, type DedupStream } from './streams.js';
import { Durations, now, secondsToNs, yieldEverySlice } from './timing.js';

export interface DedupSettings {
  readonly seconds: number;
  readonly seed: number;
  readonly signals: number;
  readonly repeatShare: number;
  readonly batch: number;
  readonly redisUrl: string;
}

export interface DedupResult {
  readonly measure: string;
  readonly signals: number;
  readonly repeats: number;
  readonly batch: number;
  readonly passes: number;
  readonly signalsPerSecond: number;
  readonly medianBatchMs: number;
  readonly p99BatchMs: number;
  /** Signals the index answered with an earlier event, in one pass; null when no index was used. */
  readonly duplicatesFound: number | null;
}

export type DedupOutcome = { readonly results: readonly DedupResult[] } | { readonly skipped: string };

function batches(events: readonly SignalIngested[], size: number): SignalIngested[][] {
  const out: SignalIngested[][] = [];
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size));
  return out;
}

/** One pass of the stream through `index` (or hashing only, when null); returns the duplicates found. */
async function pass(chunks: readonly SignalIngested[][], index: ContentIndex | null, durations: Durations | null): Promise<number> {
  let duplicates = 0;
  let mark = now();
  for (const chunk of chunks) {
    const t0 = now();
    const hashes = chunk.map((event) => contentHash(event.payload));
    const firsts = index ? await index.claimMany(chunk.map((event, i) => ({ hash: hashes[i]!, eventId: event.id }))) : null;
    durations?.push(Number(now() - t0));
    if (firsts) firsts.forEach((first, i) => void (first !== chunk[i]!.id && duplicates++));
    mark = await yieldEverySlice(mark);
  }
  return duplicates;
}

async function measure(
  label: string,
  stream: DedupStream,
  settings: DedupSettings,
  newIndex: (() => ContentIndex) | null,
  log: (line: string) => void,
): Promise<DedupResult> {
  const chunks = batches(stream.events, settings.batch);
  await pass(chunks, newIndex?.() ?? null, null); // warm-up
  const durations = new Durations();
  const budget = secondsToNs(settings.seconds);
  let passes = 0;
  let duplicatesFound: number | null = null;
  do {
    const found = await pass(chunks, newIndex?.() ?? null, durations);
    if (newIndex && duplicatesFound === null) duplicatesFound = found;
    passes++;
  } while (BigInt(Math.round(durations.totalNs)) < budget);
  const result: DedupResult = {
    measure: label,
    signals: stream.events.length,
    repeats: stream.repeats,
    batch: settings.batch,
    passes,
    signalsPerSecond: (passes * stream.events.length) / (durations.totalNs / 1e9),
    medianBatchMs: durations.percentile(50) / 1e6,
    p99BatchMs: durations.percentile(99) / 1e6,
    duplicatesFound,
  };
  log(`  ${label}: ${Math.round(result.signalsPerSecond).toLocaleString('en-US')} signals/s, ${duplicatesFound ?? '-'} duplicates of ${stream.repeats} repeats`);
  return result;
}

export async function runMemory(settings: DedupSettings, log: (line: string) => void): Promise<DedupOutcome> {
  const stream = dedupStream(settings.seed, settings.signals, settings.repeatShare);
  return {
    results: [
      await measure('contentHash only', stream, settings, null, log),
      await measure('contentHash + MemoryContentIndex.claimMany', stream, settings, () => new MemoryContentIndex(), log),
    ],
  };
}

/** Deletes every key under `prefix`, a SCAN page at a time. */
async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

export async function runRedis(settings: DedupSettings, log: (line: string) => void): Promise<DedupOutcome> {
  const redis = new Redis(settings.redisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {}); // a refused connection is reported below, once
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    return { skipped: `Redis not reachable at ${settings.redisUrl} (${error instanceof Error ? error.message : String(error)})` };
  }
  const base = `${uniqueName('vanta_bench_ingest')}:`;
  let n = 0;
  try {
    const stream = dedupStream(settings.seed, settings.signals, settings.repeatShare);
    const result = await measure('contentHash + RedisContentIndex.claimMany', stream, settings, () => new RedisContentIndex(redis, `${base}${n++}:`), log);
    return { results: [result] };
  } finally {
    await deleteKeysUnder(redis, base);
    await redis.quit();
  }
}
