/**
 * What a running collector reports about itself (for the `collectors` query and the
 * `collectorStatusChanged` subscription), and the bookkeeping the polling and streaming collectors share:
 * counters, the failure streak, and logging a failure once when it starts rather than on every retry.
 */
import type { Clock } from '../clock.js';
import { HttpError } from './http.js';

/**
 * - `idle`: waiting for the next poll.
 * - `polling`: a poll is in flight (for a stream: connecting).
 * - `streaming`: a stream is open and delivering.
 * - `backoff`: the last poll or connection failed; waiting longer than usual before the next.
 * - `stopped`: not running (before start, after stop).
 * - `disabled`: configured but not started (missing credentials, no implementation); see `reason`.
 */
export type CollectorState = 'idle' | 'polling' | 'streaming' | 'backoff' | 'stopped' | 'disabled';

export interface CollectorFailure {
  readonly message: string;
  /** The error's code (`HTTP_STATUS`, `HTTP_TIMEOUT`, `BUS_CLOSED`, ...) when it has one. */
  readonly code: string | null;
  /** The HTTP status, for `HTTP_STATUS`. */
  readonly status: number | null;
  readonly at: number;
}

export interface CollectorStatus {
  readonly name: string;
  readonly state: CollectorState;
  /** Why the collector is disabled; null otherwise. */
  readonly reason: string | null;
  /** The saved cursor, as stored (JSON); null before the first successful poll. */
  readonly cursor: string | null;
  readonly lastSuccessAt: number | null;
  readonly lastError: CollectorFailure | null;
  /** Failed polls or connections since start. */
  readonly errorCount: number;
  /** `SignalIngested` events published since start. */
  readonly published: number;
  /** Documents sent to the dead-letter topic since start. */
  readonly deadLettered: number;
  /** Now minus the newest `tsEvent` published: how far behind the world the collector is. Null before any. */
  readonly lagMs: number | null;
}

/** The logging a collector needs; a pino logger satisfies it. */
export interface CollectorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export type StatusListener = (status: CollectorStatus) => void;

/** The status of a collector that was configured but not started. */
export function disabledStatus(name: string, reason: string): CollectorStatus {
  return Object.freeze({
    name,
    state: 'disabled',
    reason,
    cursor: null,
    lastSuccessAt: null,
    lastError: null,
    errorCount: 0,
    published: 0,
    deadLettered: 0,
    lagMs: null,
  });
}

export function failureOf(error: unknown, at: number, redact: (text: string) => string): CollectorFailure {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    message: redact(error instanceof Error ? error.message : String(error)),
    code: typeof code === 'string' ? code : null,
    status: error instanceof HttpError ? (error.status ?? null) : null,
    at,
  };
}

/** Counters and state of one collector. Emits a snapshot on every change worth showing. */
export class StatusTracker {
  #state: CollectorState = 'stopped';
  #cursor: string | null = null;
  #lastSuccessAt: number | null = null;
  #lastError: CollectorFailure | null = null;
  #errorCount = 0;
  #published = 0;
  #deadLettered = 0;
  #newestTsEvent: number | null = null;
  #streak = 0;
  /** What the current failure streak is failing with; null while healthy. Logged when it changes. */
  #failingWith: string | null = null;

  constructor(
    readonly name: string,
    private readonly clock: Clock,
    private readonly log: CollectorLogger | undefined,
    private readonly onChange: StatusListener | undefined,
    private readonly redact: (text: string) => string,
  ) {}

  get state(): CollectorState {
    return this.#state;
  }

  /** Consecutive failures; 0 after a success. */
  get streak(): number {
    return this.#streak;
  }

  snapshot(): CollectorStatus {
    return Object.freeze({
      name: this.name,
      state: this.#state,
      reason: null,
      cursor: this.#cursor,
      lastSuccessAt: this.#lastSuccessAt,
      lastError: this.#lastError,
      errorCount: this.#errorCount,
      published: this.#published,
      deadLettered: this.#deadLettered,
      lagMs: this.#newestTsEvent === null ? null : Math.max(0, this.clock.now() - this.#newestTsEvent),
    });
  }

  setState(state: CollectorState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#emit();
  }

  /** The cursor loaded at start, shown before the first poll saves a new one. */
  setCursor(cursor: string | null): void {
    this.#cursor = cursor;
  }

  published(tsEvent: number): void {
    this.#published++;
    if (this.#newestTsEvent === null || tsEvent > this.#newestTsEvent) this.#newestTsEvent = tsEvent;
  }

  deadLettered(): void {
    this.#deadLettered++;
  }

  /** A poll (or a stream checkpoint) went through: the streak ends, and its end is logged once. */
  succeeded(cursor: string | null, next: CollectorState): void {
    if (cursor !== null) this.#cursor = cursor;
    this.#lastSuccessAt = this.clock.now();
    if (this.#failingWith !== null) {
      this.log?.info({ collector: this.name, failures: this.#streak }, `${this.name}: recovered`);
      this.#failingWith = null;
    }
    this.#streak = 0;
    this.#state = next;
    this.#emit();
  }

  /** A poll or connection failed. Logged when the collector starts failing, or starts failing differently. */
  failed(error: unknown): void {
    const failure = failureOf(error, this.clock.now(), this.redact);
    this.#errorCount++;
    this.#streak++;
    this.#lastError = failure;
    const key = failure.code ? `${failure.code}:${failure.status ?? ''}` : failure.message;
    if (key !== this.#failingWith) {
      this.log?.warn({ collector: this.name, code: failure.code, status: failure.status, err: failure.message },
        `${this.name}: failing, will retry with backoff`);
      this.#failingWith = key;
    }
    this.#state = 'backoff';
    this.#emit();
  }

  #emit(): void {
    try {
      this.onChange?.(this.snapshot());
    } catch (err) {
      // A listener's failure must not stop the collector.
      this.log?.warn({ collector: this.name, err }, `${this.name}: a status listener threw`);
    }
  }
}
