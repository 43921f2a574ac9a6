/**
 * The hardening defaults, in one place so that the config schema (src/config.ts) and servers built without a
 * config (tests, tools) agree. Every query in test/graphql and web/src/graphql passes these limits with room
 * to spare: the deepest is 9 levels, the costliest about 1,100, the longest about 800 tokens.
 */
export const DEFAULT_LIMITS = Object.freeze({
  /** Nesting of selection sets (fragments counted as a level). */
  maxDepth: 12,
  /** graphql-armor's cost: objects cost 2 and scalars 1, each multiplied by its depth. */
  maxCost: 5000,
  maxAliases: 15,
  maxDirectives: 50,
  /** Lexical tokens of one document. */
  maxTokens: 2000,
  /** Operations in one batched HTTP request (a JSON array). */
  maxBatch: 10,
  /** Largest HTTP request body, and largest websocket message. */
  maxBodyBytes: 1024 * 1024,
});

export const DEFAULT_RATE_LIMIT = Object.freeze({
  enabled: true,
  /** Tokens a bucket holds: the burst a principal may send at once. */
  burst: 200,
  /** Tokens added per second: the sustained rate. */
  perSecond: 50,
  /** Read the client address from the first `X-Forwarded-For` entry (behind a proxy you run) rather than the socket. */
  trustProxy: false,
  /** How long a check may wait for Redis before the in-memory bucket answers instead. */
  redisTimeoutMs: 200,
});

export type LimitsSettings = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };
export interface RateLimitSettings {
  readonly enabled: boolean;
  readonly burst: number;
  readonly perSecond: number;
  readonly trustProxy: boolean;
  readonly redisTimeoutMs: number;
}
export interface TlsSettings {
  readonly certPath: string;
  readonly keyPath: string;
  readonly caPath?: string | undefined;
  /** Mutual TLS: every client must present a certificate signed by `caPath`. */
  readonly requestClientCert: boolean;
}
/** What the API server takes from `security`; each part falls back to the defaults above. */
export interface HardeningSettings {
  readonly limits?: Partial<Readonly<LimitsSettings>> | undefined;
  readonly rateLimit?: Partial<RateLimitSettings> | undefined;
  readonly tls?: TlsSettings | undefined;
}
