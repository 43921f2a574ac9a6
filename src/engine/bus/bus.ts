/**
 * The bus: topics carry immutable events from one stage to the next.
 *
 * Delivery is at least once. A subscription belongs to a consumer group: each group sees every event
 * of the topic, and inside a group each event goes to one consumer. An event is acknowledged only after
 * its handler resolves; a handler that throws leaves it pending for redelivery. Handlers must therefore
 * be idempotent by event id (wrap them with `idempotent()` from `./idempotent.js`).
 *
 * Implementations: `MemoryBus` (memory.ts, one process) and `RedisStreamsBus` (redis-streams.ts, consumer
 * groups shared by several processes). Both run the contract suite in bus.contract.ts.
 */
import type { Topic, TopicEvents } from './topics.js';

export type Handler<T extends Topic> = (event: TopicEvents[T]) => Promise<void>;
/** Handles several events of one topic at once, in order; they are acknowledged together when it resolves. */
export type BatchHandler<T extends Topic> = (events: readonly TopicEvents[T][]) => Promise<void>;

export interface SubscribeOptions {
  /** Consumer group; usually the stage's name. */
  readonly group: string;
  /** Consumer name inside the group; defaults to one per process. */
  readonly consumer?: string;
  /**
   * Where a new group starts: `earliest` replays what the topic still holds, `latest` sees only new events.
   * Defaults to `earliest`.
   */
  readonly from?: 'earliest' | 'latest';
}

export interface BatchSubscribeOptions extends SubscribeOptions {
  /** The most events handed to the handler at once. */
  readonly maxBatch: number;
}

export interface Subscription {
  /** Stop taking new events; resolves when the handler in flight has finished. */
  close(): Promise<void>;
}

export interface TopicLag {
  readonly topic: Topic;
  readonly group: string;
  /** Events published but not yet acknowledged by the group. */
  readonly pending: number;
}

export interface Bus {
  readonly kind: 'memory' | 'redis';
  publish<T extends Topic>(topic: T, event: TopicEvents[T]): Promise<void>;
  /** Publishes the events in order, as many `publish` calls would, in one round trip where the bus can. */
  publishMany<T extends Topic>(topic: T, events: readonly TopicEvents[T][]): Promise<void>;
  subscribe<T extends Topic>(topic: T, handler: Handler<T>, options: SubscribeOptions): Subscription;
  /**
   * Like `subscribe`, for handlers that do per-call work worth sharing (one transaction, one multi-row insert):
   * the handler gets, in order, every event of the group that is waiting (up to `maxBatch`). It never waits for
   * a batch to fill, so a lone event goes alone and costs no latency. A batch whose handler throws is split:
   * its events are redelivered one at a time, each with its own retries and dead letter, so one bad event
   * neither holds back nor dead-letters the others.
   */
  subscribeBatch<T extends Topic>(topic: T, handler: BatchHandler<T>, options: BatchSubscribeOptions): Subscription;
  /** Resolves once every event published so far has been handled by every subscribed group. */
  drain(timeoutMs?: number): Promise<void>;
  /** Per topic and group: how far behind the consumers are. */
  lag(): Promise<readonly TopicLag[]>;
  close(): Promise<void>;
}

/**
 * - `BUS_ERROR`: anything else (a Redis command failed, ...).
 * - `BUS_CLOSED`: the bus (or subscription) was used after `close()`.
 * - `BUS_DRAIN_TIMEOUT`: `drain()` gave up before every group caught up.
 * - `BUS_MALFORMED_EVENT`: a stream entry that is not an event (dead-lettered with its raw text).
 * - `BUS_MAX_ATTEMPTS`: an event was delivered too many times without being acknowledged.
 */
export type BusErrorCode = 'BUS_ERROR' | 'BUS_CLOSED' | 'BUS_DRAIN_TIMEOUT' | 'BUS_MALFORMED_EVENT' | 'BUS_MAX_ATTEMPTS';

export class BusError extends Error {
  readonly code: BusErrorCode;
  constructor(message: string, options?: { cause?: unknown; code?: BusErrorCode }) {
    super(message, options);
    this.name = 'BusError';
    this.code = options?.code ?? 'BUS_ERROR';
  }
}
