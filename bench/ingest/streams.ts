/**
 * Signal streams built from the simulator (`SimulatorCore`, the same generator `bench:pipeline` publishes):
 * deterministic for a seed, built before any clock starts.
 */
import { SimulatorCore } from '../../src/engine/collectors/simulator/core.js';
import { contentHash } from '../../src/engine/enrich/dedup.js';
import { Random } from '../../src/engine/random.js';
import type { SignalIngested } from '../../src/engine/types.js';

/** Start of the simulated timeline (as in bench:pipeline), so every run sees the same signals. */
const START_MS = Date.UTC(2024, 0, 2, 14, 30);

/** Simulator events, bar after bar, until `filter` has accepted `count` of them. */
export function simulatedEvents(seed: number, count: number, filter: (e: SignalIngested) => boolean = () => true): SignalIngested[] {
  const sim = new SimulatorCore({ seed });
  let ts = START_MS;
  const out: SignalIngested[] = [];
  while (out.length < count) {
    for (const e of sim.step((ts += sim.barMs))) if (filter(e) && out.length < count) out.push(e);
  }
  return out;
}

export const isSocialPost = (e: SignalIngested): boolean => e.payload.kind === 'social_mention';

export interface DedupStream {
  readonly events: readonly SignalIngested[];
  /** Events whose content was already in the stream: what a perfect de-duplication drops. */
  readonly repeats: number;
}

/**
 * `length` signals of which a share `repeatShare` are exact repeats: the same content as a signal earlier in
 * the stream (one of the last 10,000), arriving as a new event, as when a document is fetched twice or one
 * post arrives through two feeds. The others are distinct simulator events (all kinds: bars, posts, news,
 * filings, transfers).
 */
export function dedupStream(seed: number, length: number, repeatShare: number): DedupStream {
  const rng = new Random(seed).fork('dedup-stream');
  const fresh = simulatedEvents(seed, length);
  const events: SignalIngested[] = [];
  const seen = new Set<string>();
  let repeats = 0;
  let next = 0;
  while (events.length < length) {
    let event: SignalIngested;
    if (events.length > 0 && rng.chance(repeatShare)) {
      const earlier = events[events.length - 1 - rng.int(0, Math.min(events.length, 10_000) - 1)]!;
      event = { ...earlier, id: `${earlier.id}_again${events.length}` };
    } else {
      event = fresh[next++]!;
    }
    // Counted from the content itself, so that a repeat the simulator makes on its own counts too.
    const hash = contentHash(event.payload);
    if (seen.has(hash)) repeats++;
    else seen.add(hash);
    events.push(event);
  }
  return { events, repeats };
}
