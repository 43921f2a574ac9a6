/**
 * Group commit: callers submit one item each and get a promise for its result; the items that arrive while
 * a write is in flight are written together by the next one, so a busy writer pays for one transaction per
 * batch instead of one per item, and an idle one adds no delay (a lone item is written at once).
 *
 * Guarantees:
 * - items are written in the order they were submitted, one write at a time;
 * - each caller's promise settles only when its own item has been written (resolved with its result) or has
 *   failed (rejected with the error);
 * - one bad item does not fail the others: when a batch write throws (and rolled back), its items are written
 *   again one at a time, in order, so only the items that fail on their own are rejected.
 *
 * `write` must be all-or-nothing (one transaction) and return one result per item, in order.
 */

interface Waiting<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommit<T, R> {
  #queue: Waiting<T, R>[] = [];
  #writing = false;

  constructor(
    private readonly write: (items: readonly T[]) => Promise<readonly R[]>,
    /** The most items written together (bounds a statement's size). */
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#writing) return;
      // Start on a microtask, not now: the other items a caller submits in the same tick join this batch.
      this.#writing = true;
      queueMicrotask(() => void this.#run());
    });
  }

  /** Items waiting for the next write. */
  get waiting(): number {
    return this.#queue.length;
  }

  async #run(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.maxBatch);
        await this.#commit(batch);
      }
    } finally {
      this.#writing = false;
    }
  }

  async #commit(batch: readonly Waiting<T, R>[]): Promise<void> {
    let results: readonly R[];
    try {
      results = await this.write(batch.map((w) => w.item));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const one of batch) await this.#commit([one]);
      return;
    }
    if (results.length !== batch.length) {
      const error = new Error(`group commit: ${results.length} results for ${batch.length} items`);
      for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i] as R));
  }
}
