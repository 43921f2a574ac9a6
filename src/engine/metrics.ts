/**
 * Pipeline latency, measured on the wall clock (the engine's clock may be simulated): from the moment a
 * raw signal is taken off the bus to the moment the conviction it triggered is stored.
 */
import { performance } from 'node:perf_hooks';
import { Topics } from './bus/topics.js';
import { enrichedIdOf } from './enrich/dedup.js';
import type { Stage } from './stage.js';
import type { ConvictionScored, SignalIngested } from './types.js';

export class LatencyTracker implements Stage<typeof Topics.signalsRaw> {
  readonly name = 'metrics-latency';
  readonly input = Topics.signalsRaw;
  readonly #seenAt = new Map<string, number>();
  readonly #samples: number[] = [];
  #last: number | null = null;

  constructor(
    private readonly capacity = 100_000,
    private readonly sampleCapacity = 10_000,
  ) {}

  async handle(event: SignalIngested): Promise<void> {
    this.#seenAt.set(enrichedIdOf(event.id), performance.now());
    if (this.#seenAt.size > this.capacity) {
      const oldest = this.#seenAt.keys().next().value;
      if (oldest !== undefined) this.#seenAt.delete(oldest);
    }
  }

  /** Call when a conviction is stored. */
  convictionStored(event: ConvictionScored): void {
    const t0 = this.#seenAt.get(event.payload.signalId);
    if (t0 === undefined) return;
    const ms = performance.now() - t0;
    this.#last = ms;
    this.#samples.push(ms);
    if (this.#samples.length > this.sampleCapacity) this.#samples.shift();
  }

  get lastMs(): number | null {
    return this.#last;
  }

  /** Latency percentiles over the retained samples, in milliseconds. */
  percentiles(): { p50: number; p99: number; count: number } | null {
    if (this.#samples.length === 0) return null;
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
    return { p50: at(0.5), p99: at(0.99), count: sorted.length };
  }

  reset(): void {
    this.#samples.length = 0;
    this.#last = null;
  }
}
