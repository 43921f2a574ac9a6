/**
 * One feature's window over event time: the entries whose time is in (end − length, end], kept in time order
 * with running sums, so that folding in a signal costs O(1) (amortized) and not a pass over the window.
 *
 * The end only moves forward (`advance`). An entry added late is put in its place when it still falls inside
 * the window; one at or before the window's start is not counted, but may become the `anchor`: the latest
 * entry at or before the start, which a return needs (the close an hour ago).
 *
 * Running sums drift when entries are subtracted from them; they are recomputed from the entries whenever the
 * window empties and after every `max(64, count)` removals, which keeps the drift negligible at O(1) amortized.
 */

export interface WindowEntry {
  readonly ts: number;
  readonly value: number;
  readonly weight: number;
}

/** Dropped entries are cut off the array once this many have piled up at its head (and they are most of it). */
const COMPACT_AFTER = 1024;

export class TimeWindow {
  #entries: WindowEntry[] = [];
  #head = 0;
  #end = -Infinity;
  #anchor: WindowEntry | null = null;
  #sumWeight = 0;
  #sumWeighted = 0;
  #sum = 0;
  #sumSq = 0;
  #removals = 0;

  constructor(readonly lengthMs: number) {
    if (!(lengthMs > 0)) throw new RangeError(`window length must be positive, got ${lengthMs}`);
  }

  /** Entries inside the window. */
  get count(): number {
    return this.#entries.length - this.#head;
  }

  /** Σ weight. */
  get sumWeight(): number {
    return this.#sumWeight;
  }

  /** Σ weight·value. */
  get sumWeighted(): number {
    return this.#sumWeighted;
  }

  /** Σ value and Σ value², unweighted. */
  get sum(): number {
    return this.#sum;
  }
  get sumSq(): number {
    return this.#sumSq;
  }

  /** The entry with the latest time inside the window (the last added among equal times). */
  get latest(): WindowEntry | null {
    return this.count > 0 ? (this.#entries[this.#entries.length - 1] ?? null) : null;
  }

  /** The latest entry at or before the window's start, if one was ever seen. */
  get anchor(): WindowEntry | null {
    return this.#anchor;
  }

  /** Moves the window's end to `end` (never back), dropping the entries that fall out of it. */
  advance(end: number): void {
    if (end <= this.#end) return;
    this.#end = end;
    const start = end - this.lengthMs;
    let dropped = 0;
    while (this.#head < this.#entries.length && this.#entries[this.#head]!.ts <= start) {
      const entry = this.#entries[this.#head++]!;
      this.#anchor = entry; // entries are in time order: the last one dropped is the latest before the start
      this.#apply(entry, -1);
      dropped++;
    }
    if (dropped === 0) return;
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    this.#removals += dropped;
    if (this.count === 0 || this.#removals >= Math.max(64, this.count)) this.#resum();
  }

  /**
   * Adds an entry in its place in time (after entries of the same time). Returns false when it falls at or
   * before the window's start: then it is not counted, only considered as the anchor.
   */
  add(entry: WindowEntry): boolean {
    if (entry.ts <= this.#end - this.lengthMs) {
      if (!this.#anchor || entry.ts >= this.#anchor.ts) this.#anchor = entry;
      return false;
    }
    const at = this.#upperBound(entry.ts);
    if (at === this.#entries.length) this.#entries.push(entry);
    else this.#entries.splice(at, 0, entry);
    this.#apply(entry, 1);
    return true;
  }

  /** The first index (from the head) whose entry is later than `ts`. */
  #upperBound(ts: number): number {
    let lo = this.#head;
    let hi = this.#entries.length;
    if (hi > lo && this.#entries[hi - 1]!.ts <= ts) return hi; // the usual case: entries arrive in order
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#entries[mid]!.ts <= ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #apply(entry: WindowEntry, sign: 1 | -1): void {
    this.#sumWeight += sign * entry.weight;
    this.#sumWeighted += sign * entry.weight * entry.value;
    this.#sum += sign * entry.value;
    this.#sumSq += sign * entry.value * entry.value;
  }

  #resum(): void {
    this.#removals = 0;
    this.#sumWeight = 0;
    this.#sumWeighted = 0;
    this.#sum = 0;
    this.#sumSq = 0;
    for (let i = this.#head; i < this.#entries.length; i++) this.#apply(this.#entries[i]!, 1);
  }
}
