/**
 * The API's pub/sub: what the bus bridge publishes and what GraphQL subscriptions iterate.
 *
 * In one process it is an in-memory fan-out; with `redis` set it runs over Redis pub/sub (subscribing
 * through `createRedisEventTarget` from `@graphql-yoga/redis-event-target`), so several API servers see
 * every event whichever of them published it.
 *
 * Why not `createPubSub` from `@graphql-yoga/subscription` as is: its optional repeater buffer is one
 * instance shared by every subscriber, and without one a subscriber that falls 1024 events behind makes
 * the publisher throw (inside an EventTarget listener, where nothing can catch it). Here each subscriber
 * gets its own `SlidingBuffer` (a slow client loses its oldest events, nobody else notices), publishing
 * to Redis is awaited (a failure reaches the bridge, and the bus redelivers), and `close()` ends every
 * subscription so graphql-ws can tell its clients `complete` before the sockets go.
 */
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Repeater, SlidingBuffer } from '@graphql-yoga/subscription';
import type { Redis } from 'ioredis';
import type { PubSub } from 'type-graphql';
import type { CollectorStatus } from '../engine/collectors/status.js';
import type { KillSwitchChanged, OrderEvent } from '../engine/execution/events.js';
import type { DriftEvent } from '../engine/modelops/events.js';
import type { SignalRecord } from '../engine/store/ports.js';
import type { ConvictionVector } from '../engine/types.js';
import type { PersonaDefined, VaultEvent } from '../engine/vaults/events.js';

/** Every subscription topic, named once. */
export enum SubscriptionTopic {
  ConvictionUpdated = 'CONVICTION_UPDATED',
  SignalIngested = 'SIGNAL_INGESTED',
  CollectorStatusChanged = 'COLLECTOR_STATUS_CHANGED',
  OrderUpdated = 'ORDER_UPDATED',
  KillSwitchChanged = 'KILL_SWITCH_CHANGED',
  VaultUpdated = 'VAULT_UPDATED',
  DriftAlarm = 'DRIFT_ALARM',
}

/** A vault's own events: every vault event but a persona definition, which belongs to no vault. */
export type VaultOwnEvent = Exclude<VaultEvent, PersonaDefined>;

/** The payload each topic carries: domain records, JSON-safe (they cross Redis). */
export interface SubscriptionPayloads {
  [SubscriptionTopic.ConvictionUpdated]: ConvictionVector;
  [SubscriptionTopic.SignalIngested]: SignalRecord;
  [SubscriptionTopic.CollectorStatusChanged]: CollectorStatus;
  /** The event only: subscribers that ask for the order load it as it was after the event. */
  [SubscriptionTopic.OrderUpdated]: OrderEvent;
  [SubscriptionTopic.KillSwitchChanged]: KillSwitchChanged;
  [SubscriptionTopic.VaultUpdated]: VaultOwnEvent;
  [SubscriptionTopic.DriftAlarm]: DriftEvent;
}

export interface ApiPubSubOptions {
  /** Two connections: one publishes, one subscribes (a subscribed Redis connection can do nothing else). */
  readonly redis?: { readonly publish: Redis; readonly subscribe: Redis } | undefined;
  /** Prefix of the Redis channel names, so deployments sharing a Redis stay apart. Default `vanta:api:`. */
  readonly channelPrefix?: string;
  /** Events buffered per subscriber before its oldest are dropped. Default 256. */
  readonly bufferSize?: number;
}

type Listener = (payload: unknown) => void;

interface Transport {
  publish(channel: string, payload: unknown): Promise<void>;
  listen(channel: string, listener: Listener): () => void;
}

function memoryTransport(): Transport {
  const listeners = new Map<string, Set<Listener>>();
  return {
    async publish(channel, payload) {
      for (const listener of [...(listeners.get(channel) ?? [])]) listener(payload);
    },
    listen(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(channel);
      };
    },
  };
}

function redisTransport(redis: { readonly publish: Redis; readonly subscribe: Redis }): Transport {
  const target = createRedisEventTarget<CustomEvent>({ publishClient: redis.publish, subscribeClient: redis.subscribe });
  return {
    async publish(channel, payload) {
      // Same wire format as the event target's own dispatchEvent, but awaited.
      await redis.publish.publish(channel, JSON.stringify(payload));
    },
    listen(channel, listener) {
      const callback = (event: CustomEvent) => listener(event.detail);
      target.addEventListener(channel, callback);
      return () => target.removeEventListener(channel, callback);
    },
  };
}

export class ApiPubSub implements PubSub {
  readonly kind: 'memory' | 'redis';
  readonly #transport: Transport;
  readonly #prefix: string;
  readonly #bufferSize: number;
  readonly #stops = new Set<() => void>();
  #closed = false;

  constructor(options: ApiPubSubOptions = {}) {
    this.kind = options.redis ? 'redis' : 'memory';
    this.#transport = options.redis ? redisTransport(options.redis) : memoryTransport();
    this.#prefix = options.channelPrefix ?? 'vanta:api:';
    this.#bufferSize = Math.max(1, options.bufferSize ?? 256);
  }

  /** Subscribers currently listening in this process. */
  get subscriberCount(): number {
    return this.#stops.size;
  }

  async publish<T extends SubscriptionTopic>(topic: T, payload: SubscriptionPayloads[T]): Promise<void> {
    if (this.#closed) return;
    await this.#transport.publish(this.#prefix + topic, payload);
  }

  /** Every event published on `topic` from now on, until the consumer stops or `close()` is called. */
  subscribe<T extends SubscriptionTopic>(topic: T): Repeater<SubscriptionPayloads[T]> {
    return new Repeater<SubscriptionPayloads[T]>(async (push, stop) => {
      if (this.#closed) {
        stop();
        return;
      }
      const unlisten = this.#transport.listen(this.#prefix + topic, (payload) => {
        push(payload as SubscriptionPayloads[T]).catch(() => undefined);
      });
      this.#stops.add(stop);
      try {
        await stop;
      } finally {
        unlisten();
        this.#stops.delete(stop);
      }
    }, new SlidingBuffer(this.#bufferSize));
  }

  /** Ends every subscription (their consumers see the iteration complete) and refuses new ones. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const stop of [...this.#stops]) stop();
  }
}
