/**
 * Exact de-duplication by content hash, and normalization of each signal's direction and size.
 *
 * Input: `SignalIngested` on `signals.raw`. Output: `SignalDeduplicated` on `signals.deduplicated` for content
 * seen for the first time, `SignalDuplicateDropped` on `signals.duplicate` for a repeat. The hash covers what
 * the document says (source, kind, instrument, external id, body), not when it was fetched, so the same
 * filing fetched twice, or a post seen through two feeds with the same id, is one signal.
 */
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { canonicalJson, eventId, sha256Hex } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { BatchStage } from '../stage.js';
import type { RawSignal, SignalDeduplicated, SignalDuplicateDropped, SignalIngested } from '../types.js';
import type { ContentIndex } from './content-index.js';
import { enrichedIdOfDeduplicated } from './enrich-stage.js';
import { normalize } from './normalize.js';

export function contentHash(signal: RawSignal): string {
  return sha256Hex(
    canonicalJson({
      source: signal.source,
      kind: signal.kind,
      instrument: signal.instrument,
      externalId: signal.externalId,
      body: signal.body,
    }),
  );
}

/** The id of the `SignalDeduplicated` event derived from a raw signal event. */
export const deduplicatedIdOf = (rawEventId: string): string => eventId('ddp', rawEventId);

/**
 * The id of the `SignalEnriched` event a raw signal becomes, two stages on. The content index records it as the
 * first holder of a content hash, so that a duplicate points at the signal that is stored.
 */
export const enrichedIdOf = (rawEventId: string): string => enrichedIdOfDeduplicated(deduplicatedIdOf(rawEventId));

export class DedupStage implements BatchStage<typeof Topics.signalsRaw> {
  readonly name = 'enrich-dedup';
  readonly input = Topics.signalsRaw;
  /**
   * Signals are taken in batches so that, on Redis, a batch's claims on the content index and its outputs go
   * out in one pipeline each rather than one round trip after another per signal.
   */
  readonly maxBatch = 500;

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly index: ContentIndex,
  ) {}

  handle(event: SignalIngested): Promise<void> {
    return this.handleBatch([event]);
  }

  /**
   * Claims every signal's content hash, in order (so the first of two equal signals in one batch wins), then
   * publishes the outputs in the same order. Safe to run again on a batch: a claim made before returns the same
   * first event, and the outputs have the same ids.
   */
  async handleBatch(events: readonly SignalIngested[]): Promise<void> {
    const hashes = events.map((event) => contentHash(event.payload));
    const firsts = await this.index.claimMany(events.map((event, i) => ({ hash: hashes[i]!, eventId: enrichedIdOf(event.id) })));
    const firstSeen: SignalDeduplicated[] = [];
    const duplicates: SignalDuplicateDropped[] = [];
    events.forEach((event, i) => {
      if (firsts[i] === enrichedIdOf(event.id)) firstSeen.push(this.#deduplicated(event, hashes[i]!));
      else duplicates.push(this.#dropped(event, hashes[i]!, firsts[i]!));
    });
    await Promise.all([
      this.bus.publishMany(Topics.signalsDeduplicated, firstSeen),
      this.bus.publishMany(Topics.signalsDuplicate, duplicates),
    ]);
  }

  #deduplicated(event: SignalIngested, hash: string): SignalDeduplicated {
    const { polarity, magnitude } = normalize(event.payload);
    return {
      id: deduplicatedIdOf(event.id),
      type: 'SignalDeduplicated',
      tsEvent: event.tsEvent,
      tsInit: this.clock.now(),
      causationIds: [event.id],
      payload: { ...event.payload, contentHash: hash, polarity, magnitude },
    };
  }

  #dropped(event: SignalIngested, hash: string, first: string): SignalDuplicateDropped {
    return {
      id: eventId('dup', event.id),
      type: 'SignalDuplicateDropped',
      tsEvent: event.tsEvent,
      tsInit: this.clock.now(),
      causationIds: [event.id],
      payload: { contentHash: hash, firstEventId: first },
    };
  }
}
