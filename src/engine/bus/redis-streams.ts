/**
 * The bus over Redis Streams, for running stages in several processes and hosts.
 *
 * One stream per topic (`<prefix><topic>`), one Redis consumer group per subscription group: every group
 * sees every event, and the consumers of a group share its events. An event is one entry whose field `e`
 * holds the event's JSON, added with `XADD key MAXLEN ~ maxLen * e <json>` (approximate trimming keeps
 * each stream near `maxLen` entries, whether or not every group has read them).
 *
 * Each subscription reads on its own connection (see redis-consumer.ts for the read loop, retries, claims
 * and dead letters). Publishing and group creation share the bus's main connection, so a group created
 * `latest` by `subscribe()` sees exactly the events published after that call.
 *
 * Reconnection is ioredis's: commands wait in its offline queue while Redis is away. When the bus builds
 * its client from a URL it sets `maxRetriesPerRequest: null`, so `publish()` waits for Redis to come back
 * rather than failing after twenty reconnection attempts; a client passed in keeps its own settings (give
 * it `maxRetriesPerRequest: null` too).
 */
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { BatchHandler, BatchSubscribeOptions, Bus, Handler, SubscribeOptions, Subscription, TopicLag } from './bus.js';
import { BusError } from './bus.js';
import type { BusErrorContext, BusRetryOptions } from './dead-letter.js';
import { DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_MAX_ATTEMPTS, deadLetter, errorMessage, settlesWithin, sleep } from './dead-letter.js';
import { EVENT_FIELD, RedisConsumer } from './redis-consumer.js';
import { type GroupInfo, compareIds, isNoGroup, isNoSuchKey, parseGroups, parseLastGeneratedId } from './redis-replies.js';
import { ALL_TOPICS, Topics, type Topic, type TopicEvents } from './topics.js';
import type { VantaEvent } from '../types.js';

export interface RedisStreamsBusOptions extends BusRetryOptions {
  /**
   * The publishing connection: a `redis://` URL (the bus builds the client and closes it), a factory (the
   * bus calls it once and closes the client), or a client the caller owns (and closes after the bus).
   * Each subscription reads on a `duplicate()` of it, which the bus always owns.
   */
  readonly redis: string | Redis | (() => Redis);
  /** Stream key prefix: lets several deployments (or test suites) share one Redis. Default `vanta:`. */
  readonly prefix?: string;
  /** Approximate stream length kept (`MAXLEN ~`). Default 100_000. */
  readonly maxLen?: number;
  /** How long one XREADGROUP waits for new entries. Default 1_000 ms. */
  readonly blockMs?: number;
  /** Entries read (and claimed) per call. Default 100. */
  readonly batch?: number;
  /** Entries pending this long under another consumer are taken over (XAUTOCLAIM). Default 30_000 ms. */
  readonly claimIdleMs?: number;
  /** How often a consumer looks for such entries. Default half of `claimIdleMs`, at most 10 s. */
  readonly claimIntervalMs?: number;
  /** Consumer name when a subscription names none. Default `${hostname}-${pid}`. */
  readonly consumer?: string;
  /** Consumers idle this long with nothing pending are removed from their group. Default 1 hour. */
  readonly staleConsumerMs?: number;
  /** How often `drain()` looks at the groups. Default 20 ms. */
  readonly drainPollMs?: number;
}

const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

interface Active {
  readonly topic: Topic;
  readonly group: string;
  readonly name: string;
  readonly consumer: RedisConsumer;
}

export class RedisStreamsBus implements Bus {
  readonly kind = 'redis' as const;
  readonly prefix: string;
  readonly #main: Redis;
  readonly #ownsMain: boolean;
  readonly #opts: Required<Omit<RedisStreamsBusOptions, 'redis' | 'clock' | 'onError'>>;
  readonly #now: () => number;
  readonly #onError: ((error: unknown, context: BusErrorContext) => void) | undefined;
  readonly #active = new Set<Active>();
  #closed = false;

