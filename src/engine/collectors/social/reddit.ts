/**
 * Reddit, through its official OAuth API, as `social_mention` signals.
 *
 * Authentication is an app's own credentials (the client-credentials grant, "application-only" access):
 * a bearer token from the token URL, cached until shortly before it expires and fetched again on a 401.
 * Every request declares the app in its User-Agent, as Reddit's API rules ask.
 *
 * Each poll reads `/r/{sub}/new` page by page (`after`) until Reddit says there is no more, or until it
 * reaches what the cursor says was already read (a watermark on `created_utc` plus the fullnames at that
 * second, so the newest seen post stops the paging even when several share its second). New posts are
 * then watched for a while: each poll reads their comments (`/comments/{id}`, expanding `more` stubs
 * through `/api/morechildren`) and keeps those newer than the post's own comment watermark. A post or
 * comment that mentions instruments becomes one draft per instrument; its author's account age and karma
 * come from `/user/{name}/about`, looked up once per author and cached.
 */
import type { Clock } from '../../clock.js';
import type { SourceDocument } from '../document.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http.js';
import type { PollContext, PollingSource, PollResult, RejectedDocument, SignalDraft } from '../source.js';
import {
  accountAgeDays, advance, BoundedCache, compact, fetchDocument, isNewer, mentionDrafts, SourceError, type Watermark,
} from './common.js';
import { MentionIndex } from './mentions.js';
import {
  parseAccessToken, parseAccount, parseComments, parseListing, parseMoreChildren,
  type RedditAccount, type RedditMore, type RedditThing,
} from './reddit-parse.js';

export interface RedditSourceOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Reddit asks for `<platform>:<app id>:<version> (by /u/<username>)`. Sent on every request. */
  readonly userAgent: string;
  /** Subreddit names without `r/`. */
  readonly subreddits: readonly string[];
  /** The symbols mentions are resolved against, or a prepared index. */
  readonly symbols: readonly string[] | MentionIndex;
  /** The collector's name (cursor key, dead letters). Defaults to `reddit`. */
  readonly name?: string;
  /** The signals' `source`. Defaults to the name. */
  readonly source?: string;
  /** Defaults to 60 s. */
  readonly intervalMs?: number;
  /** Defaults to `https://oauth.reddit.com`. */
  readonly baseUrl?: string;
  /** Defaults to `https://www.reddit.com/api/v1/access_token`. */
  readonly tokenUrl?: string;
  /** Items per listing page (Reddit's maximum is 100). */
  readonly pageSize?: number;
  /** Pages read per subreddit per poll; a backlog deeper than this is skipped. Defaults to 10. */
  readonly maxPages?: number;
  /** Pages read on the first poll, when there is no cursor: how much history to take. Defaults to 1. */
  readonly firstRunPages?: number;
  /** Read comments of new posts. Defaults to true. */
  readonly comments?: boolean;
  /** How long a post's comments are followed after it is posted. Defaults to 6 hours. */
  readonly watchMs?: number;
  /** At most this many posts are followed at once, the newest. Defaults to 20. */
  readonly maxWatched?: number;
  /** `/api/morechildren` calls per post per poll. Defaults to 3. */
  readonly maxMoreRequests?: number;
  /** Look up authors' account age and karma. Defaults to true. */
  readonly authorDetails?: boolean;
  /** Length of the text excerpt kept in bodies. Defaults to 500. */
  readonly excerptChars?: number;
}

interface Watched {
  readonly post: string;
  readonly subreddit: string;
  /** Stop following after this instant (epoch ms). */
  readonly until: number;
  readonly comments: Watermark | null;
}

export interface RedditCursor {
  readonly v: 1;
  /** Per subreddit: the newest post read (`created_utc` seconds and fullnames at that second). */
  readonly subreddits: Readonly<Record<string, Watermark>>;
  readonly watch: readonly Watched[];
}

const SUBREDDIT = /^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/;
/** Renew the token this long before Reddit says it expires. */
const TOKEN_MARGIN_MS = 60_000;
const MORE_IDS_PER_CALL = 100;

