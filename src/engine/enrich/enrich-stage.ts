/**
 * The enrichment stage: takes de-duplicated signals, adds flags, weight and evidence (enricher.ts), and
 * publishes the result as `SignalEnriched` on `signals.enriched`.
 *
 *   signals.raw ─► DedupStage ─► signals.deduplicated ─► EnrichStage ─► signals.enriched
 *
 * A stage of its own, rather than a step inside `DedupStage`, because the two scale differently: exact
 * de-duplication is stateless per event (its content index can live in Redis), so any number of consumers
 * can share it; enrichment keeps windows per instrument, so one consumer (or one per instrument
 * partition) must see an instrument's signals in order.
 *
 * Lineage: the enriched event's only cause is the de-duplicated event, whose only cause is the raw
 * signal. Its id is derived from its input's id alone (`enrichedIdOfDeduplicated`), so a redelivery
 * gives the same id, which downstream drops as a repeat.
 */
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { Stage } from '../stage.js';
import type { EnrichedSignal, SignalDeduplicated, SignalEnriched } from '../types.js';
import { SignalEnricher } from './enricher.js';

/** The id of the `SignalEnriched` event derived from a de-duplicated signal event. */
export const enrichedIdOfDeduplicated = (deduplicatedEventId: string): string => eventId('enr', deduplicatedEventId);

export class EnrichStage implements Stage<typeof Topics.signalsDeduplicated> {
  readonly name = 'enrich-annotate';
  readonly input = Topics.signalsDeduplicated;

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly enricher: SignalEnricher = new SignalEnricher(),
  ) {}

  async handle(event: SignalDeduplicated): Promise<void> {
    await this.bus.publish(Topics.signalsEnriched, this.enrich(event));
  }

  /** The event `handle` publishes (no side effect besides the enricher's windows). */
  enrich(event: SignalDeduplicated): SignalEnriched {
    const id = enrichedIdOfDeduplicated(event.id);
    const signal = event.payload;
    const annotations = this.enricher.annotate(event, id);
    // Spread, not picked field by field: whatever earlier stages add to the signal flows on with it.
    const payload: EnrichedSignal = { ...signal, ...annotations };
    return {
      id,
      type: 'SignalEnriched',
      tsEvent: event.tsEvent,
      tsInit: this.clock.now(),
      causationIds: [event.id],
      payload,
    };
  }
}
