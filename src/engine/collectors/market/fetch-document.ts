/**
 * One GET or POST through the collector's `HttpClient`, returned as a `SourceDocument` for the parsers
 * (and, if they fail, for the dead-letter topic). An answer other than 2xx is an `HttpError` carrying the
 * API's own explanation when the body has one, because "403" alone does not say that a key has expired.
 *
 * Secrets in URLs (FRED's `api_key`) never reach an error or a document origin: callers pass `redact`,
 * applied to every URL and message that leaves this function.
 */
import type { SourceDocument } from '../document.js';
import { HttpError, type HttpClient, type HttpRequest } from '../http.js';

export interface FetchOptions {
  /** Rewrites text that may hold a secret (URLs, messages) before it is stored or thrown. */
  readonly redact?: (text: string) => string;
}

/** The explanation an API puts in an error body, in the shapes the sources here answer with. */
export function apiErrorMessage(body: Uint8Array): string | null {
  const text = Buffer.from(body).toString('utf8').trim();
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const candidates = [
      json.error_message, // FRED
      json.message, // Alpaca, Binance (`msg`)
      json.msg,
      (json.fault as Record<string, unknown> | undefined)?.faultstring, // Tradier
      (json.error as Record<string, unknown> | undefined)?.message, // JSON-RPC over HTTP errors
      typeof json.error === 'string' ? json.error : undefined,
    ];
    const found = candidates.find((c): c is string => typeof c === 'string' && c !== '');
    if (found) return found;
  } catch {
    // not JSON: fall through to the text itself
  }
  return text === '' ? null : text.slice(0, 200);
}

const keep = (text: string): string => text;

/** A query string appended to a base URL, skipping undefined values. */
export function withQuery(url: string, query: Readonly<Record<string, string | number | undefined>>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
  return u.toString();
}

export async function fetchDocument(http: HttpClient, request: HttpRequest, options: FetchOptions = {}): Promise<SourceDocument> {
  const redact = options.redact ?? keep;
  const origin = redact(request.url);
  let response;
  try {
    response = await http.request(request);
  } catch (err) {
    if (err instanceof HttpError) {
      // Rebuilt rather than rethrown: the client's message and URL may carry the secret. The cause is
      // dropped for the same reason.
      throw new HttpError(err.code, redact(err.message), redact(err.url), err.status);
    }
    throw new Error(redact(err instanceof Error ? err.message : String(err)));
  }
  if (response.status < 200 || response.status > 299) {
    const explanation = apiErrorMessage(response.body);
    throw new HttpError(
      'HTTP_STATUS',
      redact(`${origin} answered ${response.status}${explanation ? `: ${explanation}` : ''}`),
      origin,
      response.status,
    );
  }
  return { origin: response.url ? redact(response.url) : origin, body: response.body, contentType: response.contentType };
}
