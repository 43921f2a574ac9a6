/**
 * GraphQL over websockets (graphql-ws protocol) on the API's HTTP server and path, with the same schema
 * and context as HTTP. Tracks live subscriptions so that shutdown can let each one complete before the
 * sockets close.
 */
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

export interface GraphQLWsOptions {
  readonly httpServer: Server;
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly context: () => object;
  readonly production: boolean;
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
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path });
  // Per connection (graphql-ws context object): the ids of its operations that are streaming.
  const live = new Map<object, Set<string>>();
  const cleanup = useServer(
    {
      schema: options.schema,
      context: () => options.context() as Record<string, unknown>,
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
