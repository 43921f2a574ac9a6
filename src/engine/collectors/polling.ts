/**
 * `PollingCollector`: runs a {@link PollingSource} on a schedule (see `source.ts` for the contract).
 *
 * Each poll: load the saved cursor (first poll only), ask the source for what is new, publish every draft
 * on `signals.raw`, publish every rejected document on the dead-letter topic, and only then save the new
 * cursor. A crash or a failed publish before the save repeats the poll's documents next time (same event
 * ids, so downstream drops them) and never skips one.
 *
 * A poll that throws (an `HttpError`, a bus or store failure) is counted, logged once when the collector
 * starts failing, and retried after a backoff that starts at the interval and doubles (with jitter) up to
 * `maxBackoffMs`, never sooner than a server's `Retry-After`. The in-memory cursor moves only when the new
 * one is saved, so a failing collector keeps asking from where it last succeeded.
 */
import type { Bus } from '../bus/bus.js';
import type { Clock } from '../clock.js';
import { Random } from '../random.js';
import { realSleep, type Sleep } from './backoff.js';
import type { Collector, CursorStore } from './collector.js';
import { HttpError, redactText, type HttpClient } from './http.js';
import { publishDraft, publishRejected, SavedCursor } from './publish.js';
import type { PollingSource } from './source.js';
import { StatusTracker, type CollectorLogger, type CollectorStatus, type StatusListener } from './status.js';

export interface PollingCollectorOptions<C> {
  readonly source: PollingSource<C>;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly http: HttpClient;
  readonly cursors: CursorStore;
  readonly log?: CollectorLogger;
  /** Called with a snapshot whenever the state or the counters of a poll change. */
  readonly onChange?: StatusListener;
  /** The jitter of the backoff. Default: seeded from the source's name, so runs are reproducible. */
  readonly random?: Random;
  /** How the collector waits between polls; tests replace it. */
  readonly sleep?: Sleep;
  /** The longest wait after repeated failures. Default 15 minutes (or the interval, if longer). */
  readonly maxBackoffMs?: number;
  /** Credentials to keep out of logs, statuses and dead letters. */
  readonly secrets?: readonly string[];
}

export class PollingCollector<C> implements Collector {
  readonly name: string;
  readonly #source: PollingSource<C>;
  readonly #bus: Bus;
  readonly #clock: Clock;
  readonly #http: HttpClient;
  readonly #random: Random;
  readonly #sleep: Sleep;
  readonly #maxBackoffMs: number;
  readonly #redact: (text: string) => string;
  readonly #status: StatusTracker;
  readonly #cursor: SavedCursor<C>;
  #controller: AbortController | null = null;
  #loop: Promise<void> | null = null;
  #polling: Promise<boolean> | null = null;
  #lastError: unknown = null;

  constructor(options: PollingCollectorOptions<C>) {
    this.#source = options.source;
    this.name = options.source.name;
    if (!(options.source.intervalMs > 0)) throw new Error(`${this.name}: intervalMs must be positive`);
    this.#bus = options.bus;
    this.#clock = options.clock;
    this.#http = options.http;
    this.#random = options.random ?? new Random(0).fork(this.name);
    this.#sleep = options.sleep ?? realSleep;
    this.#maxBackoffMs = Math.max(options.source.intervalMs, options.maxBackoffMs ?? 15 * 60_000);
    const secrets = options.secrets ?? [];
    this.#redact = (text) => redactText(text, secrets);
    this.#status = new StatusTracker(this.name, this.#clock, options.log, options.onChange, this.#redact);
    const parse = options.source.parseCursor?.bind(options.source);
    this.#cursor = new SavedCursor(options.cursors, this.name, parse, options.log, this.#status, this.#redact);
  }

  get status(): CollectorStatus {
    return this.#status.snapshot();
  }

  /** Starts polling now, then every `intervalMs` after each poll ends. Resolves at once. */
  async start(): Promise<void> {
    if (this.#controller) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#status.setState('idle');
    this.#loop = this.#run(controller.signal);
  }

  /** Aborts the poll in flight (its requests included) and resolves once nothing is in flight. */
  async stop(): Promise<void> {
    const controller = this.#controller;
    if (!controller) return;
    controller.abort();
    await this.#loop;
    this.#controller = null;
    this.#loop = null;
    this.#status.setState('stopped');
  }

  /**
   * Polls once now and resolves to whether it succeeded (failures are recorded in `status`, not thrown).
   * The schedule calls this; tests may call it directly on a collector that was not started.
   */
  async pollOnce(signal: AbortSignal = this.#controller?.signal ?? new AbortController().signal): Promise<boolean> {
    if (this.#polling) throw new Error(`${this.name}: a poll is already in flight`);
    this.#polling = this.#poll(signal);
    try {
      return await this.#polling;
    } finally {
      this.#polling = null;
    }
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.#polling?.catch(() => false); // a poll started by hand finishes first
      const ok = await this.pollOnce(signal);
      if (signal.aborted) return;
      try {
        await this.#sleep(ok ? this.#source.intervalMs : this.#backoffMs(), signal);
      } catch {
        if (signal.aborted) return;
      }
    }
  }

  async #poll(signal: AbortSignal): Promise<boolean> {
    this.#status.setState('polling');
    try {
      const cursor = await this.#cursor.current();
      const result = await this.#source.poll({ cursor, http: this.#http, clock: this.#clock, signal });
      for (const draft of result.drafts) await publishDraft(this.#bus, draft, this.#clock.now(), this.#status);
      for (const rejected of result.rejected) {
        await publishRejected(this.#bus, this.name, rejected, this.#clock.now(), this.#status, this.#redact);
      }
      this.#status.succeeded(await this.#cursor.save(result.cursor), 'idle');
      return true;
    } catch (err) {
      if (signal.aborted) {
        this.#status.setState('idle');
        return false; // stopping is not a failure
      }
      this.#lastError = err;
      this.#status.failed(err);
      return false;
    }
  }

  /**
   * After the n-th failure in a row: uniform between the interval and min(maxBackoff, interval·2^(n−1)), and
   * at least what the server asked for with `Retry-After`.
   */
  #backoffMs(): number {
    const interval = this.#source.intervalMs;
    const ceiling = Math.min(this.#maxBackoffMs, interval * 2 ** Math.max(0, this.#status.streak - 1));
    const jittered = interval + this.#random.next() * (ceiling - interval);
    const error = this.#lastError;
    return Math.floor(Math.max(jittered, error instanceof HttpError ? (error.retryAfterMs ?? 0) : 0));
  }
}
