/**
 * The Reddit source end to end: the real collector and HTTP client against a server on 127.0.0.1 serving
 * the Reddit fixtures (with text edited to mention instruments), through the OAuth token exchange, `after`
 * paging, comment pages with `more` stubs, account lookups, and a restart from the saved cursor.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedditSource, type RedditSourceOptions } from '../src/engine/collectors/social/reddit.js';
import { UNIVERSE } from '../src/engine/collectors/universe.js';
import { startFixtureServer, type FixtureServer } from './fixture-server.js';
import { fixtureJson, rig, type Rig } from './social-news-harness.js';

const UA = 'server:vanta-test:0.1 (by /u/vanta_ops)';
const SYMBOLS = UNIVERSE.map((i) => i.symbol);
/** Six minutes after the newest fixture post (t3_hyhquk, 2020-07-26T23:25:10Z): it is still followed. */
const NOW = 1595808310_000 + 6 * 60_000;

/** Page 1: the real listing, with text that mentions instruments. Its `after` is t3_hyhquk. */
function page1(): unknown {
  const j = fixtureJson('reddit/go-reddit_subreddit_posts.json');
  j.data.children[0].data.selftext = 'Loading more $TSLA, very bullish &amp; staying long';
  j.data.children[1].data.title = 'Veggies, NVDA earnings &amp; $AMD calls';
  return j;
}

/** Page 2 (after=t3_hyhquk): older posts, one from a deleted account with removed text; no more pages. */
function page2(): unknown {
  const j = fixtureJson('reddit/go-reddit_subreddit_posts.json');
  const [a, b] = j.data.children;
  Object.assign(a.data, { id: 'older1', name: 't3_older1', title: 'bitcoin is dead, selling everything', selftext: '', created_utc: 1547000000.0, author: 'kmiller0112' });
  Object.assign(b.data, { id: 'del1', name: 't3_del1', title: '$MSFT earnings thread', selftext: '[removed]', created_utc: 1546000000.0, author: '[deleted]' });
  j.data.after = null;
  return j;
}

/** The real comment page, with a `more` stub added and one comment deleted. */
function comments(): unknown {
  const j = fixtureJson('reddit/go-reddit_post_with_comments.json');
  const c1 = j[1].data.children[0].data;
  c1.body = '$AAPL looks weak here, selling';
  Object.assign(c1.replies.data.children[0].data, { author: '[deleted]', body: '[deleted]' });
  j[1].data.children.push({ kind: 'more', data: { count: 3, name: 't1_def', id: 'def', parent_id: 't3_testpost', depth: 0, children: ['def', 'ghi', 'jkl'] } });
  return j;
}

/** The real morechildren answer, with one comment mentioning ether. */
function more(): unknown {
  const j = fixtureJson('reddit/go-reddit_post_more.json');
  j.json.data.things[0].data.body = 'Ethereum is the better bet, not bearish at all';
  return j;
}

const about = { kind: 't2', data: { name: 'kmiller0112', created_utc: 1300000000.0, link_karma: 900, comment_karma: 100, subreddit: { subscribers: 12 } } };

let server: FixtureServer;
let r: Rig;

function source(extra: Partial<RedditSourceOptions> = {}): RedditSource {
  return new RedditSource({
    clientId: 'app-id',
    clientSecret: 's3cret-value',
    userAgent: UA,
    subreddits: ['stocks'],
    symbols: SYMBOLS,
    baseUrl: server.url,
    tokenUrl: `${server.url}/api/v1/access_token`,
    firstRunPages: 5,
    ...extra,
  });
}

beforeEach(async () => {
  server = await startFixtureServer();
  r = rig(NOW);
  server.route('/api/v1/access_token', { json: { access_token: 'tok-1', token_type: 'bearer', expires_in: 3600, scope: '*' } });
  server.route('/r/stocks/new', (req) => ({ json: req.url.searchParams.get('after') === 't3_hyhquk' ? page2() : page1() }));
  server.route('/comments/hyhquk', { json: comments() });
  server.route('/api/morechildren', { json: more() });
  server.route('/user/kmiller0112/about', { json: about });
});
afterEach(async () => {
  await server.close();
});

