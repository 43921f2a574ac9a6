import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFixture, startFixtureServer, type FixtureServer } from '../../../test/fixture-server.js';
import { TestClock } from '../clock.js';
import { Random } from '../random.js';
import type { Sleep } from './backoff.js';
import { HttpError } from './http.js';
import { parseRetryAfter, PoliteHttpClient, type PoliteHttpClientOptions } from './http-client.js';

const UA = 'Vanta/test (ops@vanta.test)';
let server: FixtureServer;

beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(async () => {
  await server.close();
});

/**
 * A client on a test clock whose sleeps are recorded and skipped; each sleep advances the clock
 * as a real one would have.
 */
function recordingClient(options: Partial<PoliteHttpClientOptions> = {}) {
  const clock = new TestClock(Date.UTC(2024, 0, 2, 14, 30, 0));
  const sleeps: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    if (signal?.aborted) throw signal.reason;
    sleeps.push(ms);
    clock.advance(ms);
  };
  const client = new PoliteHttpClient({
    userAgent: UA,
    hosts: { '127.0.0.1': { requestsPerSecond: 1000 } },
    random: new Random(7),
    clock,
    sleep,
    ...options,
  });
  return { client, clock, sleeps };
}

/** A client on real time with tiny backoffs. */
function fastClient(options: Partial<PoliteHttpClientOptions> = {}) {
  return new PoliteHttpClient({
    userAgent: UA,
    hosts: { '127.0.0.1': { requestsPerSecond: 1000 } },
    backoffBaseMs: 1,
    backoffMaxMs: 5,
    random: new Random(1),
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe('PoliteHttpClient', () => {
  it('refuses to be built without a User-Agent', () => {
    expect(() => new PoliteHttpClient({ userAgent: '' })).toThrow(/User-Agent/);
    expect(() => new PoliteHttpClient({ userAgent: '   ' })).toThrow(/User-Agent/);
  });

  it('declares its User-Agent on every request, retries included, unless the request sets its own', async () => {
    server.route('/a', { status: 503 }, { body: 'ok' });
    server.route('/b', { body: 'ok' });
    const client = fastClient();
    await client.request({ url: `${server.url}/a` });
    await client.request({ url: `${server.url}/b`, headers: { 'User-Agent': 'web:vanta:0.1 (by /u/vanta)' } });
    await client.request({ url: `${server.url}/b`, headers: { 'user-agent': '' } });
    expect(server.requestsTo('/a').map((r) => r.headers['user-agent'])).toEqual([UA, UA]);
    expect(server.requestsTo('/b').map((r) => r.headers['user-agent'])).toEqual(['web:vanta:0.1 (by /u/vanta)', UA]);
  });

  it('spaces requests to one host by its rate limit, measured at the server', async () => {
    server.route('/r', { body: 'ok' });
    const client = new PoliteHttpClient({ userAgent: UA, hosts: { '127.0.0.1': { requestsPerSecond: 5 } } });
    await client.request({ url: `${server.url}/warm-up` }); // the first connection's setup would skew the first gap
    await Promise.all(Array.from({ length: 4 }, () => client.request({ url: `${server.url}/r` })));
    const at = server.requestsTo('/r').map((r) => r.at);
    expect(at).toHaveLength(4);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // 5 per second is one every 200 ms (unlimited, they would arrive within a few ms); the margin absorbs
    // differences in network latency between requests on a loaded machine.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(150);
  });

  it('waits on the injected clock, at the default rate for hosts it has no limit for', async () => {
    server.route('/r', { body: 'ok' });
    const { client, clock, sleeps } = recordingClient({ hosts: {}, defaultRequestsPerSecond: 10 });
    for (let i = 0; i < 3; i++) await client.request({ url: `${server.url}/r` });
    expect(sleeps).toEqual([100, 100]);
    clock.advance(30);
    await client.request({ url: `${server.url}/r` });
    expect(sleeps).toEqual([100, 100, 70]);
  });

  it('honours Retry-After in seconds before retrying a 429', async () => {
    server.route('/limited', { status: 429, headers: { 'retry-after': '1' } }, { body: 'done' });
    const res = await fastClient().request({ url: `${server.url}/limited` });
    expect(new TextDecoder().decode(res.body)).toBe('done');
    const [first, second] = server.requestsTo('/limited');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
  });

  it('honours Retry-After as an HTTP-date, capped by maxRetryAfterMs, and holds back the whole host', async () => {
    const { client, clock, sleeps } = recordingClient({ maxRetryAfterMs: 5000 });
    const inThree = new Date(clock.now() + 3000).toUTCString();
    server.route('/date', { status: 503, headers: { 'retry-after': inThree } }, { body: 'ok' });
    await client.request({ url: `${server.url}/date` });
    expect(sleeps).toEqual([3000]);

    sleeps.length = 0;
    clock.advance(1000);
    server.route('/long', { status: 429, headers: { 'retry-after': '600' } }, { body: 'ok' });
    await client.request({ url: `${server.url}/long` });
    expect(sleeps).toEqual([5000]);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 12_000)).toBe(0);
  });

  it('retries 5xx with full-jitter backoff from the seeded source, then returns the answer', async () => {
    server.route('/flaky', { status: 503 }, { status: 502 }, { status: 500 }, { body: 'finally' });
    const run = async () => {
      const { client, sleeps } = recordingClient({ backoffBaseMs: 100, backoffMaxMs: 250 });
      const res = await client.request({ url: `${server.url}/flaky` });
      return { res, sleeps };
    };
    const a = await run();
    expect(a.res.status).toBe(200);
    expect(new TextDecoder().decode(a.res.body)).toBe('finally');
    expect(a.sleeps).toHaveLength(3);
    expect(a.sleeps[0]).toBeLessThan(100);
    expect(a.sleeps[1]).toBeLessThan(200);
    expect(a.sleeps[2]).toBeLessThan(250); // capped, not 400
    server.route('/flaky', { status: 503 }, { status: 502 }, { status: 500 }, { body: 'finally' });
    expect((await run()).sleeps).toEqual(a.sleeps);
  });

  it('gives up on 429 and 5xx after maxRetries with an HTTP_STATUS error', async () => {
    server.route('/down', { status: 503 });
    const err = await rejection(fastClient({ maxRetries: 2 }).request({ url: `${server.url}/down` }));
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.status).toBe(503);
    expect(server.requestsTo('/down')).toHaveLength(3);
  });

  it('does not retry other 4xx answers: it returns them', async () => {
    server.route('/missing', { status: 404, body: 'nope' });
    server.route('/bad', { status: 400, body: 'bad' });
    const client = fastClient();
    const res = await client.request({ url: `${server.url}/missing` });
    expect(res.status).toBe(404);
    expect(new TextDecoder().decode(res.body)).toBe('nope');
    expect((await client.request({ url: `${server.url}/bad` })).status).toBe(400);
    expect(server.requestsTo('/missing')).toHaveLength(1);
    expect(server.requestsTo('/bad')).toHaveLength(1);
  });

  it('times out a slow answer with HTTP_TIMEOUT, retrying it first', async () => {
    server.route('/slow', { delayMs: 1000, body: 'late' });
    const err = await rejection(fastClient({ timeoutMs: 100, maxRetries: 1 }).request({ url: `${server.url}/slow` }));
    expect(err.code).toBe('HTTP_TIMEOUT');
    expect(err.message).toContain(`${server.url}/slow`);
    expect(server.requestsTo('/slow')).toHaveLength(2);
  });

  it('stops with HTTP_ABORTED when the caller aborts, during a request or a backoff', async () => {
    server.route('/slow', { delayMs: 1000, body: 'late' });
    const client = fastClient({ backoffBaseMs: 10_000, backoffMaxMs: 10_000 });
    const during = new AbortController();
    setTimeout(() => during.abort(), 50);
    expect((await rejection(client.request({ url: `${server.url}/slow`, signal: during.signal }))).code).toBe('HTTP_ABORTED');

    server.route('/down', { status: 503 });
    const backoff = new AbortController();
    const pending = client.request({ url: `${server.url}/down`, signal: backoff.signal });
    setTimeout(() => backoff.abort(), 100);
    const started = performance.now();
    expect((await rejection(pending)).code).toBe('HTTP_ABORTED');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(server.requestsTo('/down')).toHaveLength(1);

    const already = AbortSignal.abort();
    expect((await rejection(client.request({ url: `${server.url}/down`, signal: already }))).code).toBe('HTTP_ABORTED');
  });

  it('retries network failures and truncated bodies, and reports HTTP_NETWORK when they persist', async () => {
    const doc = readFixture('fred/jsprojectreal_fedfunds.json');
    server.route('/cut', { body: doc, truncateAt: 40 }, { body: doc });
    const res = await fastClient().request({ url: `${server.url}/cut` });
    expect(Buffer.from(res.body).equals(doc)).toBe(true);
    expect(server.requestsTo('/cut')).toHaveLength(2);

    server.route('/reset', { destroy: true });
    const err = await rejection(fastClient({ maxRetries: 1 }).request({ url: `${server.url}/reset` }));
    expect(err.code).toBe('HTTP_NETWORK');
    expect(server.requestsTo('/reset')).toHaveLength(2);
  });

  it('sends the validators it is given and reports 304 as notModified, with real ETag and Last-Modified', async () => {
    const fixture = 'sec_current_feed/edgar_client_current_feed_2023-07-11.xml';
    server.file('/feed', fixture, { contentType: 'application/atom+xml; charset=ISO-8859-1' });
    const client = fastClient();
    const first = await client.request({ url: `${server.url}/feed` });
    expect(first.status).toBe(200);
    expect(first.notModified).toBe(false);
    expect(Buffer.from(first.body).equals(readFixture(fixture))).toBe(true);
    expect(first.contentType).toBe('application/atom+xml; charset=ISO-8859-1');
    expect(first.etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(first.lastModified).toBe('Tue, 11 Jul 2023 12:00:00 GMT');

    const byEtag = await client.request({ url: `${server.url}/feed`, etag: first.etag });
    expect(byEtag).toMatchObject({ status: 304, notModified: true });
    expect(byEtag.body).toHaveLength(0);
    const byDate = await client.request({ url: `${server.url}/feed`, lastModified: first.lastModified });
    expect(byDate.notModified).toBe(true);
    const stale = await client.request({ url: `${server.url}/feed`, etag: '"old"' });
    expect(stale.status).toBe(200);

    const [plain, withEtag, withDate] = server.requestsTo('/feed');
    expect(plain!.headers['if-none-match']).toBeUndefined();
    expect(withEtag!.headers['if-none-match']).toBe(first.etag);
    expect(withDate!.headers['if-modified-since']).toBe(first.lastModified);
  });

  it('keeps credentials out of error messages and URLs', async () => {
    server.route('/fred/series/observations', { status: 500 });
    server.route('/bot123456:AAHsecretTelegramToken/getUpdates', { status: 502 });
    const client = fastClient({ maxRetries: 0, secrets: ['pathKey0123456789abcdef'] });
    const fred = await rejection(
      client.request({ url: `${server.url}/fred/series/observations?series_id=GDP&api_key=abcdef0123456789` }),
    );
    expect(fred.message).not.toContain('abcdef0123456789');
    expect(fred.url).not.toContain('abcdef0123456789');
    expect(fred.message).toContain('/fred/series/observations?series_id=GDP&api_key=***');

    const telegram = await rejection(client.request({ url: `${server.url}/bot123456:AAHsecretTelegramToken/getUpdates` }));
    expect(telegram.message).not.toContain('AAHsecretTelegramToken');
    expect(telegram.message).toContain('/bot***/getUpdates');

    server.route('/auth', { status: 503 });
    const auth = await rejection(
      client.request({ url: `${server.url}/auth`, headers: { Authorization: 'Bearer sekrit-bearer-token' } }),
    );
    expect(JSON.stringify({ message: auth.message, url: auth.url })).not.toContain('sekrit-bearer-token');
    expect(server.requestsTo('/auth')[0]!.headers.authorization).toBe('Bearer sekrit-bearer-token');

    const closed = `http://127.0.0.1:1/v3/pathKey0123456789abcdef?token=tok_abcdefghij`;
    const refused = await rejection(client.request({ url: closed }));
    expect(refused.code).toBe('HTTP_NETWORK');
    expect(refused.message).not.toMatch(/pathKey0123456789abcdef|tok_abcdefghij/);
  });

  it('moves credentials in the URL into a Basic Authorization header', async () => {
    server.route('/rpc', { json: { result: '0x1' } });
    const url = server.url.replace('http://', 'http://user:p%40ss@');
    await fastClient().request({ url: `${url}/rpc`, method: 'POST', body: '{}' });
    const [req] = server.requestsTo('/rpc');
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    expect(req!.method).toBe('POST');
    expect(req!.body).toBe('{}');
  });
});

describe('PoliteHttpClient.stream', () => {
  const text = new TextDecoder();

  it('yields the body as it arrives', async () => {
    server.route('/s', { stream: { chunks: ['one\n', 'two\n', 'three\n'], intervalMs: 20, end: 'close' } });
    const got: string[] = [];
    for await (const chunk of fastClient().stream({ url: `${server.url}/s` })) got.push(text.decode(chunk));
    expect(got.join('')).toBe('one\ntwo\nthree\n');
    expect(server.requestsTo('/s')[0]!.headers['user-agent']).toBe(UA);
  });

  it('fails with HTTP_NETWORK when the server cuts the stream, HTTP_ABORTED when the caller aborts', async () => {
    server.route('/cut', { stream: { chunks: ['a\n', 'b\n'], end: 'cut' } });
    const got: string[] = [];
    const cut = await rejection(
      (async () => {
        for await (const chunk of fastClient().stream({ url: `${server.url}/cut` })) got.push(text.decode(chunk));
      })(),
    );
    expect(cut.code).toBe('HTTP_NETWORK');
    expect(got.join('')).toBe('a\nb\n');

    server.route('/hold', { stream: { chunks: ['x\n'], end: 'hold' } });
    const controller = new AbortController();
    const aborted = await rejection(
      (async () => {
        for await (const _ of fastClient().stream({ url: `${server.url}/hold`, signal: controller.signal })) controller.abort();
      })(),
    );
    expect(aborted.code).toBe('HTTP_ABORTED');
  });

  it('times out a stream that goes quiet, and reports an HTTP error status with its Retry-After', async () => {
    server.route('/quiet', { stream: { chunks: ['x\n'], end: 'hold' } });
    const quiet = await rejection(
      (async () => {
        for await (const _ of fastClient({ timeoutMs: 150 }).stream({ url: `${server.url}/quiet` })) {
          // keep reading
        }
      })(),
    );
    expect(quiet.code).toBe('HTTP_TIMEOUT');

    server.route('/busy', { status: 429, headers: { 'retry-after': '7' } });
    const busy = await rejection(
      (async () => {
        for await (const _ of fastClient().stream({ url: `${server.url}/busy` })) {
          // nothing comes
        }
      })(),
    );
    expect(busy).toMatchObject({ code: 'HTTP_STATUS', status: 429, retryAfterMs: 7000 });
    expect(server.requestsTo('/busy')).toHaveLength(1); // reconnecting is the caller's job
  });

  it('closes the connection when the caller stops reading early', async () => {
    server.route('/hold', { stream: { chunks: ['x\n', 'y\n'], end: 'hold' } });
    for await (const _ of fastClient().stream({ url: `${server.url}/hold` })) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requestsTo('/hold')).toHaveLength(1);
    expect(server.openStreams()).toBe(0);
  });
});
