/**
 * X (formerly Twitter) through the official API v2, as `social_mention` signals: recent search polled on a
 * schedule. The filtered stream, for live delivery, is `x-stream.ts`; both turn posts into drafts here.
 *
 * Search pages with `meta.next_token` and starts after the cursor's `since_id`, so a poll reads only posts
 * newer than the newest one already read. Authors come from `includes.users` (asked for with
 * `expansions=author_id`), which gives follower counts and account creation times: the fields the
 * bot-swarm detector reads. App-only authentication: the app's bearer token.
 */
import type { PollContext, PollingSource, PollResult, RejectedDocument, SignalDraft } from '../source.js';
import { accountAgeDays, compact, fetchDocument, mentionDrafts } from './common.js';
import { MentionIndex } from './mentions.js';
import { compareIds, parseSearchPage, type XPost } from './x-parse.js';

/** The fields every X request asks for, so search and stream bodies look the same. */
export const X_FIELDS: Readonly<Record<string, string>> = {
  expansions: 'author_id',
  'user.fields': 'created_at,public_metrics',
  'tweet.fields': 'created_at,public_metrics',
};

export const X_API = 'https://api.x.com';

export interface XSearchSourceOptions {
  /** The app's bearer token (app-only authentication). */
  readonly bearerToken: string;
  /** A search query in X's rule syntax, e.g. `($AAPL OR $TSLA) lang:en -is:retweet`. */
  readonly query: string;
  readonly symbols: readonly string[] | MentionIndex;
  /** Defaults to `x`. */
  readonly name?: string;
  /** The signals' `source`. Defaults to the name. */
  readonly source?: string;
  /** Defaults to 60 s. */
  readonly intervalMs?: number;
  /** Defaults to `https://api.x.com`. */
  readonly baseUrl?: string;
  /** Posts per page, 10..100. Defaults to 100. */
  readonly maxResults?: number;
  /** Pages per poll. Defaults to 5. */
  readonly maxPages?: number;
  /** Pages on the first poll (recent search reaches back seven days). Defaults to 1. */
  readonly firstRunPages?: number;
  readonly excerptChars?: number;
}

export interface XSearchCursor {
  readonly v: 1;
  /** The newest post id read; the next search asks for posts after it. */
  readonly sinceId: string | null;
}

/** The drafts for one post: one per instrument mentioned. Shared by search and stream. */
export function xDrafts(source: string, post: XPost, index: MentionIndex, excerptChars: number): SignalDraft[] {
  const author = post.author;
  const fields = compact({
    platform: 'x',
    author: author?.username ?? post.authorId ?? undefined,
    authorId: post.authorId,
    followers: author?.followers,
    authorCreatedAt: author?.createdMs,
    accountAgeDays: author?.createdMs != null ? accountAgeDays(author.createdMs, post.createdMs) : undefined,
    likes: post.likes,
    reposts: post.reposts,
    replies: post.replies,
    quotes: post.quotes,
    rules: post.matchingRules.length > 0 ? post.matchingRules : undefined,
    url: `https://x.com/${author?.username ?? 'i/web'}/status/${post.id}`,
  });
  return mentionDrafts(source, { id: `x:${post.id}`, tsEvent: post.createdMs, text: post.text, fields }, index, excerptChars);
}

export class XSearchSource implements PollingSource<XSearchCursor> {
  readonly name: string;
  readonly intervalMs: number;
  readonly #source: string;
  readonly #index: MentionIndex;
  readonly #baseUrl: string;
  readonly #maxResults: number;

  constructor(private readonly options: XSearchSourceOptions) {
    if (!options.query.trim()) throw new Error('x: a search query is required');
    this.name = options.name ?? 'x';
    this.#source = options.source ?? this.name;
    this.intervalMs = options.intervalMs ?? 60_000;
    this.#index = options.symbols instanceof MentionIndex ? options.symbols : new MentionIndex(options.symbols);
    this.#baseUrl = (options.baseUrl ?? X_API).replace(/\/+$/, '');
    this.#maxResults = Math.min(100, Math.max(10, options.maxResults ?? 100));
  }

  parseCursor(stored: string): XSearchCursor | null {
    try {
      const c = JSON.parse(stored) as Partial<XSearchCursor>;
      return c.v === 1 && (c.sinceId === null || (typeof c.sinceId === 'string' && /^\d+$/.test(c.sinceId))) ? (c as XSearchCursor) : null;
    } catch {
      return null;
    }
  }

  async poll(ctx: PollContext<XSearchCursor>): Promise<PollResult<XSearchCursor>> {
    const sinceId = ctx.cursor?.sinceId ?? null;
    const pages = sinceId ? (this.options.maxPages ?? 5) : (this.options.firstRunPages ?? 1);
    const rejected: RejectedDocument[] = [];
    const posts = new Map<string, XPost>();
    let newest = sinceId;
    let complete = true;
    let nextToken: string | null = null;
    for (let page = 0; page < pages; page++) {
      const query = new URLSearchParams({
        query: this.options.query,
        max_results: String(this.#maxResults),
        ...X_FIELDS,
        ...(sinceId ? { since_id: sinceId } : {}),
        ...(nextToken ? { next_token: nextToken } : {}),
      });
      const url = `${this.#baseUrl}/2/tweets/search/recent?${query}`;
      const got = await fetchDocument(ctx.http, {
        url,
        headers: { Authorization: `Bearer ${this.options.bearerToken}`, Accept: 'application/json' },
        signal: ctx.signal,
      });
      if ('rejected' in got) {
        rejected.push(got.rejected);
        complete = false;
        break;
      }
      try {
        const result = parseSearchPage(got.document);
        for (const p of result.posts) posts.set(p.id, p);
        for (const id of [result.newestId, ...result.posts.map((p) => p.id)]) {
          if (id && (newest === null || compareIds(id, newest) > 0)) newest = id;
        }
        nextToken = result.nextToken;
      } catch (error) {
        rejected.push({ document: got.document, error });
        complete = false;
        break;
      }
      if (!nextToken) break;
    }
    // Oldest first; ids are time-ordered.
    const ordered = [...posts.values()].sort((a, b) => compareIds(a.id, b.id));
    const drafts = ordered.flatMap((p) => xDrafts(this.#source, p, this.#index, this.options.excerptChars ?? 500));
    // A page that failed mid-way leaves posts older than those read unread: keep the old since_id so the
    // next poll reads them (what was read now repeats, and de-duplication absorbs it).
    return { drafts, rejected, cursor: { v: 1, sinceId: complete ? newest : sinceId } };
  }
}
