/**
 * A stage: one job, one input topic, typed output events published on the bus. Stages never call each
 * other; the runner subscribes each to its topic under a consumer group named after the stage.
 */
import type { Bus, Subscription } from './bus/bus.js';
import { idempotent, idempotentBatch } from './bus/idempotent.js';
import type { Topic, TopicEvents } from './bus/topics.js';

export interface Stage<In extends Topic> {
  /** Also the consumer group name: stable across restarts. */
  readonly name: string;
  readonly input: In;
  handle(event: TopicEvents[In]): Promise<void>;
}

/**
 * A stage whose work costs less per event in bulk (one transaction, one multi-row insert): the bus hands it
 * every event waiting, up to `maxBatch`, in one call (see `Bus.subscribeBatch`).
 */
export interface BatchStage<In extends Topic> extends Stage<In> {
  readonly maxBatch: number;
  /** Handles the events in order. If it throws, the bus hands each event over again on its own. */
  handleBatch(events: readonly TopicEvents[In][]): Promise<void>;
}

export interface RunOptions {
  /** Event ids remembered to drop redeliveries; the store's own idempotent inserts back this up. */
  readonly seenCapacity?: number;
  readonly from?: 'earliest' | 'latest';
}

function isBatchStage<In extends Topic>(stage: Stage<In>): stage is BatchStage<In> {
  return typeof (stage as Partial<BatchStage<In>>).handleBatch === 'function';
}

/** Subscribes a stage to its input topic. Redelivered events (same id) are handled once. */
export function runStage<In extends Topic>(bus: Bus, stage: Stage<In>, options: RunOptions = {}): Subscription {
  const memory = { capacity: options.seenCapacity ?? 100_000 };
  const subscribe = { group: stage.name, from: options.from ?? 'earliest' } as const;
  if (isBatchStage(stage)) {
    const handler = idempotentBatch<In>((events) => stage.handleBatch(events), memory);
    return bus.subscribeBatch(stage.input, handler, { ...subscribe, maxBatch: stage.maxBatch });
  }
  return bus.subscribe(stage.input, idempotent<In>((event) => stage.handle(event), memory), subscribe);
}
