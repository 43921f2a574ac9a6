/**
 * The small HTTP layer the REST broker adapters share: one request, a deadline, JSON or form bodies, and
 * every outcome turned into the Broker contract's typed errors with credentials redacted.
 *
 * Deliberately no retries. The collectors' polite client retries 5xx and timeouts, which is right for a
 * GET and wrong for an order: a POST retried after a timeout can place a second order. What to do after
 * an uncertain failure is the adapter's decision (look the order up by client order id first, see
 * `http-submit.ts`), so this layer reports and never repeats.
 *
 * | outcome                                   | code                 |
 * |-------------------------------------------|----------------------|
 * | connection refused, reset, dropped; 5xx; 429 | `BROKER_UNAVAILABLE` |
 * | no complete answer before the deadline    | `BROKER_TIMEOUT`     |
 * | 401, 403                                  | `BROKER_AUTH`        |
 * | 404                                       | `BROKER_NOT_FOUND`   |
 * | any other 4xx                             | `BROKER_REJECTED`    |
 * | a 2xx whose body is not JSON              | `BROKER_PROTOCOL`    |
 *
 * A caller that reads meaning into a refusal (a 404 that means "no such order", Alpaca's 422 for a
 * duplicate client order id) lists the status in `accept` and gets the answer instead of the error.
 */
import { redactText } from '../../collectors/http.js';
import { BrokerError, type BrokerErrorCode } from '../broker.js';

/** The structured logger the composition root passes in (pino's `info`/`warn` shape). */
export interface BrokerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface BrokerHttpOptions {
  /** The venue's name, stamped on every error (`alpaca`, `tradier`). */
  readonly venue: string;
  /** Scheme and host, and a path prefix if any (`https://paper-api.alpaca.markets`). */
  readonly baseUrl: string;
  /** Sent with every request: credentials, `Accept`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Literal credentials kept out of every message and log line. */
  readonly secrets?: readonly string[];
  /** Deadline for a whole request, answer body included. Defaults to 10 s. */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  readonly log?: BrokerLogger;
  /** Defaults to the global `fetch`. */
  readonly fetch?: FetchLike;
}

export type Query = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface BrokerHttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** From the base URL on, starting with `/`; sent as written (Alpaca's `/v2/orders:by_client_order_id`). */
  readonly path: string;
  readonly query?: Query;
  /** A JSON body. */
  readonly json?: unknown;
  /** A form body (`application/x-www-form-urlencoded`); undefined values are left out. */
  readonly form?: Readonly<Record<string, string | undefined>>;
  /** Statuses answered to the caller instead of raised. */
  readonly accept?: readonly number[];
  readonly signal?: AbortSignal;
  /** Overrides the client's deadline for this request. */
  readonly timeoutMs?: number;
}

export interface BrokerHttpResponse {
  readonly status: number;
  /** The parsed JSON body; null when the body is empty (204) or, for an accepted error status, not JSON. */
  readonly body: unknown;
  readonly text: string;
}

/** A `BrokerError` from an HTTP exchange: the status and parsed body let an adapter refine the code. */
export class BrokerHttpError extends BrokerError {
  constructor(
    code: BrokerErrorCode,
    message: string,
    venue: string,
    /** Null when no answer arrived (network failure, timeout). */
    readonly status: number | null,
    readonly body: unknown,
    options?: { cause?: unknown },
  ) {
    super(code, message, venue, options);
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
const EXCERPT_CHARS = 300;

/** The code for an answer with this status that the caller did not accept. */
export function codeForStatus(status: number): BrokerErrorCode {
  if (status === 429 || status >= 500) return 'BROKER_UNAVAILABLE';
  if (status === 401 || status === 403) return 'BROKER_AUTH';
  if (status === 404) return 'BROKER_NOT_FOUND';
  return 'BROKER_REJECTED';
}

export class BrokerHttp {
  readonly venue: string;
  readonly #o: BrokerHttpOptions;
  readonly #base: string;
  readonly #fetch: FetchLike;

  constructor(options: BrokerHttpOptions) {
    this.#o = options;
    this.venue = options.venue;
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Text with this client's credentials (and any URL secrets, bearer tokens) hidden. */
  redact(text: string): string {
    return redactText(text, this.#o.secrets ?? []);
  }

  urlOf(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) params.append(k, String(v));
    const qs = params.toString();
    return `${this.#base}${path}${qs ? `?${qs}` : ''}`;
  }

  async request(req: BrokerHttpRequest): Promise<BrokerHttpResponse> {
    const url = this.urlOf(req.path, req.query);
    const shown = `${req.method} ${this.redact(url)}`;
    const headers: Record<string, string> = { Accept: 'application/json', ...this.#o.headers };
    if (this.#o.userAgent) headers['User-Agent'] = this.#o.userAgent;
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(req.form)) if (v !== undefined) form.append(k, v);
      body = form.toString();
    }
    const deadline = AbortSignal.timeout(req.timeoutMs ?? this.#o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
    const started = performance.now();
    let status: number;
    let text: string;
    try {
      const response = await this.#fetch(url, { method: req.method, headers, body, signal, redirect: 'error' });
      status = response.status;
      // The deadline covers the body too: a venue that sends headers and then stalls is a timeout.
      text = await response.text();
    } catch (error) {
      const timedOut = deadline.aborted;
      const err = new BrokerHttpError(
        timedOut ? 'BROKER_TIMEOUT' : 'BROKER_UNAVAILABLE',
        this.redact(`${this.venue}: ${shown} ${timedOut ? 'got no answer in time' : `failed: ${causeOf(error)}`}`),
        this.venue,
        null,
        null,
        { cause: error },
      );
      this.#log('warn', shown, started, { code: err.code });
      throw err;
    }
    const parsed = parseJson(text);
    const accepted = req.accept?.includes(status) === true;
    if (status >= 200 && status < 300) {
      if (text.trim() !== '' && parsed === undefined) {
        this.#log('warn', shown, started, { status, code: 'BROKER_PROTOCOL' });
        throw new BrokerHttpError('BROKER_PROTOCOL', this.redact(`${this.venue}: ${shown} answered ${status} with a body that is not JSON: ${excerpt(text)}`), this.venue, status, null);
      }
    } else if (!accepted) {
      const code = codeForStatus(status);
      this.#log('warn', shown, started, { status, code });
      throw new BrokerHttpError(code, this.redact(`${this.venue}: ${shown} answered ${status}: ${excerpt(text)}`), this.venue, status, parsed ?? null);
    }
    this.#log('info', shown, started, { status });
    return { status, body: parsed ?? null, text };
  }

  #log(level: 'info' | 'warn', shown: string, started: number, extra: object): void {
    this.#o.log?.[level]({ venue: this.venue, request: shown, ms: Math.round(performance.now() - started), ...extra }, 'broker request');
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}...` : flat;
}

/** undici reports transport failures as `TypeError('fetch failed')` with the socket error as its cause. */
function causeOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** A message a venue put in a JSON error body (`message`, `msg`, Tradier's `errors.error`), if any. */
export function venueMessage(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  for (const key of ['message', 'msg']) if (typeof b[key] === 'string') return b[key] as string;
  const errors = b.errors;
  if (errors && typeof errors === 'object') {
    const e = (errors as Record<string, unknown>).error;
    if (typeof e === 'string') return e;
    if (Array.isArray(e)) return e.filter((x) => typeof x === 'string').join('; ') || null;
  }
  return null;
}
