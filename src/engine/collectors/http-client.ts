/**
 * `PoliteHttpClient`: the HTTP client every collector shares, built once in the composition root so that a
 * host's rate limit holds across all the collectors that call it.
 *
 * Polite means what the providers ask of automated clients (the SEC's fair-access policy above all):
 * - a declared `User-Agent` naming the operator and a contact on every request;
 * - at most N requests per second per host, spaced evenly rather than in bursts;
 * - retries of 429, 5xx and network failures only, with exponential backoff and full jitter, and never
 *   sooner than a `Retry-After` asks (which also holds back every other request to that host);
 * - conditional GET, so that an unchanged feed costs the provider a 304 and no body.
 *
 * It uses Node's native `fetch`. Only time is injected (the clock, the sleep, the random source for the
 * jitter), so tests run the real network code against a local server.
 */
import { LiveClock, type Clock } from '../clock.js';
import { Random } from '../random.js';
import { fullJitter, realSleep, type Sleep } from './backoff.js';
import { HttpError, redactText, redactUrl, type HttpClient, type HttpRequest, type HttpResponse } from './http.js';

export interface HostLimit {
  readonly requestsPerSecond: number;
}

export interface PoliteHttpClientOptions {
  /** Sent on every request that does not set its own. Required: the SEC refuses undeclared clients. */
  readonly userAgent: string;
  /** Per attempt, body included; for `stream()`, until the headers and then between chunks. Default 30 s. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt (so `maxRetries + 1` attempts at most). Default 4. */
  readonly maxRetries?: number;
  /** Requests per second by host name (`www.sec.gov`); other hosts get `defaultRequestsPerSecond`. */
  readonly hosts?: Readonly<Record<string, HostLimit>>;
  /** Default 5. */
  readonly defaultRequestsPerSecond?: number;
  /** The backoff before retry n (from 0) is uniform in [0, min(backoffMaxMs, backoffBaseMs·2^n)). Default 500. */
  readonly backoffBaseMs?: number;
  /** Default 30 s. */
  readonly backoffMaxMs?: number;
  /** The longest `Retry-After` honoured as given; longer ones are cut to this. Default 120 s. */
  readonly maxRetryAfterMs?: number;
  /** Literal credentials to keep out of every message and URL this client reports (see `redactUrl`). */
  readonly secrets?: readonly string[];
  /** Used for rate-limit spacing and to read `Retry-After` dates. Default: wall time. */
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  /**
   * The jitter's source. Pass a seeded one for reproducible tests; the default is seeded from the time and
   * process id so that several processes behind one address do not retry in step.
   */
  readonly random?: Random;
}

/**
 * Per-host request spacing. Written here rather than taken from a library (bottleneck, p-throttle) because
 * it is a few lines, it must run on the injected clock and sleep so that tests stay deterministic, and a
 * `Retry-After` from one host must hold back every caller of that host, which general-purpose limiters do
 * not model. Each request reserves the next free slot, so concurrent callers go in call order; when its
 * timer fires it claims the slot only if the previous request to the host started a full interval ago
 * (timers fire late, and a late one must not squeeze its successor), so the spacing is a true minimum.
 */
class HostSchedule {
  readonly #next = new Map<string, number>();
  readonly #lastStart = new Map<string, number>();

