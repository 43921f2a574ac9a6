import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFixture, startFixtureServer, type FixtureServer } from '../../../test/fixture-server.js';
import type { Bus } from '../bus/bus.js';
import { MemoryBus } from '../bus/memory.js';
import { Topics, type Topic, type TopicEvents } from '../bus/topics.js';
import { eventId } from '../canonical.js';
import { TestClock } from '../clock.js';
import { createStore, type DrizzleStore } from '../store/repositories.js';
import type { DeadLettered, SignalIngested } from '../types.js';
import type { Sleep } from './backoff.js';
import type { CursorStore } from './collector.js';
import { DocumentError } from './document.js';
import { HttpError, type HttpClient } from './http.js';
import { PoliteHttpClient } from './http-client.js';
import { PollingCollector, type PollingCollectorOptions } from './polling.js';
import type { PollContext, PollingSource, PollResult, SignalDraft } from './source.js';
import type { CollectorStatus } from './status.js';

/** A Reddit-listing source, as small as a test needs: one GET per poll, resuming `after` the newest post. */
class ListingSource implements PollingSource<{ after: string }> {
  constructor(
    readonly name: string,
    private readonly url: string,
    readonly intervalMs = 1000,
  ) {}

  async poll({ cursor, http, signal }: PollContext<{ after: string }>): Promise<PollResult<{ after: string }>> {
    const res = await http.request({ url: `${this.url}?after=${cursor?.after ?? ''}&api_key=listing-secret-123`, signal });
    if (res.status !== 200) throw new HttpError('HTTP_STATUS', `answered ${res.status}`, this.url, res.status);
    const document = { origin: res.url, body: res.body, contentType: res.contentType };
    let listing: { data: { children: { data: { name: string; created_utc: number; title: string } }[] } };
    try {
      listing = JSON.parse(Buffer.from(res.body).toString('utf8'));
    } catch (cause) {
      const error = new DocumentError('DOCUMENT_FORMAT', 'not a JSON listing', document.origin, undefined, { cause });
      return { drafts: [], rejected: [{ document, error }], cursor: cursor ?? { after: '' } };
    }
    const drafts: SignalDraft[] = listing.data.children.map(({ data }) => ({
      signal: { source: this.name, kind: 'social_mention', instrument: null, externalId: data.name, body: { title: data.title } },
      tsEvent: Math.round(data.created_utc * 1000),
    }));
    return { drafts, rejected: [], cursor: { after: listing.data.children.at(-1)?.data.name ?? cursor?.after ?? '' } };
  }
}

/** A listing of posts, shaped as Reddit serves them. */
const listing = (...posts: [name: string, createdUtc: number][]) => ({
  kind: 'Listing',
  data: { children: posts.map(([name, created_utc]) => ({ kind: 't3', data: { name, created_utc, title: name } })) },
});

/** Records what reaches the bus (and in which order relative to cursor saves); can be told to fail. */
class RecordingBus implements Pick<Bus, 'publish'> {
  readonly log: string[] = [];
  /** Which publish calls (counting from 1) fail. */
  readonly failCalls = new Set<number>();
  #calls = 0;
  constructor(private readonly inner: MemoryBus) {}
  async publish<T extends Topic>(topic: T, event: TopicEvents[T]): Promise<void> {
    if (this.failCalls.has(++this.#calls)) throw new Error('bus unavailable');
    this.log.push(`${topic}:${event.id}`);
    await this.inner.publish(topic, event);
  }
}

function recordingLog() {
  const lines: { level: 'info' | 'warn'; obj: object; msg: string | undefined }[] = [];
  return {
    lines,
    info: (obj: object, msg?: string) => lines.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg?: string) => lines.push({ level: 'warn', obj, msg }),
  };
}

let store: DrizzleStore;
let server: FixtureServer;
let memoryBus: MemoryBus;
let bus: RecordingBus;
let clock: TestClock;
let http: HttpClient;
const seen = { raw: [] as SignalIngested[], dead: [] as DeadLettered[] };

beforeAll(async () => {
  store = await createStore('memory://');
}, 180_000); // PGlite starts its thread and migrates: slow on a loaded machine
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  server = await startFixtureServer();
  memoryBus = new MemoryBus();
  seen.raw = [];
  seen.dead = [];
  memoryBus.subscribe(Topics.signalsRaw, async (e) => void seen.raw.push(e), { group: 'test' });
  memoryBus.subscribe(Topics.deadLetter, async (e) => void seen.dead.push(e), { group: 'test' });
  bus = new RecordingBus(memoryBus);
  clock = new TestClock(Date.UTC(2024, 0, 2, 14, 30));
  http = new PoliteHttpClient({ userAgent: 'Vanta/test (ops@vanta.test)', hosts: { '127.0.0.1': { requestsPerSecond: 1000 } }, maxRetries: 0 });
});
afterEach(async () => {
  await memoryBus.close();
  await server.close();
});

