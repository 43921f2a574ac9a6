/**
 * What the social and news sources share: turning HTTP answers into source documents, the errors they raise
 * for answers that are not documents, a watermark to tell new items from seen ones, and the step that
 * turns a post into one `social_mention` draft per instrument it mentions.
 */
import type { RejectedDocument, SignalDraft } from '../source.js';
import type { SourceDocument } from '../document.js';
import { HttpError, type HttpClient, type HttpRequest, type HttpResponse } from '../http.js';
import type { MentionIndex } from './mentions.js';
import { sentimentOf } from './sentiment.js';
import { excerpt } from './text.js';

export type SourceErrorCode =
  /** The platform refused our credentials (401/403 on the token or an API call). */
  | 'SOURCE_AUTH'
  /** An answer with a status that carries no document (404 for a gone subreddit, 400 for a bad query). */
  | 'SOURCE_STATUS';

/** Raised by sources for answers that are not documents to parse. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    readonly origin: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${origin}: ${message}`, options);
  }
}

export function documentOf(response: HttpResponse, origin = response.url): SourceDocument {
  return { origin, body: response.body, contentType: response.contentType };
}

/** An empty document standing for a request that got no answer at all, so its failure can be dead-lettered. */
export function unansweredDocument(origin: string): SourceDocument {
  return { origin, body: new Uint8Array(0), contentType: null };
}

/** True when the error is the collector stopping: it must propagate, never be dead-lettered. */
export function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof HttpError && error.code === 'HTTP_ABORTED');
}

/**
 * Sends a request and returns the answer as a document when it is 2xx (or 304), or a rejection carrying the
 * answer's bytes when it is not. Network failures after the client's retries become rejections of an empty
 * document, so one failing feed or subreddit does not stop the others; aborts propagate.
 */
export async function fetchDocument(
  http: HttpClient,
  request: HttpRequest & { readonly signal: AbortSignal },
  origin: string = request.url,
): Promise<{ readonly response: HttpResponse; readonly document: SourceDocument } | { readonly rejected: RejectedDocument }> {
  let response: HttpResponse;
  try {
    response = await http.request(request);
  } catch (error) {
    if (isAbort(error, request.signal)) throw error;
    return { rejected: { document: unansweredDocument(origin), error } };
  }
  const document = documentOf(response, origin);
  if (response.notModified || (response.status >= 200 && response.status < 300)) return { response, document };
  const code = response.status === 401 || response.status === 403 ? 'SOURCE_AUTH' : 'SOURCE_STATUS';
  return { rejected: { document, error: new SourceError(code, `HTTP ${response.status}`, origin, response.status) } };
}

/**
 * How far a time-ordered stream has been read: the newest timestamp seen and the ids seen at exactly that
 * timestamp, so items sharing the newest second are neither lost nor repeated.
 */
export interface Watermark {
  readonly t: number;
  readonly ids: readonly string[];
}

export const isNewer = (mark: Watermark | null | undefined, t: number, id: string): boolean =>
  !mark || t > mark.t || (t === mark.t && !mark.ids.includes(id));

/** The watermark after also seeing the given items. */
export function advance(mark: Watermark | null | undefined, items: Iterable<{ readonly t: number; readonly id: string }>): Watermark | null {
  let t = mark?.t ?? Number.NEGATIVE_INFINITY;
  let ids = new Set(mark?.ids ?? []);
  for (const item of items) {
    if (item.t > t) {
      t = item.t;
      ids = new Set([item.id]);
    } else if (item.t === t) ids.add(item.id);
  }
  return Number.isFinite(t) ? { t, ids: [...ids].sort() } : null;
}

/** A size-bounded map that forgets its oldest entries first: for per-author lookups that must not grow forever. */
export class BoundedCache<K, V> {
  readonly #map = new Map<K, V>();
  constructor(private readonly capacity: number) {}
  get(key: K): V | undefined {
    return this.#map.get(key);
  }
  has(key: K): boolean {
    return this.#map.has(key);
  }
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.capacity) this.#map.delete(this.#map.keys().next().value as K);
  }
}

/** A post, comment or message, reduced to what mention drafts need. */
export interface SocialPost {
  /** Prefix of the drafts' external ids: `reddit:t3_abc`, `x:1790…`, `telegram:-100…:42`. */
  readonly id: string;
  /** Epoch ms when it was posted. */
  readonly tsEvent: number;
  /** Plain text mentions and sentiment are read from (title and body together). Empty when removed. */
  readonly text: string;
  /** Symbols the platform itself marked (Telegram's `cashtag` entities), added to those found in the text. */
  readonly tagged?: readonly string[];
  /** Platform fields: `platform`, `author`, `followers`, `accountAgeDays`, `url`... Never undefined values. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Days from an account's creation to a post, floored; the body field the bot-swarm detector reads. */
export const accountAgeDays = (createdMs: number, atMs: number): number => Math.max(0, Math.floor((atMs - createdMs) / 86_400_000));

/**
 * One `social_mention` draft per instrument the post mentions (none when it mentions none). Sentiment is
 * read from the whole text, so a post naming two tickers carries the same sentiment for both.
 */
export function mentionDrafts(source: string, post: SocialPost, index: MentionIndex, excerptChars: number): SignalDraft[] {
  const symbols = [...new Set([...(post.tagged ?? []), ...index.extract(post.text).map((m) => m.symbol)])];
  if (symbols.length === 0) return [];
  const sentiment = sentimentOf(post.text);
  return symbols.map((symbol) => ({
    tsEvent: post.tsEvent,
    signal: {
      source,
      kind: 'social_mention',
      instrument: symbol,
      externalId: `${post.id}:${symbol}`,
      body: { ...post.fields, text: excerpt(post.text, excerptChars), sentiment },
    },
  }));
}

/** Removes keys whose value is undefined or null, so bodies hash the same whichever way a field is absent. */
export function compact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
}
