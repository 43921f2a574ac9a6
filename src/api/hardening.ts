/**
 * What stands between the network and the schema: document limits (depth, cost, aliases, directives, tokens),
 * batch and body size, rate limits per principal, production masking, TLS. One {@link Hardening} is built
 * per API server from `security` (src/config.ts) and used by both HTTP (src/api/http.ts) and graphql-ws
 * (src/api/ws.ts), so a limit cannot hold on one transport and not the other.
 */
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import type { ExecutionResult, FormattedExecutionResult, GraphQLSchema, ParseOptions, ValidationRule } from 'graphql';
import { GraphQLError, parse, specifiedRules, validate } from 'graphql';
import type { Context, ServerOptions, SubscribePayload } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { Redis } from 'ioredis';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMIT, type HardeningSettings, type LimitsSettings, type RateLimitSettings } from './hardening/defaults.js';
import { findNul, LimitCode, limitRules, withoutSuggestions } from './hardening/graphql-limits.js';
import { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './hardening/rate-limit.js';
import { tlsServerOptions } from './hardening/tls.js';
import type { Principal } from './roles.js';

export { DEFAULT_LIMITS, DEFAULT_RATE_LIMIT, type HardeningSettings } from './hardening/defaults.js';
export { LimitCode } from './hardening/graphql-limits.js';

/** A request refused before it reaches GraphQL; `send` answers it as a GraphQL error response. */
export class RequestRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'RequestRefused';
  }

  send(res: ServerResponse): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(this.status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...this.headers,
      ...(this.status === 413 ? { connection: 'close' } : {}),
    });
    res.end(JSON.stringify({ errors: [{ message: this.message, extensions: { code: this.code } }] }));
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A request body as text; bytes that are not UTF-8 refuse it (rather than reaching resolvers as U+FFFD). */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new RequestRefused(400, LimitCode.badRequest, 'Request body is not valid UTF-8');
  }
}

export interface HardeningOptions {
  /** The `security` config section (or part of it); what is left out takes the defaults. */
  readonly settings?: HardeningSettings | undefined;
  /** No introspection, no field suggestions, no stack traces. */
  readonly production: boolean;
  /** With a client: rate-limit buckets in Redis, shared by every server using it. */
  readonly redis?: Redis | undefined;
  /** Prefix of the buckets' Redis keys. Default `vanta:ratelimit:`. */
  readonly redisPrefix?: string | undefined;
  /** Told about changes worth a log line (Redis unavailable for rate limits, and back). Default `console.warn`. */
  readonly notice?: ((message: string, error?: unknown) => void) | undefined;
}

type WsContext = Context<Record<string, unknown> | undefined, Extra>;

/** The graphql-ws hooks that apply the same limits, rate limits and masking as HTTP. */
export type WsHardeningHooks = Pick<ServerOptions<Record<string, unknown> | undefined, Extra>, 'onSubscribe' | 'onNext' | 'onError'>;

export interface Hardening {
  readonly limits: Readonly<LimitsSettings>;
  readonly rateLimit: RateLimitSettings;
  readonly production: boolean;
  readonly scheme: 'http' | 'https';
  readonly rateLimiter: RateLimiter | null;
  readonly validationRules: readonly ValidationRule[];
  readonly parseOptions: ParseOptions;
  /** A plain or TLS server, as `security.tls` says. */
  createServer(listener: RequestListener): Server;
  /** Checks a parsed HTTP GraphQL body (batch size, NUL characters); throws {@link RequestRefused}. Returns its operation count. */
  checkBody(body: unknown): number;
  /**
   * Builds the request's context and takes `cost` tokens from its principal's bucket (its API key when it has
   * one, else the client address), throwing a 429 `RATE_LIMITED` error when the bucket is empty. A context that
   * cannot be built (bad credentials) still takes from the address's bucket, so guessing is rate-limited too.
   */
  admit<C extends { readonly principal?: Principal | null }>(req: IncomingMessage, make: () => C | Promise<C>, cost: number): Promise<C>;
  /** For Apollo: in production, errors lose graphql-js's "Did you mean …?" hints. */
  readonly apolloPlugins: readonly ApolloServerPlugin[];
  /** For graphql-ws: `principalOf` names who a connection authenticated as (its bucket; else its address's). */
  wsHooks(schema: GraphQLSchema, principalOf?: (ctx: object) => Principal | undefined): WsHardeningHooks;
}

/** The client's address: the socket's, or the first `X-Forwarded-For` hop when the proxy is trusted. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** The bucket of a request: its authenticated principal's, else its address's. */
export function bucketKey(principal: Principal | null | undefined, address: string): string {
  return principal && principal.via !== 'anonymous' ? `principal:${principal.via}:${principal.id}` : `ip:${address}`;
}

/** The refusal of a request whose bucket is empty; over HTTP it is a 429 with `Retry-After`. */
function rateLimitedError(retryAfterMs: number, overHttp: boolean): GraphQLError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const http = { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) };
  return new GraphQLError(`Rate limit exceeded: retry in ${seconds} s`, {
    extensions: { code: LimitCode.rateLimited, retryAfterSeconds: seconds, ...(overHttp ? { http } : {}) },
  });
}

