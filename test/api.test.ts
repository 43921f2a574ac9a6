/**
 * The GraphQL API end to end: a real store (PGlite in memory), a real memory bus and the real server,
 * queried over HTTP and subscribed to over graphql-ws with the typed documents codegen wrote to test/gql.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, createApiServer } from '../src/api/http.js';
import { buildLineage } from '../src/engine/audit/lineage.js';
import { MemoryBus } from '../src/engine/bus/memory.js';
import { Topics } from '../src/engine/bus/topics.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { convictionScored, convictionVector, signalEvent } from '../src/engine/store/store.fixtures.js';
import { HEALTH, NOW, seed } from './api-fixtures.js';
import { type HttpResult, post, subscribe, until, wsClient } from './api-client.js';
import {
  ConvictionDocument,
  ConvictionUpdatedDocument,
  ConvictionVectorsDocument,
  type ConvictionVectorsQuery,
  type ConvictionVectorsQueryVariables,
  HealthDocument,
  InstrumentsDocument,
  LineageDocument,
  SignalDocument,
  SignalIngestedDocument,
  SignalsDocument,
} from './gql/graphql.js';

let store: DrizzleStore;
let bus: MemoryBus;
let api: ApiServer;
const unexpected: unknown[] = [];

beforeAll(async () => {
  store = await createStore('memory://');
  bus = new MemoryBus();
  await seed(store);
  api = await createApiServer(
    { store, bus, health: async () => HEALTH, lineage: (id) => buildLineage(store.audit, id), now: () => NOW },
    { port: 0, host: '127.0.0.1', onError: (e) => unexpected.push(e) },
  );
});

afterAll(async () => {
  await api?.close();
  await bus?.close();
  await store?.close();
});

const ids = (r: { data?: { convictionVectors: { edges: { node: { id: string } }[] } } | null }) =>
  r.data?.convictionVectors.edges.map((e) => e.node.id);

describe('queries over HTTP', () => {
  it('lists conviction vectors newest first, with every field', async () => {
    const r = await post(api.url, ConvictionVectorsDocument, {});
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(ids(r)).toEqual(['cv_0008', 'cv_0007', 'cv_0006', 'cv_0005', 'cv_0004', 'cv_0003', 'cv_0002', 'cv_0001']);
    expect(r.data?.convictionVectors.totalCount).toBe(8);
    expect(r.data?.convictionVectors.pageInfo.hasNextPage).toBe(false);
    const cv4 = r.data?.convictionVectors.edges.find((e) => e.node.id === 'cv_0004')?.node;
    expect(cv4).toMatchObject({
      signalId: 'sig_0004',
      instrument: 'AAPL',
      convictionScore: 0.95,
      direction: 'LONG',
      band: 'EXTREME',
      ttl: 3600,
      routingTags: ['equity', 'social'],
      createdAt: new Date(1_700_000_004_000).toISOString(),
      expiresAt: new Date(1_700_000_004_000 + 3_600_000).toISOString(),
      contributingModels: [{ modelId: 'ZScore(window=48,min=12)', version: '1', weight: 0.7, output: 3.2 }],
    });
    expect(cv4?.reasonVector[0]).toEqual({
      feature: 'mentions.zscore',
      contribution: 0.31,
      value: 3.2,
      sentence: 'Mentions are 3.2σ above normal.',
    });
  });

  it.each<[string, ConvictionVectorsQueryVariables['filter'], string[]]>([
    ['instrument', { instrument: 'AAPL' }, ['cv_0008', 'cv_0006', 'cv_0004', 'cv_0002', 'cv_0001']],
    ['minAbsScore', { minAbsScore: 0.6 }, ['cv_0007', 'cv_0006', 'cv_0004', 'cv_0003']],
    ['band', { band: 'STRONG' }, ['cv_0007', 'cv_0006', 'cv_0003']],
    ['routingTag', { routingTag: 'social' }, ['cv_0004', 'cv_0002']],
    ['activeOnly', { activeOnly: true }, ['cv_0008', 'cv_0007', 'cv_0005', 'cv_0004', 'cv_0003', 'cv_0002', 'cv_0001']],
    ['all at once', { instrument: 'AAPL', minAbsScore: 0.5, activeOnly: true }, ['cv_0004', 'cv_0002']],
  ])('filters conviction vectors by %s', async (_name, filter, expected) => {
    const r = await post(api.url, ConvictionVectorsDocument, { filter });
    expect(r.errors).toBeUndefined();
    expect(ids(r)).toEqual(expected);
    expect(r.data?.convictionVectors.totalCount).toBe(expected.length);
  });

  it('pages through conviction vectors with cursors, without overlap', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    const pages: boolean[] = [];
    for (;;) {
      const r: HttpResult<ConvictionVectorsQuery> = await post(api.url, ConvictionVectorsDocument, { first: 3, after });
      expect(r.errors).toBeUndefined();
      seen.push(...(ids(r) ?? []));
      const info = r.data?.convictionVectors.pageInfo;
      pages.push(info?.hasNextPage ?? false);
      if (!info?.hasNextPage) break;
      after = info.endCursor ?? null;
    }
    expect(pages).toEqual([true, true, false]);
    expect(seen).toEqual(['cv_0008', 'cv_0007', 'cv_0006', 'cv_0005', 'cv_0004', 'cv_0003', 'cv_0002', 'cv_0001']);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('finds a conviction by id with its signal, and answers null for unknown ids', async () => {
    const r = await post(api.url, ConvictionDocument, { id: 'cv_0002' });
    expect(r.errors).toBeUndefined();
    expect(r.data?.conviction).toMatchObject({ id: 'cv_0002', convictionScore: 0.55, band: 'MODERATE' });
    expect(r.data?.conviction?.signal).toMatchObject({
      id: 'sig_0002',
      kind: 'SOCIAL_MENTION',
      source: 'reddit',
      instrument: 'AAPL',
      externalId: 'ext-2',
      body: { title: 'post 2', score: 2, nested: { tags: ['a', 'b'] } },
      causationIds: ['raw_sig_0002'],
      tsInit: new Date(1_700_000_002_000).toISOString(),
    });

    const orphan = await post(api.url, ConvictionDocument, { id: 'cv_0008' });
    expect(orphan.errors).toBeUndefined();
    expect(orphan.data?.conviction?.signal).toBeNull();

    const unknown = await post(api.url, ConvictionDocument, { id: 'cv_nope' });
    expect(unknown).toMatchObject({ status: 200, data: { conviction: null } });
    expect(unknown.errors).toBeUndefined();
  });

  it('lists and finds signals', async () => {
    const bars = await post(api.url, SignalsDocument, { filter: { kind: 'BAR' } });
    expect(bars.errors).toBeUndefined();
    expect(bars.data?.signals.edges.map((e) => e.node.id)).toEqual(['sig_0007', 'sig_0006', 'sig_0001']);
    const aaplSim = await post(api.url, SignalsDocument, { filter: { instrument: 'AAPL', source: 'simulator' }, first: 1 });
    expect(aaplSim.data?.signals).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(aaplSim.data?.signals.edges.map((e) => e.node.id)).toEqual(['sig_0006']);

    const one = await post(api.url, SignalDocument, { id: 'sig_0005' });
    expect(one.data?.signal).toMatchObject({ id: 'sig_0005', kind: 'WHALE_TRANSFER', instrument: 'BTC', polarity: -0.5 });
    expect((await post(api.url, SignalDocument, { id: 'sig_nope' })).data).toEqual({ signal: null });
  });

  it('lists instruments and reports health', async () => {
    const i = await post(api.url, InstrumentsDocument, {});
    expect(i.data?.instruments.map((x) => [x.symbol, x.assetClass])).toEqual([
      ['AAPL', 'EQUITY'],
      ['BTC', 'CRYPTO'],
      ['MSFT', 'EQUITY'],
    ]);
    const h = await post(api.url, HealthDocument, {});
    expect(h.data?.health).toEqual({ ...HEALTH, status: 'OK' });
  });

  it('builds the lineage of an event from the audit log', async () => {
    const r = await post(api.url, LineageDocument, { id: 'cv_0004' });
    expect(r.errors).toBeUndefined();
    const lineage = r.data?.lineage;
    expect(lineage?.rootId).toBe('cv_0004');
    expect(lineage?.nodes.map((n) => [n.eventId, n.type, n.depth])).toEqual([
      ['cv_0004', 'ConvictionScored', 0],
      ['sig_0004', 'SignalEnriched', 1],
      ['ms_0004', 'ModelScored', 1],
      ['raw_sig_0004', 'SignalIngested', 2],
    ]);
    expect(lineage?.edges).toEqual(
      expect.arrayContaining([
        { from: 'cv_0004', to: 'ms_0004' },
        { from: 'cv_0004', to: 'sig_0004' },
        { from: 'ms_0004', to: 'sig_0004' },
        { from: 'sig_0004', to: 'raw_sig_0004' },
      ]),
    );
    expect(lineage?.missing).toEqual(['ghost_0001']);
    const root = lineage?.nodes[0];
    expect(root?.auditSeq).toBe(4);
    expect(root?.auditHash).toMatch(/^[0-9a-f]{64}$/);
    expect(root?.payload).toMatchObject({ id: 'cv_0004', instrument: 'AAPL' });
    expect(lineage?.nodes[3]?.tsInit).toBe(new Date(1_700_000_003_400).toISOString());

    expect((await post(api.url, LineageDocument, { id: 'nothing_here' })).data).toEqual({ lineage: null });
  });
});

describe('invalid arguments over HTTP', () => {
  it.each([
    ['first below 1', ConvictionVectorsDocument, { first: 0 }, 'first'],
    ['first above 500', ConvictionVectorsDocument, { first: 501 }, 'first'],
    ['minAbsScore above 1', ConvictionVectorsDocument, { filter: { minAbsScore: 1.5 } }, 'filter.minAbsScore'],
    ['a malformed cursor', ConvictionVectorsDocument, { after: 'not a cursor!' }, 'after'],
    ['a forged cursor', ConvictionVectorsDocument, { after: Buffer.from('{"x":1}').toString('base64url') }, 'after'],
    ['a signals cursor of the wrong shape', SignalsDocument, { after: Buffer.from('[1]').toString('base64url') }, 'after'],
    ['an empty conviction id', ConvictionDocument, { id: '' }, 'id'],
    ['an empty signal id', SignalDocument, { id: ' ' }, 'id'],
    ['an empty lineage id', LineageDocument, { id: '' }, 'id'],
  ] as const)('refuses %s as BAD_USER_INPUT naming the argument', async (_name, doc, variables, argumentName) => {
    const r = await post(api.url, doc as typeof ConvictionVectorsDocument, variables as ConvictionVectorsQueryVariables);
    expect(r.errors).toHaveLength(1);
    const [error] = r.errors ?? [];
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
    expect(error?.message).toContain(`"${argumentName}"`);
    expect(unexpected).toEqual([]);
  });
});

describe('plain HTTP routes', () => {
  it('serves /healthz as JSON and a placeholder page on /', async () => {
    const base = api.url.replace(/\/graphql$/, '');
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual(HEALTH);
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/graphql');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('answers CORS preflights and refuses oversized bodies with 413', async () => {
    const preflight = await fetch(api.url, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const big = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ health { status } }', padding: 'x'.repeat(1024 * 1024) }),
    });
    expect(big.status).toBe(413);
  });
});

describe('subscriptions over graphql-ws', () => {
  it('delivers only the conviction vectors that match the filter', async () => {
    const client = wsClient(api.wsUrl);
    try {
      const feed = subscribe(client, ConvictionUpdatedDocument, { filter: { instrument: 'AAPL', minAbsScore: 0.5 } });
      await until(() => api.activeSubscriptions() === 1);
      const other = convictionVector(100, { instrument: 'MSFT', convictionScore: 0.9, band: 'EXTREME' });
      const match = convictionVector(101, { instrument: 'AAPL', convictionScore: -0.7, band: 'STRONG', signalId: 'sig_0002' });
      await bus.publish(Topics.convictions, convictionScored(other));
      await bus.publish(Topics.convictions, convictionScored(match));
      const [first] = await feed.received(1);
      await bus.drain();
      // In-order delivery: had the MSFT vector passed the filter, it would have arrived first.
      expect(feed.results).toHaveLength(1);
      expect(first?.convictionUpdated).toMatchObject({ id: 'cv_0101', instrument: 'AAPL', direction: 'SHORT', band: 'STRONG' });
      expect(first?.convictionUpdated.createdAt).toBe(new Date(match.createdAt).toISOString());
      expect(feed.errors).toEqual([]);
      feed.dispose();
      await until(() => api.activeSubscriptions() === 0);
    } finally {
      await client.dispose();
    }
  });

  it('delivers enriched signals that match the filter', async () => {
    const client = wsClient(api.wsUrl);
    try {
      const feed = subscribe(client, SignalIngestedDocument, { filter: { kind: 'NEWS' } });
      await until(() => api.activeSubscriptions() === 1);
      await bus.publish(Topics.signalsEnriched, signalEvent(200, { kind: 'bar', instrument: 'AAPL' }));
      await bus.publish(Topics.signalsEnriched, signalEvent(201, { kind: 'news', instrument: 'MSFT', source: 'rss' }));
      const [first] = await feed.received(1);
      expect(feed.results).toHaveLength(1);
      expect(first?.signalIngested).toMatchObject({ id: 'sig_0201', kind: 'NEWS', instrument: 'MSFT', source: 'rss' });
      feed.dispose();
    } finally {
      await client.dispose();
    }
  });

  it('refuses a subscription with an invalid filter as BAD_USER_INPUT', async () => {
    const client = wsClient(api.wsUrl);
    try {
      const feed = subscribe(client, ConvictionUpdatedDocument, { filter: { minAbsScore: 2 } });
      // graphql-ws carries execution errors in a `next` message, then completes the operation.
      expect(await feed.ended).toBe('complete');
      expect(feed.results).toEqual([]);
      expect(feed.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'filter.minAbsScore' } }),
      ]);
    } finally {
      await client.dispose();
    }
  });
});

describe('a second server', () => {
  it('masks unexpected errors in production, reports them, and completes subscriptions on close()', async () => {
    const reported: unknown[] = [];
    const ownBus = new MemoryBus();
    const server = await createApiServer(
      {
        store,
        bus: ownBus,
        health: async () => {
          throw new Error('secret detail: db password is hunter2');
        },
        lineage: async () => null,
        now: () => NOW,
      },
      { port: 0, host: '127.0.0.1', production: true, onError: (e) => reported.push(e), staticHandler: (req, res) => {
        if (req.url !== '/') return false;
        res.end('dashboard');
        return true;
      } },
    );
    const client = wsClient(server.wsUrl);
    try {
      const h = await post(server.url, HealthDocument, {});
      expect(h.errors).toEqual([
        { message: 'Internal server error', locations: [{ line: 2, column: 3 }], path: ['health'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ]);
      expect(JSON.stringify(h)).not.toContain('hunter2');
      expect(reported).toHaveLength(1);
      const healthz = await fetch(server.url.replace(/graphql$/, 'healthz'));
      expect(healthz.status).toBe(503);
      expect(await healthz.text()).not.toContain('hunter2');
      expect(await (await fetch(server.url.replace(/graphql$/, ''))).text()).toBe('dashboard');

      const feed = subscribe(client, ConvictionUpdatedDocument, {});
      await until(() => server.activeSubscriptions() === 1);
      await ownBus.publish(Topics.convictions, convictionScored(convictionVector(300)));
      await feed.received(1);

      await server.close();
      expect(await feed.ended).toBe('complete');
      expect(feed.errors).toEqual([]);
      expect(server.activeSubscriptions()).toBe(0);
      await expect(fetch(server.url.replace(/graphql$/, 'healthz'))).rejects.toThrow();
      await server.close(); // idempotent
    } finally {
      await client.dispose();
      await server.close();
      await ownBus.close();
    }
  });
});