  /** Reserves a slot for `host`; returns how long to wait for it. */
  reserve(host: string, now: number, intervalMs: number): number {
    const at = Math.max(now, this.#next.get(host) ?? now);
    this.#next.set(host, at + intervalMs);
    return at - now;
  }

  /** Starts a request now if the spacing allows (returns 0), else returns how much longer to wait. */
  claim(host: string, now: number, intervalMs: number): number {
    const last = this.#lastStart.get(host);
    const remaining = last === undefined ? 0 : last + intervalMs - now;
    if (remaining > 0) return remaining;
    this.#lastStart.set(host, now);
    this.#next.set(host, Math.max(this.#next.get(host) ?? now, now + intervalMs));
    return 0;
  }

  /** No request to `host` starts before `time`. */
  holdUntil(host: string, time: number, intervalMs: number): void {
    this.#next.set(host, Math.max(this.#next.get(host) ?? time, time));
    this.#lastStart.set(host, Math.max(this.#lastStart.get(host) ?? -Infinity, time - intervalMs));
  }
}

/**
 * A `Retry-After` value (delay-seconds or an HTTP-date) in milliseconds from `now`, or null when absent or
 * unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const RETRYABLE = (status: number): boolean => status === 429 || status >= 500;

export class PoliteHttpClient implements HttpClient {
  readonly userAgent: string;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #hosts: ReadonlyMap<string, number>;
  readonly #defaultIntervalMs: number;
  readonly #backoffBaseMs: number;
  readonly #backoffMaxMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #secrets: readonly string[];
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  readonly #random: Random;
  readonly #schedule = new HostSchedule();

  constructor(options: PoliteHttpClientOptions) {
    const userAgent = options.userAgent?.trim() ?? '';
    if (userAgent === '') throw new Error('PoliteHttpClient needs a User-Agent that names the operator and a contact');
    this.userAgent = userAgent;
    this.#timeoutMs = positive('timeoutMs', options.timeoutMs ?? 30_000);
    this.#maxRetries = Math.max(0, Math.floor(options.maxRetries ?? 4));
    this.#hosts = new Map(
      Object.entries(options.hosts ?? {}).map(([host, l]) => [host.toLowerCase(), 1000 / positive(host, l.requestsPerSecond)]),
    );
    this.#defaultIntervalMs = 1000 / positive('defaultRequestsPerSecond', options.defaultRequestsPerSecond ?? 5);
    this.#backoffBaseMs = Math.max(0, options.backoffBaseMs ?? 500);
    this.#backoffMaxMs = Math.max(0, options.backoffMaxMs ?? 30_000);
    this.#maxRetryAfterMs = Math.max(0, options.maxRetryAfterMs ?? 120_000);
    this.#secrets = options.secrets ?? [];
    this.#clock = options.clock ?? new LiveClock();
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? new Random((Date.now() ^ (process.pid << 16)) >>> 0);
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    const url = this.#parse(request.url);
    const shown = redactUrl(url.href, this.#secrets);
    const method = request.method ?? 'GET';
    for (let attempt = 0; ; attempt++) {
      await this.#waitTurn(url, method, shown, request.signal);
      let failure: HttpError;
      let retryAfterMs: number | null = null;
      const attemptSignal = new AttemptSignal(request.signal);
      attemptSignal.arm(this.#timeoutMs);
      try {
        const init = { method, headers: this.#headers(request, url), body: request.body, signal: attemptSignal.signal };
        const res = await fetch(withoutCredentials(url), init);
        if (!RETRYABLE(res.status)) return await this.#response(res);
        await res.body?.cancel().catch(() => undefined);
        retryAfterMs = this.#retryAfter(res);
        if (retryAfterMs !== null) this.#holdHost(url, retryAfterMs);
        failure = new HttpError(
          'HTTP_STATUS',
          `${method} ${shown} answered ${res.status}${attempt > 0 ? ` after ${attempt + 1} attempts` : ''}`,
          shown,
          res.status,
          retryAfterMs === null ? undefined : { retryAfterMs },
        );
      } catch (err) {
        failure = this.#failure(err, method, shown, request.signal, attemptSignal);
        if (failure.code === 'HTTP_ABORTED') throw failure;
      } finally {
        attemptSignal.done();
      }
      if (attempt >= this.#maxRetries) throw failure;
      const wait = retryAfterMs ?? fullJitter(this.#random, attempt, this.#backoffBaseMs, this.#backoffMaxMs);
      await this.#pause(wait, method, shown, request.signal);
    }
  }

  async *stream(request: HttpRequest): AsyncGenerator<Uint8Array> {
    const url = this.#parse(request.url);
    const shown = redactUrl(url.href, this.#secrets);
    const method = request.method ?? 'GET';
    await this.#waitTurn(url, method, shown, request.signal);
    // One signal for the whole stream: the caller's abort, the idle timer, and leaving the loop early end it.
    const streamSignal = new AttemptSignal(request.signal);
    try {
      streamSignal.arm(this.#timeoutMs);
      let res: Response;
      try {
        const init = { method, headers: this.#headers(request, url), body: request.body, signal: streamSignal.signal };
        res = await fetch(withoutCredentials(url), init);
      } catch (err) {
        throw this.#failure(err, method, shown, request.signal, streamSignal);
      } finally {
        streamSignal.disarm();
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        const retryAfterMs = this.#retryAfter(res);
        if (retryAfterMs !== null) this.#holdHost(url, retryAfterMs);
        throw new HttpError('HTTP_STATUS', `${method} ${shown} answered ${res.status}`, shown, res.status,
          retryAfterMs === null ? undefined : { retryAfterMs });
      }
      if (!res.body) return;
      const reader = res.body.getReader();
      for (;;) {
        // The idle timer runs only while waiting for the server, not while the caller handles a chunk.
        streamSignal.arm(this.#timeoutMs);
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (err) {
          throw this.#failure(err, method, shown, request.signal, streamSignal);
        } finally {
          streamSignal.disarm();
        }
        if (chunk.done) return;
        yield chunk.value;
      }
    } finally {
      streamSignal.abort(); // releases the connection when the caller stops reading early
      streamSignal.done();
    }
  }

  #parse(raw: string): URL {
    try {
      return new URL(raw);
    } catch (cause) {
      const shown = redactUrl(raw, this.#secrets);
      throw new HttpError('HTTP_NETWORK', `not a valid URL: ${shown}`, shown, undefined, { cause });
    }
  }

  #headers(request: HttpRequest, url: URL): Headers {
    const headers = new Headers(request.headers);
    // `fetch` refuses URLs with credentials in them (some RPC providers hand those out): they go in a header.
    if ((url.username || url.password) && !headers.has('authorization')) {
      const user = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      headers.set('authorization', `Basic ${Buffer.from(user).toString('base64')}`);
    }
    // A source may declare its own (Reddit wants `platform:app:version (by /u/name)`), never an empty one.
    if (!headers.get('user-agent')?.trim()) headers.set('user-agent', this.userAgent);
    if (request.etag) headers.set('if-none-match', request.etag);
    if (request.lastModified) headers.set('if-modified-since', request.lastModified);
    return headers;
  }

  async #response(res: Response): Promise<HttpResponse> {
    const notModified = res.status === 304;
    const body = notModified ? new Uint8Array(0) : new Uint8Array(await res.arrayBuffer());
    return {
      status: res.status,
      url: res.url,
      headers: res.headers,
      body,
      contentType: res.headers.get('content-type'),
      etag: res.headers.get('etag'),
      lastModified: res.headers.get('last-modified'),
      notModified,
    };
  }

  #holdHost(url: URL, ms: number): void {
    const host = url.hostname.toLowerCase();
    this.#schedule.holdUntil(host, this.#clock.now() + ms, this.#intervalOf(host));
  }

  #retryAfter(res: Response): number | null {
    const ms = parseRetryAfter(res.headers.get('retry-after'), this.#clock.now());
    return ms === null ? null : Math.min(ms, this.#maxRetryAfterMs);
  }

  async #waitTurn(url: URL, method: string, shown: string, signal: AbortSignal | undefined): Promise<void> {
    const host = url.hostname.toLowerCase();
    const interval = this.#intervalOf(host);
    let wait = this.#schedule.reserve(host, this.#clock.now(), interval);
    for (;;) {
      if (wait > 0) await this.#pause(wait, method, shown, signal);
      else if (signal?.aborted) throw aborted(method, shown, signal.reason);
      wait = this.#schedule.claim(host, this.#clock.now(), interval);
      if (wait <= 0) return;
    }
  }

  #intervalOf(host: string): number {
    return this.#hosts.get(host) ?? this.#defaultIntervalMs;
  }

  async #pause(ms: number, method: string, shown: string, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.#sleep(ms, signal);
    } catch (err) {
      if (signal?.aborted) throw aborted(method, shown, signal.reason);
      throw err;
    }
    if (signal?.aborted) throw aborted(method, shown, signal.reason);
  }

  /** What a rejected fetch or body read means: the caller aborted, our timer fired, or the network failed. */
  #failure(err: unknown, method: string, shown: string, caller: AbortSignal | undefined, attempt: AttemptSignal): HttpError {
    if (caller?.aborted) return aborted(method, shown, err);
    if (attempt.timedOut) {
      return new HttpError('HTTP_TIMEOUT', `${method} ${shown} timed out after ${this.#timeoutMs} ms`, shown, undefined, {
        cause: err,
      });
    }
    // undici reports `fetch failed` / `terminated` with the socket error as its cause; name its code only.
    const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
    const code = redactText(
      typeof cause?.code === 'string' ? cause.code : err instanceof Error ? err.message : 'unknown',
      this.#secrets,
    );
    return new HttpError('HTTP_NETWORK', `${method} ${shown} failed: network error (${code})`, shown, undefined, {
      cause: err,
    });
  }
}

