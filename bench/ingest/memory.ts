/**
 * Peak memory of the current process: `process.memoryUsage()` sampled on a timer (rss and heapUsed), and
 * the kernel's high-water mark of the resident set, `process.resourceUsage().maxRSS`, read at the end.
 *
 * The timer only fires when the event loop turns; the measuring loops yield every ~5 ms (see timing.ts),
 * so samples are at most a few ms apart. A short peak of heapUsed between two samples can be missed;
 * maxRSS cannot miss a peak, since the kernel keeps it.
 */

export interface MemoryReport {
  /** `ru_maxrss` of the process, in bytes: the largest resident set it ever had. */
  readonly maxRssBytes: number;
  /** Largest `rss` sampled. */
  readonly peakRssSampledBytes: number;
  /** Largest `heapUsed` sampled (V8's JavaScript heap in use, not counting buffers outside it). */
  readonly peakHeapUsedBytes: number;
  readonly samples: number;
  /** Sampling interval asked of the timer, in ms. */
  readonly intervalMs: number;
}

export class MemorySampler {
  #timer: NodeJS.Timeout | null = null;
  #peakRss = 0;
  #peakHeapUsed = 0;
  #samples = 0;

  constructor(private readonly intervalMs = 2) {}

  start(): this {
    this.sample();
    this.#timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    if (rss > this.#peakRss) this.#peakRss = rss;
    if (heapUsed > this.#peakHeapUsed) this.#peakHeapUsed = heapUsed;
    this.#samples++;
  }

  stop(): MemoryReport {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.sample();
    return {
      // Node reports ru_maxrss in kilobytes (KiB on Linux).
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      peakRssSampledBytes: this.#peakRss,
      peakHeapUsedBytes: this.#peakHeapUsed,
      samples: this.#samples,
      intervalMs: this.intervalMs,
    };
  }
}
