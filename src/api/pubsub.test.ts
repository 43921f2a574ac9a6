import { describe, expect, it } from 'vitest';
import { ApiPubSub, SubscriptionTopic } from './pubsub.js';
import { convictionVector } from '../engine/store/store.fixtures.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ApiPubSub (in memory)', () => {
  it('delivers each publish to every subscriber of the topic, and only of that topic', async () => {
    const pubsub = new ApiPubSub();
    const a = pubsub.subscribe(SubscriptionTopic.ConvictionUpdated);
    const b = pubsub.subscribe(SubscriptionTopic.ConvictionUpdated);
    const other = pubsub.subscribe(SubscriptionTopic.SignalIngested);
    const [na, nb, nOther] = [a.next(), b.next(), other.next()]; // a repeater listens once iterated
    await tick();
    expect(pubsub.subscriberCount).toBe(3);
    await pubsub.publish(SubscriptionTopic.ConvictionUpdated, convictionVector(1));
    expect((await na).value?.id).toBe('cv_0001');
    expect((await nb).value?.id).toBe('cv_0001');
    await pubsub.close();
    expect(await nOther).toEqual({ done: true, value: undefined });
    expect(await a.next()).toEqual({ done: true, value: undefined });
    expect(pubsub.subscriberCount).toBe(0);
  });

  it('keeps only the newest events for a subscriber that falls behind, without failing the publisher', async () => {
    const pubsub = new ApiPubSub({ bufferSize: 3 });
    const slow = pubsub.subscribe(SubscriptionTopic.ConvictionUpdated);
    const first = slow.next();
    await tick();
    for (let i = 1; i <= 2000; i++) await pubsub.publish(SubscriptionTopic.ConvictionUpdated, convictionVector(i));
    expect((await first).value?.id).toBe('cv_0001');
    const rest = [];
    for (let i = 0; i < 3; i++) rest.push((await slow.next()).value?.id);
    expect(rest).toEqual(['cv_1998', 'cv_1999', 'cv_2000']);
    await pubsub.close();
  });

  it('ends a subscription made after close at once', async () => {
    const pubsub = new ApiPubSub();
    await pubsub.close();
    expect(await pubsub.subscribe(SubscriptionTopic.SignalIngested).next()).toEqual({ done: true, value: undefined });
  });
});
