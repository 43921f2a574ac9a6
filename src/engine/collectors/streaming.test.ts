import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFixtureServer, type FixtureServer, type Reply } from '../../../test/fixture-server.js';
import { MemoryBus } from '../bus/memory.js';
import { Topics } from '../bus/topics.js';
import { eventId } from '../canonical.js';
import { TestClock } from '../clock.js';
import { createStore, type DrizzleStore } from '../store/repositories.js';
import type { DeadLettered, SignalIngested } from '../types.js';
import type { Sleep } from './backoff.js';
import { HttpError } from './http.js';
import { PoliteHttpClient } from './http-client.js';
import { ndjsonLines } from './ndjson.js';
import {
  reconnectDelay,
  StreamEndedError,
  StreamingCollector,
  X_RECONNECT_POLICY,
  type ReconnectPolicy,
  type StreamContext,
  type StreamingSource,
  type StreamItem,
} from './streaming.js';

type Cursor = { since: number };

/** Newline-delimited JSON messages, as X's filtered stream sends them; blank lines are keep-alives. */
class NdjsonSource implements StreamingSource<Cursor> {
  constructor(
    readonly name: string,
    private readonly url: string,
  ) {}

  async *open({ cursor, http, signal }: StreamContext<Cursor>): AsyncGenerator<StreamItem<Cursor>> {
    const url = `${this.url}?since=${cursor?.since ?? 0}`;
    for await (const line of ndjsonLines(http.stream({ url, signal }), url, { keepBlankLines: true })) {
      if (line === '') {
        yield { type: 'heartbeat' };
        continue;
      }
      let message: { id: number; ts: number; text: string };
      try {
        message = JSON.parse(line);
      } catch (error) {
        const document = { origin: url, body: Buffer.from(line), contentType: 'application/json' };
        yield { type: 'rejected', rejected: { document, error } };
        continue;
      }
      yield {
        type: 'signal',
        draft: {
          signal: { source: this.name, kind: 'social_mention', instrument: null, externalId: String(message.id), body: { text: message.text } },
          tsEvent: message.ts,
        },
      };
      yield { type: 'checkpoint', cursor: { since: message.id } };
    }
  }
}

const message = (id: number) => `${JSON.stringify({ id, ts: 1_700_000_000_000 + id * 1000, text: `post ${id}` })}\r\n`;
/** Replies with the messages after `since`, from `ids`, then ends as told. */
const after = (ids: number[], end: 'cut' | 'close' | 'hold', extra: string[] = []) => (req: { url: URL }): Reply => ({
  stream: {
    chunks: [...ids.filter((id) => id > Number(req.url.searchParams.get('since'))).map(message), ...extra],
    end,
    intervalMs: 5,
  },
});

const FAST: ReconnectPolicy = { networkStepMs: 10, networkMaxMs: 40, httpBaseMs: 20, httpMaxMs: 80, rateLimitBaseMs: 50, rateLimitMaxMs: 200 };

let store: DrizzleStore;
let server: FixtureServer;
let bus: MemoryBus;
let clock: TestClock;
let http: PoliteHttpClient;
const seen = { raw: [] as SignalIngested[], dead: [] as DeadLettered[] };

beforeAll(async () => {
  store = await createStore('memory://');
}, 180_000); // PGlite starts its thread and migrates: slow on a loaded machine
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  server = await startFixtureServer();
  bus = new MemoryBus();
  seen.raw = [];
  seen.dead = [];
  bus.subscribe(Topics.signalsRaw, async (e) => void seen.raw.push(e), { group: 'test' });
  bus.subscribe(Topics.deadLetter, async (e) => void seen.dead.push(e), { group: 'test' });
  clock = new TestClock(Date.UTC(2024, 0, 2, 14, 30));
  http = new PoliteHttpClient({ userAgent: 'Vanta/test (ops@vanta.test)', hosts: { '127.0.0.1': { requestsPerSecond: 1000 } } });
});
afterEach(async () => {
  await bus.close();
  await server.close();
});

function collector(name: string, options: { sleep?: Sleep; reconnect?: ReconnectPolicy } = {}) {
  return new StreamingCollector<Cursor>({
    source: new NdjsonSource(name, `${server.url}/stream`),
    bus,
    clock,
    http,
    cursors: store.cursors,
    reconnect: FAST,
    ...options,
  });
}

