/**
 * Feeds the API's pub/sub from the bus. It subscribes with the consumer group `api-pubsub` from the
 * latest event: inside a group each event goes to one consumer, so with several API servers on one Redis
 * exactly one of them republishes each event into the shared Redis pub/sub, and every server's
 * subscribers get it once.
 *
 * Collector statuses do not travel on the bus: each server relays its own collectors' changes.
 *
 * Order events cross as they are, not with their order: the bridge has no store to read it from, and
 * only subscribers that select the order should pay for loading it.
 */
import type { Bus, Subscription } from '../engine/bus/bus.js';
import { Topics } from '../engine/bus/topics.js';
import { signalRecordOf } from '../engine/store/signals.repo.js';
import type { VaultEvent } from '../engine/vaults/events.js';
import type { CollectorStatusSource } from './deps.js';
import { type ApiPubSub, SubscriptionTopic, type VaultOwnEvent } from './pubsub.js';

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
    bus.subscribe(Topics.orderEvents, (event) => pubsub.publish(SubscriptionTopic.OrderUpdated, event), options),
    bus.subscribe(Topics.killSwitches, (event) => pubsub.publish(SubscriptionTopic.KillSwitchChanged, event), options),
    bus.subscribe(Topics.modelDrift, (event) => pubsub.publish(SubscriptionTopic.DriftAlarm, event), options),
    bus.subscribe(
      Topics.vaultEvents,
      async (event) => {
        if (isVaultOwnEvent(event)) await pubsub.publish(SubscriptionTopic.VaultUpdated, event);
      },
      options,
    ),
  ];
  return {
    close: async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    },
  };
}

function isVaultOwnEvent(event: VaultEvent): event is VaultOwnEvent {
  return event.type !== 'PersonaDefined';
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