type Fetched = { readonly response: HttpResponse; readonly document: SourceDocument };

export class RedditSource implements PollingSource<RedditCursor> {
  readonly name: string;
  readonly intervalMs: number;
  readonly #o: Required<Omit<RedditSourceOptions, 'symbols' | 'name' | 'source' | 'intervalMs'>>;
  readonly #source: string;
  readonly #index: MentionIndex;
  #token: { readonly value: string; readonly expiresAt: number } | null = null;
  readonly #accounts = new BoundedCache<string, RedditAccount | null>(5000);

  constructor(options: RedditSourceOptions) {
    for (const sub of options.subreddits) {
      if (!SUBREDDIT.test(sub)) throw new Error(`reddit: invalid subreddit name "${sub}"`);
    }
    if (!options.userAgent.trim()) throw new Error('reddit: a User-Agent naming the app is required');
    this.name = options.name ?? 'reddit';
    this.#source = options.source ?? this.name;
    this.intervalMs = options.intervalMs ?? 60_000;
    this.#index = options.symbols instanceof MentionIndex ? options.symbols : new MentionIndex(options.symbols);
    this.#o = {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      userAgent: options.userAgent,
      subreddits: options.subreddits,
      baseUrl: (options.baseUrl ?? 'https://oauth.reddit.com').replace(/\/+$/, ''),
      tokenUrl: options.tokenUrl ?? 'https://www.reddit.com/api/v1/access_token',
      pageSize: Math.min(100, Math.max(1, options.pageSize ?? 100)),
      maxPages: options.maxPages ?? 10,
      firstRunPages: options.firstRunPages ?? 1,
      comments: options.comments ?? true,
      watchMs: options.watchMs ?? 6 * 3_600_000,
      maxWatched: options.maxWatched ?? 20,
      maxMoreRequests: options.maxMoreRequests ?? 3,
      authorDetails: options.authorDetails ?? true,
      excerptChars: options.excerptChars ?? 500,
    };
  }

  parseCursor(stored: string): RedditCursor | null {
    try {
      const c = JSON.parse(stored) as Partial<RedditCursor>;
      return c.v === 1 && typeof c.subreddits === 'object' && Array.isArray(c.watch) ? (c as RedditCursor) : null;
    } catch {
      return null;
    }
  }

  async poll(ctx: PollContext<RedditCursor>): Promise<PollResult<RedditCursor>> {
    const rejected: RejectedDocument[] = [];
    const things: RedditThing[] = [];
    const marks: Record<string, Watermark> = { ...(ctx.cursor?.subreddits ?? {}) };
    const watch = new Map((ctx.cursor?.watch ?? []).map((w) => [w.post, w]));

    for (const sub of this.#o.subreddits) {
      const mark = marks[sub];
      const { posts, complete } = await this.#newPosts(ctx, sub, mark, rejected);
      things.push(...posts);
      // When a page failed, posts older than those read are still unread: keep the mark so the next poll
      // reads them (the posts read now repeat, and de-duplication absorbs them).
      const next = complete ? advance(mark, posts.map((p) => ({ t: p.createdUtc, id: p.fullname }))) : null;
      if (next) marks[sub] = next;
      if (this.#o.comments) {
        for (const p of posts) {
          // A post read again (after a failed page) keeps its comment watermark.
          if (!watch.has(p.fullname)) {
            watch.set(p.fullname, { post: p.fullname, subreddit: sub, until: p.createdMs + this.#o.watchMs, comments: null });
          }
        }
      }
    }

    const now = ctx.clock.now();
    const followed = [...watch.values()]
      .filter((w) => w.until > now)
      .sort((a, b) => b.until - a.until || a.post.localeCompare(b.post))
      .slice(0, this.#o.maxWatched);
    const nextWatch: Watched[] = [];
    for (const w of followed) {
      const comments = await this.#newComments(ctx, w, rejected);
      things.push(...comments);
      nextWatch.push({ ...w, comments: advance(w.comments, comments.map((c) => ({ t: c.createdUtc, id: c.fullname }))) });
    }

    things.sort((a, b) => a.createdUtc - b.createdUtc || a.fullname.localeCompare(b.fullname));
    const drafts: SignalDraft[] = [];
    for (const thing of things) drafts.push(...(await this.#drafts(ctx, thing, rejected)));
    return { drafts, rejected, cursor: { v: 1, subreddits: marks, watch: nextWatch } };
  }

  /** Posts newer than the watermark, paging with `after`; `complete` is false when a page failed. */
  async #newPosts(
    ctx: PollContext<RedditCursor>,
    sub: string,
    mark: Watermark | undefined,
    rejected: RejectedDocument[],
  ): Promise<{ posts: RedditThing[]; complete: boolean }> {
    const out: RedditThing[] = [];
    const pages = mark ? this.#o.maxPages : this.#o.firstRunPages;
    let after: string | null = null;
    for (let page = 0; page < pages; page++) {
      const query = new URLSearchParams({ limit: String(this.#o.pageSize), ...(after ? { after } : {}) });
      const got = await this.#get(ctx, `/r/${sub}/new?${query}`, rejected);
      if (!got || got === 'quiet') return { posts: out, complete: false };
      let listing;
      try {
        listing = parseListing(got.document);
      } catch (error) {
        rejected.push({ document: got.document, error });
        return { posts: out, complete: false };
      }
      // `/new` is newest first, so a page holding a post already read is the last one needed. The whole
      // page is still scanned: a listing out of order (as the recorded fixture is) must not hide new posts.
      let reachedSeen = false;
      for (const t of listing.things) {
        if (t.kind !== 't3') continue;
        if (isNewer(mark, t.createdUtc, t.fullname)) out.push(t);
        else reachedSeen = true;
      }
      if (reachedSeen || listing.after === null) break;
      after = listing.after;
    }
    return { posts: out, complete: true };
  }

  /** Comments of a followed post newer than its comment watermark, with `more` stubs expanded. */
  async #newComments(ctx: PollContext<RedditCursor>, w: Watched, rejected: RejectedDocument[]): Promise<RedditThing[]> {
    const id = w.post.replace(/^t3_/, '');
    const got = await this.#get(ctx, `/comments/${id}?${new URLSearchParams({ sort: 'new', limit: '500' })}`, rejected);
    if (!got || got === 'quiet') return [];
    let page;
    try {
      page = parseComments(got.document);
    } catch (error) {
      rejected.push({ document: got.document, error });
      return [];
    }
    const all = new Map(page.comments.map((c) => [c.fullname, c]));
    // "Continue this thread" stubs have no children ids; only stubs listing ids can be expanded.
    let pending: string[] = page.more.flatMap((m: RedditMore) => m.children);
    const requested = new Set<string>();
    for (let calls = 0; pending.length > 0 && calls < this.#o.maxMoreRequests; calls++) {
      const batch = pending.slice(0, MORE_IDS_PER_CALL);
      pending = pending.slice(MORE_IDS_PER_CALL);
      for (const id of batch) requested.add(id);
      const query = new URLSearchParams({ api_type: 'json', link_id: w.post, children: batch.join(','), sort: 'new' });
      const more = await this.#get(ctx, `/api/morechildren?${query}`, rejected);
      if (!more || more === 'quiet') break;
      try {
        const parsed = parseMoreChildren(more.document);
        for (const c of parsed.comments) all.set(c.fullname, c);
        pending.push(...parsed.more.flatMap((m) => m.children).filter((c) => !all.has(`t1_${c}`) && !requested.has(c) && !pending.includes(c)));
      } catch (error) {
        rejected.push({ document: more.document, error });
        break;
      }
    }
    return [...all.values()].filter((c) => isNewer(w.comments, c.createdUtc, c.fullname));
  }

  async #drafts(ctx: PollContext<RedditCursor>, t: RedditThing, rejected: RejectedDocument[]): Promise<SignalDraft[]> {
    // Removed or deleted text is empty here, so only a surviving title can mention anything.
    const text = [t.title, t.text].filter((s): s is string => !!s).join('\n\n');
    if (this.#index.extract(text).length === 0) return [];
    const account = t.author && this.#o.authorDetails ? await this.#account(ctx, t.author, rejected) : null;
    const fields = compact({
      platform: 'reddit',
      author: t.author ?? '[deleted]',
      authorDeleted: t.author === null ? true : undefined,
      authorCreatedAt: account?.createdMs,
      accountAgeDays: account?.createdMs != null ? accountAgeDays(account.createdMs, t.createdMs) : undefined,
      karma: account?.karma,
      followers: account?.followers,
      subreddit: t.subreddit,
      thing: t.kind === 't3' ? 'post' : 'comment',
      title: t.title,
      postId: t.kind === 't1' ? t.linkId : undefined,
      score: t.score,
      numComments: t.numComments,
      removed: t.gone ?? undefined,
      edited: t.edited || undefined,
      editedAt: t.editedMs,
      url: t.url,
    });
    return mentionDrafts(this.#source, { id: `reddit:${t.fullname}`, tsEvent: t.createdMs, text, fields }, this.#index, this.#o.excerptChars);
  }

  async #account(ctx: PollContext<RedditCursor>, name: string, rejected: RejectedDocument[]): Promise<RedditAccount | null> {
    if (this.#accounts.has(name)) return this.#accounts.get(name) ?? null;
    const got = await this.#get(ctx, `/user/${encodeURIComponent(name)}/about`, rejected, [403, 404]);
    if (got === 'quiet') {
      // A deleted or suspended account: nothing to learn, now or later.
      this.#accounts.set(name, null);
      return null;
    }
    if (!got) return null;
    try {
      const account = parseAccount(got.document);
      this.#accounts.set(name, account.suspended ? null : account);
      return account.suspended ? null : account;
    } catch (error) {
      rejected.push({ document: got.document, error });
      return null;
    }
  }

  /**
   * GET on the API with the bearer token; a 401 drops the token and retries once with a fresh one.
   * Answers that are not 2xx are pushed to `rejected` and give null, except the `quiet` statuses, which
   * give `'quiet'` (a missing account is no news).
   */
  async #get(
    ctx: PollContext<RedditCursor>,
    path: string,
    rejected: RejectedDocument[],
    quiet: readonly number[] = [],
  ): Promise<Fetched | 'quiet' | null> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.#bearer(ctx.http, ctx.clock, ctx.signal);
      const request: HttpRequest & { signal: AbortSignal } = {
        url: `${this.#o.baseUrl}${path}`,
        headers: { Authorization: `bearer ${token}`, 'User-Agent': this.#o.userAgent, Accept: 'application/json' },
        signal: ctx.signal,
      };
      const got = await fetchDocument(ctx.http, request);
      if ('document' in got) return got;
      const status = got.rejected.error instanceof SourceError ? got.rejected.error.status : undefined;
      if (status === 401 && attempt === 0) {
        this.#token = null;
        continue;
      }
      if (status !== undefined && quiet.includes(status)) return 'quiet';
      rejected.push(got.rejected);
      return null;
    }
  }

  /** The cached bearer token, or a new one from the client-credentials grant. */
  async #bearer(http: HttpClient, clock: Clock, signal: AbortSignal): Promise<string> {
    if (this.#token && clock.now() < this.#token.expiresAt) return this.#token.value;
    const basic = Buffer.from(`${this.#o.clientId}:${this.#o.clientSecret}`).toString('base64');
    const response = await http.request({
      url: this.#o.tokenUrl,
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        'User-Agent': this.#o.userAgent,
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
      signal,
    });
    if (response.status !== 200) {
      const code = response.status === 401 || response.status === 403 ? 'SOURCE_AUTH' : 'SOURCE_STATUS';
      throw new SourceError(code, `token request answered HTTP ${response.status}`, this.#o.tokenUrl, response.status);
    }
    const token = parseAccessToken({ origin: this.#o.tokenUrl, body: response.body, contentType: response.contentType });
    this.#token = { value: token.accessToken, expiresAt: clock.now() + token.expiresInSec * 1000 - TOKEN_MARGIN_MS };
    return token.accessToken;
  }
}
