/**
 * `StreamingCollector`: runs a {@link StreamingSource}, a source that reads one long-lived response (the X
 * filtered stream) instead of polling.
 *
 * The source opens the stream with `http.stream()` and yields what it reads, in order: signals, rejected
 * documents, and checkpoints (a resume point, when the API has one). The collector publishes each signal
 * on `signals.raw` and each rejected document on the dead-letter topic as it arrives, and saves a
 * checkpoint's cursor only after everything yielded before it was published: the same rule as polling.
 *
 * When the stream ends or fails it reconnects, waiting as X asks of clients
 * (https://docs.x.com/x-api/posts/filtered-stream/integrate/handling-disconnections):
 * - network errors (and a stream the server closed): linearly, 250 ms more each time, up to 16 s;
 * - HTTP errors: exponentially from 5 s, up to 320 s;
 * - 429: exponentially from 1 minute, and never sooner than its `Retry-After`.
 * The waits start over once a connection delivers anything.
 */
import type { Bus } from '../bus/bus.js';
import type { Clock } from '../clock.js';
import { realSleep, type Sleep } from './backoff.js';
import type { Collector, CursorStore } from './collector.js';
import { HttpError, redactText, type HttpClient } from './http.js';
import { publishDraft, publishRejected, SavedCursor } from './publish.js';
import type { RejectedDocument, SignalDraft } from './source.js';
import { StatusTracker, type CollectorLogger, type CollectorStatus, type StatusListener } from './status.js';

export interface StreamContext<C> {
  /** The last checkpoint saved, or null on the first run (or for streams without checkpoints). */
  readonly cursor: C | null;
  readonly http: HttpClient;
  readonly clock: Clock;
  /** Aborted when the collector stops or gives up on this connection; pass it to `http.stream()`. */
  readonly signal: AbortSignal;
}

/** One thing a stream delivered. */
export type StreamItem<C> =
  | { readonly type: 'signal'; readonly draft: SignalDraft }
  | { readonly type: 'rejected'; readonly rejected: RejectedDocument }
  /** A resume point: saved once everything yielded before it is published; given back on reconnect. */
  | { readonly type: 'checkpoint'; readonly cursor: C }
  /** A keep-alive: the connection is healthy though nothing was said. */
  | { readonly type: 'heartbeat' };

export interface StreamingSource<C = never> {
  /** Unique among collectors: names the cursor, the dead letters and the log lines. */
  readonly name: string;
  /**
   * Opens one connection and yields what it delivers until it ends. Throws (an `HttpError`, typically) when
   * the connection fails; the collector reconnects.
   */
  open(context: StreamContext<C>): AsyncIterable<StreamItem<C>>;
  /** Reads a stored cursor; returns null (start afresh) when it cannot. Defaults to JSON.parse. */
  parseCursor?(stored: string): C | null;
}

/** Waits between reconnections, in ms; see the file's doc comment. */
export interface ReconnectPolicy {
  readonly networkStepMs: number;
  readonly networkMaxMs: number;
  readonly httpBaseMs: number;
  readonly httpMaxMs: number;
  readonly rateLimitBaseMs: number;
  readonly rateLimitMaxMs: number;
}

export const X_RECONNECT_POLICY: ReconnectPolicy = Object.freeze({
  networkStepMs: 250,
  networkMaxMs: 16_000,
  httpBaseMs: 5_000,
  httpMaxMs: 320_000,
  rateLimitBaseMs: 60_000,
  rateLimitMaxMs: 15 * 60_000,
});

/** The wait before reconnection attempt `n` (from 1) after `error`. */
export function reconnectDelay(error: unknown, n: number, policy: ReconnectPolicy = X_RECONNECT_POLICY): number {
  const doubling = 2 ** Math.max(0, n - 1);
  if (error instanceof HttpError && error.code === 'HTTP_STATUS') {
    if (error.status === 429) {
      return Math.max(error.retryAfterMs ?? 0, Math.min(policy.rateLimitMaxMs, policy.rateLimitBaseMs * doubling));
    }
    return Math.min(policy.httpMaxMs, policy.httpBaseMs * doubling);
  }
  if (error instanceof HttpError || error instanceof StreamEndedError) {
    return Math.min(policy.networkMaxMs, policy.networkStepMs * n);
  }
  // Anything else (the bus, the cursor store, a source bug) is not the network: back off as for HTTP errors.
  return Math.min(policy.httpMaxMs, policy.httpBaseMs * doubling);
}

