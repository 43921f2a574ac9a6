/**
 * Rate limits per principal over real HTTP and websockets: in memory, shared through a real Redis by two
 * servers, and falling back to memory (logged once, never blocking) when Redis is dead.
 */
import { createServer as createNetServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { HardeningOptions } from '../src/api/hardening.js';
import { type ApiServer, createApiServer } from '../src/api/http.js';
import { ALL_ROLES, type Principal } from '../src/api/roles.js';
import { MemoryBus } from '../src/engine/bus/memory.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { ANONYMOUS } from '../src/resolvers/context.js';
import { HEALTH, NOW } from './api-fixtures.js';
import { deleteKeysUnder, REDIS_TEST_URL, redisAvailable, uniqueName } from './services.js';

let store: DrizzleStore;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  store = await createStore('memory://');
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await store?.close();
});

/** `Bearer <id>` is the API key `<id>`; no header is the anonymous principal. */
async function authenticate(authorization: string | undefined): Promise<Principal | null> {
  if (authorization === undefined) return ANONYMOUS;
  const id = /^Bearer (\w+)$/.exec(authorization)?.[1];
  return id ? { id, name: id, roles: ALL_ROLES, via: 'api-key' } : null;
}

async function server(hardening: Omit<HardeningOptions, 'production'>): Promise<ApiServer> {
  const bus = new MemoryBus();
  const api = await createApiServer(
    { store, bus, health: async () => HEALTH, lineage: async () => null, now: () => NOW },
    { port: 0, host: '127.0.0.1', authenticate, hardening },
  );
  closers.push(() => bus.close(), () => api.close());
  return api;
}

async function ask(api: ApiServer, key?: string, body: unknown = { query: '{ health { status } }' }) {
  const res = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text, json: JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] } };
}

function expectLimited(r: Awaited<ReturnType<typeof ask>>): void {
  expect(r.status).toBe(429);
  expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(r.json.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  expect(r.json.errors?.[0]?.message).toMatch(/^Rate limit exceeded: retry in \d+ s$/);
  expect(r.text).not.toMatch(/stacktrace|Context creation failed/);
}

const slow = { burst: 3, perSecond: 0.01 };

describe('in memory', () => {
  let api: ApiServer;
  beforeAll(async () => {
    api = await server({ settings: { rateLimit: slow } });
  });

  it('gives each client address a bucket: a burst, then 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await ask(api)).status).toBe(200);
    const refused = await ask(api);
    expectLimited(refused);
    expect(Number(refused.retryAfter)).toBeGreaterThan(60); // 1 token at 0.01 per second
  });

  it('gives each API key its own bucket, whatever the address', async () => {
    for (let i = 0; i < 3; i++) expect((await ask(api, 'alpha')).status).toBe(200);
    expectLimited(await ask(api, 'alpha'));
    expect((await ask(api, 'beta')).status).toBe(200);
  });

  it('takes one token per operation of a batch', async () => {
    const op = { query: '{ health { status } }' };
    expect((await ask(api, 'gamma', [op, op])).status).toBe(200);
    expectLimited(await ask(api, 'gamma', [op, op]));
    expect((await ask(api, 'gamma', op)).status).toBe(200);
  });

  it('limits websocket operations too', async () => {
    const ws = new WebSocket(api.wsUrl, 'graphql-transport-ws');
    const messages: { id?: string; type: string; payload?: unknown }[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as (typeof messages)[number]));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'connection_init' }));
    const wait = async (n: number) => {
      while (messages.length < n) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    await wait(1);
    // The address's bucket was emptied over HTTP above: the first operation is refused.
    ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ health { status } }' } }));
    await wait(2);
    expect(messages[1]).toMatchObject({ id: '1', type: 'error', payload: [{ extensions: { code: 'RATE_LIMITED' } }] });
    expect(JSON.stringify(messages[1])).not.toContain('"http"');
    ws.close();
  });

  it('can be turned off', async () => {
    const open = await server({ settings: { rateLimit: { ...slow, enabled: false } } });
    for (let i = 0; i < 10; i++) expect((await ask(open)).status).toBe(200);
  });
});

const redisUp = await redisAvailable();

describe.skipIf(!redisUp)('in Redis', () => {
  const prefix = `${uniqueName('vanta_ratelimit_test')}:`;
  const clients: Redis[] = [];
  afterAll(async () => {
    const admin = new Redis(REDIS_TEST_URL);
    await deleteKeysUnder(admin, prefix);
    await Promise.all([admin, ...clients].map((c) => c.quit()));
  });

  it('shares one bucket per principal between two servers', async () => {
    const make = () => {
      const redis = new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: null });
      clients.push(redis);
      return server({ settings: { rateLimit: { burst: 4, perSecond: 0.01 } }, redis, redisPrefix: prefix });
    };
    const [a, b] = await Promise.all([make(), make()]);
    await Promise.all(clients.map((c) => new Promise((resolve) => (c.status === 'ready' ? resolve(null) : c.once('ready', resolve)))));
    expect((await ask(a, 'shared')).status).toBe(200);
    expect((await ask(b, 'shared')).status).toBe(200);
    expect((await ask(a, 'shared')).status).toBe(200);
    expect((await ask(b, 'shared')).status).toBe(200);
    expectLimited(await ask(a, 'shared'));
    expectLimited(await ask(b, 'shared'));
    const admin = new Redis(REDIS_TEST_URL);
    clients.push(admin);
    expect(Number(await admin.hget(`${prefix}principal:api-key:shared`, 'tokens'))).toBeLessThan(1);
  });
});

describe('with a dead Redis', () => {
  it('limits in memory, tells once, and never blocks a request', async () => {
    const closed = createNetServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: null, retryStrategy: () => 50 });
    redis.on('error', () => {});
    closers.push(async () => redis.disconnect());
    const notices: string[] = [];
    const api = await server({ settings: { rateLimit: slow }, redis, notice: (message) => notices.push(message) });
    for (let i = 0; i < 3; i++) expect((await ask(api, 'delta')).status).toBe(200);
    expectLimited(await ask(api, 'delta'));
    expect((await ask(api, 'epsilon')).status).toBe(200);
    expect(notices).toEqual(['rate limits: Redis is not answering; limiting in memory, per server, until it is back']);
  });
});
