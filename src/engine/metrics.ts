/**
 * Pipeline latency, measured on the wall clock (the engine's clock may be simulated): from the moment a raw
 * signal is first seen to the moment the enriched signal, and the conviction it triggered, are stored.
 *
 * "First seen" is when whoever publishes the signal marks it (`markIngested`, as a benchmark does just before
 * publishing), or else when this tracker takes it off the bus. The first mark wins, so a mark made at publish
 * time is not overwritten when the event is consumed, and the time it waited on the bus counts.
 */
import { performance } from 'node:perf_hooks';
import { Topics } from './bus/topics.js';
import { enrichedIdOf } from './enrich/dedup.js';
import type { Stage } from './stage.js';
import type { ConvictionScored, SignalEnriched, SignalIngested } from './types.js';

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
}

/** The last `capacity` latency samples (a ring buffer: adding one is O(1) however full it is). */
export class LatencySamples {
  readonly #values: Float64Array;
  #next = 0;
  #count = 0;
  #last: number | null = null;

  constructor(readonly capacity: number) {
    this.#values = new Float64Array(Math.max(1, Math.trunc(capacity)));
  }

  add(ms: number): void {
    this.#values[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#values.length;
    this.#count = Math.min(this.#count + 1, this.#values.length);
    this.#last = ms;
  }

  /** The most recent sample, or null when there is none. */
  get last(): number | null {
    return this.#last;
  }

  get count(): number {
    return this.#count;
  }

  /** Nearest-rank percentiles over the retained samples, in milliseconds. */
  percentiles(): Percentiles | null {
    if (this.#count === 0) return null;
    const sorted = this.#values.slice(0, this.#count).sort();
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
    return { p50: at(0.5), p99: at(0.99), count: sorted.length };
  }

  reset(): void {
    this.#next = 0;
    this.#count = 0;
    this.#last = null;
  }
}

export interface LatencyTrackerOptions {
  /** Signals whose first-seen time is remembered (the oldest is forgotten first). Default 100_000. */
  readonly capacity?: number;
  /** Samples kept per measurement. Default 10_000. */
  readonly sampleCapacity?: number;
  /** Monotonic milliseconds. Default `performance.now`. */
  readonly now?: () => number;
}

export class LatencyTracker implements Stage<typeof Topics.signalsRaw> {
  readonly name = 'metrics-latency';
  readonly input = Topics.signalsRaw;
  /** Raw signal first seen → the conviction it triggered stored. */
  readonly toConviction: LatencySamples;
  /** Raw signal first seen → its enriched signal stored. */
  readonly toSignal: LatencySamples;
  /** First-seen time by enriched id: what stored signals and convictions name. */
  readonly #seenAt = new Map<string, number>();
  readonly #capacity: number;
  readonly #now: () => number;

  constructor(options: LatencyTrackerOptions = {}) {
    this.#capacity = Math.max(1, options.capacity ?? 100_000);
    this.#now = options.now ?? (() => performance.now());
    this.toConviction = new LatencySamples(options.sampleCapacity ?? 10_000);
    this.toSignal = new LatencySamples(options.sampleCapacity ?? 10_000);
  }

  /** Records when the raw signal `rawEventId` was first seen, unless it was marked before. */
  markIngested(rawEventId: string, at: number = this.#now()): void {
    const key = enrichedIdOf(rawEventId);
    if (this.#seenAt.has(key)) return;
    this.#seenAt.set(key, at);
    if (this.#seenAt.size > this.#capacity) {
      const oldest = this.#seenAt.keys().next().value;
      if (oldest !== undefined) this.#seenAt.delete(oldest);
    }
  }

  async handle(event: SignalIngested): Promise<void> {
    this.markIngested(event.id);
  }

  /** Call when an enriched signal is stored. */
  signalStored(event: SignalEnriched): void {
    this.#record(this.toSignal, event.id);
  }

  /** Call when a conviction is stored. */
  convictionStored(event: ConvictionScored): void {
    this.#record(this.toConviction, event.payload.signalId);
  }

  /** The latest ingest → conviction latency. */
  get lastMs(): number | null {
    return this.toConviction.last;
  }

  /** Ingest → conviction percentiles over the retained samples, in milliseconds. */
  percentiles(): Percentiles | null {
    return this.toConviction.percentiles();
  }

  /** Forgets the samples (not the first-seen times of signals still in flight). */
  reset(): void {
    this.toConviction.reset();
    this.toSignal.reset();
  }

  #record(samples: LatencySamples, enrichedId: string): void {
    const t0 = this.#seenAt.get(enrichedId);
    if (t0 !== undefined) samples.add(this.#now() - t0);
  }
}
