/**
 * Drops redeliveries: the bus delivers at least once, so a stage wraps its handler to skip event ids it
 * has already handled. The memory is a bounded LRU set of ids; the store's idempotent inserts back it up
 * for repeats older than that (or from before a restart).
 */
import type { Handler } from './bus.js';
import type { Topic } from './topics.js';

export interface IdempotentOptions {
  /** How many handled event ids to remember. Default 100_000. */
  readonly capacity?: number;
}

export type IdempotentHandler<T extends Topic> = Handler<T> & {
  /** True if the event id was handled (successfully) and is still remembered. */
  has(eventId: string): boolean;
  /** How many ids are remembered. */
  readonly size: number;
};

/**
 * Wraps `handler` so each event id is handled once. An id is remembered only after the handler resolves,
 * so an event whose handler threw is handled again on redelivery. A repeat that arrives while the first
 * delivery is still running waits for it instead of running alongside it.
 */
export function idempotent<T extends Topic>(handler: Handler<T>, options: IdempotentOptions = {}): IdempotentHandler<T> {
  const capacity = Math.max(1, options.capacity ?? 100_000);
  // A Map iterates in insertion order: deleting and re-inserting on a hit keeps the oldest entry first.
  const seen = new Map<string, true>();
  const running = new Map<string, Promise<void>>();

  const remember = (id: string): void => {
    seen.delete(id);
    seen.set(id, true);
    if (seen.size > capacity) seen.delete(seen.keys().next().value as string);
  };

  const wrapped = async (event: Parameters<Handler<T>>[0]): Promise<void> => {
    const id = event.id;
    if (seen.has(id)) {
      remember(id); // refresh: a repeated id is likely to repeat again
      return;
    }
    const first = running.get(id);
    if (first) {
      try {
        await first;
        return;
      } catch {
        // the first delivery failed: this one tries again below
      }
    }
    const run = (async () => handler(event))(); // a handler that throws synchronously rejects too
    running.set(id, run);
    try {
      await run;
      remember(id);
    } finally {
      if (running.get(id) === run) running.delete(id);
    }
  };

  return Object.defineProperties(wrapped, {
    has: { value: (eventId: string) => seen.has(eventId) },
    size: { get: () => seen.size },
  }) as IdempotentHandler<T>;
}