/** Cursor saves, recorded into the bus log so that their order against publishes shows. */
function cursorsLogged(): CursorStore {
  return {
    get: (name) => store.cursors.get(name),
    set: async (name, cursor) => {
      bus.log.push(`cursor:${cursor}`);
      await store.cursors.set(name, cursor);
    },
  };
}

function collector<C>(source: PollingSource<C>, extra: Partial<PollingCollectorOptions<C>> = {}) {
  return new PollingCollector<C>({ source, bus: bus as unknown as Bus, clock, http, cursors: cursorsLogged(), ...extra });
}

describe('PollingCollector', () => {
  it('publishes each draft as a SignalIngested, then saves the cursor', async () => {
    server.route('/listing', { fixture: 'reddit/go-reddit_subreddit_posts.json', headers: { 'content-type': 'application/json' } });
    const c = collector(new ListingSource('t.publish', `${server.url}/listing`));
    expect(await c.pollOnce()).toBe(true);
    await memoryBus.drain();

    const ids = [
      eventId('sig', 't.publish', 'social_mention', 't3_agi5zf', 1547618271000),
      eventId('sig', 't.publish', 'social_mention', 't3_hyhquk', 1595808310000),
    ];
    expect(bus.log).toEqual([`signals.raw:${ids[0]}`, `signals.raw:${ids[1]}`, 'cursor:{"after":"t3_hyhquk"}']);
    expect(seen.raw.map((e) => e.id)).toEqual(ids);
    expect(seen.raw[0]).toMatchObject({
      type: 'SignalIngested',
      tsEvent: 1547618271000,
      tsInit: clock.now(),
      causationIds: [],
      payload: { source: 't.publish', kind: 'social_mention', externalId: 't3_agi5zf', body: { title: 'test' } },
    });
    expect(Object.isFrozen(seen.raw[0])).toBe(true);
    expect(await store.cursors.get('t.publish')).toBe('{"after":"t3_hyhquk"}');
    expect(c.status).toMatchObject({
      name: 't.publish',
      published: 2,
      deadLettered: 0,
      errorCount: 0,
      cursor: '{"after":"t3_hyhquk"}',
      lastSuccessAt: clock.now(),
      lagMs: clock.now() - 1595808310000,
    });
  });

  it('leaves the cursor unsaved when publishing fails, and repeats the same documents next poll', async () => {
    server.route('/listing', { json: listing(['t3_a', 1_700_000_000], ['t3_b', 1_700_000_060]) });
    const log = recordingLog();
    const c = collector(new ListingSource('t.failpub', `${server.url}/listing`), { log });
    bus.failCalls.add(2); // the second draft

    expect(await c.pollOnce()).toBe(false);
    expect(await store.cursors.get('t.failpub')).toBeNull();
    expect(c.status).toMatchObject({ state: 'backoff', errorCount: 1, cursor: null, published: 1 });
    expect(c.status.lastError).toMatchObject({ message: 'bus unavailable', code: null, at: clock.now() });

    expect(await c.pollOnce()).toBe(true);
    await memoryBus.drain();
    const [first, second] = server.requestsTo('/listing');
    expect(first!.url.searchParams.get('after')).toBe('');
    expect(second!.url.searchParams.get('after')).toBe(''); // from where it last succeeded
    // The first draft went out twice with the same id: downstream drops the repeat.
    expect(seen.raw.map((e) => e.payload.externalId)).toEqual(['t3_a', 't3_a', 't3_b']);
    expect(new Set(seen.raw.map((e) => e.id)).size).toBe(2);
    expect(await store.cursors.get('t.failpub')).toBe('{"after":"t3_b"}');
    expect(c.status).toMatchObject({ state: 'idle', errorCount: 1, cursor: '{"after":"t3_b"}' });
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'info']); // failing, recovered
  });

  it('sends rejected documents to the dead-letter topic with their exact bytes, then saves the cursor', async () => {
    const fixture = 'rss_atom/rss-parser_encoding.rss';
    server.route('/listing', { fixture, headers: { 'content-type': 'application/rss+xml' } });
    const c = collector(new ListingSource('t.dead', `${server.url}/listing`), { secrets: ['listing-secret-123'] });
    expect(await c.pollOnce()).toBe(true);
    await memoryBus.drain();

    expect(seen.raw).toEqual([]);
    expect(seen.dead).toHaveLength(1);
    const dead = seen.dead[0]!;
    expect(dead.type).toBe('DeadLettered');
    const payload = dead.payload as { stage: string; error: string; source: { origin: string; contentType: string; bodyBase64: string } };
    expect(payload.stage).toBe('t.dead');
    expect(payload.error).toMatch(/not a JSON listing/);
    expect(payload.source.contentType).toBe('application/rss+xml');
    expect(Buffer.from(payload.source.bodyBase64, 'base64').equals(readFixture(fixture))).toBe(true);
    // The origin names the document but not the credential in its query string.
    expect(payload.source.origin).toContain('/listing?after=&api_key=***');
    expect(JSON.stringify(dead)).not.toContain('listing-secret-123');
    expect(bus.log.at(-1)).toBe('cursor:{"after":""}');
    expect(bus.log[0]).toBe(`deadletter:${dead.id}`);
    expect(c.status.deadLettered).toBe(1);
  });

  it('resumes from the saved cursor after a restart', async () => {
    server.route('/listing', (req) =>
      req.url.searchParams.get('after') === 't3_b'
        ? { json: listing(['t3_c', 1_700_000_120]) }
        : { json: listing(['t3_a', 1_700_000_000], ['t3_b', 1_700_000_060]) },
    );
    const first = collector(new ListingSource('t.resume', `${server.url}/listing`));
    expect(await first.pollOnce()).toBe(true);

    const second = collector(new ListingSource('t.resume', `${server.url}/listing`));
    expect(second.status.cursor).toBeNull();
    expect(await second.pollOnce()).toBe(true);
    await memoryBus.drain();
    expect(server.requestsTo('/listing').map((r) => r.url.searchParams.get('after'))).toEqual(['', 't3_b']);
    expect(seen.raw.map((e) => e.payload.externalId)).toEqual(['t3_a', 't3_b', 't3_c']);
    expect(await store.cursors.get('t.resume')).toBe('{"after":"t3_c"}');
  });

  it('starts afresh, saying so, when the saved cursor cannot be read', async () => {
    await store.cursors.set('t.badcursor', 'not json');
    server.route('/listing', { json: listing(['t3_a', 1_700_000_000]) });
    const log = recordingLog();
    const c = collector(new ListingSource('t.badcursor', `${server.url}/listing`), { log });
    expect(await c.pollOnce()).toBe(true);
    expect(server.requestsTo('/listing')[0]!.url.searchParams.get('after')).toBe('');
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual(['t.badcursor: the saved cursor is unreadable; starting afresh']);
  });

  it('backs off after failures (doubling, jittered, at least Retry-After), logging once per change', async () => {
    server.route(
      '/listing',
      { status: 503 },
      { status: 503 },
      { status: 503 },
      { status: 429, headers: { 'retry-after': '90' } },
      { json: listing(['t3_a', 1_700_000_000]) },
    );
    const sleeps: number[] = [];
    const sleep: Sleep = (ms, signal) => {
      sleeps.push(ms);
      if (sleeps.length < 6) return Promise.resolve();
      return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
    };
    const log = recordingLog();
    const changes: CollectorStatus[] = [];
    // The client holds the host for the Retry-After too: on the test clock here, so the test need not wait.
    const heldClient = new PoliteHttpClient({
      userAgent: 'Vanta/test (ops@vanta.test)',
      maxRetries: 0,
      clock,
      sleep: async (ms) => clock.advance(ms),
    });
    const c = collector(new ListingSource('t.backoff', `${server.url}/listing`, 1000), {
      log,
      sleep,
      http: heldClient,
      onChange: (s) => changes.push(s),
    });
    await c.start();
    await vi.waitFor(() => expect(sleeps).toHaveLength(6));
    await c.stop();

    expect(sleeps[0]).toBe(1000); // the first retry waits one interval
    expect(sleeps[1]).toBeGreaterThanOrEqual(1000);
    expect(sleeps[1]).toBeLessThanOrEqual(2000);
    expect(sleeps[2]).toBeGreaterThanOrEqual(1000);
    expect(sleeps[2]).toBeLessThanOrEqual(4000);
    expect(sleeps[3]).toBeGreaterThanOrEqual(90_000); // the server's Retry-After
    expect(sleeps[4]).toBe(1000); // healthy again: the plain interval
    expect(c.status).toMatchObject({ state: 'stopped', errorCount: 4, published: 2 }); // two good polls of one post
    expect(log.lines.map((l) => `${l.level}:${(l.obj as { status?: number }).status ?? ''}`)).toEqual([
      'warn:503',
      'warn:429',
      'info:',
    ]);
    expect(changes.map((s) => s.state)).toContain('backoff');
    expect(changes.at(-1)?.state).toBe('stopped');
  });

  it('stops promptly: aborts the request in flight, counts no failure, keeps the cursor', async () => {
    await store.cursors.set('t.stop', '{"after":"t3_z"}');
    server.route('/listing', { delayMs: 10_000, json: listing() });
    const c = collector(new ListingSource('t.stop', `${server.url}/listing`));
    await c.start();
    await vi.waitFor(() => expect(server.requestsTo('/listing')).toHaveLength(1));
    const started = performance.now();
    await c.stop();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(c.status).toMatchObject({ state: 'stopped', errorCount: 0, cursor: '{"after":"t3_z"}' });
    expect(await store.cursors.get('t.stop')).toBe('{"after":"t3_z"}');
  });

  it('polls on its interval until stopped', async () => {
    server.route('/listing', (req) => ({ json: listing([`t3_${req.url.searchParams.get('after') || 'x'}1`, 1_700_000_000]) }));
    const c = collector(new ListingSource('t.loop', `${server.url}/listing`, 20));
    await c.start();
    await vi.waitFor(() => expect(server.requestsTo('/listing').length).toBeGreaterThanOrEqual(3));
    await c.stop();
    const after = server.requestsTo('/listing').map((r) => r.url.searchParams.get('after'));
    expect(after.slice(0, 3)).toEqual(['', 't3_x1', 't3_t3_x11']);
    // A request sent just before stop may still reach the server; after that, nothing (at 20 ms a poll,
    // a running collector would make about ten requests in the 200 ms watched).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const count = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.requests.length).toBe(count);
  });

  it('publishes retractions like any draft', async () => {
    const retraction: SignalDraft = {
      signal: { source: 't.retract', kind: 'insider_filing', instrument: 'PANW', externalId: '0001-21-1:retracts', body: { retracts: '0001-21-1' } },
      tsEvent: 1_600_000_000_000,
      retracts: true,
    };
    const source: PollingSource<number> = {
      name: 't.retract',
      intervalMs: 1000,
      poll: async () => ({ drafts: [retraction], rejected: [], cursor: 1 }),
    };
    expect(await collector(source).pollOnce()).toBe(true);
    await memoryBus.drain();
    expect(seen.raw.map((e) => e.payload.body)).toEqual([{ retracts: '0001-21-1' }]);
    // The flag travels in the payload, so downstream stages and the audit log see a withdrawal as one.
    expect(seen.raw.map((e) => e.payload.retracts)).toEqual([true]);
  });
});
