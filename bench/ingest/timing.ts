/**
 * Timing helpers. Work runs in slices of about 5 ms; between slices the loop yields to the event loop, so
 * that the memory sampler's timer gets to run during synchronous work. Only the time inside the measured
 * calls is counted, never the yields.
 */

/** Monotonic nanoseconds. */
export const now = (): bigint => process.hrtime.bigint();

/** Length of a slice of synchronous work between two yields. */
export const SLICE_NS = 5_000_000n;

export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const secondsToNs = (seconds: number): bigint => BigInt(Math.round(seconds * 1e9));

/** A growable list of durations in nanoseconds. */
export class Durations {
  #values = new Float64Array(1024);
  #length = 0;

  push(ns: number): void {
    if (this.#length === this.#values.length) {
      const bigger = new Float64Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.#length++] = ns;
  }

  get count(): number {
    return this.#length;
  }

  get totalNs(): number {
    let sum = 0;
    for (let i = 0; i < this.#length; i++) sum += this.#values[i]!;
    return sum;
  }

  /** Nearest-rank percentile (0 < p ≤ 100) in nanoseconds; NaN when empty. */
  percentile(p: number): number {
    if (this.#length === 0) return Number.NaN;
    const sorted = this.#values.slice(0, this.#length).sort();
    return sorted[Math.min(this.#length - 1, Math.max(0, Math.ceil((p / 100) * this.#length) - 1))]!;
  }
}

/**
 * Calls `step(i)` for i = 0, 1, 2, … timing each call, until `budgetNs` of call time is spent and `i` is a
 * multiple of `roundLength` (so that every item of a round-robin is called equally often). Each call's
 * duration is passed to `record`.
 */
export async function timeCalls(
  step: (i: number) => void,
  record: (i: number, ns: number) => void,
  budgetNs: bigint,
  roundLength = 1,
): Promise<void> {
  let spent = 0n;
  let i = 0;
  while (spent < budgetNs || i % roundLength !== 0) {
    const sliceStart = now();
    let t1 = sliceStart;
    while (t1 - sliceStart < SLICE_NS && (spent < budgetNs || i % roundLength !== 0)) {
      const t0 = now();
      step(i);
      t1 = now();
      record(i, Number(t1 - t0));
      spent += t1 - t0;
      i++;
    }
    await yieldToEventLoop();
  }
}

/** Yields to the event loop when more than a slice has passed since `since`; returns the new mark. */
export async function yieldEverySlice(since: bigint): Promise<bigint> {
  const t = now();
  if (t - since < SLICE_NS) return since;
  await yieldToEventLoop();
  return now();
}
