/**
 * Near-duplicate texts: MinHash signatures banded into LSH buckets, verified with the exact Jaccard
 * distance of the shingle sets, over a window of event time.
 *
 * Why MinHash rather than SimHash: posts are a dozen words, and one changed word moves a 64-bit SimHash
 * (over the same shingles) by 8 to 13 bits for posts of 20 to 8 words, against 32 for unrelated texts. A
 * threshold that tolerates 13 bits needs 14 pigeonhole bands of under 5 bits each, whose buckets each hold
 * about a twenty-fourth of everything: close to a full scan. MinHash estimates Jaccard similarity directly,
 * and banding gives a tunable S-curve (see `EnrichmentConfig.nearDuplicate.bands`). Candidates are then
 * checked exactly, so a match is never a hash accident and the reported distance is exact.
 *
 * Written here rather than taken from npm: the `minhash` package's `LshIndex` can insert and query but
 * never remove, so it cannot hold a window, and it keys buckets by joined strings (an allocation per band
 * per text); `simhash-js` has no index at all.
 *
 * Texts are matched only within a scope (the instrument): the same post fanned out to two instruments is
 * not a copy of itself, and it lets the stage be partitioned by instrument.
 */
import { fmix32, hashString, jaccardDistance } from './shingles.js';

export interface NearDuplicateIndexOptions {
  readonly maxDistance: number;
  readonly windowMs: number;
  readonly maxEntries: number;
  readonly bands: number;
  readonly rowsPerBand: number;
}

export interface IndexedText {
  readonly id: string;
  readonly scope: string;
  readonly ts: number;
  /** The cluster it belongs to: its own id, or the cluster of the text it copied. */
  readonly clusterId: string;
}

export interface TextMatch {
  readonly entry: IndexedText;
  readonly distance: number;
}

interface Entry extends IndexedText {
  readonly seq: number;
  readonly shingles: Uint32Array;
  /** Its bucket keys, one per band (a plain array of small integers: cheaper to make than a typed array). */
  readonly keys: number[];
  /** The last query that visited it, so that a text found in several bands is verified once. */
  stamp: number;
}

/** A bucket holds one entry directly, or an array once it holds more: most buckets hold one. */
type Bucket = Entry | Entry[];

/**
 * Bucket keys are 30-bit integers, which V8 keeps unboxed (a Map looks them up about four times faster
 * than doubles). The band index is mixed into the hash; a key shared by chance across bands or scopes
 * only adds a candidate, which verification rejects.
 */
const KEY_SHIFT = 2;

/**
 * Candidates verified per lookup at most. Buckets hold texts in arrival order, so a bucket this crowded
 * (a spam wave of slightly varied copies) has long since offered its earliest copies; the cap keeps one
 * lookup's cost bounded however hot a phrase gets.
 */
const MAX_VERIFIED = 1024;

export class NearDuplicateIndex {
  readonly #opts: NearDuplicateIndexOptions;
  readonly #seeds: Int32Array;
  readonly #buckets = new Map<number, Bucket>();
  /** Insertion order; expiry and the size cap take from the front. */
  #queue: Entry[] = [];
  #head = 0;
  #seq = 0;
  #stamp = 0;
  /** Event time before which texts are forgotten, as of the last `expire`. */
  #horizon = Number.NEGATIVE_INFINITY;
  readonly #keys: number[];
  readonly #mins: Int32Array;

  constructor(options: NearDuplicateIndexOptions) {
    this.#opts = options;
    const k = options.bands * options.rowsPerBand;
    // Fixed seeds: the same text always lands in the same buckets, in every process and every replay.
    this.#seeds = new Int32Array(k);
    for (let i = 0; i < k; i++) this.#seeds[i] = fmix32((0x7f4a7c15 + Math.imul(i + 1, 0x9e3779b9)) >>> 0) | 0;
    this.#keys = new Array<number>(options.bands).fill(0);
    this.#mins = new Int32Array(k);
  }

  /** Texts remembered. */
  get size(): number {
    return this.#queue.length - this.#head;
  }

  /** Buckets in use (for memory checks). */
  get bucketCount(): number {
    return this.#buckets.size;
  }

