import { describe, expect, it } from 'vitest';
import { readFixture } from '../../../../test/fixture-server.js';
import { DocumentError, type SourceDocument } from '../document.js';
import { parseAccessToken, parseAccount, parseComments, parseListing, parseMoreChildren } from './reddit-parse.js';

const LISTING = 'reddit/go-reddit_subreddit_posts.json';
const COMMENTS = 'reddit/go-reddit_post_with_comments.json';
const MORE = 'reddit/go-reddit_post_more.json';

const doc = (body: Uint8Array | string, origin = 'http://127.0.0.1/r/test/new', contentType = 'application/json; charset=UTF-8'): SourceDocument => ({
  origin,
  body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  contentType,
});
const fixtureDoc = (name: string) => doc(readFixture(name), `fixture:${name}`);
/** A fixture's JSON, changed by `edit`, as a document. */
function edited(name: string, edit: (json: any) => void): SourceDocument {
  const json = JSON.parse(readFixture(name).toString('utf8'));
  edit(json);
  return doc(JSON.stringify(json), `fixture:${name}`);
}

function documentError(fn: () => unknown): DocumentError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DocumentError);
    return err as DocumentError;
  }
  throw new Error('expected a DocumentError');
}

describe('parseListing (go-reddit_subreddit_posts.json)', () => {
  it('reads both posts of r/test with their fields', () => {
    const listing = parseListing(fixtureDoc(LISTING));
    expect(listing.things).toHaveLength(2);
    expect(listing.after).toBe('t3_hyhquk');
    const [first, second] = listing.things;
    expect(first).toMatchObject({
      kind: 't3',
      fullname: 't3_agi5zf',
      title: 'test',
      author: 'kmiller0112',
      subreddit: 'test',
      text: 'test',
      createdUtc: 1547618271,
      createdMs: 1547618271000,
      edited: false,
      editedMs: null,
      score: 253,
      url: 'https://www.reddit.com/r/test/comments/agi5zf/test/',
    });
    expect(second).toMatchObject({ fullname: 't3_hyhquk', title: 'Veggies', text: '', author: 'MuckleMcDuckle', gone: null });
  });

  it('reads an edit time, a deleted author and removed text', () => {
    const listing = parseListing(
      edited(LISTING, (j) => {
        Object.assign(j.data.children[0].data, { edited: 1547619000.5, author: '[deleted]', selftext: '[removed]', title: 'Tom &amp; Jerry' });
        j.data.after = null;
      }),
    );
    expect(listing.after).toBeNull();
    expect(listing.things[0]).toMatchObject({ author: null, gone: 'removed', text: '', edited: true, editedMs: 1547619000500, title: 'Tom & Jerry' });
  });

  it('rejects what is not a listing with the code and path at fault', () => {
    expect(documentError(() => parseListing(fixtureDoc(COMMENTS))).code).toBe('DOCUMENT_FORMAT');
    expect(documentError(() => parseListing(doc('<!doctype html><html>Too many requests</html>'))).code).toBe('DOCUMENT_FORMAT');
    const invalid = documentError(() => parseListing(edited(LISTING, (j) => (j.data.children[1].data.created_utc = 'yesterday'))));
    expect(invalid.code).toBe('DOCUMENT_INVALID');
    expect(invalid.path).toBe('$.data.children[1].data.created_utc');
    expect(invalid.message).toContain('fixture:reddit/go-reddit_subreddit_posts.json');
    const edit = documentError(() => parseListing(edited(LISTING, (j) => (j.data.children[0].data.edited = 'sometime'))));
    expect(edit.path).toBe('$.data.children[0].data.edited');
  });

  it('rejects truncated and wrongly encoded bytes', () => {
    const bytes = readFixture(LISTING);
    expect(documentError(() => parseListing(doc(bytes.subarray(0, bytes.length / 2)))).code).toBe('DOCUMENT_MALFORMED');
    expect(documentError(() => parseListing(doc(''))).code).toBe('DOCUMENT_MALFORMED');
    // Latin-1 bytes served as UTF-8.
    const latin1 = Buffer.concat([bytes.subarray(0, 20), Buffer.from([0xe9, 0xe8]), bytes.subarray(20)]);
    expect(documentError(() => parseListing(doc(latin1))).code).toBe('DOCUMENT_ENCODING');
  });
});

