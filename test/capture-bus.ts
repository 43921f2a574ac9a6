/**
 * A bus that only records what is published, for unit tests that drive one stage's `handle` directly.
 * Stages wired together are tested on the real buses (memory and Redis) elsewhere.
 */
import type { Bus, Subscription, TopicLag } from '../src/engine/bus/bus.js';
import type { Topic, TopicEvents } from '../src/engine/bus/topics.js';

export class CaptureBus implements Bus {
  readonly kind = 'memory' as const;
  readonly published: { topic: Topic; event: TopicEvents[Topic] }[] = [];

  async publish<T extends Topic>(topic: T, event: TopicEvents[T]): Promise<void> {
    this.published.push({ topic, event });
  }
  async publishMany<T extends Topic>(topic: T, events: readonly TopicEvents[T][]): Promise<void> {
    for (const event of events) this.published.push({ topic, event });
  }
  on<T extends Topic>(topic: T): TopicEvents[T][] {
    return this.published.filter((p) => p.topic === topic).map((p) => p.event as TopicEvents[T]);
  }
  subscribe(): Subscription {
    throw new Error('CaptureBus does not deliver; call the stage directly');
  }
  subscribeBatch(): Subscription {
    return this.subscribe();
  }
  async drain(): Promise<void> {}
  async lag(): Promise<readonly TopicLag[]> {
    return [];
  }
  async close(): Promise<void> {}
}
