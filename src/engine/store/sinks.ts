/**
 * The stages that persist what the pipeline produces. Inserts are idempotent by event id. Both take their
 * events in batches (one multi-row insert for every event waiting), which is what lets storage keep up with
 * the pipeline: the cost of a statement is mostly per statement, not per row.
 */
import { Topics } from '../bus/topics.js';
import type { BatchStage } from '../stage.js';
import type { ConvictionScored, SignalEnriched } from '../types.js';
import type { ConvictionRepository, SignalRepository } from './ports.js';

/** Rows per insert: 14 parameters a row stays far below PostgreSQL's 65,535 parameters a statement. */
export const SINK_MAX_BATCH = 500;

export class SignalSink implements BatchStage<typeof Topics.signalsEnriched> {
  readonly name = 'store-signals';
  readonly input = Topics.signalsEnriched;
  readonly maxBatch = SINK_MAX_BATCH;
  constructor(
    private readonly signals: SignalRepository,
    /** Called after each new signal is stored (latency tracking). */
    private readonly onStored?: (event: SignalEnriched) => void,
  ) {}

  handle(event: SignalEnriched): Promise<void> {
    return this.handleBatch([event]);
  }

  async handleBatch(events: readonly SignalEnriched[]): Promise<void> {
    const written = await this.signals.insertMany(events);
    events.forEach((event, i) => written[i] && this.onStored?.(event));
  }
}

export class ConvictionSink implements BatchStage<typeof Topics.convictions> {
  readonly name = 'store-convictions';
  readonly input = Topics.convictions;
  readonly maxBatch = SINK_MAX_BATCH;
  constructor(
    private readonly convictions: ConvictionRepository,
    /** Called after each new vector is stored (metrics, latency tracking). */
    private readonly onStored?: (event: ConvictionScored) => void,
  ) {}

  handle(event: ConvictionScored): Promise<void> {
    return this.handleBatch([event]);
  }

  async handleBatch(events: readonly ConvictionScored[]): Promise<void> {
    const written = await this.convictions.insertMany(
      events.map((e) => ({ vector: e.payload, causationIds: e.causationIds })),
    );
    events.forEach((event, i) => written[i] && this.onStored?.(event));
  }
}
