/**
 * GraphQL over websockets (graphql-ws protocol) on the API's HTTP server and path, with the same schema
 * and context as HTTP. Tracks live subscriptions so that shutdown can let each one complete before the
 * sockets close.
 */
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Principal } from './roles.js';
import type { WsHardeningHooks } from './hardening.js';

/** Close code for a `connection_init` without valid credentials (graphql-ws uses 4403 for "forbidden"). */
export const CLOSE_UNAUTHORIZED = 4401;

export interface GraphQLWsOptions {
  readonly httpServer: Server;
  readonly path: string;
  readonly schema: GraphQLSchema;
  /** The context of an operation, for the principal its connection authenticated as (undefined: anonymous). */
  readonly context: (principal?: Principal | null) => object;
  /**
   * Checks `connection_init`'s `authorization` (`Bearer …`); a connection it gives no principal is closed with
   * {@link CLOSE_UNAUTHORIZED}. Left out: every connection is anonymous.
   */
  readonly authenticate?: ((authorization: string | undefined) => Promise<Principal | null>) | undefined;
  readonly production: boolean;
  /** The limits, rate limits and masking HTTP applies (src/api/hardening.ts), given who each connection is. */
  readonly hardening?: ((principalOf: (ctx: object) => Principal | undefined) => WsHardeningHooks) | undefined;
  /** Largest message accepted; a larger one closes the socket with 1009 (Message Too Big). Default 100 MiB (ws's). */
  readonly maxPayloadBytes?: number | undefined;
  /** Interval of ws pings; a client that misses a pong is dropped. Default 12 s. */
  readonly keepAliveMs?: number;
}

export interface GraphQLWs {
  /** Subscriptions (operations streaming results) open right now, over all connections. */
  liveOperations(): number;
  /**
   * Waits (up to `graceMs`) for live subscriptions to finish, then closes every socket with 1001
   * (Going Away), terminating those that do not close within `graceMs` more.
   */
  dispose(graceMs: number): Promise<void>;
}

function isAsyncIterable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function attachGraphQLWs(options: GraphQLWsOptions): GraphQLWs {
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    ...(options.maxPayloadBytes ? { maxPayload: options.maxPayloadBytes } : {}),
  });
  // Per connection (graphql-ws context object): the ids of its operations that are streaming.
  const live = new Map<object, Set<string>>();
  // Per connection: who it authenticated as in `connection_init`.
  const principals = new WeakMap<object, Principal>();
  const authenticate = options.authenticate;
  const cleanup = useServer(
    {
      ...options.hardening?.((ctx) => principals.get(ctx)),
      schema: options.schema,
      context: (ctx) => options.context(principals.get(ctx)) as Record<string, unknown>,
      onConnect: async (ctx) => {
        if (!authenticate) return true;
        const raw = ctx.connectionParams?.authorization;
        const principal = raw === undefined || typeof raw === 'string' ? await authenticate(raw) : null;
        if (!principal) {
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized: send { authorization: "Bearer <API key or JWT>" } in connection_init');
          return false;
        }
        principals.set(ctx, principal);
        return true;
      },
      onOperation: (ctx, id, _payload, _args, result) => {
        if (!isAsyncIterable(result)) return;
        let ids = live.get(ctx);
        if (!ids) live.set(ctx, (ids = new Set()));
        ids.add(id);
      },
      onComplete: (ctx, id) => {
        live.get(ctx)?.delete(id);
      },
      onClose: (ctx) => {
        live.delete(ctx);
      },
      isProd: options.production,
    },
    wsServer,
    options.keepAliveMs,
  );

  const liveOperations = () => [...live.values()].reduce((n, ids) => n + ids.size, 0);

  return {
    liveOperations,
    async dispose(graceMs) {
      const deadline = Date.now() + graceMs;
      while (liveOperations() > 0 && Date.now() < deadline) await sleep(5);
      // graphql-ws queues each `complete` message right after onComplete resolves: let it go first.
      await new Promise((resolve) => setImmediate(resolve));
      const timer = setTimeout(() => {
        for (const client of wsServer.clients) client.terminate();
      }, graceMs);
      try {
        await cleanup.dispose();
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
