/**
 * The one HTTP client every collector uses. This file holds its contract; the polite implementation
 * (per-host rate limits, declared User-Agent, retries with jittered backoff honouring Retry-After,
 * timeouts, conditional GET) is `PoliteHttpClient`.
 */

export interface HttpRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  /** A request body (JSON-RPC, form posts); sent as given. */
  readonly body?: string;
  /** Conditional GET: the validators of the copy we already have. */
  readonly etag?: string | null;
  readonly lastModified?: string | null;
  /** Aborts the request (and its retries) when the collector stops. */
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** The final URL, after redirects. */
  readonly url: string;
  readonly headers: Headers;
  readonly body: Uint8Array;
  readonly contentType: string | null;
  readonly etag: string | null;
  readonly lastModified: string | null;
  /** True on 304 Not Modified: the copy we have is current and `body` is empty. */
  readonly notModified: boolean;
}

export interface HttpClient {
  /**
   * Sends the request, waiting for the host's rate limit, retrying 429 and 5xx answers and network
   * failures with backoff. Resolves with any other answer (2xx, 304, 4xx); rejects with an `HttpError`
   * when retries are exhausted, on timeout, or when aborted.
   */
  request(request: HttpRequest): Promise<HttpResponse>;
  /**
   * Opens a long-lived streaming response (a filtered stream, a chunked feed) and yields its body as it
   * arrives. Rate limits apply to opening it; reconnecting is the caller's job.
   */
  stream(request: HttpRequest): AsyncIterable<Uint8Array>;
}

export type HttpErrorCode = 'HTTP_STATUS' | 'HTTP_TIMEOUT' | 'HTTP_NETWORK' | 'HTTP_ABORTED';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly url: string,
    /** The last status received, for `HTTP_STATUS`. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
