/**
 * Pure parsers for Reddit's JSON API: subreddit listings, comment pages, `/api/morechildren` answers,
 * user profiles and the OAuth token answer.
 *
 * What they absorb (see test/fixtures/PITFALLS.md): `/comments/{id}` is an array of two listings (the post,
 * then its comments); a comment's `replies` is `""` when it has none and a Listing otherwise; `kind: "more"`
 * stubs stand for comments not sent, to be fetched through `/api/morechildren`, whose wrapper is
 * `json.data.things` (a flat list, more stubs included); `edited` is `false` or a float (epoch seconds, and
 * `true` on some very old posts); `created_utc` is a float; text fields are HTML-entity escaped; removed and
 * deleted content reads `[removed]`/`[deleted]`, and so does a deleted account's name.
 */
import { DocumentError, type SourceDocument } from '../document.js';
import { isObject, JsonReader, parseJsonDocument } from './json.js';
import { decodeEntities } from './text.js';

export const REDDIT_WEB = 'https://www.reddit.com';

export interface RedditThing {
  readonly kind: 't3' | 't1';
  /** The base-36 id (`agi5zf`). */
  readonly id: string;
  /** The kind-prefixed id (`t3_agi5zf`), unique across Reddit. */
  readonly fullname: string;
  /** Null when the account was deleted. */
  readonly author: string | null;
  readonly authorFullname: string | null;
  readonly subreddit: string;
  /** A post's title (entity-decoded); null for comments. */
  readonly title: string | null;
  /** The post's self text or the comment's body, entity-decoded; empty when removed or deleted. */
  readonly text: string;
  /** Why the text is gone, when it is. */
  readonly gone: 'removed' | 'deleted' | null;
  /** `created_utc` in epoch milliseconds. */
  readonly createdMs: number;
  /** `created_utc` as sent (epoch seconds), kept for exact ordering. */
  readonly createdUtc: number;
  readonly edited: boolean;
  readonly editedMs: number | null;
  readonly score: number;
  readonly numComments: number | null;
  /** The absolute permalink. */
  readonly url: string;
  /** For comments: the parent's fullname and the post's fullname. */
  readonly parentId: string | null;
  readonly linkId: string | null;
}

/** A `kind: "more"` stub: comments Reddit did not send, by base-36 id. */
export interface RedditMore {
  readonly name: string;
  readonly parentId: string;
  readonly count: number;
  readonly children: readonly string[];
}

export interface RedditListing {
  readonly things: readonly RedditThing[];
  readonly more: readonly RedditMore[];
  readonly after: string | null;
}

export interface RedditCommentsPage {
  readonly post: RedditThing;
  /** Every comment in the tree, parents before their replies. */
  readonly comments: readonly RedditThing[];
  readonly more: readonly RedditMore[];
}

const GONE = new Set(['[removed]', '[deleted]']);

function parseThing(r: JsonReader): RedditThing | RedditMore | null {
  const kind = r.get('kind').string();
  const d = r.get('data');
  d.object();
  if (kind === 'more') {
    return {
      name: d.get('name').string(),
      parentId: d.get('parent_id').string(),
      count: d.get('count').optNumber() ?? 0,
      children: d.get('children').array().map((c) => c.string()),
    };
  }
  if (kind !== 't3' && kind !== 't1') return null; // subreddits, users, awards: nothing to read here
  const id = d.get('id').string();
  const rawText = d.get(kind === 't3' ? 'selftext' : 'body').optString() ?? '';
  const gone = GONE.has(rawText.trim()) ? (rawText.trim() === '[removed]' ? 'removed' : 'deleted') : null;
  const author = d.get('author').optString();
  const createdUtc = d.get('created_utc').number();
  const edited = d.get('edited').value;
  if (edited !== false && edited !== true && typeof edited !== 'number') {
    d.get('edited').fail(`expected false or a timestamp, found ${JSON.stringify(edited)}`);
  }
  const permalink = d.get('permalink').optString();
  return {
    kind,
    id,
    fullname: d.get('name').optString() ?? `${kind}_${id}`,
    author: author === null || GONE.has(author) ? null : author,
    authorFullname: d.get('author_fullname').optString(),
    subreddit: d.get('subreddit').string(),
    title: kind === 't3' ? decodeEntities(d.get('title').string()) : null,
    text: gone ? '' : decodeEntities(rawText),
    gone,
    createdMs: Math.round(createdUtc * 1000),
    createdUtc,
    edited: edited !== false,
    editedMs: typeof edited === 'number' ? Math.round(edited * 1000) : null,
    score: d.get('score').optNumber() ?? 0,
    numComments: kind === 't3' ? d.get('num_comments').optNumber() : null,
    url: permalink ? new URL(permalink, REDDIT_WEB).toString() : `${REDDIT_WEB}/comments/${id}`,
    parentId: d.get('parent_id').optString(),
    linkId: d.get('link_id').optString(),
  };
}

const isMore = (t: RedditThing | RedditMore): t is RedditMore => !('kind' in t);

function requireListing(r: JsonReader): JsonReader[] {
  const kind = r.has('kind') ? r.get('kind').value : undefined;
  if (kind !== 'Listing') {
    throw new DocumentError('DOCUMENT_FORMAT', `not a Reddit Listing (kind ${JSON.stringify(kind ?? null)})`, r.origin, r.path);
  }
  return r.get('data').get('children').array();
}