describe('RedditSource', () => {
  it('exchanges app credentials for a token, pages with after, expands more stubs, and drafts one signal per mention', async () => {
    expect(await r.collector(source()).pollOnce()).toBe(true);

    const [token] = server.requestsTo('/api/v1/access_token');
    expect(token!.method).toBe('POST');
    expect(token!.body).toBe('grant_type=client_credentials');
    expect(token!.headers.authorization).toBe(`Basic ${Buffer.from('app-id:s3cret-value').toString('base64')}`);
    for (const req of server.requests) expect(req.headers['user-agent']).toBe(UA);
    for (const req of server.requests.filter((q) => q.url.pathname !== '/api/v1/access_token')) {
      expect(req.headers.authorization).toBe('bearer tok-1');
    }
    expect(server.requestsTo('/r/stocks/new').map((q) => q.url.searchParams.get('after'))).toEqual([null, 't3_hyhquk']);
    // The stub's ids, then the stub found in the answer; t3_agi5zf (2019) is too old to follow.
    expect(server.requestsTo('/api/morechildren').map((q) => [q.url.searchParams.get('link_id'), q.url.searchParams.get('children')])).toEqual([
      ['t3_hyhquk', 'def,ghi,jkl'],
      ['t3_hyhquk', 'fye3844'],
    ]);
    expect(server.requestsTo('/comments/agi5zf')).toHaveLength(0);

    const signals = r.signals().map((e) => e.payload);
    expect(signals.map((s) => s.externalId).sort()).toEqual(
      [
        'reddit:t3_del1:MSFT',
        'reddit:t3_older1:BTC-USD',
        'reddit:t3_agi5zf:TSLA',
        'reddit:t3_hyhquk:NVDA',
        'reddit:t3_hyhquk:AMD',
        'reddit:t1_testc1:AAPL',
        'reddit:t1_def:ETH-USD',
      ].sort(),
    );
    expect(r.deadLetters()).toEqual([]);

    const tsla = r.signals().find((e) => e.payload.externalId === 'reddit:t3_agi5zf:TSLA')!;
    expect(tsla.tsEvent).toBe(1547618271000);
    expect(tsla.payload).toMatchObject({ source: 'reddit', kind: 'social_mention', instrument: 'TSLA' });
    expect(tsla.payload.body).toMatchObject({
      platform: 'reddit',
      author: 'kmiller0112',
      authorCreatedAt: 1300000000000,
      accountAgeDays: Math.floor((1547618271000 - 1300000000000) / 86_400_000),
      karma: 1000,
      followers: 12,
      subreddit: 'test',
      score: 253,
      url: 'https://www.reddit.com/r/test/comments/agi5zf/test/',
      text: 'test\n\nLoading more $TSLA, very bullish & staying long',
    });
    expect(tsla.payload.body.sentiment as number).toBeGreaterThan(0);
    expect(signals.find((s) => s.externalId === 'reddit:t1_testc1:AAPL')!.body.sentiment as number).toBeLessThan(0);
    // A deleted account: handled, and no account lookup for it.
    expect(signals.find((s) => s.externalId === 'reddit:t3_del1:MSFT')!.body).toMatchObject({ author: '[deleted]', authorDeleted: true, removed: 'removed' });
    expect(server.requests.some((q) => q.url.pathname.includes('%5Bdeleted%5D'))).toBe(false);
    // MuckleMcDuckle has no profile on this server (404): the post is kept without account fields.
    expect(signals.find((s) => s.externalId === 'reddit:t3_hyhquk:NVDA')!.body).not.toHaveProperty('accountAgeDays');
  });

  it('repeats nothing after a restart from the saved cursor, and picks up only what is new', async () => {
    expect(await r.collector(source()).pollOnce()).toBe(true);
    const first = r.signals().length;
    const listingCalls = server.requestsTo('/r/stocks/new').length;

    // A new process: new source, new collector, the same cursor store.
    const restarted = r.collector(source());
    r.clock.advance(60_000);
    expect(await restarted.pollOnce()).toBe(true);
    expect(r.signals()).toHaveLength(first);
    // The first page reached the newest post already read: no second page.
    expect(server.requestsTo('/r/stocks/new')).toHaveLength(listingCalls + 1);

    server.route('/r/stocks/new', () => {
      const j = page1() as any;
      const fresh = structuredClone(j.data.children[1]);
      Object.assign(fresh.data, { id: 'new1', name: 't3_new1', title: 'Bought $NFLX', created_utc: 1595808400.0 });
      j.data.children.unshift(fresh);
      return { json: j };
    });
    r.clock.advance(60_000);
    expect(await restarted.pollOnce()).toBe(true);
    expect(r.signals().slice(first).map((e) => e.payload.externalId)).toEqual(['reddit:t3_new1:NFLX']);
  });

  it('fetches a new token when the old one expires or is refused', async () => {
    server.route('/api/v1/access_token', { json: { access_token: 'tok-1', token_type: 'bearer', expires_in: 3600 } }, { json: { access_token: 'tok-2', token_type: 'bearer', expires_in: 3600 } }, { json: { access_token: 'tok-3', token_type: 'bearer', expires_in: 3600 } });
    const c = r.collector(source({ comments: false, authorDetails: false }));
    expect(await c.pollOnce()).toBe(true);
    expect(await c.pollOnce()).toBe(true);
    expect(server.requestsTo('/api/v1/access_token')).toHaveLength(1);

    r.clock.advance(3600_000);
    expect(await c.pollOnce()).toBe(true);
    expect(server.requestsTo('/api/v1/access_token')).toHaveLength(2);
    expect(server.requestsTo('/r/stocks/new').at(-1)!.headers.authorization).toBe('bearer tok-2');

    server.route('/r/stocks/new', { status: 401, json: { message: 'Unauthorized', error: 401 } }, { json: page1() });
    expect(await c.pollOnce()).toBe(true);
    expect(server.requestsTo('/api/v1/access_token')).toHaveLength(3);
    expect(server.requestsTo('/r/stocks/new').at(-1)!.headers.authorization).toBe('bearer tok-3');
  });

  it('dead-letters a broken page with its bytes and keeps the other subreddits going', async () => {
    server.route('/r/investing/new', { body: '{"kind": "Listing", "data": {"children": [{"kind": "t3", "da', headers: { 'content-type': 'application/json' } });
    const c = r.collector(source({ subreddits: ['investing', 'stocks'], comments: false }));
    expect(await c.pollOnce()).toBe(true);
    const [dead] = r.deadLetters();
    expect(dead!.payload.stage).toBe('reddit');
    expect(dead!.payload.error).toMatch(/truncated JSON/);
    expect(Buffer.from((dead!.payload.source as { bodyBase64: string }).bodyBase64, 'base64').toString()).toContain('"da');
    expect(r.signals().some((e) => e.payload.externalId === 'reddit:t3_agi5zf:TSLA')).toBe(true);
    // The broken subreddit keeps no watermark, so the next poll asks again from the start.
    expect(JSON.parse(r.cursors.saved.get('reddit')!).subreddits).not.toHaveProperty('investing');
  });
});
