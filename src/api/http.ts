/**
 * The API server: one node:http server carrying
 * - `/graphql`: queries over HTTP (Apollo Server, through its `executeHTTPGraphQLRequest` integration API)
 *   and subscriptions over websockets (graphql-ws), with the same schema and context;
 * - `/healthz`: the health report as JSON, 200 when `ok` and 503 otherwise, for load balancers;
 * - anything `staticHandler` takes, then the dashboard under `/dashboard/` (with `dashboard`; `/` redirects
 *   there), else a small page pointing at `/graphql` on `/`.
 *
 * It also starts the bridge from the bus to the subscriptions' pub/sub, and relays the collectors' status
 * changes into it; `close()` stops it all.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError } from 'graphql';
import { type ApiContext, createContext } from '../resolvers/context.js';
import { AuthErrorCode, type Principal } from './roles.js';
import { ErrorCode, INTERNAL_MESSAGE } from '../resolvers/errors.js';
import { relayCollectorStatuses, startPubSubBridge } from './bridge.js';
import { createDashboardHandler, type DashboardOptions } from './dashboard.js';
import type { ApiDeps } from './deps.js';
import { ApiPubSub } from './pubsub.js';
import { buildVantaSchema } from './schema.js';
import { attachGraphQLWs } from './ws.js';
import { createHardening, decodeUtf8, type HardeningOptions, RequestRefused } from './hardening.js';

export const GRAPHQL_PATH = '/graphql';
export const HEALTH_PATH = '/healthz';
export const METRICS_PATH = '/metrics';

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface ApiServerOptions {
  readonly port: number;
  readonly host?: string | undefined;
  /** Serves what it recognizes (returns true) before the API's own fallbacks. */
  readonly staticHandler?: StaticHandler | undefined;
  /** Serves the built dashboard under `/dashboard/` and redirects `/` to it. Left out: no dashboard. */
  readonly dashboard?: DashboardOptions | undefined;
  /** Hide unexpected errors' messages and stacks. Default: `NODE_ENV === 'production'`. */
  readonly production?: boolean;
  /** Told about every unexpected error. Default: `console.error`. */
  readonly onError?: (error: unknown) => void;
  /** Prefix of the Redis pub/sub channels (with `deps.redis`). Default `vanta:api:`. */
  readonly channelPrefix?: string;
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * The principal of a request from its `Authorization` header (or a websocket's `connection_init` `authorization`):
   * null refuses its fields with UNAUTHENTICATED. Left out: every request is the anonymous principal (every role).
   */
  readonly authenticate?: ((authorization: string | undefined) => Promise<Principal | null>) | undefined;
  /** How long `close()` waits for HTTP requests and subscriptions to finish. Default 5 s. */
  readonly closeGraceMs?: number;
  /** Limits, rate limits and TLS (the `security` config section); left out: the defaults, plain HTTP. */
  readonly hardening?: Omit<HardeningOptions, 'production'> | undefined;
}

