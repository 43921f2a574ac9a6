/**
 * The intake stage: an intent event from the allocator is persisted in the autotrade queue, and that is all;
 * the executor takes it from there. Keeping the two apart is what lets an intent survive a crash between
 * the allocator's decision and the order: once the bus has handed the event over and the queue holds it, it
 * will be processed. Enqueueing is idempotent on the client order id, so a redelivered event is one entry.
 */
import type { Clock } from '../clock.js';
import type { EventEnvelope } from '../types.js';
import type { OrderIntent } from './broker.js';
import type { AutotradeQueue, QueuedIntent } from './queue.js';

export class IntentIntake {
  readonly name = 'execution-intake';

  constructor(
    private readonly queue: AutotradeQueue,
    private readonly clock: Clock,
  ) {}

  /** The entry's causes are the intent event and its own causes (the conviction, the allocation). */
  handle(event: EventEnvelope<string, OrderIntent>): Promise<QueuedIntent> {
    const causes = [event.id, ...event.causationIds.filter((id) => id !== event.id)];
    return this.queue.enqueue(event.payload, { causationIds: causes, now: this.clock.now() });
  }
}
