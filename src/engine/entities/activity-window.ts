/**
 * The recent activity co-trading detection runs over: who acted on which instrument, when. The entity stage adds
 * each resolved signal's activities; the co-trading job reads the window now and then and runs Louvain over it.
 *
 * Bounded twice: by event time (activities older than the newest minus `spanMs` are pruned) and by count (past
 * `maxActivities` the oldest go first), so a burst of mentions cannot grow it without limit. A redelivered event
 * adds nothing: activities are keyed by event and actor.
 */
import type { Activity } from './co-trading.js';

export interface ActivityWindowOptions {
  /** How much event time the window keeps behind its newest activity. */
  readonly spanMs: number;
  /** Hard cap on activities kept. */
  readonly maxActivities: number;
}

const keyOf = (a: Activity) => `${a.eventId}\u0000${a.actorId}`;

export class ActivityWindow {
  readonly spanMs: number;
  readonly maxActivities: number;
  /** Insertion order is arrival order; pruning by time walks from the oldest arrival. */
  readonly #byKey = new Map<string, Activity>();
  #newest = Number.NEGATIVE_INFINITY;

  constructor(options: ActivityWindowOptions) {
    if (!(options.spanMs > 0)) throw new RangeError(`spanMs must be positive, got ${options.spanMs}`);
    if (!(Number.isInteger(options.maxActivities) && options.maxActivities >= 1)) {
      throw new RangeError(`maxActivities must be a positive integer, got ${options.maxActivities}`);
    }
    this.spanMs = options.spanMs;
    this.maxActivities = options.maxActivities;
  }

  get size(): number {
    return this.#byKey.size;
  }

  /** The newest event time seen, or null before any. */
  get newest(): number | null {
    return Number.isFinite(this.#newest) ? this.#newest : null;
  }

  add(activities: readonly Activity[]): void {
    for (const a of activities) {
      const key = keyOf(a);
      if (this.#byKey.has(key)) continue;
      this.#byKey.set(key, a);
      if (a.ts > this.#newest) this.#newest = a.ts;
    }
    this.#prune();
  }

  /** The activities inside the window, in arrival order. */
  snapshot(): readonly Activity[] {
    const cutoff = this.#newest - this.spanMs;
    const inside: Activity[] = [];
    for (const [key, a] of this.#byKey) {
      if (a.ts >= cutoff) inside.push(a);
      else this.#byKey.delete(key);
    }
    return inside;
  }

  /**
   * Drops from the oldest arrival while over the cap or out of the window. A late arrival stuck behind newer
   * ones is dropped by the next `snapshot` instead: pruning stays O(1) amortized per activity.
   */
  #prune(): void {
    const cutoff = this.#newest - this.spanMs;
    for (const [key, a] of this.#byKey) {
      if (this.#byKey.size <= this.maxActivities && a.ts >= cutoff) break;
      this.#byKey.delete(key);
    }
  }
}
