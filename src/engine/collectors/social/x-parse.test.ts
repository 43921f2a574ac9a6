import { describe, expect, it } from 'vitest';
import { DocumentError, type SourceDocument } from '../document.js';
import { NdjsonDecoder } from '../ndjson.js';
import { compareIds, parseRules, parseRulesUpdate, parseSearchPage, parseStreamLine } from './x-parse.js';
import { USERS, xSearchPage, xStreamLine } from './x.fixtures.js';

const ORIGIN = 'http://127.0.0.1/2/tweets/search/recent';
const doc = (value: unknown): SourceDocument => ({
  origin: ORIGIN,
  body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  contentType: 'application/json; charset=utf-8',
});
const POST_A = { id: '1790000000000000123', text: '$TSLA looks strong &amp; rising', authorId: USERS.quiet.id, createdAt: '2024-05-13T14:00:01.000Z' };
const POST_B = { id: '1790000000000000099', text: 'Selling $AAPL', authorId: USERS.fresh.id, createdAt: '2024-05-13T13:59:00.000Z' };

function documentError(fn: () => unknown): DocumentError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DocumentError);
    return err as DocumentError;
  }
  throw new Error('expected a DocumentError');
}

describe('parseSearchPage', () => {
  it('joins posts with their authors and reads the paging fields', () => {
    const page = parseSearchPage(doc(xSearchPage([POST_A, POST_B], [USERS.quiet, USERS.fresh], 'b26v89c19zqg8o3fpzbkk8t7vbb3mewkf2gp4t0uspuyl')));
    expect(page.nextToken).toBe('b26v89c19zqg8o3fpzbkk8t7vbb3mewkf2gp4t0uspuyl');
    expect(page.newestId).toBe(POST_A.id);
    expect(page.resultCount).toBe(2);
    expect(page.posts[0]).toMatchObject({
      id: POST_A.id,
      text: '$TSLA looks strong & rising',
      createdMs: Date.UTC(2024, 4, 13, 14, 0, 1),
      likes: 10,
      author: { username: 'quiet_capital', followers: 5400, createdMs: Date.UTC(2013, 11, 14, 4, 35, 55) },
    });
    expect(page.posts[1]!.author?.username).toBe('moonking48213');
  });

  it('reads an empty result, which has no data at all', () => {
    expect(parseSearchPage(doc(xSearchPage([], [])))).toEqual({ posts: [], newestId: null, nextToken: null, resultCount: 0 });
  });

  it('rejects problem answers, broken JSON and bad fields with their path', () => {
    const problem = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
    expect(documentError(() => parseSearchPage(doc(problem))).code).toBe('DOCUMENT_FORMAT');
    expect(documentError(() => parseSearchPage(doc('{"data":[{"id":"1"'))).code).toBe('DOCUMENT_MALFORMED');
    const page = xSearchPage([POST_A], [USERS.quiet]) as any;
    page.data[0].created_at = 'yesterday';
    expect(documentError(() => parseSearchPage(doc(page)))).toMatchObject({ code: 'DOCUMENT_INVALID', path: '$.data[0].created_at' });
  });

  it('orders ids as 64-bit numbers, not as strings or doubles', () => {
    expect(compareIds('999', '1000')).toBe(-1);
    expect(compareIds('1790000000000000123', '1790000000000000122')).toBe(1);
  });
});

describe('NdjsonDecoder', () => {
  const lineA = xStreamLine(POST_A, USERS.quiet);
  const lineB = xStreamLine({ ...POST_B, text: 'Héllo $AAPL 🚀' }, USERS.fresh);
  const stream = Buffer.from(`${lineA}\r\n\r\n\r\n${lineB}\r\n`);

  it('gives the same lines whatever the chunk boundaries, dropping keep-alives', () => {
    // Every split point, including inside the multi-byte é and 🚀.
    for (let cut = 1; cut < stream.length; cut += 7) {
      const d = new NdjsonDecoder('stream');
      const lines = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(lines).toEqual([lineA, lineB]);
      expect(d.end()).toBeNull();
    }
    // One byte at a time.
    const d = new NdjsonDecoder('stream');
    const lines = [...stream].flatMap((b) => d.push(Uint8Array.of(b)));
    expect(lines).toEqual([lineA, lineB]);
  });

  it('holds a line cut mid-way and returns it at the end', () => {
    const d = new NdjsonDecoder('stream');
    expect(d.push(Buffer.from(`${lineA}\r\n${lineB.slice(0, 30)}`))).toEqual([lineA]);
    expect(d.end()).toBe(lineB.slice(0, 30));
  });

  it('rejects bytes that are not UTF-8', () => {
    const d = new NdjsonDecoder('stream');
    expect(documentError(() => d.push(Uint8Array.of(0x7b, 0xff, 0xfe, 0x0a))).code).toBe('DOCUMENT_ENCODING');
  });
});

describe('parseStreamLine', () => {
  it('reads a post with its author and matching rules', () => {
    const msg = parseStreamLine(xStreamLine(POST_A, USERS.quiet), 'stream', 1);
    expect(msg).toMatchObject({ type: 'post', post: { id: POST_A.id, matchingRules: ['tickers'], author: { username: 'quiet_capital' } } });
  });

  it('reads an operational disconnect', () => {
    const line = JSON.stringify({
      errors: [{ title: 'operational-disconnect', disconnect_type: 'UpstreamOperationalDisconnect', detail: 'This stream has been disconnected upstream for operational reasons.', type: 'https://api.twitter.com/2/problems/operational-disconnect' }],
    });
    expect(parseStreamLine(line, 'stream', 3)).toEqual({ type: 'errors', titles: ['operational-disconnect'], disconnect: true });
  });

  it('names the line of a broken message', () => {
    expect(documentError(() => parseStreamLine('{"data":{"id":"1","te', 'stream', 7))).toMatchObject({ code: 'DOCUMENT_MALFORMED', path: 'line 7' });
    expect(documentError(() => parseStreamLine('{"data":{"id":"x1","text":"a","created_at":"2024-05-13T14:00:01.000Z"}}', 'stream', 8))).toMatchObject({ code: 'DOCUMENT_INVALID', path: 'line 8.data.id' });
  });
});

describe('rules', () => {
  it('reads the rule list, empty or not, and refuses rejected rules', () => {
    expect(parseRules(doc({ meta: { sent: '2024-05-13T14:00:00.000Z', result_count: 0 } }))).toEqual([]);
    const list = { data: [{ id: '1585282465000000001', value: '$TSLA lang:en', tag: 'tickers' }], meta: { sent: '2024-05-13T14:00:00.000Z', result_count: 1 } };
    expect(parseRules(doc(list))).toEqual([{ id: '1585282465000000001', value: '$TSLA lang:en', tag: 'tickers' }]);
    const refused = { meta: { sent: 'x', summary: { created: 0, not_created: 1, valid: 0, invalid: 1 } }, errors: [{ value: '$TSLA (', title: 'UnprocessableEntity', details: ['unbalanced'] }] };
    expect(documentError(() => parseRulesUpdate(doc(refused)))).toMatchObject({ code: 'DOCUMENT_INVALID', path: '$.errors' });
  });
});
