/**
 * A stage: one job, one input topic, typed output events published on the bus. Stages never call each
 * other; the runner subscribes each to its topic under a consumer group named after the stage.
 */
import type { Bus, Subscription } from './bus/bus.js';
import { idempotent } from './bus/idempotent.js';
import type { Topic, TopicEvents } from './bus/topics.js';

export interface Stage<In extends Topic> {
  /** Also the consumer group name: stable across restarts. */
  readonly name: string;
  readonly input: In;
  handle(event: TopicEvents[In]): Promise<void>;
}

export interface RunOptions {
  /** Event ids remembered to drop redeliveries; the store's own idempotent inserts back this up. */
  readonly seenCapacity?: number;
  readonly from?: 'earliest' | 'latest';
}

/** Subscribes a stage to its input topic. Redelivered events (same id) are handled once. */
export function runStage<In extends Topic>(bus: Bus, stage: Stage<In>, options: RunOptions = {}): Subscription {
  const handler = idempotent<In>((event) => stage.handle(event), { capacity: options.seenCapacity ?? 100_000 });
  return bus.subscribe(stage.input, handler, { group: stage.name, from: options.from ?? 'earliest' });
}