/** The server ended the stream; X treats this like a network error. */
export class StreamEndedError extends Error {
  override readonly name = 'StreamEndedError';
  readonly code = 'STREAM_ENDED';
}

export interface StreamingCollectorOptions<C> {
  readonly source: StreamingSource<C>;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly http: HttpClient;
  readonly cursors: CursorStore;
  readonly log?: CollectorLogger;
  readonly onChange?: StatusListener;
  /** Default {@link X_RECONNECT_POLICY}. */
  readonly reconnect?: ReconnectPolicy;
  readonly sleep?: Sleep;
  readonly secrets?: readonly string[];
}

export class StreamingCollector<C = never> implements Collector {
  readonly name: string;
  readonly #source: StreamingSource<C>;
  readonly #bus: Bus;
  readonly #clock: Clock;
  readonly #http: HttpClient;
  readonly #policy: ReconnectPolicy;
  readonly #sleep: Sleep;
  readonly #redact: (text: string) => string;
  readonly #status: StatusTracker;
  readonly #cursor: SavedCursor<C>;
  #connections = 0;
  #controller: AbortController | null = null;
  #loop: Promise<void> | null = null;

  constructor(options: StreamingCollectorOptions<C>) {
    this.#source = options.source;
    this.name = options.source.name;
    this.#bus = options.bus;
    this.#clock = options.clock;
    this.#http = options.http;
    this.#policy = options.reconnect ?? X_RECONNECT_POLICY;
    this.#sleep = options.sleep ?? realSleep;
    const secrets = options.secrets ?? [];
    this.#redact = (text) => redactText(text, secrets);
    this.#status = new StatusTracker(this.name, this.#clock, options.log, options.onChange, this.#redact);
    const parse = options.source.parseCursor?.bind(options.source);
    this.#cursor = new SavedCursor(options.cursors, this.name, parse, options.log, this.#status, this.#redact);
  }

  get status(): CollectorStatus {
    return this.#status.snapshot();
  }

  /** Connections opened since construction (reconnections included). */
  get connections(): number {
    return this.#connections;
  }

  /** Opens the stream in the background; resolves at once. */
  async start(): Promise<void> {
    if (this.#controller) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#loop = this.#run(controller.signal);
  }

  /** Closes the stream and resolves once the item in flight is published. */
  async stop(): Promise<void> {
    const controller = this.#controller;
    if (!controller) return;
    controller.abort();
    await this.#loop;
    this.#controller = null;
    this.#loop = null;
    this.#status.setState('stopped');
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let error: unknown;
      try {
        await this.#connect(signal);
        error = new StreamEndedError(`${this.name}: the server ended the stream`);
      } catch (err) {
        error = err;
      }
      if (signal.aborted) return;
      this.#status.failed(error);
      try {
        await this.#sleep(reconnectDelay(error, this.#status.streak, this.#policy), signal);
      } catch {
        if (signal.aborted) return;
      }
    }
  }

  /** One connection: returns when the stream ends, throws when it fails. */
  async #connect(signal: AbortSignal): Promise<void> {
    this.#status.setState('polling');
    const cursor = await this.#cursor.current();
    this.#connections++;
    let delivering = false;
    for await (const item of this.#source.open({ cursor, http: this.#http, clock: this.#clock, signal })) {
      if (!delivering) {
        delivering = true;
        this.#status.succeeded(null, 'streaming');
      }
      if (item.type === 'signal') {
        await publishDraft(this.#bus, item.draft, this.#clock.now(), this.#status);
      } else if (item.type === 'rejected') {
        await publishRejected(this.#bus, this.name, item.rejected, this.#clock.now(), this.#status, this.#redact);
      } else if (item.type === 'checkpoint') {
        this.#status.succeeded(await this.#cursor.save(item.cursor), 'streaming');
      }
      if (signal.aborted) return;
    }
  }
}
