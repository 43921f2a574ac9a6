/**
 * Any list of RSS and Atom feeds as `news` signals.
 *
 * Each poll fetches every feed with a conditional GET (the ETag and Last-Modified of the copy last read
 * are in the cursor), so an unchanged feed costs its publisher a 304 and nothing else. A changed feed is
 * parsed and its items compared with those seen before (by id, remembered per feed in the cursor as short
 * hashes), since a feed is a sliding window and most of its items were there last time.
 *
 * Each new item becomes one draft per instrument it mentions (in its title and summary); an item that
 * mentions none still becomes one draft with `instrument: null`, for entity resolution downstream to
 * place. A feed that cannot be fetched or read is returned as rejected, with its bytes, and the others
 * go on; its validators are kept so the same broken copy is not fetched and dead-lettered on every poll.
 */
import { createHash } from 'node:crypto';
import { MentionIndex } from '../social/mentions.js';
import { sentimentOf } from '../social/sentiment.js';
import { compact, fetchDocument } from '../social/common.js';
import { excerpt } from '../social/text.js';
import type { PollContext, PollingSource, PollResult, RejectedDocument, SignalDraft } from '../source.js';
import { parseFeed, type Feed, type FeedItem } from './feed-parse.js';

export interface NewsFeed {
  readonly url: string;
  /** A short name for the feed, in bodies. Defaults to the feed's own title. */
  readonly name?: string;
  /** Who publishes it, in bodies. Defaults to the feed's publisher, else its title. */
  readonly publisher?: string;
}

export interface FeedSourceOptions {
  /** Feed URLs, or feeds with names. */
  readonly feeds: readonly (string | NewsFeed)[];
  readonly symbols: readonly string[] | MentionIndex;
  /** Defaults to `news`. */
  readonly name?: string;
  /** The signals' `source`. Defaults to the name. */
  readonly source?: string;
  /** Defaults to 5 minutes. */
  readonly intervalMs?: number;
  /** Length of the summary excerpt kept in bodies. Defaults to 500. */
  readonly excerptChars?: number;
  /** Item ids remembered per feed. Defaults to 1000 (well above any feed's window). */
  readonly maxSeen?: number;
}

export interface FeedState {
  readonly etag: string | null;
  readonly lastModified: string | null;
  /** Short hashes of the ids of items already turned into drafts, newest first. */
  readonly seen: readonly string[];
}

export interface FeedCursor {
  readonly v: 1;
  /** By feed URL. */
  readonly feeds: Readonly<Record<string, FeedState>>;
}

const seenKey = (id: string): string => createHash('sha256').update(id).digest('base64url').slice(0, 16);

export class FeedSource implements PollingSource<FeedCursor> {
  readonly name: string;
  readonly intervalMs: number;
  readonly #source: string;
  readonly #index: MentionIndex;
  readonly #feeds: readonly NewsFeed[];

  constructor(private readonly options: FeedSourceOptions) {
    this.#feeds = options.feeds.map((f) => (typeof f === 'string' ? { url: f } : f));
    for (const f of this.#feeds) new URL(f.url); // throws on a malformed URL, at start rather than at the first poll
    if (new Set(this.#feeds.map((f) => f.url)).size !== this.#feeds.length) throw new Error('news: a feed URL is listed twice');
    this.name = options.name ?? 'news';
    this.#source = options.source ?? this.name;
    this.intervalMs = options.intervalMs ?? 300_000;
    this.#index = options.symbols instanceof MentionIndex ? options.symbols : new MentionIndex(options.symbols);
  }

  parseCursor(stored: string): FeedCursor | null {
    try {
      const c = JSON.parse(stored) as Partial<FeedCursor>;
      return c.v === 1 && typeof c.feeds === 'object' && c.feeds !== null ? (c as FeedCursor) : null;
    } catch {
      return null;
    }
  }

  async poll(ctx: PollContext<FeedCursor>): Promise<PollResult<FeedCursor>> {
    const drafts: SignalDraft[] = [];
    const rejected: RejectedDocument[] = [];
    const states: Record<string, FeedState> = {};
    for (const feed of this.#feeds) {
      const before = ctx.cursor?.feeds[feed.url] ?? { etag: null, lastModified: null, seen: [] };
      states[feed.url] = await this.#pollFeed(ctx, feed, before, drafts, rejected);
    }
    return { drafts, rejected, cursor: { v: 1, feeds: states } };
  }

  async #pollFeed(
    ctx: PollContext<FeedCursor>,
    feed: NewsFeed,
    before: FeedState,
    drafts: SignalDraft[],
    rejected: RejectedDocument[],
  ): Promise<FeedState> {
    const got = await fetchDocument(ctx.http, {
      url: feed.url,
      etag: before.etag,
      lastModified: before.lastModified,
      headers: { Accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5' },
      signal: ctx.signal,
    });
    if ('rejected' in got) {
      rejected.push(got.rejected);
      return before;
    }
    if (got.response.notModified) return before;
    const validators = { etag: got.response.etag, lastModified: got.response.lastModified };
    let parsed: Feed;
    try {
      parsed = parseFeed(got.document);
    } catch (error) {
      rejected.push({ document: got.document, error });
      return { ...validators, seen: before.seen };
    }
    const seen = new Set(before.seen);
    const fresh = parsed.items
      .filter((item) => !seen.has(seenKey(item.id)))
      .sort((a, b) => (a.publishedMs ?? 0) - (b.publishedMs ?? 0) || a.id.localeCompare(b.id));
    for (const item of fresh) drafts.push(...this.#drafts(feed, parsed, item, ctx.clock.now()));
    const current = parsed.items.map((item) => seenKey(item.id));
    const kept = [...new Set([...current, ...before.seen])].slice(0, this.options.maxSeen ?? 1000);
    return { ...validators, seen: kept };
  }

  #drafts(feed: NewsFeed, parsed: Feed, item: FeedItem, now: number): SignalDraft[] {
    const text = [item.title, item.summary].filter((s) => s !== '').join('\n');
    const symbols = this.#index.extract(text).map((m) => m.symbol);
    const body = compact({
      title: item.title,
      summary: excerpt(item.summary, this.options.excerptChars ?? 500),
      link: item.link,
      guid: item.id,
      feed: feed.name ?? parsed.title,
      feedUrl: feed.url,
      publisher: feed.publisher ?? parsed.publisher ?? parsed.title,
      author: item.author,
      categories: item.categories.length > 0 ? item.categories : undefined,
      language: parsed.language,
      publishedAt: item.publishedMs,
      updatedAt: item.updatedMs,
      dateText: item.unreadableDate,
      sentiment: sentimentOf(text),
    });
    // An item without a readable date is stamped when it was first seen.
    const tsEvent = item.publishedMs ?? item.updatedMs ?? now;
    const signal = (instrument: string | null): SignalDraft => ({
      tsEvent,
      signal: {
        source: this.#source,
        kind: 'news',
        instrument,
        externalId: instrument === null ? item.id : `${item.id}:${instrument}`,
        body,
      },
    });
    return symbols.length > 0 ? symbols.map(signal) : [signal(null)];
  }
}