/**
 * The signal of one attempt (or one stream): aborted by the caller's signal, by its own timer, or on demand.
 * Not `AbortSignal.any` + `AbortSignal.timeout`: on Node 20, `any` keeps every signal it derives from a
 * long-lived one (the collector's stop signal) alive until that one aborts (nodejs/node#55351), a leak of
 * one signal per request; this one unlinks itself in `done()`.
 */
class AttemptSignal {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #onCallerAbort = () => this.#controller.abort(this.#caller?.reason);
  #timer: NodeJS.Timeout | undefined;
  #timedOut = false;

  constructor(caller: AbortSignal | undefined) {
    this.#caller = caller;
    if (caller?.aborted) this.#controller.abort(caller.reason);
    else caller?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True when the timer, not the caller, aborted it. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** (Re)starts the timer. */
  arm(ms: number): void {
    this.disarm();
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError'));
    }, ms);
  }

  disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  abort(): void {
    this.#controller.abort();
  }

  done(): void {
    this.disarm();
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }
}

function withoutCredentials(url: URL): URL {
  if (!url.username && !url.password) return url;
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return bare;
}

function aborted(method: string, shown: string, cause: unknown): HttpError {
  return new HttpError('HTTP_ABORTED', `${method} ${shown} aborted`, shown, undefined, { cause });
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${name} must be a positive number, got ${value}`);
  return value;
}