export interface ApiServer {
  /** `http://host:port/graphql` */
  readonly url: string;
  /** `ws://host:port/graphql` */
  readonly wsUrl: string;
  readonly httpServer: Server;
  /** Subscribers listening to the pub/sub in this process. */
  activeSubscriptions(): number;
  /** Stops the bridge, completes every subscription, closes the sockets and drains HTTP. Idempotent. */
  close(): Promise<void>;
}

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vanta</title></head>
<body><h1>Vanta</h1><p>The GraphQL API is at <a href="${GRAPHQL_PATH}"><code>${GRAPHQL_PATH}</code></a>
(HTTP POST for queries, graphql-ws for subscriptions); health at <a href="${HEALTH_PATH}"><code>${HEALTH_PATH}</code></a>.</p>
</body></html>
`;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Answer 413 now; the rest of the body is read and dropped, and the connection closed after the reply.
      req.off('data', onData);
      req.resume();
      reject(new HttpError(413, `request body larger than ${limit} bytes`));
    };
    req.on('data', onData);
    req.on('end', () => {
      try {
        resolve(decodeUtf8(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...(status === 413 ? { connection: 'close' } : {}),
  });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { errors: [{ message, extensions: { code: status >= 500 ? ErrorCode.internal : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST' } }] });
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, authorization, apollo-require-preflight, x-apollo-operation-name',
  'access-control-max-age': '600',
};

function isAuthError(formatted: GraphQLFormattedError): boolean {
  const code = formatted.extensions?.code;
  return code === AuthErrorCode.unauthenticated || code === AuthErrorCode.forbidden;
}

function urlHost(address: AddressInfo, requested: string | undefined): string {
  const host = requested && !['0.0.0.0', '::', ''].includes(requested) ? requested : address.address;
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

export async function createApiServer(deps: ApiDeps, opts: ApiServerOptions): Promise<ApiServer> {
  const production = opts.production ?? process.env.NODE_ENV === 'production';
  const reportError = opts.onError ?? ((error: unknown) => console.error('[api] unexpected error', error));
  const hardening = createHardening({ ...opts.hardening, production });
  const maxBodyBytes = opts.maxBodyBytes ?? hardening.limits.maxBodyBytes;
  const graceMs = opts.closeGraceMs ?? 5000;
  const contextOptions = { production, reportError };
  const context = (principal?: Principal | null): ApiContext =>
    createContext(deps, principal === undefined ? contextOptions : { ...contextOptions, principal });

  const pubsub = new ApiPubSub({ redis: deps.redis, ...(opts.channelPrefix ? { channelPrefix: opts.channelPrefix } : {}) });
  const schema = await buildVantaSchema({ pubSub: pubsub });

  const serveDashboard = opts.dashboard ? createDashboardHandler({ onError: reportError, ...opts.dashboard }) : undefined;
  const httpServer = hardening.createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      reportError(error);
      sendError(res, 500, INTERNAL_MESSAGE);
    });
  });

  const apollo = new ApolloServer<ApiContext>({
    schema,
    introspection: !production,
    // The composition root owns shutdown order (engine, then API, then clients): no signal handlers here.
    stopOnTerminationSignals: false,
    // Stacks go to `onError` (the log), never to clients: they name files and lines of the server.
    includeStacktraceInErrorResponses: false,
    validationRules: [...hardening.validationRules],
    parseOptions: hardening.parseOptions,
    allowBatchedHttpRequests: true, // up to `security.limits.maxBatch` operations: see checkBody
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: graceMs }),
      ApolloServerPluginLandingPageDisabled(),
      ...hardening.apolloPlugins,
    ],
    // Backstop: resolvers already translate their errors (TranslateErrors); this catches the rest.
    formatError: (formatted: GraphQLFormattedError): GraphQLFormattedError =>
      production && formatted.extensions?.code === ErrorCode.internal
        ? { message: INTERNAL_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.internal } }
        : isAuthError(formatted)
          ? { ...formatted, extensions: { ...formatted.extensions, stacktrace: undefined } } // a refusal is no fault: no stack
          : formatted,
  });
  await apollo.start();

  async function graphqlOverHttp(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown;
    if (req.method === 'POST') {
      const text = await readBody(req, maxBodyBytes);
      const json = (headers.get('content-type') ?? '').toLowerCase().includes('json');
      try {
        body = json && text !== '' ? JSON.parse(text) : text;
      } catch {
        throw new HttpError(400, 'request body is not valid JSON');
      }
    }
    const operations = hardening.checkBody(body);
    const principal = opts.authenticate ? await opts.authenticate(headers.get('authorization')) : undefined;
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: () => hardening.admit(req, () => context(principal), operations),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.setHeader('access-control-allow-origin', '*');
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  async function health(res: ServerResponse): Promise<void> {
    try {
      const report = await deps.health();
      sendJson(res, report.status === 'ok' ? 200 : 503, report);
    } catch (error) {
      reportError(error);
      sendJson(res, 503, { status: 'down' });
    }
  }

  /** The KPIs and counters in Prometheus' text format. */
  async function metrics(res: ServerResponse): Promise<void> {
    const { contentType, body } = await deps.kpis!.metrics();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(body);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendError(res, 400, 'malformed request URL');
    }
    try {
      if (url.pathname === GRAPHQL_PATH) return await graphqlOverHttp(req, res, url);
      const read = req.method === 'GET' || req.method === 'HEAD';
      if (url.pathname === HEALTH_PATH && read) return await health(res);
      if (url.pathname === METRICS_PATH && read && deps.kpis) return await metrics(res);
      if (opts.staticHandler?.(req, res)) return;
      if (serveDashboard?.(req, res)) return;
      if (url.pathname === '/' && read) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(PLACEHOLDER);
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    } catch (error) {
      if (error instanceof RequestRefused) return error.send(res);
      if (!(error instanceof HttpError)) throw error;
      sendError(res, error.status, error.message);
    }
  }

  const ws = attachGraphQLWs({
    ...{ httpServer, path: GRAPHQL_PATH, schema, context, production, authenticate: opts.authenticate },
    hardening: (principalOf) => hardening.wsHooks(schema, principalOf),
    maxPayloadBytes: maxBodyBytes,
  });

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(opts.port, opts.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await ws.dispose(0).catch(() => undefined);
    await apollo.stop().catch(() => undefined);
    throw error;
  }
  const bridge = startPubSubBridge(deps.bus, pubsub);
  const stopStatusRelay = relayCollectorStatuses(deps.collectors, pubsub, reportError);

  const host = urlHost(httpServer.address() as AddressInfo, opts.host);
  const port = (httpServer.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;

  return {
    url: `${hardening.scheme}://${host}:${port}${GRAPHQL_PATH}`,
    wsUrl: `${hardening.scheme === 'https' ? 'wss' : 'ws'}://${host}:${port}${GRAPHQL_PATH}`,
    httpServer,
    activeSubscriptions: () => pubsub.subscriberCount,
    close: () =>
      (closing ??= (async () => {
        const errors: unknown[] = [];
        const step = async (fn: () => Promise<void>) => fn().catch((error: unknown) => void errors.push(error));
        stopStatusRelay();
        await step(() => bridge.close());
        await step(() => pubsub.close()); // every subscription completes: graphql-ws sends `complete` to its client
        await step(() => ws.dispose(graceMs)); // then the sockets close with 1001
        await step(() => apollo.stop()); // the drain plugin closes the HTTP server once in-flight requests finish
        if (errors.length > 0) throw errors[0];
      })()),
  };
}
