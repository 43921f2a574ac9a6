/**
 * A real `node:http` server on 127.0.0.1 that plays a broker venue for the adapters' tests: routes answer
 * from recorded bodies and keep the orders they accepted, so "exactly one order" is asserted on the
 * server's side, and faults can be injected into the next matching request:
 *
 * - `drop`: the request is handled (an order is accepted), then the socket is destroyed unanswered;
 * - `delay`: the request is handled, the answer sent only after `ms` (longer than the client's deadline);
 * - `status`: that status is answered and the request is not handled (a 5xx, a 401);
 * - `garbage`: a 200 whose body is not JSON, request not handled.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReplayRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Query and form fields together (form bodies are parsed when the content type says so). */
  readonly params: URLSearchParams;
  readonly json: unknown;
}

export interface ReplayReply {
  readonly status?: number;
  /** Sent as given: recorded bodies go out byte for byte. */
  readonly body?: string;
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (req: ReplayRequest, match: RegExpExecArray) => ReplayReply;

export interface Route {
  readonly method: string;
  /** Matched against the path (query excluded). */
  readonly path: RegExp;
  readonly handle: Handler;
}

export type Fault =
  | { readonly kind: 'drop' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'status'; readonly status: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'garbage' };

interface PendingFault {
  readonly method: string;
  readonly path: RegExp;
  readonly fault: Fault;
  remaining: number;
}

const GARBAGE = '<html><head><title>502 Bad Gateway</title></head><body>upstream error</body></html>';

export class ReplayServer {
  readonly requests: ReplayRequest[] = [];
  readonly #routes: readonly Route[];
  readonly #faults: PendingFault[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.#serve(req.method ?? 'GET', new URL(req.url ?? '/', 'http://127.0.0.1'), req.headers, Buffer.concat(chunks).toString('utf8'), res));
  });
  #url = '';

  private constructor(routes: readonly Route[]) {
    this.#routes = routes;
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  static async start(routes: readonly Route[]): Promise<ReplayServer> {
    const server = new ReplayServer(routes);
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    server.#url = `http://127.0.0.1:${(server.#server.address() as AddressInfo).port}`;
    return server;
  }

  get url(): string {
    return this.#url;
  }

  /** The next `times` requests matching `method` and `path` meet `fault`. */
  inject(method: string, path: RegExp, fault: Fault, times = 1): void {
    this.#faults.push({ method, path, fault, remaining: times });
  }

  requestsTo(method: string, path: RegExp): ReplayRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.url.pathname));
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #serve(method: string, url: URL, headers: IncomingHttpHeaders, body: string, res: ServerResponse): void {
    const params = new URLSearchParams(url.search);
    if (String(headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
    }
    let json: unknown = null;
    if (String(headers['content-type'] ?? '').includes('application/json')) {
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
    }
    const request: ReplayRequest = { method, url, headers, body, params, json };
    this.requests.push(request);
    const pending = this.#faults.find((f) => f.remaining > 0 && f.method === method && f.path.test(url.pathname));
    if (pending) pending.remaining -= 1;
    const fault = pending?.fault;
    if (fault?.kind === 'status') return this.#send(res, { status: fault.status, body: fault.body ?? '', headers: fault.headers });
    if (fault?.kind === 'garbage') return this.#send(res, { status: 200, body: GARBAGE, headers: { 'content-type': 'application/json' } });
    let reply: ReplayReply;
    const route = this.#routes.map((r) => ({ r, m: r.method === method ? r.path.exec(url.pathname) : null })).find((x) => x.m);
    try {
      reply = route ? route.r.handle(request, route.m!) : { status: 404, body: 'not found', headers: { 'content-type': 'text/plain' } };
    } catch (error) {
      // A handler bug answers 500 with its message, so a test shows why instead of hanging.
      reply = { status: 500, body: String(error), headers: { 'content-type': 'text/plain' } };
    }
    if (fault?.kind === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'delay') {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (!res.destroyed) this.#send(res, reply);
      }, fault.ms);
      this.#timers.add(timer);
      return;
    }
    this.#send(res, reply);
  }

  #send(res: ServerResponse, reply: ReplayReply): void {
    const text = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? '');
    const headers: Record<string, string> = { 'content-type': 'application/json;charset=UTF-8', ...reply.headers };
    const status = reply.status ?? 200;
    if (status === 204) {
      res.writeHead(204, headers).end();
      return;
    }
    res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) }).end(text);
  }
}

/** A recorded body from `src/engine/execution/brokers/recorded/`, as stored. */
export function recordedText(relative: string): string {
  return readRecorded(relative);
}

/** A recorded body, parsed: a fresh copy each time, so a simulator may change it. */
export function recordedJson<T = Record<string, unknown>>(relative: string): T {
  return JSON.parse(readRecorded(relative)) as T;
}

const RECORDED = new URL('../../src/engine/execution/brokers/recorded/', import.meta.url);

function readRecorded(relative: string): string {
  return readFileSync(new URL(relative, RECORDED), 'utf8');
}
