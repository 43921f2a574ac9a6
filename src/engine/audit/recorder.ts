/**
 * Appends every event on every topic to the hash-chained audit log, envelope and all. One stage per topic,
 * all in the consumer group `audit`, so each event is appended once however many processes run.
 *
 * Events come in batches (every event waiting on the topic), appended together: the audit repository writes
 * them, and whatever the other topics' recorders append meanwhile, in as few transactions as it can.
 */
import type { Topic, TopicEvents } from '../bus/topics.js';
import type { BatchStage } from '../stage.js';
import type { AuditRepository } from '../store/ports.js';

/** Events appended per call; the repository bounds its transactions on its own. */
const MAX_BATCH = 500;

export class AuditRecorder<T extends Topic> implements BatchStage<T> {
  readonly name = 'audit';
  readonly maxBatch = MAX_BATCH;
  constructor(
    readonly input: T,
    private readonly audit: AuditRepository,
  ) {}

  async handle(event: TopicEvents[T]): Promise<void> {
    await this.audit.append(event);
  }

  async handleBatch(events: readonly TopicEvents[T][]): Promise<void> {
    await this.audit.appendMany(events);
  }
}
