/**
 * The X API v2 filtered stream as a {@link StreamingSource}: posts matching the app's rules, delivered as
 * they are written, for the `StreamingCollector` to publish (it also reconnects, with the waits X asks for).
 *
 * Before the first connection the stream's rules (`/2/tweets/search/stream/rules`) are made equal to the
 * configured ones: rules missing are added, rules not configured are deleted, so the configuration is the
 * one place they are defined. The stream is newline-delimited JSON with a blank keep-alive line every
 * ~20 s and chunk boundaries anywhere, even inside a line or a character; {@link NdjsonDecoder} reassembles
 * it. A line that is not a readable post is dead-lettered with its bytes and the stream goes on; a line
 * cut off by a dropped connection is dead-lettered too (it was half a message).
 *
 * The standard stream has no resume point (the `backfill_minutes` recovery needs a Pro or Enterprise
 * plan; pass `backfillMinutes` when the plan has it), so there are no checkpoints: posts missed while
 * disconnected are for the recent-search source to pick up. Ids seen are remembered in memory so that a
 * backfill does not publish a post twice.
 */
import { DocumentError } from '../document.js';
import { NdjsonDecoder } from '../ndjson.js';
import type { RejectedDocument } from '../source.js';
import type { StreamContext, StreamingSource, StreamItem } from '../streaming.js';
import { BoundedCache, fetchDocument } from './common.js';
import { MentionIndex } from './mentions.js';
import { X_API, X_FIELDS, xDrafts } from './x.js';
import { parseRules, parseRulesUpdate, parseStreamLine, type XRule } from './x-parse.js';

export interface XStreamRule {
  /** A rule in X's query syntax, e.g. `($AAPL OR $TSLA) lang:en -is:retweet`. */
  readonly value: string;
  readonly tag?: string;
}

export interface XStreamSourceOptions {
  readonly bearerToken: string;
  readonly rules: readonly XStreamRule[];
  readonly symbols: readonly string[] | MentionIndex;
  /** Defaults to `x-stream`. */
  readonly name?: string;
  /** The signals' `source`. Defaults to the name. */
  readonly source?: string;
  /** Defaults to `https://api.x.com`. */
  readonly baseUrl?: string;
  /** Make the stream's rules equal to `rules` before connecting. Defaults to true. */
  readonly manageRules?: boolean;
  /** Minutes of posts to recover on reconnection (1..5; Pro and Enterprise plans only). */
  readonly backfillMinutes?: number;
  readonly excerptChars?: number;
}

const encoder = new TextEncoder();

export class XStreamSource implements StreamingSource<never> {
  readonly name: string;
  readonly #source: string;
  readonly #index: MentionIndex;
  readonly #baseUrl: string;
  readonly #seen = new BoundedCache<string, true>(20_000);
  #rulesSynced = false;
  #connections = 0;

  constructor(private readonly options: XStreamSourceOptions) {
    if (options.rules.length === 0 && options.manageRules !== false) throw new Error('x-stream: at least one rule is required');
    this.name = options.name ?? 'x-stream';
    this.#source = options.source ?? this.name;
    this.#index = options.symbols instanceof MentionIndex ? options.symbols : new MentionIndex(options.symbols);
    this.#baseUrl = (options.baseUrl ?? X_API).replace(/\/+$/, '');
  }

  get #auth(): Record<string, string> {
    return { Authorization: `Bearer ${this.options.bearerToken}` };
  }

  async *open(ctx: StreamContext<never>): AsyncGenerator<StreamItem<never>> {
    if (this.options.manageRules !== false && !this.#rulesSynced) {
      await this.syncRules(ctx);
      this.#rulesSynced = true;
    }
    const reconnecting = this.#connections++ > 0;
    const backfill: Record<string, string> =
      reconnecting && this.options.backfillMinutes ? { backfill_minutes: String(this.options.backfillMinutes) } : {};
    const url = `${this.#baseUrl}/2/tweets/search/stream?${new URLSearchParams({ ...X_FIELDS, ...backfill })}`;
    const decoder = new NdjsonDecoder(url);
    let lineNo = 0;
    const rejectedLine = (text: string, error: unknown): StreamItem<never> => ({
      type: 'rejected',
      rejected: { document: { origin: `${url}#line=${lineNo}`, body: encoder.encode(text), contentType: 'application/json' }, error },
    });
    try {
      for await (const chunk of ctx.http.stream({ url, headers: { ...this.#auth, Accept: 'application/json' }, signal: ctx.signal })) {
        let lines: string[];
        try {
          lines = decoder.push(chunk);
        } catch (error) {
          // Undecodable bytes leave the framing unknowable: dead-letter the chunk and start a new connection.
          yield { type: 'rejected', rejected: { document: { origin: url, body: chunk, contentType: 'application/json' }, error } };
          return;
        }
        if (lines.length === 0) yield { type: 'heartbeat' };
        for (const line of lines) {
          lineNo++;
          let message;
          try {
            message = parseStreamLine(line, url, lineNo);
          } catch (error) {
            yield rejectedLine(line, error);
            continue;
          }
          if (message.type === 'errors') {
            // An operational disconnect: X closes the connection next. Other errors concern one delivery.
            if (message.disconnect) return;
            yield rejectedLine(line, new DocumentError('DOCUMENT_INVALID', `an error instead of a post: ${message.titles.join('; ')}`, url, `line ${lineNo}`));
            continue;
          }
          if (this.#seen.has(message.post.id)) continue;
          this.#seen.set(message.post.id, true);
          for (const draft of xDrafts(this.#source, message.post, this.#index, this.options.excerptChars ?? 500)) {
            yield { type: 'signal', draft };
          }
        }
      }
    } catch (error) {
      const tail = decoder.end();
      if (tail !== null && !ctx.signal.aborted) {
        lineNo++;
        yield rejectedLine(tail, cutError(url, lineNo));
      }
      throw error;
    }
    const tail = decoder.end();
    if (tail !== null) {
      lineNo++;
      yield rejectedLine(tail, cutError(url, lineNo));
    }
  }

  /** Adds the configured rules the stream lacks and deletes those it has beyond them. */
  async syncRules(ctx: StreamContext<never>): Promise<void> {
    const url = `${this.#baseUrl}/2/tweets/search/stream/rules`;
    const current = parseRules(await this.#call(ctx, url));
    const key = (r: { value: string; tag?: string | null }): string => `${r.value}\u0000${r.tag ?? ''}`;
    const wanted = new Set(this.options.rules.map(key));
    const existing = new Set(current.map(key));
    const remove = current.filter((r: XRule) => !wanted.has(key(r))).map((r) => r.id);
    const add = this.options.rules.filter((r) => !existing.has(key(r))).map((r) => (r.tag ? { value: r.value, tag: r.tag } : { value: r.value }));
    if (remove.length > 0) parseRulesUpdate(await this.#call(ctx, url, { delete: { ids: remove } }));
    if (add.length > 0) parseRulesUpdate(await this.#call(ctx, url, { add }));
  }

  async #call(ctx: StreamContext<never>, url: string, body?: unknown) {
    const got = await fetchDocument(ctx.http, {
      url,
      ...(body === undefined ? {} : { method: 'POST' as const, body: JSON.stringify(body) }),
      headers: { ...this.#auth, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      signal: ctx.signal,
    });
    if ('rejected' in got) throw (got.rejected as RejectedDocument).error;
    return got.document;
  }
}

function cutError(origin: string, lineNo: number): DocumentError {
  return new DocumentError('DOCUMENT_MALFORMED', 'the connection ended in the middle of this line', origin, `line ${lineNo}`);
}