describe('StreamingCollector', () => {
  it('reconnects after the server cuts the stream and resumes after the last checkpoint', async () => {
    // The first connection is cut in the middle of message 4: it must come again, whole, after reconnecting.
    server.route('/stream', after([1, 2, 3], 'cut', ['{"id":4,"ts":17000000']), after([1, 2, 3, 4, 5, 6], 'hold'));
    const c = collector('t.stream');
    await c.start();
    await vi.waitFor(async () => {
      await bus.drain();
      expect(seen.raw).toHaveLength(6);
    }, 10_000);
    await c.stop();

    expect(server.requestsTo('/stream').map((r) => r.url.searchParams.get('since'))).toEqual(['0', '3']);
    expect(seen.raw.map((e) => e.payload.externalId)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(seen.raw[3]!.id).toBe(eventId('sig', 't.stream', 'social_mention', '4', 1_700_000_004_000));
    expect(seen.raw[3]!.tsInit).toBe(clock.now());
    expect(await store.cursors.get('t.stream')).toBe('{"since":6}');
    expect(c.connections).toBe(2);
    expect(c.status).toMatchObject({ state: 'stopped', errorCount: 1, published: 6, cursor: '{"since":6}' });
    expect(c.status.lastError?.code).toBe('HTTP_NETWORK');
  });

  it('resumes from the saved cursor across a restart', async () => {
    await store.cursors.set('t.restart', '{"since":5}');
    server.route('/stream', after([4, 5, 6, 7], 'hold'));
    const c = collector('t.restart');
    await c.start();
    await vi.waitFor(async () => {
      await bus.drain();
      expect(seen.raw).toHaveLength(2);
    });
    await c.stop();
    expect(server.requestsTo('/stream')[0]!.url.searchParams.get('since')).toBe('5');
    expect(seen.raw.map((e) => e.payload.externalId)).toEqual(['6', '7']);
  });

  it('dead-letters a message it cannot read, with its bytes, and carries on', async () => {
    server.route('/stream', after([1, 2], 'hold', ['{not json}\n', '\r\n', message(3)]));
    const c = collector('t.rejected');
    await c.start();
    await vi.waitFor(async () => {
      await bus.drain();
      expect(seen.raw).toHaveLength(3);
    });
    await c.stop();
    expect(seen.dead).toHaveLength(1);
    const payload = seen.dead[0]!.payload as { stage: string; source: { bodyBase64: string } };
    expect(payload.stage).toBe('t.rejected');
    expect(Buffer.from(payload.source.bodyBase64, 'base64').toString()).toBe('{not json}');
    expect(c.status).toMatchObject({ published: 3, deadLettered: 1, errorCount: 0 });
  });

  it('waits as X asks between reconnections: linear for the network, exponential for HTTP errors, longest on 429', async () => {
    server.route(
      '/stream',
      { status: 503 },
      { status: 503 },
      { status: 429, headers: { 'retry-after': '1' } },
      after([1], 'close'),
      after([1, 2], 'cut'),
      after([1, 2, 3], 'hold'),
    );
    const sleeps: number[] = [];
    const sleep: Sleep = async (ms) => void sleeps.push(ms);
    const c = collector('t.policy', { sleep });
    await c.start();
    // The client itself holds the host for the 429's Retry-After (one real second).
    await vi.waitFor(async () => {
      await bus.drain();
      expect(seen.raw).toHaveLength(3);
    }, 10_000);
    await c.stop();
    // 503, 503: 20, 40. 429 (third failure in a row): max(Retry-After 1 s, 50·4). Then a connection that
    // delivered (the streak starts over) and was closed by the server: 10; then one cut: 10.
    expect(sleeps).toEqual([20, 40, 1000, 10, 10]);
    expect(c.status.errorCount).toBe(5);
  });

  it('stops promptly while the stream is open and quiet', async () => {
    server.route('/stream', after([1], 'hold'));
    const c = collector('t.stop');
    await c.start();
    await vi.waitFor(async () => {
      await bus.drain();
      expect(seen.raw).toHaveLength(1);
    });
    expect(c.status.state).toBe('streaming');
    const started = performance.now();
    await c.stop();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(c.status).toMatchObject({ state: 'stopped', errorCount: 0 });
    await vi.waitFor(() => expect(server.openStreams()).toBe(0));
  });
});

describe('reconnectDelay', () => {
  const status = (s: number, retryAfterMs?: number) =>
    new HttpError('HTTP_STATUS', 'x', 'u', s, retryAfterMs === undefined ? undefined : { retryAfterMs });
  const network = new HttpError('HTTP_NETWORK', 'x', 'u');
  it.each([
    ['network error', network, 1, 250],
    ['network error', network, 3, 750],
    ['network error', network, 100, 16_000],
    ['stream ended', new StreamEndedError('ended'), 2, 500],
    ['timeout', new HttpError('HTTP_TIMEOUT', 'x', 'u'), 1, 250],
    ['503', status(503), 1, 5_000],
    ['401', status(401), 3, 20_000],
    ['500', status(500), 20, 320_000],
    ['429', status(429), 1, 60_000],
    ['429', status(429), 2, 120_000],
    ['429 with a longer Retry-After', status(429, 300_000), 1, 300_000],
    ['another failure', new Error('bus unavailable'), 2, 10_000],
  ])('%s, attempt %i → %i ms', (_label, error, n, ms) => {
    expect(reconnectDelay(error, n, X_RECONNECT_POLICY)).toBe(ms);
  });
});

describe('ndjsonLines', () => {
  async function* chunks(...parts: string[]) {
    for (const p of parts) yield new TextEncoder().encode(p);
  }
  it('splits on LF and CRLF across chunks, decodes UTF-8 split mid-character, and drops a cut last line', async () => {
    const euro = new TextEncoder().encode('€'); // three bytes
    async function* split() {
      yield* chunks('a\r\nb');
      yield euro.subarray(0, 1);
      yield euro.subarray(1);
      yield* chunks('\n\nhalf');
    }
    const out: string[] = [];
    for await (const line of ndjsonLines(split(), 'test', { keepBlankLines: true })) out.push(line);
    expect(out).toEqual(['a', 'b€', '']);
    const dropped: string[] = [];
    for await (const line of ndjsonLines(split(), 'test')) dropped.push(line);
    expect(dropped).toEqual(['a', 'b€']);
  });
});
