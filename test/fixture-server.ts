/**
 * A small real HTTP server on 127.0.0.1 for collector tests, so that the real HTTP client code runs against
 * the real documents in `test/fixtures/` (byte for byte) or against scripted answers.
 *
 * ```ts
 * const server = await startFixtureServer();
 * server.file('/feed.atom', 'sec_current_feed/edgar_client_current_feed_2023-07-11.xml', {
 *   contentType: 'application/atom+xml; charset=ISO-8859-1',
 * });                                               // with ETag and Last-Modified; 304 when they match
 * server.route('/api', { status: 429, headers: { 'retry-after': '1' } }, { json: { ok: true } });
 * server.route('/stream', (req) => ({ stream: { chunks: ['{"a":1}\n'], end: 'cut' } }));
 * const res = await fetch(`${server.url}/api`);
 * expect(server.requestsTo('/api')[0]?.headers['user-agent']).toMatch(/Vanta/);
 * await server.close();
 * ```
 *
 * A route answers its replies in order, one per request, and repeats the last one. A reply may be a
 * function of the request (to resume a stream after the cursor the client sent). Unrouted paths get 404.
 * Every request is recorded with its headers, body and arrival time (`performance.now()`), so tests can
 * assert what was sent and how requests were spaced.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The folder of real documents. */
export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A fixture's bytes, exactly as stored. `relative` is under `test/fixtures/`, e.g. `reddit/go-reddit_post_more.json`. */
export function readFixture(relative: string): Buffer {
  return readFileSync(new URL(relative, new URL('./fixtures/', import.meta.url)));
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as sent (`/api/x?after=t3_1`). */
  readonly path: string;
  readonly url: URL;
  /** Lower-cased header names, as Node gives them. */
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Arrival time on the server, `performance.now()` ms: for spacing assertions. */
  readonly at: number;
}

export interface StreamScript {
  /** Written one by one, `intervalMs` apart (chunked transfer encoding). */
  readonly chunks: readonly (string | Uint8Array)[];
  /** Default 0. */
  readonly intervalMs?: number;
  /**
   * After the last chunk: `close` ends the response normally, `cut` destroys the socket mid-stream (what a
   * dropped connection looks like), `hold` keeps it open until {@link FixtureServer.cutStreams} or close.
   * Default `hold`.
   */
  readonly end?: 'close' | 'cut' | 'hold';
}

export interface Reply {
  /** Default 200. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** The body: text, bytes, a fixture (path under `test/fixtures/`), or JSON. */
  readonly body?: string | Uint8Array;
  readonly fixture?: string;
  readonly json?: unknown;
  /** Waits this long before answering (to provoke timeouts). */
  readonly delayMs?: number;
  /** Declares the full Content-Length, sends this many bytes of the body, then drops the connection. */
  readonly truncateAt?: number;
  /** Drops the connection without answering (a network error on the client). */
  readonly destroy?: boolean;
  /** A long-lived streaming response instead of a body. */
  readonly stream?: StreamScript;
}

export type ReplyScript = Reply | ((request: RecordedRequest) => Reply);

export interface FileOptions {
  readonly contentType?: string;
  /** Default: a quoted SHA-1 of the bytes. */
  readonly etag?: string;
  /** Default: `Tue, 11 Jul 2023 12:00:00 GMT`. */
  readonly lastModified?: string;
}

export interface FixtureServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request so far, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** The requests whose path (query excluded) is `path`. */
  requestsTo(path: string): RecordedRequest[];
  /** Scripts `path` (query excluded): one reply per request, the last repeating. Replaces an earlier script. */
  route(path: string, ...replies: ReplyScript[]): FixtureServer;
  /**
   * Serves a fixture at `path` with an `ETag` and a `Last-Modified`, answering 304 when the request's
   * `If-None-Match` or `If-Modified-Since` matches, as a real server does.
   */
  file(path: string, fixture: string, options?: FileOptions): FixtureServer;
  /** Destroys every streaming response still open. */
  cutStreams(): void;
  /** How many streaming responses are still open. */
  openStreams(): number;
  close(): Promise<void>;
}

