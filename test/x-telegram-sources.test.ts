/**
 * The X (search and filtered stream) and Telegram sources end to end: the real collectors and HTTP client
 * against a server on 127.0.0.1. No X or Telegram document was recorded for the project; the answers are
 * built in `src/engine/collectors/social/{x,telegram}.fixtures.ts` after the public API references.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus } from '../src/engine/bus/bus.js';
import { StreamingCollector } from '../src/engine/collectors/streaming.js';
import { TelegramSource } from '../src/engine/collectors/social/telegram.js';
import { channelPost, groupPhoto, memberUpdate, updates } from '../src/engine/collectors/social/telegram.fixtures.js';
import { XSearchSource } from '../src/engine/collectors/social/x.js';
import { USERS, xSearchPage, xStreamLine } from '../src/engine/collectors/social/x.fixtures.js';
import { XStreamSource } from '../src/engine/collectors/social/x-stream.js';
import { UNIVERSE } from '../src/engine/collectors/universe.js';
import { startFixtureServer, type FixtureServer } from './fixture-server.js';
import { rig, until, type Rig } from './social-news-harness.js';

const SYMBOLS = UNIVERSE.map((i) => i.symbol);
const T0 = Date.UTC(2024, 4, 13, 14, 5);
const post = (id: string, text: string, user: typeof USERS.quiet, minute: number) => ({
  id,
  text,
  authorId: user.id,
  createdAt: new Date(Date.UTC(2024, 4, 13, 14, minute)).toISOString(),
});

let server: FixtureServer;
let r: Rig;
beforeEach(async () => {
  server = await startFixtureServer();
  r = rig(T0);
});
afterEach(async () => {
  await server.close();
});

describe('XSearchSource', () => {
  const P1 = post('1790000000000000300', '$TSLA breaking out, loading calls', USERS.quiet, 4);
  const P2 = post('1790000000000000200', 'Selling my $AAPL &amp; $MSFT', USERS.fresh, 3);
  const P3 = post('1790000000000000100', 'Nothing about markets here', USERS.quiet, 2);
  const P4 = post('1790000000000000400', 'bitcoin to the moon', USERS.fresh, 6);
  const source = () => new XSearchSource({ bearerToken: 's3cret-value', query: '($TSLA OR $AAPL) -is:retweet', symbols: SYMBOLS, baseUrl: server.url, firstRunPages: 3 });

  it('pages with next_token, resumes with since_id, and repeats nothing after a restart', async () => {
    let newer: unknown = xSearchPage([], []);
    server.route('/2/tweets/search/recent', (req) => {
      const q = req.url.searchParams;
      if (q.get('since_id')) return { json: newer };
      return { json: q.get('next_token') === 'page-2' ? xSearchPage([P3], [USERS.quiet]) : xSearchPage([P1, P2], [USERS.quiet, USERS.fresh], 'page-2') };
    });
    expect(await r.collector(source()).pollOnce()).toBe(true);

    const calls = server.requestsTo('/2/tweets/search/recent');
    expect(calls.map((c) => c.url.searchParams.get('next_token'))).toEqual([null, 'page-2']);
    const q = calls[0]!.url.searchParams;
    expect(Object.fromEntries(['query', 'expansions', 'user.fields', 'tweet.fields', 'max_results'].map((k) => [k, q.get(k)]))).toEqual({
      query: '($TSLA OR $AAPL) -is:retweet',
      expansions: 'author_id',
      'user.fields': 'created_at,public_metrics',
      'tweet.fields': 'created_at,public_metrics',
      max_results: '100',
    });
    expect(calls[0]!.headers.authorization).toBe('Bearer s3cret-value');

    // Oldest first; P3 mentions nothing.
    expect(r.signals().map((e) => e.payload.externalId)).toEqual([`x:${P2.id}:AAPL`, `x:${P2.id}:MSFT`, `x:${P1.id}:TSLA`]);
    const fresh = r.signals()[0]!;
    expect(fresh.tsEvent).toBe(Date.parse(P2.createdAt));
    expect(fresh.payload.body).toMatchObject({
      platform: 'x',
      author: 'moonking48213',
      followers: 3,
      accountAgeDays: 133,
      text: 'Selling my $AAPL & $MSFT',
      url: `https://x.com/moonking48213/status/${P2.id}`,
    });
    expect(fresh.payload.body.sentiment as number).toBeLessThan(0);

    // Restart: a new source and collector on the same cursor store. Nothing new: nothing published.
    const restarted = r.collector(source());
    expect(await restarted.pollOnce()).toBe(true);
    expect(server.requestsTo('/2/tweets/search/recent').at(-1)!.url.searchParams.get('since_id')).toBe(P1.id);
    expect(r.signals()).toHaveLength(3);

    newer = xSearchPage([P4], [USERS.fresh]);
    expect(await restarted.pollOnce()).toBe(true);
    expect(r.signals().slice(3).map((e) => e.payload.externalId)).toEqual([`x:${P4.id}:BTC-USD`]);
    expect(JSON.parse(r.cursors.saved.get('x')!)).toEqual({ v: 1, sinceId: P4.id });
  });

  it('keeps since_id when a later page fails, so nothing is skipped', async () => {
    server.route('/2/tweets/search/recent', (req) =>
      req.url.searchParams.get('next_token') ? { status: 503, body: 'over capacity', headers: { 'content-type': 'text/plain' } } : { json: xSearchPage([P1], [USERS.quiet], 'page-2') },
    );
    r.cursors.saved.set('x', JSON.stringify({ v: 1, sinceId: '1790000000000000001' }));
    expect(await r.collector(source()).pollOnce()).toBe(true);
    expect(r.signals()).toHaveLength(1);
    expect(r.deadLetters()).toHaveLength(1);
    expect(JSON.parse(r.cursors.saved.get('x')!).sinceId).toBe('1790000000000000001');
  });
});

describe('XStreamSource', () => {
  const S1 = post('1790000000000000501', '$NVDA ripping, so bullish', USERS.quiet, 5);
  const S2 = post('1790000000000000502', 'Dumping $AMD, guidance was weak', USERS.fresh, 5);
  const S3 = post('1790000000000000503', '$INTC quiet today', USERS.quiet, 6);

  it('syncs its rules, reassembles split lines, dead-letters a line cut by a drop, and reconnects', async () => {
    const [l1, l2, l3] = [xStreamLine(S1, USERS.quiet), xStreamLine(S2, USERS.fresh), xStreamLine(S3, USERS.quiet)];
    server.route('/2/tweets/search/stream/rules', (req) =>
      req.method === 'GET'
        ? { json: { data: [{ id: '1111', value: 'old rule' }, { id: '2222', value: '$NVDA OR $AMD', tag: 'chips' }], meta: { sent: '2024-05-13T14:00:00.000Z', result_count: 2 } } }
        : { json: { meta: { sent: '2024-05-13T14:00:01.000Z', summary: { created: 1, not_created: 0, valid: 1, invalid: 0, deleted: 1, not_deleted: 0 } } } },
    );
    server.route(
      '/2/tweets/search/stream',
      // First connection: line 1 split in three, keep-alives, then half of line 2 and the connection drops.
      { stream: { chunks: [l1.slice(0, 10), l1.slice(10, 200), `${l1.slice(200)}\r\n`, '\r\n', '\r\n', l2.slice(0, 50)], end: 'cut' } },
      // After reconnecting: line 2 again (X does not resend it; a backfill would), then line 3.
      { stream: { chunks: [`${l2}\r\n`, `${l3}\r\n`, `${l1}\r\n`], end: 'hold' } },
    );
    const source = new XStreamSource({
      bearerToken: 's3cret-value',
      rules: [{ value: '$NVDA OR $AMD', tag: 'chips' }, { value: '$INTC', tag: 'intel' }],
      symbols: SYMBOLS,
      baseUrl: server.url,
    });
    const collector = new StreamingCollector({ source, bus: r.bus as Bus, clock: r.clock, http: r.http, cursors: r.cursors, sleep: async () => {} });
    await collector.start();
    try {
      await until(() => r.signals().length >= 3);
    } finally {
      await collector.stop();
    }

    const posts = server.requestsTo('/2/tweets/search/stream/rules').filter((q) => q.method === 'POST').map((q) => JSON.parse(q.body));
    expect(posts).toEqual([{ delete: { ids: ['1111'] } }, { add: [{ value: '$INTC', tag: 'intel' }] }]);
    const connections = server.requestsTo('/2/tweets/search/stream');
    expect(connections).toHaveLength(2);
    expect(connections[0]!.url.searchParams.get('expansions')).toBe('author_id');
    expect(connections[0]!.headers.authorization).toBe('Bearer s3cret-value');

    // l1 repeated on the second connection is not published twice.
    expect(r.signals().map((e) => e.payload.externalId)).toEqual([`x:${S1.id}:NVDA`, `x:${S2.id}:AMD`, `x:${S3.id}:INTC`]);
    expect(r.signals()[0]!.payload.body).toMatchObject({ platform: 'x', author: 'quiet_capital', followers: 5400, rules: ['tickers'] });
    const [cut] = r.deadLetters();
    expect(cut!.payload.error).toMatch(/line 2: the connection ended in the middle of this line/);
    expect(Buffer.from((cut!.payload.source as { bodyBase64: string }).bodyBase64, 'base64').toString()).toBe(l2.slice(0, 50));
  });
});

describe('TelegramSource', () => {
  const TOKEN = '123456:ABC-def_s3cret';
  const path = `/bot${TOKEN}/getUpdates`;
  const source = () => new TelegramSource({ botToken: TOKEN, symbols: SYMBOLS, baseUrl: server.url });

  it('advances the offset past every update, reads posts and captions, and repeats nothing after a restart', async () => {
    const broken = channelPost(504, 93, 'x') as any;
    delete broken.channel_post.date;
    server.route(path, (req) => {
      const offset = req.url.searchParams.get('offset');
      if (offset === null) return { json: updates(memberUpdate(500), channelPost(501, 90, '📈 $NVDA and $AMD up, strong day'), groupPhoto(502, 12, 'my $TSLA chart')) };
      if (offset === '503') return { json: updates(channelPost(503, 92, 'Bitcoin slumps'), broken) };
      return { json: updates() };
    });
    expect(await r.collector(source()).pollOnce()).toBe(true);
    expect(r.signals().map((e) => e.payload.externalId)).toEqual([
      'telegram:-1001234567890:90:NVDA',
      'telegram:-1001234567890:90:AMD',
      'telegram:-4012345678:12:TSLA',
    ]);
    expect(r.signals()[0]!.payload.body).toMatchObject({ platform: 'telegram', author: 'Ana', chat: 'Market Desk', url: 'https://t.me/marketdesk/90' });
    expect(r.signals()[2]!.tsEvent).toBe(1_715_608_860_000);
    expect(JSON.parse(r.cursors.saved.get('telegram')!)).toEqual({ v: 1, offset: 503 });

    const restarted = r.collector(source());
    expect(await restarted.pollOnce()).toBe(true);
    expect(await restarted.pollOnce()).toBe(true);
    expect(server.requestsTo(path).map((q) => q.url.searchParams.get('offset'))).toEqual([null, '503', '505']);
    expect(r.signals().slice(3).map((e) => e.payload.externalId)).toEqual(['telegram:-1001234567890:92:BTC-USD']);
    // The unreadable update is dead-lettered, skipped, and its origin does not carry the token.
    const [dead] = r.deadLetters();
    expect(dead!.payload.error).toMatch(/result\[1\]\.channel_post\.date/);
    expect(JSON.stringify(dead)).not.toContain('ABC-def_s3cret');
  });
});
