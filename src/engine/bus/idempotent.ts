/**
 * Drops redeliveries: the bus delivers at least once, so a stage wraps its handler to skip event ids it
 * has already handled. The memory is a bounded LRU set of ids; the store's idempotent inserts back it up
 * for repeats older than that (or from before a restart).
 */
import type { BatchHandler, Handler } from './bus.js';
import type { Topic, TopicEvents } from './topics.js';

export interface IdempotentOptions {
  /** How many handled event ids to remember. Default 100_000. */
  readonly capacity?: number;
}

interface Remembers {
  /** True if the event id was handled (successfully) and is still remembered. */
  has(eventId: string): boolean;
  /** How many ids are remembered. */
  readonly size: number;
}

export type IdempotentHandler<T extends Topic> = Handler<T> & Remembers;
export type IdempotentBatchHandler<T extends Topic> = BatchHandler<T> & Remembers;

/** The ids handled lately, and the deliveries still running: what both wrappers below keep. */
class HandledIds implements Remembers {
  // A Map iterates in insertion order: deleting and re-inserting on a hit keeps the oldest entry first.
  readonly #seen = new Map<string, true>();
  readonly running = new Map<string, Promise<void>>();

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.#seen.has(id);
  }

  get size(): number {
    return this.#seen.size;
  }

  /** Records the id as handled just now (a repeated id is likely to repeat again: it moves to the back). */
  remember(id: string): void {
    this.#seen.delete(id);
    this.#seen.set(id, true);
    if (this.#seen.size > this.capacity) this.#seen.delete(this.#seen.keys().next().value as string);
  }

  /** Runs `work` for these ids, marking them running meanwhile and handled once it resolves. */
  async run(ids: Iterable<string>, work: () => Promise<void>): Promise<void> {
    const run = (async () => work())(); // a handler that throws synchronously rejects too
    for (const id of ids) this.running.set(id, run);
    try {
      await run;
      for (const id of ids) this.remember(id);
    } finally {
      for (const id of ids) if (this.running.get(id) === run) this.running.delete(id);
    }
  }

  expose<F extends (...args: never[]) => Promise<void>>(fn: F): F & Remembers {
    return Object.defineProperties(fn, {
      has: { value: (eventId: string) => this.has(eventId) },
      size: { get: () => this.size },
    }) as F & Remembers;
  }
}

const capacityOf = (options: IdempotentOptions) => Math.max(1, options.capacity ?? 100_000);

/**
 * Wraps `handler` so each event id is handled once. An id is remembered only after the handler resolves,
 * so an event whose handler threw is handled again on redelivery. A repeat that arrives while the first
 * delivery is still running waits for it instead of running alongside it.
 */
export function idempotent<T extends Topic>(handler: Handler<T>, options: IdempotentOptions = {}): IdempotentHandler<T> {
  const ids = new HandledIds(capacityOf(options));
  return ids.expose(async (event: TopicEvents[T]): Promise<void> => {
    const id = event.id;
    for (let first = ids.running.get(id); first; first = ids.running.get(id)) {
      await first.catch(() => undefined); // if the first delivery failed, this one tries again below
    }
    if (ids.has(id)) {
      ids.remember(id);
      return;
    }
    await ids.run([id], () => handler(event));
  });
}

/**
 * The same for a batch handler: it is called with the events of the batch not handled before (each id once,
 * in order), or not at all when there are none. Ids are remembered once the whole call resolves.
 */
export function idempotentBatch<T extends Topic>(
  handler: BatchHandler<T>,
  options: IdempotentOptions = {},
): IdempotentBatchHandler<T> {
  const ids = new HandledIds(capacityOf(options));
  const runningOf = (events: readonly TopicEvents[T][]) => events.flatMap((e) => ids.running.get(e.id) ?? []);
  return ids.expose(async (events: readonly TopicEvents[T][]): Promise<void> => {
    for (let inFlight = runningOf(events); inFlight.length > 0; inFlight = runningOf(events)) {
      await Promise.allSettled(inFlight);
    }
    const fresh: TopicEvents[T][] = [];
    const freshIds = new Set<string>();
    for (const event of events) {
      if (ids.has(event.id)) {
        ids.remember(event.id);
      } else if (!freshIds.has(event.id)) {
        freshIds.add(event.id);
        fresh.push(event);
      }
    }
    if (fresh.length > 0) await ids.run(freshIds, () => handler(fresh));
  });
}
