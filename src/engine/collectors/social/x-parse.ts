/**
 * Pure parsers for the X API v2: a recent-search page, one line of the filtered stream, the stream's rule
 * list, and an incremental decoder that cuts the stream's bytes into lines.
 *
 * Shapes follow the public API reference: posts in `data`, their authors in `includes.users` (requested
 * with `expansions=author_id`), paging in `meta` (`next_token`, `newest_id`, `result_count`, and no `data`
 * at all when nothing matched), partial failures in a top-level `errors` array beside the data. Post text
 * comes with `&`, `<` and `>` entity-escaped. Ids are 64-bit snowflakes sent as strings: compare them as
 * BigInt, never as numbers.
 */
import { DocumentError, type SourceDocument } from '../document.js';
import { JsonReader, parseJsonDocument, parseJsonText } from './json.js';
import { decodeEntities } from './text.js';

export interface XUser {
  readonly id: string;
  readonly username: string;
  readonly name: string | null;
  readonly createdMs: number | null;
  readonly followers: number | null;
}

export interface XPost {
  readonly id: string;
  /** Entity-decoded; the full text of a long post (`note_tweet`) when X sent it. */
  readonly text: string;
  readonly authorId: string | null;
  readonly author: XUser | null;
  readonly createdMs: number;
  readonly likes: number | null;
  readonly reposts: number | null;
  readonly replies: number | null;
  readonly quotes: number | null;
  /** Tags of the stream rules the post matched (stream only). */
  readonly matchingRules: readonly string[];
}

export interface XSearchPage {
  readonly posts: readonly XPost[];
  readonly newestId: string | null;
  readonly nextToken: string | null;
  readonly resultCount: number;
}

const ID = /^\d{1,20}$/;

/** Orders snowflake ids numerically (they are strings of up to 20 digits). */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function isoMs(r: JsonReader): number {
  const text = r.string();
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) r.fail(`expected an ISO-8601 time, found "${text}"`);
  return ms;
}

function parseUser(r: JsonReader): XUser {
  const metrics = r.get('public_metrics');
  return {
    id: r.get('id').string(),
    username: r.get('username').string(),
    name: r.get('name').optString(),
    createdMs: r.has('created_at') ? isoMs(r.get('created_at')) : null,
    followers: metrics.value == null ? null : metrics.get('followers_count').optNumber(),
  };
}

function parsePost(r: JsonReader, users: ReadonlyMap<string, XUser>, matchingRules: readonly string[]): XPost {
  const id = r.get('id').string();
  if (!ID.test(id)) r.get('id').fail(`expected a numeric id, found "${id}"`);
  const note = r.get('note_tweet');
  const text = note.value != null ? note.get('text').string() : r.get('text').string();
  const authorId = r.get('author_id').optString();
  const m = r.get('public_metrics');
  const metric = (k: string): number | null => (m.value == null ? null : m.get(k).optNumber());
  return {
    id,
    text: decodeEntities(text),
    authorId,
    author: authorId ? (users.get(authorId) ?? null) : null,
    createdMs: isoMs(r.get('created_at')),
    likes: metric('like_count'),
    reposts: metric('retweet_count'),
    replies: metric('reply_count'),
    quotes: metric('quote_count'),
    matchingRules,
  };
}

function usersOf(root: JsonReader): Map<string, XUser> {
  const includes = root.get('includes');
  const list = includes.value == null ? [] : includes.get('users').optArray();
  return new Map(list.map((u) => parseUser(u)).map((u) => [u.id, u]));
}

/** A problem document (`{ title, detail, type }`, with or without `errors`) instead of data. */
function rejectProblem(root: JsonReader): void {
  const obj = root.object();
  if (obj.data === undefined && obj.meta === undefined && (obj.title !== undefined || obj.errors !== undefined)) {
    const what = [obj.title, obj.detail].filter((x) => typeof x === 'string').join(': ') || JSON.stringify(obj.errors).slice(0, 200);
    throw new DocumentError('DOCUMENT_FORMAT', `an X API problem answer, not data (${what})`, root.origin, '$');
  }
}

/** `/2/tweets/search/recent`. */
export function parseSearchPage(document: SourceDocument): XSearchPage {
  const json = parseJsonDocument(document);
  const root = JsonReader.of(json, document.origin);
  if (Array.isArray(json)) throw new DocumentError('DOCUMENT_FORMAT', 'an array where a search page was expected', document.origin, '$');
  rejectProblem(root);
  const meta = root.get('meta');
  meta.object();
  const users = usersOf(root);
  const posts = root.get('data').optArray().map((p) => parsePost(p, users, []));
  return {
    posts,
    newestId: meta.get('newest_id').optString(),
    nextToken: meta.get('next_token').optString(),
    resultCount: meta.get('result_count').optNumber() ?? posts.length,
  };
}

export type XStreamMessage =
  | { readonly type: 'post'; readonly post: XPost }
  /** `{ errors: [...] }` on its own line: an operational disconnect or a problem with one delivery. */
  | { readonly type: 'errors'; readonly titles: readonly string[]; readonly disconnect: boolean };

/** One line of `/2/tweets/search/stream` (already cut by `NdjsonDecoder`, never blank). */
export function parseStreamLine(line: string, origin: string, lineNo: number): XStreamMessage {
  const path = `line ${lineNo}`;
  const json = parseJsonText(line, origin, path);
  const root = new JsonReader(json, origin, path);
  const obj = root.object();
  if (obj.data === undefined && obj.errors !== undefined) {
    const titles = root.get('errors').array().map((e) => e.has('title') ? e.get('title').string() : 'error');
    return { type: 'errors', titles, disconnect: titles.some((t) => /disconnect/i.test(t)) };
  }
  const rules = root.get('matching_rules').optArray().map((r) => r.has('tag') ? (r.get('tag').optString() ?? r.get('id').string()) : r.get('id').string());
  return { type: 'post', post: parsePost(root.get('data'), usersOf(root), rules) };
}

export interface XRule {
  readonly id: string;
  readonly value: string;
  readonly tag: string | null;
}

/** `GET /2/tweets/search/stream/rules`: `{ data?: [{ id, value, tag }], meta }`. */
export function parseRules(document: SourceDocument): readonly XRule[] {
  const root = JsonReader.of(parseJsonDocument(document), document.origin);
  rejectProblem(root);
  return root.get('data').optArray().map((r) => ({ id: r.get('id').string(), value: r.get('value').string(), tag: r.get('tag').optString() }));
}

/** `POST /2/tweets/search/stream/rules`: fails when X refused any rule (invalid or duplicate). */
export function parseRulesUpdate(document: SourceDocument): void {
  const root = JsonReader.of(parseJsonDocument(document), document.origin);
  rejectProblem(root);
  const errors = root.get('errors').optArray();
  if (errors.length > 0) {
    const titles = errors.map((e) => `${e.get('title').optString() ?? 'error'} ${e.has('value') ? JSON.stringify(e.get('value').value) : ''}`.trim());
    throw new DocumentError('DOCUMENT_INVALID', `rules refused: ${titles.join('; ')}`, document.origin, '$.errors');
  }
}