  constructor(options: RedisStreamsBusOptions) {
    const { redis } = options;
    this.#main =
      typeof redis === 'string' ? new Redis(redis, { maxRetriesPerRequest: null }) : typeof redis === 'function' ? redis() : redis;
    this.#ownsMain = typeof redis === 'string' || typeof redis === 'function';
    this.#onError = options.onError;
    this.#main.on('error', (err: unknown) => this.#report(err, { operation: 'connection' }));
    const clock = options.clock;
    this.#now = clock ? () => clock.now() : Date.now;
    const claimIdleMs = options.claimIdleMs ?? 30_000;
    this.#opts = {
      prefix: options.prefix ?? 'vanta:',
      maxLen: options.maxLen ?? 100_000,
      blockMs: options.blockMs ?? 1_000,
      batch: options.batch ?? 100,
      claimIdleMs,
      claimIntervalMs: options.claimIntervalMs ?? Math.min(Math.max(claimIdleMs / 2, 50), 10_000),
      consumer: options.consumer ?? `${hostname()}-${process.pid}`,
      staleConsumerMs: options.staleConsumerMs ?? 3_600_000,
      drainPollMs: options.drainPollMs ?? 20,
      maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      retryDelayMs: Math.max(0, options.retryDelayMs ?? 50),
      closeTimeoutMs: options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
    };
    this.prefix = this.#opts.prefix;
  }

  /** The stream key of a topic. */
  streamKey(topic: Topic): string {
    return `${this.prefix}${topic}`;
  }

  async publish<T extends Topic>(topic: T, event: TopicEvents[T]): Promise<void> {
    if (this.#closed) throw new BusError(`cannot publish on ${topic}: the bus is closed`, { code: 'BUS_CLOSED' });
    await this.#xadd(topic, event);
  }

  /** One pipeline of XADDs: one write and one round trip for the lot, in order. */
  async publishMany<T extends Topic>(topic: T, events: readonly TopicEvents[T][]): Promise<void> {
    if (this.#closed) throw new BusError(`cannot publish on ${topic}: the bus is closed`, { code: 'BUS_CLOSED' });
    if (events.length === 0) return;
    const pipeline = this.#main.pipeline();
    for (const event of events) pipeline.xadd(...this.#xaddArgs(topic, event));
    const replies = await pipeline.exec().catch((err: unknown) => {
      throw new BusError(`publish on ${topic} failed: ${errorMessage(err)}`, { cause: err });
    });
    const failed = replies?.find(([err]) => err)?.[0];
    if (failed) throw new BusError(`publish on ${topic} failed: ${errorMessage(failed)}`, { cause: failed });
  }

  subscribe<T extends Topic>(topic: T, handler: Handler<T>, options: SubscribeOptions): Subscription {
    const one = handler as (event: VantaEvent) => Promise<void>;
    return this.#join(topic, (events) => one(events[0]!), { ...options, maxBatch: 1 });
  }

  subscribeBatch<T extends Topic>(topic: T, handler: BatchHandler<T>, options: BatchSubscribeOptions): Subscription {
    return this.#join(topic, handler as (events: readonly VantaEvent[]) => Promise<void>, options);
  }

  #join(
    topic: Topic,
    handler: (events: readonly VantaEvent[]) => Promise<void>,
    options: BatchSubscribeOptions,
  ): Subscription {
    if (this.#closed) throw new BusError(`cannot subscribe to ${topic}: the bus is closed`, { code: 'BUS_CLOSED' });
    const key = this.streamKey(topic);
    const start = options.from === 'latest' ? '$' : '0';
    // Issued now, on the publishing connection: ordered before any publish made after subscribe() returns.
    const groupCreated = this.#main.xgroup('CREATE', key, options.group, start, 'MKSTREAM');
    groupCreated.catch(() => {}); // BUSYGROUP is expected; the consumer handles the rest

    const conn = this.#main.duplicate();
    conn.on('error', (err: unknown) => this.#report(err, { topic, group: options.group, operation: 'connection' }));
    const name = this.#consumerName(topic, options.group, options.consumer ?? this.#opts.consumer);
    const consumer = new RedisConsumer(
      { ...this.#opts, key, topic, group: options.group, consumer: name, start, maxBatch: Math.max(1, Math.trunc(options.maxBatch)) },
      {
        conn,
        groupCreated,
        handler,
        deadLetter: (error, source) => this.#deadLetter(topic, options.group, error, source),
        report: (error, context) => this.#report(error, { topic, group: options.group, ...context }),
      },
    );
    const active: Active = { topic, group: options.group, name, consumer };
    this.#active.add(active);
    return {
      close: async () => {
        this.#active.delete(active);
        await consumer.close();
      },
    };
  }

  /**
   * Waits until every group subscribed on this bus has been handed every entry of its stream and has
   * acknowledged them all (XINFO GROUPS: `pending` 0 and nothing left to deliver).
   */
  async drain(timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS): Promise<void> {
    if (this.#closed) throw new BusError('cannot drain: the bus is closed', { code: 'BUS_CLOSED' });
    const deadline = Date.now() + timeoutMs;
    const timedOut = (why: string) =>
      new BusError(`redis bus did not drain within ${timeoutMs} ms: ${why}`, { code: 'BUS_DRAIN_TIMEOUT' });
    const ready = Promise.all([...this.#active].map((a) => a.consumer.ready));
    if (!(await settlesWithin(ready, timeoutMs))) throw timedOut('consumer groups not created yet');
    for (;;) {
      const behind = await this.#behind();
      if (behind === undefined) return;
      if (Date.now() >= deadline) throw timedOut(behind);
      await sleep(this.#opts.drainPollMs);
      if (this.#closed) throw new BusError('the bus closed while draining', { code: 'BUS_CLOSED' });
    }
  }

  /** Per topic and group (every group on this prefix, not only this process's): pending plus undelivered. */
  async lag(): Promise<readonly TopicLag[]> {
    const out: TopicLag[] = [];
    for (const topic of ALL_TOPICS) {
      const key = this.streamKey(topic);
      for (const g of await this.#groups(key)) {
        const undelivered = g.lag ?? (await this.#countAfter(key, g.lastDeliveredId));
        out.push({ topic, group: g.name, pending: g.pending + undelivered });
      }
    }
    return out;
  }

  /**
   * Stops every subscription (each after the handler in flight, up to `closeTimeoutMs`), then closes the
   * main connection unless the caller passed it in. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const active = [...this.#active];
    this.#active.clear();
    await Promise.all(active.map((a) => a.consumer.close()));
    if (!this.#ownsMain) return;
    // QUIT waits for Redis; if Redis is away, give up on it and drop the connection.
    if (!(await settlesWithin(this.#main.quit(), 1_000))) this.#main.disconnect();
  }

  async #xadd(topic: Topic, event: unknown): Promise<void> {
    try {
      await this.#main.xadd(...this.#xaddArgs(topic, event));
    } catch (err) {
      throw new BusError(`publish on ${topic} failed: ${errorMessage(err)}`, { cause: err });
    }
  }

  #xaddArgs(topic: Topic, event: unknown): [string, 'MAXLEN', '~', number, '*', string, string] {
    return [this.streamKey(topic), 'MAXLEN', '~', this.#opts.maxLen, '*', EVENT_FIELD, JSON.stringify(event)];
  }

  async #deadLetter(topic: Topic, group: string, error: unknown, source: unknown): Promise<void> {
    // Dead letters that keep failing are dropped (and reported), never dead-lettered in a loop.
    if (topic === Topics.deadLetter) return;
    await this.#xadd(Topics.deadLetter, deadLetter(group, error, source, this.#now()));
  }

  /** A description of the first subscribed group still behind, or undefined when all have caught up. */
  async #behind(): Promise<string | undefined> {
    const seen = new Set<string>();
    for (const { topic, group } of this.#active) {
      const key = this.streamKey(topic);
      if (seen.has(`${key}\0${group}`)) continue;
      seen.add(`${key}\0${group}`);
      const g = (await this.#groups(key)).find((x) => x.name === group);
      if (!g) return `group ${group} on ${topic} is missing`;
      if (g.pending > 0) return `group ${group} on ${topic} has ${g.pending} pending`;
      if (g.lag === 0) continue;
      const notYet = `group ${group} on ${topic} has not been handed every entry yet`;
      if (g.lag !== null) return notYet;
      // lag is null when Redis cannot count (entries deleted in between): compare ids instead.
      const lastId = parseLastGeneratedId(await this.#main.xinfo('STREAM', key));
      if (compareIds(g.lastDeliveredId, lastId) < 0) return notYet;
    }
    return undefined;
  }

  async #groups(key: string): Promise<GroupInfo[]> {
    try {
      return parseGroups(await this.#main.xinfo('GROUPS', key));
    } catch (err) {
      if (isNoSuchKey(err) || isNoGroup(err)) return [];
      throw err;
    }
  }

  /** Entries after `id`, counted (up to 10_000) when Redis's own `lag` is unknown. */
  async #countAfter(key: string, id: string): Promise<number> {
    const entries = await this.#main.xrange(key, `(${id}`, '+', 'COUNT', 10_000);
    return entries.length;
  }

  /** Two subscriptions of one process in one group must not share a consumer name (and its pending list). */
  #consumerName(topic: Topic, group: string, base: string): string {
    const taken = new Set([...this.#active].filter((a) => a.topic === topic && a.group === group).map((a) => a.name));
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    return name;
  }

  #report(error: unknown, context: BusErrorContext): void {
    try {
      this.#onError?.(error, context);
    } catch {
      // a failing logger must not stop the bus
    }
  }
}