/** Any reply carrying an ETag or Last-Modified gets a 304 when the request's validators match them. */
function notModified(request: RecordedRequest, headers: Readonly<Record<string, string>>): boolean {
  const etag = headers.etag;
  const inm = request.headers['if-none-match'];
  if (etag !== undefined && typeof inm === 'string') {
    return inm.split(',').some((t) => t.trim() === etag || t.trim() === '*');
  }
  const lastModified = headers['last-modified'];
  const ims = request.headers['if-modified-since'];
  if (lastModified !== undefined && typeof ims === 'string') {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && Date.parse(lastModified) <= since;
  }
  return false;
}

function bodyOf(reply: Reply): Buffer {
  if (reply.fixture !== undefined) return readFixture(reply.fixture);
  if (reply.json !== undefined) return Buffer.from(JSON.stringify(reply.json));
  if (reply.body === undefined) return Buffer.alloc(0);
  return typeof reply.body === 'string' ? Buffer.from(reply.body) : Buffer.from(reply.body);
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a server on an ephemeral port of 127.0.0.1. */
export async function startFixtureServer(): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  const routes = new Map<string, { replies: ReplyScript[]; next: number }>();
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      requests.push(recorded);
      const route = routes.get(url.pathname);
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const script = route.replies[Math.min(route.next++, route.replies.length - 1)]!;
      // A script that throws answers 500 with its message, so the test sees why rather than a hang.
      Promise.resolve()
        .then(() => answer(typeof script === 'function' ? script(recorded) : script, recorded, res))
        .catch((err: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
          else res.destroy();
        });
    });
  });

  async function answer(reply: Reply, request: RecordedRequest, res: ServerResponse): Promise<void> {
    if (reply.delayMs) await wait(reply.delayMs);
    if (res.destroyed) return;
    if (reply.destroy) {
      res.socket?.destroy();
      return;
    }
    const headers = Object.fromEntries(Object.entries(reply.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    if (reply.stream) {
      await stream(reply.stream, reply.status ?? 200, headers, res);
      return;
    }
    if (notModified(request, headers)) {
      res.writeHead(304, headers).end();
      return;
    }
    const body = bodyOf(reply);
    res.writeHead(reply.status ?? 200, { 'content-length': String(body.length), ...headers });
    if (reply.truncateAt !== undefined) {
      res.write(body.subarray(0, reply.truncateAt), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  }

  async function stream(script: StreamScript, status: number, headers: Record<string, string>, res: ServerResponse) {
    streams.add(res);
    res.on('close', () => streams.delete(res));
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.flushHeaders();
    for (const chunk of script.chunks) {
      if (script.intervalMs) await wait(script.intervalMs);
      if (res.destroyed) return;
      res.write(chunk);
    }
    const end = script.end ?? 'hold';
    if (end === 'close') res.end();
    // Let the last chunk reach the client before the connection drops.
    else if (end === 'cut') setTimeout(() => res.socket?.destroy(), 20);
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const api: FixtureServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    requestsTo: (path) => requests.filter((r) => r.url.pathname === path),
    route(path, ...replies) {
      if (replies.length === 0) throw new Error(`route ${path} needs at least one reply`);
      routes.set(path, { replies, next: 0 });
      return api;
    },
    file(path, fixture, options = {}) {
      const bytes = readFixture(fixture);
      const headers: Record<string, string> = {
        etag: options.etag ?? `"${createHash('sha1').update(bytes).digest('hex')}"`,
        'last-modified': options.lastModified ?? 'Tue, 11 Jul 2023 12:00:00 GMT',
      };
      if (options.contentType) headers['content-type'] = options.contentType;
      return api.route(path, { body: bytes, headers });
    },
    cutStreams() {
      for (const res of streams) res.socket?.destroy();
    },
    openStreams: () => streams.size,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}