export function createHardening(options: HardeningOptions): Hardening {
  const limits: Readonly<LimitsSettings> = Object.freeze({ ...DEFAULT_LIMITS, ...definedOnly(options.settings?.limits) });
  const rateLimit: RateLimitSettings = Object.freeze({ ...DEFAULT_RATE_LIMIT, ...definedOnly(options.settings?.rateLimit) });
  const tls = options.settings?.tls ? tlsServerOptions(options.settings.tls) : undefined;
  const { production } = options;
  const notice = options.notice ?? ((message: string, error?: unknown) => console.warn(`[api] ${message}`, error ?? ''));
  const validationRules = Object.freeze(limitRules(limits));
  const parseOptions: ParseOptions = { maxTokens: limits.maxTokens };

  let rateLimiter: RateLimiter | null = null;
  if (rateLimit.enabled) {
    const buckets = { burst: rateLimit.burst, perSecond: rateLimit.perSecond };
    rateLimiter = options.redis
      ? new RedisRateLimiter({
          redis: options.redis,
          prefix: options.redisPrefix ?? 'vanta:ratelimit:',
          settings: buckets,
          timeoutMs: rateLimit.redisTimeoutMs,
          onStateChange: (state, error) =>
            notice(
              state === 'fallback'
                ? 'rate limits: Redis is not answering; limiting in memory, per server, until it is back'
                : 'rate limits: Redis is back; buckets are shared again',
              state === 'fallback' ? describe(error) : undefined,
            ),
        })
      : new MemoryRateLimiter(buckets);
  }

  /** Takes `cost` tokens from the bucket `key`; the refusal when it has too few, else null. */
  async function take(key: string, cost: number, overHttp: boolean): Promise<GraphQLError | null> {
    if (!rateLimiter) return null;
    const decision = await rateLimiter.take(key, Math.min(cost, rateLimit.burst));
    return decision.allowed ? null : rateLimitedError(decision.retryAfterMs, overHttp);
  }

  const mask = (message: string) => (production ? withoutSuggestions(message) : message);

  return {
    limits,
    rateLimit,
    production,
    scheme: tls ? 'https' : 'http',
    rateLimiter,
    validationRules,
    parseOptions,
    createServer: (listener) => (tls ? createHttpsServer(tls, listener) : createHttpServer(listener)),
    checkBody(body) {
      const operations = Array.isArray(body) ? body : [body];
      if (Array.isArray(body)) {
        if (body.length === 0) throw new RequestRefused(400, LimitCode.badRequest, 'A batched request must hold at least one operation');
        if (body.length > limits.maxBatch) {
          throw new RequestRefused(400, LimitCode.batchTooLarge, `A batched request may hold at most ${limits.maxBatch} operations; this one holds ${body.length}`);
        }
      }
      for (const [i, op] of operations.entries()) {
        if (op === null || typeof op !== 'object') continue; // Apollo names what is wrong with it
        const where = Array.isArray(body) ? `[${i}].variables` : 'variables';
        const nul = findNul((op as { variables?: unknown }).variables, where);
        if (nul) throw new RequestRefused(400, LimitCode.badUserInput, `${nul} contains the NUL character (U+0000)`);
      }
      return operations.length;
    },
    async admit(req, make, cost) {
      const address = clientAddress(req, rateLimit.trustProxy);
      let context;
      try {
        context = await make();
      } catch (error) {
        throw (await take(bucketKey(null, address), cost, true)) ?? error;
      }
      const refused = await take(bucketKey(context.principal, address), cost, true);
      if (refused) throw refused;
      return context;
    },
    apolloPlugins: production ? [suggestionsOff] : [],
    wsHooks(schema, principalOf) {
      const rules = [...specifiedRules, ...validationRules];
      return {
        onSubscribe: async (ctx: WsContext, _id: string, payload: SubscribePayload) => {
          const refused = await take(bucketKey(principalOf?.(ctx), clientAddress(ctx.extra.request, rateLimit.trustProxy)), 1, false);
          if (refused) return [refused];
          let document;
          try {
            document = parse(payload.query, parseOptions);
          } catch (error) {
            const message = error instanceof GraphQLError ? error.message : 'Syntax Error: the document cannot be parsed';
            return [new GraphQLError(message, { extensions: { code: LimitCode.parse } })];
          }
          const errors = validate(schema, document, rules);
          if (errors.length > 0) {
            return errors.map(
              (e) => new GraphQLError(mask(e.message), { nodes: e.nodes, extensions: { ...e.extensions, code: LimitCode.validation } }),
            );
          }
          const nul = findNul(payload.variables, 'variables');
          if (nul) return [new GraphQLError(`${nul} contains the NUL character (U+0000)`, { extensions: { code: LimitCode.badUserInput } })];
          return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
        },
        onNext: (_ctx, _id, _payload, _args, result: ExecutionResult | FormattedExecutionResult) => {
          if (!production || !result.errors?.length) return undefined;
          const errors = result.errors.map((e) => ('toJSON' in e ? e.toJSON() : e)).map((e) => ({ ...e, message: withoutSuggestions(e.message) }));
          return { ...result, errors };
        },
        onError: (_ctx, _id, _payload, errors) =>
          production ? errors.map((e) => ({ ...e.toJSON(), message: withoutSuggestions(e.message) })) : undefined,
      };
    },
  };
}

/** Errors are messages the client sees; the hints would let it map a schema whose introspection is off. */
const suggestionsOff: ApolloServerPlugin = {
  requestDidStart: async () => ({
    didEncounterErrors: async ({ errors }) => {
      for (const error of errors) error.message = withoutSuggestions(error.message);
    },
  }),
};

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function describe(error: unknown): string | undefined {
  return error instanceof Error ? error.message : error === undefined ? undefined : String(error);
}