describe('parseComments (go-reddit_post_with_comments.json)', () => {
  it('reads the post and the comment tree, parents first, with "" replies', () => {
    const page = parseComments(fixtureDoc(COMMENTS));
    expect(page.post).toMatchObject({ fullname: 't3_testpost', title: 'Test', text: 'Hello', createdMs: 1595067967000 });
    expect(page.comments.map((c) => [c.fullname, c.parentId, c.text])).toEqual([
      ['t1_testc1', 't3_testpost', 'Hi'],
      ['t1_testc2', 't1_testc1', 'Hello'],
    ]);
    expect(page.comments[1]).toMatchObject({ linkId: 't3_testpost', createdUtc: 1595068348, author: 'testuser' });
    expect(page.more).toEqual([]);
  });

  it('rejects a listing, a page with no post, and odd replies', () => {
    expect(documentError(() => parseComments(fixtureDoc(LISTING))).code).toBe('DOCUMENT_FORMAT');
    const noPost = documentError(() => parseComments(edited(COMMENTS, (j) => (j[0].data.children = []))));
    expect(noPost).toMatchObject({ code: 'DOCUMENT_INVALID', path: '$[0].data.children' });
    const replies = documentError(() => parseComments(edited(COMMENTS, (j) => (j[1].data.children[0].data.replies = 42))));
    expect(replies).toMatchObject({ code: 'DOCUMENT_INVALID', path: '$[1].data.children[0].data.replies' });
  });
});

describe('parseMoreChildren (go-reddit_post_more.json)', () => {
  it('reads the comments under json.data.things and the more stub', () => {
    const more = parseMoreChildren(fixtureDoc(MORE));
    expect(more.comments.map((c) => c.fullname)).toEqual(['t1_def', 't1_ghi', 't1_jkl']);
    expect(more.comments[0]!.text).toMatch(/^Wow, I came here to say exactly this/);
    expect(more.comments[0]).toMatchObject({ subreddit: 'AskReddit', parentId: 't1_abc', createdMs: 1595272609000, score: 5 });
    expect(more.more).toEqual([{ name: 't1_fye3844', parentId: 't1_jkl', count: 1, children: ['fye3844'] }]);
  });

  it('rejects an answer with errors or without the wrapper', () => {
    const errors = documentError(() => parseMoreChildren(edited(MORE, (j) => (j.json.errors = [['RATELIMIT', 'slow down', 'ratelimit']]))));
    expect(errors).toMatchObject({ code: 'DOCUMENT_INVALID', path: '$.json.errors' });
    expect(documentError(() => parseMoreChildren(fixtureDoc(LISTING))).path).toBe('$.json');
  });
});

describe('accounts and tokens', () => {
  it('reads an account, a suspended one, and the token answer', () => {
    const about = { kind: 't2', data: { name: 'kmiller0112', created_utc: 1400000000.0, link_karma: 120, comment_karma: 30, subreddit: { subscribers: 7 } } };
    expect(parseAccount(doc(JSON.stringify(about)))).toEqual({ name: 'kmiller0112', createdMs: 1400000000000, karma: 150, followers: 7, suspended: false });
    expect(parseAccount(doc('{"kind":"t2","data":{"name":"x","is_suspended":true}}'))).toMatchObject({ suspended: true, createdMs: null });
    expect(parseAccessToken(doc('{"access_token":"abc","token_type":"bearer","expires_in":86400,"scope":"*"}'))).toEqual({ accessToken: 'abc', expiresInSec: 86400 });
    expect(documentError(() => parseAccessToken(doc('{"error":"invalid_grant"}'))).code).toBe('DOCUMENT_INVALID');
  });
});