/** Walks children (and, for comments, their `replies`) depth-first, parents first. */
function collect(children: readonly JsonReader[], things: RedditThing[], more: RedditMore[]): void {
  for (const child of children) {
    const thing = parseThing(child);
    if (thing === null) continue;
    if (isMore(thing)) {
      more.push(thing);
      continue;
    }
    things.push(thing);
    const replies = child.get('data').get('replies');
    // `replies` is "" (or absent) when a comment has none, and a Listing otherwise.
    if (isObject(replies.value)) collect(requireListing(replies), things, more);
    else if (replies.value !== undefined && replies.value !== '' && replies.value !== null) {
      replies.fail(`expected "" or a Listing, found ${JSON.stringify(replies.value).slice(0, 40)}`);
    }
  }
}

function rootObject(document: SourceDocument, expect: string): JsonReader {
  const json = parseJsonDocument(document);
  const r = JsonReader.of(json, document.origin);
  if (Array.isArray(json)) throw new DocumentError('DOCUMENT_FORMAT', `an array where ${expect} was expected`, document.origin, '$');
  return r;
}

/** A listing (`/r/{sub}/new`, `/user/{name}/submitted`): posts or comments, newest first as sent. */
export function parseListing(document: SourceDocument): RedditListing {
  const r = rootObject(document, 'a Listing');
  const things: RedditThing[] = [];
  const more: RedditMore[] = [];
  const children = requireListing(r);
  // A listing's own children are not trees (listings of comments carry no replies), but walking is harmless.
  collect(children, things, more);
  return { things, more, after: r.get('data').get('after').optString() };
}

/** `/comments/{id}`: `[post listing, comment listing]`. */
export function parseComments(document: SourceDocument): RedditCommentsPage {
  const json = parseJsonDocument(document);
  const r = JsonReader.of(json, document.origin);
  if (!Array.isArray(json)) {
    throw new DocumentError('DOCUMENT_FORMAT', 'expected an array of two Listings (post, comments)', document.origin, '$');
  }
  const parts = r.array();
  if (parts.length !== 2) r.fail(`expected two Listings, found ${parts.length}`);
  const posts: RedditThing[] = [];
  collect(requireListing(parts[0]!), posts, []);
  const post = posts.find((t) => t.kind === 't3');
  if (!post) {
    throw new DocumentError('DOCUMENT_INVALID', 'no post (t3) in the first Listing', document.origin, `${parts[0]!.path}.data.children`);
  }
  const comments: RedditThing[] = [];
  const more: RedditMore[] = [];
  collect(requireListing(parts[1]!), comments, more);
  return { post, comments, more };
}

/** `/api/morechildren?api_type=json`: `{ json: { errors: [], data: { things: [...] } } }`. */
export function parseMoreChildren(document: SourceDocument): { readonly comments: readonly RedditThing[]; readonly more: readonly RedditMore[] } {
  const r = rootObject(document, 'a morechildren answer').get('json');
  const errors = r.get('errors').optArray();
  if (errors.length > 0) r.fail(`Reddit reported errors: ${JSON.stringify(errors.map((e) => e.value)).slice(0, 200)}`, `${r.path}.errors`);
  const things: RedditThing[] = [];
  const more: RedditMore[] = [];
  // The things come flat, each with its parent_id; nested `replies` are empty here.
  collect(r.get('data').get('things').array(), things, more);
  return { comments: things.filter((t) => t.kind === 't1'), more };
}

export interface RedditAccount {
  readonly name: string;
  /** When the account was made, epoch ms; null for a suspended account. */
  readonly createdMs: number | null;
  /** Link plus comment karma; null when hidden. */
  readonly karma: number | null;
  /** Followers (the subscribers of the account's profile), when shown. */
  readonly followers: number | null;
  readonly suspended: boolean;
}

/** `/user/{name}/about`: a `t2` thing. */
export function parseAccount(document: SourceDocument): RedditAccount {
  const r = rootObject(document, 'an account (t2)');
  const kind = r.get('kind').string();
  if (kind !== 't2') throw new DocumentError('DOCUMENT_FORMAT', `expected kind t2, found ${kind}`, document.origin, '$.kind');
  const d = r.get('data');
  const suspended = d.has('is_suspended') && d.get('is_suspended').value === true;
  const created = d.get('created_utc').optNumber();
  const link = d.get('link_karma').optNumber();
  const comment = d.get('comment_karma').optNumber();
  const profile = d.get('subreddit');
  const followers = isObject(profile.value) ? profile.get('subscribers').optNumber() : null;
  return {
    name: d.get('name').string(),
    createdMs: created === null ? null : Math.round(created * 1000),
    karma: link === null && comment === null ? null : (link ?? 0) + (comment ?? 0),
    followers,
    suspended,
  };
}

export interface AccessToken {
  readonly accessToken: string;
  readonly expiresInSec: number;
}

/** The client-credentials grant's answer: `{ access_token, token_type: "bearer", expires_in, scope }`. */
export function parseAccessToken(document: SourceDocument): AccessToken {
  const r = rootObject(document, 'a token answer');
  if (r.has('error')) r.fail(`token refused: ${JSON.stringify(r.get('error').value)}`, '$.error');
  const type = r.get('token_type').string();
  if (type.toLowerCase() !== 'bearer') r.get('token_type').fail(`expected a bearer token, found ${type}`);
  return { accessToken: r.get('access_token').string(), expiresInSec: r.get('expires_in').number() };
}
