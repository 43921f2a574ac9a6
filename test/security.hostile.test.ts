/**
 * Hostile input against the real API server on embedded defaults (PGlite in memory, the memory bus), over real
 * HTTP and websockets, in development and in production mode. Each request gets a clear error with a code,
 * without a stack trace or a path of the server's, and the server still answers a health query afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ApiServer, createApiServer } from '../src/api/http.js';
import { buildLineage } from '../src/engine/audit/lineage.js';
import { MemoryBus } from '../src/engine/bus/memory.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { HEALTH, NOW, seed } from './api-fixtures.js';

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | unknown[];
}

let store: DrizzleStore;
const servers: Record<'development' | 'production', { api: ApiServer; bus: MemoryBus; unexpected: unknown[] }> = {} as never;

beforeAll(async () => {
  store = await createStore('memory://');
  await seed(store);
  for (const mode of ['development', 'production'] as const) {
    const bus = new MemoryBus();
    const unexpected: unknown[] = [];
    const api = await createApiServer(
      { store, bus, health: async () => HEALTH, lineage: (id) => buildLineage(store.audit, id), now: () => NOW },
      { port: 0, host: '127.0.0.1', production: mode === 'production', onError: (e) => unexpected.push(e) },
    );
    servers[mode] = { api, bus, unexpected };
  }
});

afterAll(async () => {
  for (const s of Object.values(servers)) {
    await s.api.close();
    await s.bus.close();
  }
  await store?.close();
});

async function send(url: string, body: string | Uint8Array, contentType = 'application/json'): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as Answer['json'] };
}

const gql = (url: string, query: string, variables?: unknown, operationName?: string) =>
  send(url, JSON.stringify({ query, variables, operationName }));

/** The first error, after checking that nothing in the answer exposes the server's insides. */
function refusal(answer: Answer, status: number, code: string): { message: string; extensions?: Record<string, unknown> } {
  expect(answer.status).toBe(status);
  expect(answer.text).not.toMatch(/stacktrace|node_modules|\/work\/|\.ts:\d+|at \w+ \(/);
  const errors = Array.isArray(answer.json) ? undefined : answer.json.errors;
  expect(errors?.length, answer.text.slice(0, 500)).toBeGreaterThan(0);
  const error = errors!.find((e) => e.extensions?.code === code);
  expect(error, `no ${code} in ${answer.text.slice(0, 500)}`).toBeDefined();
  expect(error!.message.length).toBeGreaterThan(0);
  return error!;
}

async function healthy(api: ApiServer): Promise<void> {
  const r = await gql(api.url, '{ health { status } }');
  expect(r.status).toBe(200);
  expect(r.json).toEqual({ data: { health: { status: 'OK' } } });
}

const nested = (levels: number) => {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = `neighbours { entity { ${inner} } }`;
  return `{ entity(id: "ins:AAPL") { ${inner} } }`;
};

describe.each(['development', 'production'] as const)('hostile HTTP requests (%s)', (mode) => {
  const api = () => servers[mode].api;

  it('refuses a malformed JSON body', async () => {
    const e = refusal(await send(api().url, '{"query": "{ health { status } }"'), 400, 'BAD_REQUEST');
    expect(e.message).toMatch(/not valid JSON/);
  });

  it('refuses a body that is not JSON', async () => {
    refusal(await send(api().url, '{ health { status } }', 'text/plain'), 400, 'BAD_REQUEST');
    refusal(await send(api().url, '<query>health</query>', 'application/xml'), 400, 'BAD_REQUEST');
  });

  it('refuses an oversized body with 413', async () => {
    const body = JSON.stringify({ query: '{ health { status } }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    const e = refusal(await send(api().url, body), 413, 'PAYLOAD_TOO_LARGE');
    expect(e.message).toMatch(/larger than 1048576 bytes/);
  });

  it('refuses a deeply nested query', async () => {
    const e = refusal(await gql(api().url, nested(10)), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(e.extensions?.limit).toBe('maxDepth');
    expect(e.message).toMatch(/depth limit of 12 exceeded/);
  });

  it('refuses an alias bomb', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: health { status }`).join(' ');
    const r = await gql(api().url, `{ ${aliases} }`);
    refusal(r, 400, 'GRAPHQL_VALIDATION_FAILED');
    const limits = (r.json as { errors: { extensions?: { limit?: string } }[] }).errors.map((e) => e.extensions?.limit);
    expect(limits).toContain('maxAliases');
  });

  it('refuses a query of 10,000 tokens', async () => {
    const e = refusal(await gql(api().url, `{ health { ${'status '.repeat(10_000)} } }`), 400, 'GRAPHQL_PARSE_FAILED');
    expect(e.message).toMatch(/more tha[nt] 2000 tokens/);
  });

  it('refuses too many directives', async () => {
    const r = await gql(api().url, `{ health { status ${'@include(if: true) '.repeat(60)} } }`);
    refusal(r, 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a huge batch, and answers a small one', async () => {
    const op = { query: '{ health { status } }' };
    const e = refusal(await send(api().url, JSON.stringify(Array.from({ length: 10_000 }, () => op))), 400, 'BATCH_TOO_LARGE');
    expect(e.message).toMatch(/at most 10 operations; this one holds 10000/);
    refusal(await send(api().url, '[]'), 400, 'BAD_REQUEST');
    const ok = await send(api().url, JSON.stringify([op, op]));
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual([{ data: { health: { status: 'OK' } } }, { data: { health: { status: 'OK' } } }]);
  });

  it('refuses fragment cycles', async () => {
    const q = 'query { ...A } fragment A on Query { health { status } ...B } fragment B on Query { ...A }';
    const e = refusal(await gql(api().url, q), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(e.message).toMatch(/Cannot spread fragment "A" within itself/);
  });

  it('refuses variables of the wrong type', async () => {
    const q = 'query ($first: Int) { convictionVectors(first: $first) { totalCount } }';
    const e = refusal(await gql(api().url, q, { first: 'many' }), 400, 'BAD_USER_INPUT');
    expect(e.message).toMatch(/\$first/);
  });

  it('refuses an unknown operation name', async () => {
    const e = refusal(await gql(api().url, 'query Health { health { status } }', undefined, 'Nope'), 400, 'OPERATION_RESOLUTION_FAILURE');
    expect(e.message).toMatch(/Nope/);
  });

  it('refuses a very long string argument, naming it', async () => {
    const q = 'query ($i: String) { convictionVectors(filter: { instrument: $i }) { totalCount } }';
    const e = refusal(await gql(api().url, q, { i: 'A'.repeat(500_000) }), 200, 'BAD_USER_INPUT');
    expect(e.extensions?.argumentName).toBe('filter.instrument');
    const literal = await gql(api().url, `{ entities(search: "${'x'.repeat(500_000)}") { id } }`);
    expect(literal.status).toBeLessThan(500);
    expect(literal.text).not.toMatch(/stacktrace|node_modules|\/work\//);
  });

  it('refuses NUL characters in variables and in literals', async () => {
    const q = 'query ($i: String) { convictionVectors(filter: { instrument: $i }) { totalCount } }';
    const e = refusal(await gql(api().url, q, { i: 'AA\u0000PL' }), 400, 'BAD_USER_INPUT');
    expect(e.message).toBe('variables.i contains the NUL character (U+0000)');
    const literal = '{ convictionVectors(filter: { instrument: "AA\\u0000PL" }) { totalCount } }';
    expect(refusal(await gql(api().url, literal), 400, 'GRAPHQL_VALIDATION_FAILED').message).toMatch(/NUL character/);
  });

  it('refuses a body that is not UTF-8', async () => {
    const head = Buffer.from('{"query":"{ conviction(id: \\"');
    const tail = Buffer.from('\\") { id } }"}');
    const e = refusal(await send(api().url, Buffer.concat([head, Buffer.from([0xff, 0xfe, 0xc3]), tail])), 400, 'BAD_REQUEST');
    expect(e.message).toMatch(/not valid UTF-8/);
  });

  it('answers null for ids it does not know and refuses cursors it did not issue', async () => {
    const r = await gql(api().url, 'query ($id: ID!) { conviction(id: $id) { id } }', { id: '../../etc/passwd' });
    expect(r.json).toEqual({ data: { conviction: null } });
    const e = refusal(await gql(api().url, '{ convictionVectors(after: "not-a-cursor") { totalCount } }'), 200, 'BAD_USER_INPUT');
    expect(e.extensions?.argumentName).toBe('after');
  });

  it('is still healthy, and reported nothing unexpected', async () => {
    await healthy(api());
    expect(servers[mode].unexpected).toEqual([]);
  });
});

describe('production mode', () => {
  it('gives no field suggestions in production, and does in development', async () => {
    const probe = '{ healt { status } }';
    const prod = refusal(await gql(servers.production.api.url, probe), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(prod.message).toBe('Cannot query field "healt" on type "Query".');
    const dev = refusal(await gql(servers.development.api.url, probe), 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(dev.message).toMatch(/Did you mean "health"/);
    const enumProbe = 'query ($f: ConvictionFilter) { convictionVectors(filter: $f) { totalCount } }';
    const e = refusal(await gql(servers.production.api.url, enumProbe, { f: { band: 'STRON' } }), 400, 'BAD_USER_INPUT');
    expect(e.message).not.toMatch(/Did you mean/);
  });

  it('turns introspection off in production only', async () => {
    const q = '{ __schema { queryType { name } } }';
    refusal(await gql(servers.production.api.url, q), 400, 'GRAPHQL_VALIDATION_FAILED');
    const dev = await gql(servers.development.api.url, q);
    expect(dev.json).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('serves no landing page on /graphql', async () => {
    const res = await fetch(servers.production.api.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(await res.text()).not.toMatch(/<html|sandbox|embed/i);
  });
});

// ---- websockets --------------------------------------------------------------------------------------------

interface Socket {
  readonly ws: WebSocket;
  readonly messages: { type: string; id?: string; payload?: unknown }[];
  readonly closed: Promise<{ code: number; reason: string }>;
  next(): Promise<{ type: string; id?: string; payload?: unknown }>;
}

async function connect(url: string, init = true): Promise<Socket> {
  const ws = new WebSocket(url, 'graphql-transport-ws');
  const messages: Socket['messages'] = [];
  const waiting: ((m: Socket['messages'][number]) => void)[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as Socket['messages'][number];
    const w = waiting.shift();
    if (w) w(m);
    else messages.push(m);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const socket: Socket = {
    ws,
    messages,
    closed,
    next: () => new Promise((resolve) => (messages.length > 0 ? resolve(messages.shift()!) : waiting.push(resolve))),
  };
  if (init) {
    ws.send(JSON.stringify({ type: 'connection_init' }));
    expect((await socket.next()).type).toBe('connection_ack');
  }
  return socket;
}

async function operation(socket: Socket, id: string, query: string, variables?: unknown) {
  socket.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  const answer = await socket.next();
  expect(answer.id).toBe(id);
  return answer;
}

function wsErrors(answer: { type: string; payload?: unknown }): { message: string; extensions?: Record<string, unknown> }[] {
  expect(answer.type).toBe('error');
  const text = JSON.stringify(answer.payload);
  expect(text).not.toMatch(/stacktrace|node_modules|\/work\/|\.ts:\d+/);
  return answer.payload as { message: string; extensions?: Record<string, unknown> }[];
}

describe.each(['development', 'production'] as const)('hostile websocket traffic (%s)', (mode) => {
  const api = () => servers[mode].api;

  it('closes a connection that sends garbage frames with 4400', async () => {
    for (const frame of ['not json at all', Buffer.from([0xde, 0xad, 0xbe, 0xef]), '{"type":"subscribe","id":1}', '[]']) {
      const socket = await connect(api().wsUrl);
      socket.ws.send(frame);
      const { code } = await socket.closed;
      expect(code).toBe(4400);
    }
  });

  it('closes a connection that sends an oversized message with 1009', async () => {
    const socket = await connect(api().wsUrl, false);
    socket.ws.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(2 * 1024 * 1024) } }));
    expect((await socket.closed).code).toBe(1009);
  });

  it('applies the same limits to operations as HTTP does', async () => {
    const socket = await connect(api().wsUrl);
    try {
      const deep = wsErrors(await operation(socket, '1', nested(10)));
      expect(deep[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDepth' } });
      const tokens = wsErrors(await operation(socket, '2', `{ health { ${'status '.repeat(10_000)} } }`));
      expect(tokens[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
      const aliases = wsErrors(await operation(socket, '3', `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: health { status }`).join(' ')} }`));
      expect(aliases.map((e) => e.extensions?.limit)).toContain('maxAliases');
      const syntax = wsErrors(await operation(socket, '4', '{ health { status '));
      expect(syntax[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
      const cycle = wsErrors(await operation(socket, '5', 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'));
      expect(cycle[0]!.message).toMatch(/Cannot spread fragment/);
      const nul = wsErrors(await operation(socket, '6', 'query ($i: String) { convictionVectors(filter: { instrument: $i }) { totalCount } }', { i: '\u0000' }));
      expect(nul[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      const probe = wsErrors(await operation(socket, '7', '{ healt { status } }'));
      if (mode === 'production') expect(probe[0]!.message).not.toMatch(/Did you mean/);
      else expect(probe[0]!.message).toMatch(/Did you mean "health"/);
      // The connection is still usable.
      const ok = await operation(socket, '8', '{ health { status } }');
      expect(ok).toMatchObject({ type: 'next', payload: { data: { health: { status: 'OK' } } } });
    } finally {
      socket.ws.close();
    }
  });

  it('is still healthy over HTTP and websockets afterwards', async () => {
    await healthy(api());
    const socket = await connect(api().wsUrl);
    const ok = await operation(socket, 'h', '{ health { status } }');
    expect(ok).toMatchObject({ type: 'next', payload: { data: { health: { status: 'OK' } } } });
    socket.ws.close();
    expect(servers[mode].unexpected).toEqual([]);
  });
});
