/**
 * Event time against ingest time, per stream (a signal's source).
 *
 * Each stream has a watermark: the newest event time it has shown, minus the allowed lateness. A signal at
 * or after its stream's watermark is on time; one before it is late and flagged with how late, but kept:
 * a late filing is still a filing. Signals are passed on in the order they arrive, not held back and
 * sorted: buffering every signal for the allowed lateness would add minutes to the whole pipeline and need
 * a durable buffer to survive a restart, while the windowed consumers downstream already accept disorder
 * within a bucket.
 *
 * A source that stamps a signal after the moment we received it (tsEvent > tsInit + tolerance) has a wrong
 * clock or a wrong time zone: the signal is flagged `clock_skew`, and its event time is capped at
 * tsInit + tolerance wherever time moves forward (watermarks, expiry), so one bad stamp cannot push every
 * later signal behind the watermark.
 *
 * State is one number per stream; streams are sources, a small configured set.
 */
import type { Lateness } from './annotations.js';

export interface TimeAlignmentOptions {
  readonly allowedLatenessMs: number;
  readonly latenessBySource: Readonly<Record<string, number>>;
  readonly clockSkewToleranceMs: number;
}

export interface TimeVerdict {
  readonly lateness: Lateness | null;
  readonly clockSkewMs: number | null;
  /** The event time to move windows with: tsEvent, capped at tsInit + tolerance. */
  readonly effectiveTs: number;
}

export class TimeAligner {
  readonly #newest = new Map<string, number>();
  #frontier = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: TimeAlignmentOptions) {}

  /** The newest effective event time seen on any stream: what windows expire against. */
  get frontier(): number {
    return this.#frontier;
  }

  /** The stream's watermark, or null before its first signal. */
  watermark(stream: string): number | null {
    const newest = this.#newest.get(stream);
    return newest === undefined ? null : newest - this.#allowed(stream);
  }

  /** Judges a signal against its stream's watermark as it stood before the signal, then moves it on. */
  observe(stream: string, tsEvent: number, tsInit: number): TimeVerdict {
    const ceiling = tsInit + this.opts.clockSkewToleranceMs;
    const skewed = tsEvent > ceiling;
    const effectiveTs = skewed ? ceiling : tsEvent;

    const watermark = this.watermark(stream);
    const lateness =
      watermark !== null && tsEvent < watermark ? { stream, watermark, lateByMs: watermark - tsEvent } : null;

    const newest = this.#newest.get(stream);
    if (newest === undefined || effectiveTs > newest) this.#newest.set(stream, effectiveTs);
    if (effectiveTs > this.#frontier) this.#frontier = effectiveTs;
    return { lateness, clockSkewMs: skewed ? tsEvent - tsInit : null, effectiveTs };
  }

  #allowed(stream: string): number {
    const own = Object.hasOwn(this.opts.latenessBySource, stream) ? this.opts.latenessBySource[stream] : undefined;
    return own ?? this.opts.allowedLatenessMs;
  }
}
