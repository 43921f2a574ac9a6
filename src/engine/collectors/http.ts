/**
 * The one HTTP client every collector uses. This file holds its contract and the redaction every message
 * about a request goes through; the polite implementation (per-host rate limits, declared User-Agent,
 * retries with jittered backoff honouring Retry-After, timeouts, conditional GET) is `PoliteHttpClient`
 * in `http-client.ts`.
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
  /**
   * How long the server asked us to wait (its `Retry-After`), in ms, when it said so on the last answer.
   * Collectors wait at least this long before their next attempt.
   */
  readonly retryAfterMs: number | undefined;
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    /** The URL with its secrets redacted (see {@link redactUrl}). */
    readonly url: string,
    /** The last status received, for `HTTP_STATUS`. */
    readonly status?: number,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

const REDACTED = '***';

/** Query parameters that carry credentials (`api_key` for FRED, `token`, `access_token`, `client_secret`, ...). */
const SECRET_PARAM = /key|token|secret|passw|signature|^sig$|auth|credential/i;

/** Telegram puts the bot token in the path: `/bot123456:AA.../getUpdates`. */
const TELEGRAM_TOKEN_PATH = /\/bot\d+:[A-Za-z0-9_-]+/g;

/**
 * The URL as it may appear in a message, a log line or a dead letter: credentials in the query string,
 * the user-info part and a Telegram bot token are replaced with `***`, and so is every literal in
 * `secrets` (for credentials in places no rule knows, such as an RPC provider's key in the path).
 */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  let out = url;
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = REDACTED;
      parsed.password = '';
    }
    const query = parsed.search.startsWith('?')
      ? `?${parsed.search
          .slice(1)
          .split('&')
          .map((pair) => {
            const eq = pair.indexOf('=');
            const name = decodeURIComponentSafe(eq < 0 ? pair : pair.slice(0, eq));
            return eq >= 0 && SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
          })
          .join('&')}`
      : '';
    parsed.search = '';
    parsed.hash = '';
    out = `${parsed.toString()}${query}`;
  } catch {
    // Not a URL: the literal secrets below still apply.
  }
  return redactSecrets(out.replace(TELEGRAM_TOKEN_PATH, `/bot${REDACTED}`), secrets);
}

/**
 * Free text (an error message, a document's origin) with every URL in it redacted as {@link redactUrl} does,
 * `Bearer` tokens hidden, and every literal in `secrets` replaced.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  const urls = text.replace(/\bhttps?:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url));
  return redactSecrets(urls.replace(/\bBearer\s+[^\s"',;]+/gi, `Bearer ${REDACTED}`), secrets);
}

function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Short strings would blank out ordinary words; no real credential is that short.
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join(REDACTED);
  return out;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
