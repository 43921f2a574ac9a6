/**
 * Fetching EDGAR documents for the source: every answer becomes a `SourceDocument` (the bytes a parser
 * reads, or that a dead letter keeps), and EDGAR links are rebased onto the configured base URL, so
 * the same code reads www.sec.gov in production and a local server in tests.
 */
import type { SourceDocument } from '../document.js';
import { HttpError, type HttpClient, type HttpResponse } from '../http.js';
import type { PollContext } from '../source.js';

export type Fetched =
  | { readonly ok: true; readonly document: SourceDocument; readonly response: HttpResponse }
  /** A 4xx other than 429 (retried by the client): the answer is kept for the dead-letter topic. */
  | { readonly ok: false; readonly document: SourceDocument; readonly error: HttpError };

export interface FetchRequest {
  readonly url: string;
  readonly etag?: string | null;
  readonly lastModified?: string | null;
}

/**
 * GETs a URL. Network failures and exhausted retries (`HttpError` from the client) propagate: the poll
 * fails and the collector asks again later from the same cursor. A client error answer is returned as a
 * failed fetch with its body, so one missing document does not hold back the rest.
 */
export async function fetchEdgar(http: HttpClient, ctx: Pick<PollContext<unknown>, 'signal'>, req: FetchRequest): Promise<Fetched> {
  const response = await http.request({
    url: req.url,
    headers: { accept: 'application/atom+xml, application/xml, text/xml, text/html, text/plain' },
    ...(req.etag !== undefined ? { etag: req.etag } : {}),
    ...(req.lastModified !== undefined ? { lastModified: req.lastModified } : {}),
    signal: ctx.signal,
  });
  const document: SourceDocument = { origin: req.url, body: response.body, contentType: response.contentType };
  if (response.notModified || (response.status >= 200 && response.status < 300)) return { ok: true, document, response };
  if (response.status >= 500 || response.status === 429) {
    // The client resolves these only when it has given up retrying; treat like a network failure.
    throw new HttpError('HTTP_STATUS', `${req.url} answered ${response.status}`, req.url, response.status);
  }
  return { ok: false, document, error: new HttpError('HTTP_STATUS', `${req.url} answered ${response.status}`, req.url, response.status) };
}

/** An EDGAR link (absolute on www.sec.gov, or site-relative) on the configured base URL. */
export function onBase(link: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const url = new URL(link, 'https://www.sec.gov/');
  if (/(^|\.)sec\.gov$/i.test(url.hostname)) return `${base}${url.pathname}${url.search}`;
  return url.toString();
}
