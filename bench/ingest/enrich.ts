/**
 * Section "enrich": `SignalEnricher.annotate` (time alignment, near-duplicate matching by min-hash LSH,
 * bot-swarm scoring) with its default settings, on the simulator's social posts in event order. That
 * stream is retail chatter from templates (so most posts are near-duplicates of an earlier one) with bot
 * swarms of near-identical posts from new accounts planted in it.
 *
 * Each pass starts a fresh enricher (empty windows) and annotates every post once, each call timed on
 * its own; passes repeat until the time budget is spent, after one untimed warm-up pass.
 */
import type { EnrichmentAnnotations, EnrichmentFlag } from '../../src/engine/enrich/annotations.js';
import { SignalEnricher } from '../../src/engine/enrich/enricher.js';
import type { SignalIngested } from '../../src/engine/types.js';
import { isSocialPost, simulatedEvents } from './streams.js';
import { Durations, now, secondsToNs, yieldEverySlice } from './timing.js';

export interface EnrichSettings {
  readonly seconds: number;
  readonly seed: number;
  readonly posts: number;
}

export interface EnrichResult {
  readonly measure: string;
  readonly posts: number;
  readonly passes: number;
  readonly postsPerSecond: number;
  readonly medianUs: number;
  readonly p99Us: number;
  /** Posts flagged, in one pass. */
  readonly nearDuplicates: number;
  readonly botSwarm: number;
  /** The enricher's state at the end of a pass. */
  readonly stateSize: SignalEnricher['stateSize'];
}

async function pass(posts: readonly SignalIngested[], durations: Durations | null): Promise<{ flags: EnrichmentAnnotations['flags'][]; enricher: SignalEnricher }> {
  const enricher = new SignalEnricher();
  const flags: EnrichmentAnnotations['flags'][] = [];
  let mark = now();
  for (const post of posts) {
    const t0 = now();
    const annotations = enricher.annotate(post, post.id);
    durations?.push(Number(now() - t0));
    flags.push(annotations.flags);
    mark = await yieldEverySlice(mark);
  }
  return { flags, enricher };
}

export async function run(settings: EnrichSettings, log: (line: string) => void): Promise<EnrichResult> {
  const posts = simulatedEvents(settings.seed, settings.posts, isSocialPost);
  const warm = await pass(posts, null);
  const durations = new Durations();
  const budget = secondsToNs(settings.seconds);
  let passes = 0;
  do {
    await pass(posts, durations);
    passes++;
  } while (BigInt(Math.round(durations.totalNs)) < budget);
  const count = (flag: EnrichmentFlag) => warm.flags.filter((f) => f.includes(flag)).length;
  const result: EnrichResult = {
    measure: 'SignalEnricher.annotate',
    posts: posts.length,
    passes,
    postsPerSecond: (passes * posts.length) / (durations.totalNs / 1e9),
    medianUs: durations.percentile(50) / 1e3,
    p99Us: durations.percentile(99) / 1e3,
    nearDuplicates: count('near_duplicate'),
    botSwarm: count('bot_swarm'),
    stateSize: warm.enricher.stateSize,
  };
  log(`  ${result.measure}: ${Math.round(result.postsPerSecond).toLocaleString('en-US')} posts/s, median ${result.medianUs.toFixed(1)} µs`);
  return result;
}
