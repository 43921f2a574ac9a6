/**
 * Appends every event on every topic to the hash-chained audit log, envelope and all. One stage per topic,
 * all in the consumer group `audit`, so each event is appended once however many processes run.
 */
import type { Topic, TopicEvents } from '../bus/topics.js';
import type { Stage } from '../stage.js';
import type { AuditRepository } from '../store/ports.js';

export class AuditRecorder<T extends Topic> implements Stage<T> {
  readonly name = 'audit';
  constructor(
    readonly input: T,
    private readonly audit: AuditRepository,
  ) {}

  async handle(event: TopicEvents[T]): Promise<void> {
    await this.audit.append(event);
  }
}
