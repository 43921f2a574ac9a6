/**
 * The dashboard's connection to the server: typed documents (generated into `gql/`) over HTTP `fetch`
 * for queries and mutations, and over one graphql-ws socket for subscriptions. Both send the API key:
 * `Authorization: Bearer <key>` on HTTP, `{ authorization: 'Bearer <key>' }` in `connection_init`.
 */
import { type Client, createClient } from 'graphql-ws/client';
import type { TypedDocumentString } from './gql/graphql';

export interface GraphQLErrorShape {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string } & Record<string, unknown>;
}

/** A request the server refused or failed; `code` is the first error's extension code (e.g. `FORBIDDEN`). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly errors: readonly GraphQLErrorShape[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ConnectionState = 'connecting' | 'connected' | 'closed';

export interface ApiOptions {
  readonly httpUrl: string;
  readonly wsUrl: string;
  /** The API key to send, read at every request and connection. */
  readonly key: () => string | null;
}

type Document<R, V> = TypedDocumentString<R, V>;

export class Api {
  private client: Client | null = null;
  private readonly stateListeners = new Set<(state: ConnectionState, reconnected: boolean) => void>();
  private connectedOnce = false;

  constructor(private readonly options: ApiOptions) {}

  private headers(): Record<string, string> {
    const key = this.options.key();
    return { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) };
  }

  /** Runs a query or mutation; any GraphQL error rejects with an `ApiError` naming its code. */
  async request<R, V>(doc: Document<R, V>, variables?: V): Promise<R> {
    let res: Response;
    try {
      res = await fetch(this.options.httpUrl, {
        method: 'POST',
        headers: this.headers(),
        body: JSON.stringify({ query: doc.toString(), variables: variables ?? {} }),
      });
    } catch (error) {
      throw new ApiError(`the server did not answer (${(error as Error).message})`, 'NETWORK_ERROR');
    }
    let body: { data?: R | null; errors?: GraphQLErrorShape[] };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new ApiError(`the server answered ${res.status} without a GraphQL response`, `HTTP_${res.status}`);
    }
    const first = body.errors?.[0];
    if (first) {
      throw new ApiError(first.message, first.extensions?.code ?? `HTTP_${res.status}`, body.errors);
    }
    if (body.data == null) throw new ApiError(`the server answered ${res.status} without data`, `HTTP_${res.status}`);
    return body.data;
  }

  private ws(): Client {
    if (this.client) return this.client;
    const client = createClient({
      url: this.options.wsUrl,
      lazy: true,
      // A dashboard stays open for days: reconnect forever, backing off, and resubscribe.
      retryAttempts: Number.POSITIVE_INFINITY,
      // …except when the server refused the key (4401, 4403): the login form asks for another.
      shouldRetry: (event) => !(event instanceof CloseEvent && (event.code === 4401 || event.code === 4403)),
      retryWait: async (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * 2 ** retries))),
      connectionParams: () => {
        const key = this.options.key();
        return key ? { authorization: `Bearer ${key}` } : {};
      },
      on: {
        connecting: () => this.emit('connecting', false),
        connected: () => {
          const reconnected = this.connectedOnce;
          this.connectedOnce = true;
          this.emit('connected', reconnected);
        },
        closed: () => this.emit('closed', false),
      },
    });
    this.client = client;
    return client;
  }

  private emit(state: ConnectionState, reconnected: boolean): void {
    for (const listener of this.stateListeners) listener(state, reconnected);
  }

  /** Told of the socket's state; `reconnected` is true when it came back after a drop (missed events: re-seed). */
  onConnection(listener: (state: ConnectionState, reconnected: boolean) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Subscribes until the returned function is called. Errors go to `onError` (the subscription ends). */
  subscribe<R, V>(doc: Document<R, V>, variables: V | undefined, onData: (data: R) => void, onError?: (error: ApiError) => void): () => void {
    return this.ws().subscribe<R>(
      { query: doc.toString(), variables: (variables ?? {}) as Record<string, unknown> },
      {
        next: (result) => {
          if (result.errors?.length) {
            const first = result.errors[0]!;
            onError?.(new ApiError(first.message, String(first.extensions?.code ?? 'SUBSCRIPTION_ERROR'), result.errors));
          }
          if (result.data) onData(result.data);
        },
        error: (error: unknown) => {
          const list = Array.isArray(error) ? (error as GraphQLErrorShape[]) : [];
          const message = list[0]?.message ?? (error instanceof Error ? error.message : 'the subscription failed');
          onError?.(new ApiError(message, list[0]?.extensions?.code ?? 'SUBSCRIPTION_ERROR', list));
        },
        complete: () => undefined,
      },
    );
  }

  /** Drops the socket (its subscriptions end); the next `subscribe` opens a new one with the current key. */
  async reset(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.connectedOnce = false;
    await client?.dispose();
  }
}
