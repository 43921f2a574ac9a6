/**
 * Exact de-duplication by content hash, and normalization of each signal's direction and size.
 *
 * Input: `SignalIngested` on `signals.raw`. Output: `SignalEnriched` on `signals.enriched` for content seen
 * for the first time, `SignalDuplicateDropped` on `signals.duplicate` for a repeat. The hash covers what
 * the document says (source, kind, instrument, external id, body), not when it was fetched, so the same
 * filing fetched twice, or a post seen through two feeds with the same id, is one signal.
 */
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { canonicalJson, eventId, sha256Hex } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { Stage } from '../stage.js';
import type { RawSignal, SignalDuplicateDropped, SignalEnriched, SignalIngested } from '../types.js';
import type { ContentIndex } from './content-index.js';
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

/** The id of the `SignalEnriched` event derived from a raw signal event. */
export const enrichedIdOf = (rawEventId: string): string => eventId('enr', rawEventId);

export class DedupStage implements Stage<typeof Topics.signalsRaw> {
  readonly name = 'enrich-dedup';
  readonly input = Topics.signalsRaw;

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly index: ContentIndex,
  ) {}

  async handle(event: SignalIngested): Promise<void> {
    const raw = event.payload;
    const hash = contentHash(raw);
    const id = enrichedIdOf(event.id);
    const first = await this.index.claim(hash, id);

    if (first !== id) {
      const dropped: SignalDuplicateDropped = {
        id: eventId('dup', event.id),
        type: 'SignalDuplicateDropped',
        tsEvent: event.tsEvent,
        tsInit: this.clock.now(),
        causationIds: [event.id],
        payload: { contentHash: hash, firstEventId: first },
      };
      await this.bus.publish(Topics.signalsDuplicate, dropped);
      return;
    }

    const { polarity, magnitude } = normalize(raw);
    const enriched: SignalEnriched = {
      id,
      type: 'SignalEnriched',
      tsEvent: event.tsEvent,
      tsInit: this.clock.now(),
      causationIds: [event.id],
      payload: { ...raw, contentHash: hash, polarity, magnitude },
    };
    await this.bus.publish(Topics.signalsEnriched, enriched);
  }
}
