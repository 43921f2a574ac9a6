/**
 * The contract between a data source and the machinery that runs it.
 *
 * A source knows one API: which requests to make, how to parse the answers (with the pure parsers beside
 * it) and how far it has read (its cursor). It never publishes, sleeps or persists by itself. The
 * {@link PollingCollector} in `polling.ts` (and the `StreamingCollector` in `streaming.ts` for long-lived
 * responses) runs a source on a schedule: it calls `poll`, publishes the signals it returns on
 * `signals.raw`, sends its dead letters to the dead-letter topic, and only then saves the new cursor,
 * so a crash between the two repeats a document (which de-duplication absorbs) and never loses one.
 */
import type { Clock } from '../clock.js';
import type { RawSignal } from '../types.js';
import type { SourceDocument } from './document.js';
import type { HttpClient } from './http.js';

/** A signal a source found, before the collector gives it an event envelope. */
export interface SignalDraft {
  readonly signal: RawSignal;
  /** When it happened in the world (a filing's acceptance time, a post's creation time), epoch ms. */
  readonly tsEvent: number;
  /**
   * True when this draft withdraws a signal published before (a 4/A replacing its original, a log
   * removed by a chain reorganisation). Its body names what it retracts.
   */
  readonly retracts?: boolean;
}

/** A document a source could not use, kept whole for the dead-letter topic. */
export interface RejectedDocument {
  readonly document: SourceDocument;
  readonly error: unknown;
}

export interface PollResult<C> {
  readonly drafts: readonly SignalDraft[];
  readonly rejected: readonly RejectedDocument[];
  /** Where the next poll starts. Saved only after every draft is published. */
  readonly cursor: C;
}

export interface PollContext<C> {
  /** The cursor the last successful poll returned, or null on the first run. */
  readonly cursor: C | null;
  readonly http: HttpClient;
  readonly clock: Clock;
  /** Aborted when the collector stops; pass it to requests. */
  readonly signal: AbortSignal;
}

export interface PollingSource<C> {
  /** Unique among collectors: names the cursor, the dead letters and the log lines. */
  readonly name: string;
  /** Milliseconds between the end of one poll and the start of the next. */
  readonly intervalMs: number;
  poll(context: PollContext<C>): Promise<PollResult<C>>;
  /** Reads a stored cursor; returns null (start afresh) when it cannot. Defaults to JSON.parse. */
  parseCursor?(stored: string): C | null;
}