  /**
   * Finds the closest earlier text of the same scope within the window (null when none is within
   * `maxDistance`), then remembers this one under `id`, joining the match's cluster. A text already
   * older than the window is matched but not remembered: it would only be forgotten again.
   * Ties go to the earlier text, so the answer does not depend on bucket order.
   */
  observe(id: string, scope: string, ts: number, shingles: Uint32Array): TextMatch | null {
    if (shingles.length === 0) return null;
    const scopeHash = hashString(scope);
    this.#bandKeys(shingles, scopeHash);
    const match = this.#bestCandidate(scope, ts, shingles);
    if (ts < this.#horizon) return match;
    this.#insert({
      id,
      scope,
      ts,
      clusterId: match ? match.entry.clusterId : id,
      seq: ++this.#seq,
      shingles,
      keys: this.#keys.slice(),
      stamp: 0,
    });
    return match;
  }

  /** Like `observe` without remembering the text. */
  find(scope: string, ts: number, shingles: Uint32Array): TextMatch | null {
    if (shingles.length === 0) return null;
    this.#bandKeys(shingles, hashString(scope));
    return this.#bestCandidate(scope, ts, shingles);
  }

  /** What `find` would answer if it compared with every text remembered: the reference LSH is checked against. */
  scan(scope: string, ts: number, shingles: Uint32Array): TextMatch | null {
    if (shingles.length === 0) return null;
    let best: Entry | null = null;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let i = this.#head; i < this.#queue.length; i++) {
      const e = this.#queue[i] as Entry;
      if (e.scope !== scope || Math.abs(e.ts - ts) > this.#opts.windowMs) continue;
      const d = jaccardDistance(shingles, e.shingles);
      if (d <= this.#opts.maxDistance && (d < bestDistance || (d === bestDistance && best && e.seq < best.seq))) {
        best = e;
        bestDistance = d;
      }
    }
    return best ? { entry: best, distance: bestDistance } : null;
  }

  /** Forgets texts older than `now − windowMs` (event time) from the front of the queue. */
  expire(now: number): void {
    const horizon = now - this.#opts.windowMs;
    if (horizon > this.#horizon) this.#horizon = horizon;
    while (this.#head < this.#queue.length && (this.#queue[this.#head] as Entry).ts < horizon) this.#evictFront();
    this.#compact();
  }

  #bestCandidate(scope: string, ts: number, shingles: Uint32Array): TextMatch | null {
    const stamp = ++this.#stamp;
    const { maxDistance, windowMs } = this.#opts;
    let best: Entry | null = null;
    let bestDistance = Number.POSITIVE_INFINITY;
    let verified = 0;
    for (let b = 0; b < this.#opts.bands && verified < MAX_VERIFIED; b++) {
      const bucket = this.#buckets.get(this.#keys[b] as number);
      if (bucket === undefined) continue;
      const n = Array.isArray(bucket) ? bucket.length : 1;
      for (let i = 0; i < n; i++) {
        const e = Array.isArray(bucket) ? (bucket[i] as Entry) : bucket;
        if (e.stamp === stamp) continue;
        e.stamp = stamp;
        if (e.scope !== scope || Math.abs(e.ts - ts) > windowMs) continue;
        if (++verified > MAX_VERIFIED) break;
        const d = jaccardDistance(shingles, e.shingles);
        if (d > maxDistance) continue;
        if (d < bestDistance || (d === bestDistance && best !== null && e.seq < best.seq)) {
          best = e;
          bestDistance = d;
        }
        // Every earlier copy of the same shingles shares all band keys, so all of them sit in band 0's bucket,
        // in insertion order: the first exact copy found there is the earliest, and nothing can beat it.
        if (d === 0 && b === 0) return { entry: e, distance: 0 };
      }
    }
    return best ? { entry: best, distance: bestDistance } : null;
  }

  /**
   * Fills `#keys`: one bucket key per band.
   * The hot loop: murmur3's finalizer inlined over signed 32-bit integers (any fixed order serves a
   * min-hash, and signed ints stay small integers in V8, where unsigned ones above 2^31 become doubles).
   */
  #bandKeys(shingles: Uint32Array, scopeHash: number): void {
    const mins = this.#mins;
    const seeds = this.#seeds;
    const k = mins.length;
    mins.fill(0x7fffffff);
    for (let s = 0; s < shingles.length; s++) {
      const x = (shingles[s] as number) | 0;
      for (let i = 0; i < k; i++) {
        let h = x ^ (seeds[i] as number);
        h ^= h >>> 16;
        h = Math.imul(h, 0x85ebca6b);
        h ^= h >>> 13;
        h = Math.imul(h, 0xc2b2ae35);
        h ^= h >>> 16;
        if (h < (mins[i] as number)) mins[i] = h;
      }
    }
    const rows = this.#opts.rowsPerBand;
    for (let b = 0; b < this.#opts.bands; b++) {
      let h = (scopeHash ^ Math.imul(b + 1, 0x9e3779b9)) | 0;
      for (let r = 0; r < rows; r++) {
        h = Math.imul(h ^ (mins[b * rows + r] as number), 0x01000193);
        h ^= h >>> 15;
      }
      this.#keys[b] = fmix32(h >>> 0) >>> KEY_SHIFT;
    }
  }

  #insert(entry: Entry): void {
    for (let b = 0; b < entry.keys.length; b++) {
      const key = entry.keys[b] as number;
      const bucket = this.#buckets.get(key);
      if (bucket === undefined) this.#buckets.set(key, entry);
      else if (Array.isArray(bucket)) bucket.push(entry);
      else this.#buckets.set(key, [bucket, entry]);
    }
    this.#queue.push(entry);
    while (this.size > this.#opts.maxEntries) this.#evictFront();
    this.#compact();
  }

  #evictFront(): void {
    const entry = this.#queue[this.#head] as Entry;
    this.#queue[this.#head++] = undefined as unknown as Entry;
    for (let b = 0; b < entry.keys.length; b++) {
      const key = entry.keys[b] as number;
      const bucket = this.#buckets.get(key);
      if (bucket === entry) this.#buckets.delete(key);
      else if (Array.isArray(bucket)) {
        // Entries leave mostly in the order they came, so the one leaving is usually first.
        const at = bucket[0] === entry ? 0 : bucket.indexOf(entry);
        if (at >= 0) bucket.splice(at, 1);
        if (bucket.length === 1) this.#buckets.set(key, bucket[0] as Entry);
        else if (bucket.length === 0) this.#buckets.delete(key);
      }
    }
  }

  /** Drops the evicted prefix of the queue once it is the larger part, so the array does not grow forever. */
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
