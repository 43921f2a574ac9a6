/**
 * Feeds the API's pub/sub from the bus. It subscribes with the consumer group `api-pubsub` from the
 * latest event: inside a group each event goes to one consumer, so with several API servers on one Redis
 * exactly one of them republishes each event into the shared Redis pub/sub, and every server's
 * subscribers get it once.
 *
 * Collector statuses do not travel on the bus: each server relays its own collectors' changes.
 */
import type { Bus, Subscription } from '../engine/bus/bus.js';
import { Topics } from '../engine/bus/topics.js';
import { signalRecordOf } from '../engine/store/signals.repo.js';
import type { CollectorStatusSource } from './deps.js';
import { type ApiPubSub, SubscriptionTopic } from './pubsub.js';

export { signalRecordOf };

export const API_PUBSUB_GROUP = 'api-pubsub';

export interface PubSubBridge {
  close(): Promise<void>;
}

export function startPubSubBridge(bus: Bus, pubsub: ApiPubSub, group: string = API_PUBSUB_GROUP): PubSubBridge {
  const options = { group, from: 'latest' } as const;
  const subscriptions: Subscription[] = [
    bus.subscribe(
      Topics.convictions,
      (event) => pubsub.publish(SubscriptionTopic.ConvictionUpdated, event.payload),
      options,
    ),
    bus.subscribe(
      Topics.signalsEnriched,
      (event) => pubsub.publish(SubscriptionTopic.SignalIngested, signalRecordOf(event)),
      options,
    ),
  ];
  return {
    close: async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    },
  };
}

/** Publishes every change of the collectors' statuses; returns what stops it. Publishing failures go to `onError`. */
export function relayCollectorStatuses(
  source: CollectorStatusSource | undefined,
  pubsub: ApiPubSub,
  onError: (error: unknown) => void,
): () => void {
  if (!source) return () => {};
  return source.subscribe((status) => {
    pubsub.publish(SubscriptionTopic.CollectorStatusChanged, status).catch(onError);
  });
}
