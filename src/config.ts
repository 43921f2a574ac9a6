/**
 * One validated, frozen configuration object, read once at start from the environment and an optional
 * `vanta.config.json`. The environment wins over the file. An unknown key or an invalid value stops the
 * process with a message that names it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMIT } from './api/hardening/defaults.js';
import { EnrichmentConfigSchema } from './engine/enrich/enrichment-config.js';
import { ModelOpsConfigSchema } from './engine/modelops/config.js';
import { packageVersion } from './version.js';

const DataSource = z.enum(['simulator', 'replay', 'none']);

// ---- collectors -------------------------------------------------------------------------------------------

const HttpUrl = z.string().refine((s) => /^https?:\/\/[^\s]+$/.test(s), { message: 'must be an http:// or https:// URL' });
const Secret = z.string().min(1).optional();
const pollMs = (ms: number) => z.number().int().min(100).max(7 * 86_400_000).default(ms);
const Symbols = z.array(z.string().min(1));
const EthAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address');

/** The placeholder contact in the default User-Agent; the SEC collector refuses to run with it. */
export const PLACEHOLDER_CONTACT = 'ops@example.invalid';

/** Hosts whose published limits apply unless the config says otherwise (the SEC allows 10 requests per second). */
export const DEFAULT_HOST_LIMITS: Readonly<Record<string, { readonly requestsPerSecond: number }>> = {
  'www.sec.gov': { requestsPerSecond: 10 },
  'efts.sec.gov': { requestsPerSecond: 10 },
};

const HttpSchema = z
  .object({
    /** Declared on every request: name the operator and a contact; the SEC blocks undeclared clients. */
    userAgent: z
      .string()
      .trim()
      .min(1)
      .default(() => `Vanta/${packageVersion()} (${PLACEHOLDER_CONTACT})`),
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
    maxRetries: z.number().int().min(0).max(10).default(4),
    /** Requests per second for hosts not listed in `hosts`. */
    defaultRequestsPerSecond: z.number().positive().max(1000).default(5),
    /** Requests per second by host name; merged over {@link DEFAULT_HOST_LIMITS}. */
    hosts: z
      .record(z.string().min(1), z.object({ requestsPerSecond: z.number().positive().max(1000) }).strict())
      .default({})
      .transform((hosts) => ({ ...DEFAULT_HOST_LIMITS, ...hosts })),
  })
  .strict();

const SecSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Overrides `collectors.http.userAgent` on SEC requests; one of the two must name a real contact. */
    userAgent: z.string().trim().min(1).optional(),
    pollMs: pollMs(60_000),
    forms: z.array(z.string().min(1)).min(1).default(['4', '4/A', '3', '5', '13F-HR', '13F-HR/A']),
    /** EDGAR's "latest filings" Atom feed. */
    feedUrl: HttpUrl.default(
      'https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&type=&company=&dateb=&owner=include&start=0&count=100&output=atom',
    ),
    /** Where filing documents are fetched from (`/Archives/edgar/data/...`). */
    baseUrl: HttpUrl.default('https://www.sec.gov'),
  })
  .strict();

const RedditSchema = z
  .object({
    enabled: z.boolean().default(false),
    clientId: Secret,
    clientSecret: Secret,
    /** Reddit asks for `<platform>:<app id>:<version> (by /u/<username>)`. */
    userAgent: z.string().trim().min(1).optional(),
    subreddits: z.array(z.string().regex(/^[A-Za-z0-9_]+$/, 'must be a subreddit name without r/')).default([
      'wallstreetbets',
      'stocks',
      'investing',
    ]),
    pollMs: pollMs(60_000),
    baseUrl: HttpUrl.default('https://oauth.reddit.com'),
    tokenUrl: HttpUrl.default('https://www.reddit.com/api/v1/access_token'),
  })
  .strict();

const XSchema = z
  .object({
    enabled: z.boolean().default(false),
    bearerToken: Secret,
    /** Filtered-stream rules (stream mode). */
    rules: z.array(z.object({ value: z.string().min(1), tag: z.string().min(1).optional() }).strict()).default([]),
    /** Recent-search query (polling mode). */
    query: z.string().min(1).optional(),
    /** True: the filtered stream; false: poll recent search every `pollMs`. */
    stream: z.boolean().default(true),
    pollMs: pollMs(60_000),
    baseUrl: HttpUrl.default('https://api.x.com'),
  })
  .strict();

const TelegramSchema = z
  .object({
    enabled: z.boolean().default(false),
    botToken: Secret,
    pollMs: pollMs(5_000),
    baseUrl: HttpUrl.default('https://api.telegram.org'),
  })
  .strict();

const NewsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** RSS or Atom feed URLs. */
    feeds: z.array(HttpUrl).default([]),
    pollMs: pollMs(300_000),
  })
  .strict();

const FredSchema = z
  .object({
    enabled: z.boolean().default(false),
    apiKey: Secret,
    series: z.array(z.string().regex(/^[A-Z0-9_]+$/, 'must be a FRED series id')).default(['FEDFUNDS', 'UNRATE', 'CPIAUCSL', 'GDP', 'DGS10']),
    pollMs: pollMs(3_600_000),
    baseUrl: HttpUrl.default('https://api.stlouisfed.org'),
  })
  .strict();

const CcxtSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** A ccxt exchange id. */
    exchange: z.string().regex(/^[a-z0-9]+$/, 'must be a ccxt exchange id').default('binance'),
    symbols: Symbols.default(['BTC/USDT', 'ETH/USDT']),
    pollMs: pollMs(60_000),
    /** Trades at least this large (quote value in USD) are published as block trades. */
    blockTradeUsd: z.number().positive().default(1_000_000),
    /** Replaces the exchange's API URL (tests point it at 127.0.0.1). */
    baseUrl: HttpUrl.optional(),
  })
  .strict();

const AlpacaSchema = z
  .object({
    enabled: z.boolean().default(false),
    keyId: Secret,
    secretKey: Secret,
    symbols: Symbols.default([]),
    /** `iex` on the free plan, `sip` with a subscription. */
    feed: z.enum(['iex', 'sip']).default('iex'),
    pollMs: pollMs(60_000),
    dataUrl: HttpUrl.default('https://data.alpaca.markets'),
  })
  .strict();

const TradierSchema = z
  .object({
    enabled: z.boolean().default(false),
    token: Secret,
    symbols: Symbols.default([]),
    pollMs: pollMs(60_000),
    baseUrl: HttpUrl.default('https://api.tradier.com'),
  })
  .strict();

const EthereumSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** A JSON-RPC endpoint; provider URLs usually carry a key, so it is treated as a credential. */
    rpcUrl: HttpUrl.optional(),
    /** Transfers worth at least this much (stablecoins at par) are whale transfers. */
    whaleThresholdUsd: z.number().positive().default(1_000_000),
    /** Alternatively, a threshold on ETH transfers in wei (a decimal integer string: wei overflow floats). */
    whaleThresholdWei: z.string().regex(/^\d+$/, 'must be a decimal integer (wei)').optional(),
    stablecoins: z
      .array(z.object({ symbol: z.string().min(1), address: EthAddress, decimals: z.number().int().min(0).max(36) }).strict())
      .default([
        { symbol: 'USDT', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7', decimals: 6 },
        { symbol: 'USDC', address: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', decimals: 6 },
        { symbol: 'DAI', address: '0x6B175474E89094C44Da98b954EedeAC495271d0F', decimals: 18 },
      ]),
    /** Known exchange wallets, so flows to and from them can be labelled. */
    exchangeWallets: z.array(z.object({ address: EthAddress, label: z.string().min(1) }).strict()).default([]),
    pollMs: pollMs(15_000),
  })
  .strict();

const CollectorsSchema = z
  .object({
    http: HttpSchema.prefault({}),
    sec: SecSchema.prefault({}),
    reddit: RedditSchema.prefault({}),
    x: XSchema.prefault({}),
    telegram: TelegramSchema.prefault({}),
    news: NewsSchema.prefault({}),
    fred: FredSchema.prefault({}),
    ccxt: CcxtSchema.prefault({}),
    alpaca: AlpacaSchema.prefault({}),
    tradier: TradierSchema.prefault({}),
    ethereum: EthereumSchema.prefault({}),
  })
  .strict();

const Decimal = z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string, e.g. "100000"');

/** Vaults, risk limits, the paper broker and the real brokers. */
const TradingSchema = z
  .object({
    /** Off: convictions are scored and served, never traded. */
    enabled: z.boolean().default(true),
    /** Vault files (`vault.json`, see data/vaults/) created at start when their id is not known yet; default the bundled examples. */
    vaults: z.array(z.string().min(1)).optional(),
    /** Wall-clock milliseconds between two runs of the executor (queue to brokers, venue sync). */
    tickMs: z.number().int().min(10).max(60_000).default(500),
    risk: z
      .object({
        maxOrderNotional: Decimal.default('100000'),
        maxDailyNotionalPerVault: Decimal.default('5000000'),
        maxDailyNotionalGlobal: Decimal.default('20000000'),
        /** Percent away from the last trade a price may be. */
        priceCollarPct: Decimal.default('5'),
        maxPriceAgeMs: z.number().int().min(1000).default(15 * 60_000),
        ordersPerSecond: z.number().min(0.1).default(20),
        orderBurst: z.number().int().min(1).default(50),
        duplicateWindowMs: z.number().int().min(0).default(60_000),
      })
      .strict()
      .prefault({}),
    paper: z
      .object({
        seed: z.number().int().default(7),
        spreadBps: z.number().min(0).default(2),
        slippageBps: z.number().min(0).default(1),
        feeBps: z.number().min(0).default(1),
        latencyMs: z.number().int().min(0).default(0),
      })
      .strict()
      .prefault({}),
    brokers: z
      .object({
        alpaca: z.object({ keyId: Secret, secretKey: Secret, baseUrl: z.string().url().optional() }).strict().optional(),
        tradier: z.object({ token: Secret, accountId: z.string().min(1).optional(), baseUrl: z.string().url().optional() }).strict().optional(),
        ccxt: z
          .array(
            z
              .object({
                exchange: z.string().min(1),
                apiKey: Secret,
                secret: Secret,
                sandbox: z.boolean().default(true),
                /** Instrument → the exchange's symbol, e.g. `{"BTC-USD": "BTC/USDT"}`. */
                markets: z.record(z.string(), z.string()),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

const EntitiesSchema = z
  .object({
    /** The SEC's full `company_tickers.json`; unset: the bundled sample (data/entities). */
    companyTickersPath: z.string().min(1).optional(),
    /** CUSIP → ticker list (`[{cusip, ticker, nameOfIssuer, titleOfClass}]`); unset: the bundled sample. */
    cusipsPath: z.string().min(1).optional(),
    /** ERC-20 contracts (`[{chain, address, symbol, name, decimals, instrument}]`); unset: the bundled sample. */
    tokensPath: z.string().min(1).optional(),
    /** Labelled exchange wallets (`[{chain, address, label}]`); unset: the bundled sample. */
    exchangeWalletsPath: z.string().min(1).optional(),
    insiderClusters: z
      .object({
        /** Open-market purchases this close (in days of event time) count together. */
        windowDays: z.number().positive().max(365).default(14),
        /** Distinct insiders of one issuer needed for a cluster. */
        minInsiders: z.number().int().min(2).max(100).default(3),
      })
      .strict()
      .prefault({}),
    coTrading: z
      .object({
        enabled: z.boolean().default(true),
        /** Wall milliseconds between detection runs. */
        intervalMs: z.number().int().min(1000).default(300_000),
        /** Actions on one instrument this close (hours of event time) link their actors; also the window kept. */
        windowHours: z.number().positive().max(24 * 90).default(24),
        /** Activities kept for detection, whatever the window; bounds memory and each run's time. */
        maxActivities: z.number().int().min(100).max(1_000_000).default(20_000),
        minCommunitySize: z.number().int().min(2).default(3),
        /** Occasions two actors must share before they are linked. */
        minEdgeWeight: z.number().int().min(1).default(2),
        /** Louvain resolution: above 1 favours smaller communities. */
        resolution: z.number().positive().default(1),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** Query limits, request size, rate limits and TLS; see src/api/hardening.ts. */
const count = (n: number, max: number) => z.number().int().min(1).max(max).default(n);
const LimitsSchema = z
  .object({
    maxDepth: count(DEFAULT_LIMITS.maxDepth, 1000),
    maxCost: count(DEFAULT_LIMITS.maxCost, 10_000_000),
    maxAliases: count(DEFAULT_LIMITS.maxAliases, 100_000),
    maxDirectives: count(DEFAULT_LIMITS.maxDirectives, 100_000),
    maxTokens: count(DEFAULT_LIMITS.maxTokens, 10_000_000),
    maxBatch: count(DEFAULT_LIMITS.maxBatch, 1000),
    maxBodyBytes: count(DEFAULT_LIMITS.maxBodyBytes, 1024 * 1024 * 1024),
  })
  .strict();
const RateLimitSchema = z
  .object({
    enabled: z.boolean().default(DEFAULT_RATE_LIMIT.enabled),
    burst: count(DEFAULT_RATE_LIMIT.burst, 1_000_000),
    perSecond: z.number().positive().max(1_000_000).default(DEFAULT_RATE_LIMIT.perSecond),
    trustProxy: z.boolean().default(DEFAULT_RATE_LIMIT.trustProxy),
    redisTimeoutMs: count(DEFAULT_RATE_LIMIT.redisTimeoutMs, 60_000),
  })
  .strict();
const TlsSchema = z
  .object({
    certPath: z.string().min(1),
    keyPath: z.string().min(1),
    caPath: z.string().min(1).optional(),
    requestClientCert: z.boolean().default(false),
  })
  .strict()
  .refine((t) => !t.requestClientCert || t.caPath, { message: 'requestClientCert needs caPath (the CA that signs client certificates)' });

/** Who may call the API; see src/api/auth/. Other keys of this section (limits, TLS) sit beside these. */
const SecuritySchema = z
  .object({
    /**
     * Refuse requests without valid credentials. Default: true when NODE_ENV=production, false otherwise
     * (then a request without credentials is the anonymous principal, with every role).
     */
    authRequired: z.boolean().default(false),
    /** Bearer JWTs from an identity provider, beside the API keys. */
    jwt: z
      .object({
        issuer: z.string().min(1),
        audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
        /** The provider's JWKS URL (`jwks_uri`). One of `jwksUrl` and `publicKey`. */
        jwksUrl: HttpUrl.optional(),
        /** A PEM public key or one JWK as JSON. */
        publicKey: z.string().min(1).optional(),
        /** The claim that lists the roles; a dotted path reaches into objects (`realm_access.roles`). */
        rolesClaim: z.string().min(1).default('roles'),
        algorithms: z.array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'])).min(1).optional(),
        /** Leeway on expiry and not-before, in seconds. */
        clockToleranceSec: z.number().int().min(0).max(600).default(30),
      })
      .strict()
      .refine((j) => !j.jwksUrl !== !j.publicKey, { message: 'needs exactly one of jwksUrl and publicKey' })
      .optional(),
    /** GraphQL depth, cost, alias, token and directive limits; batch size; request body size. */
    limits: LimitsSchema.prefault({}),
    /** Token buckets per principal (API key, else client address); shared through Redis when `redisUrl` is set. */
    rateLimit: RateLimitSchema.prefault({}),
    /** HTTPS and WSS (and mutual TLS with `requestClientCert`); unset: plain HTTP. */
    tls: TlsSchema.optional(),
  })
  .strict();

const ConfigSchema = z
  .object({
    /** postgres://… for a PostgreSQL server; unset for PGlite under ./data/pglite; `memory://` for in-memory PGlite. */
    databaseUrl: z
      .string()
      .refine((s) => /^(postgres(ql)?:\/\/|memory:\/\/$|file:)/.test(s), {
        message: 'must start with postgres://, postgresql://, file: or be memory://',
      })
      .optional(),
    /** redis://… to use Redis Streams for the bus and Redis pub/sub for subscriptions; unset for in-memory. */
    redisUrl: z
      .string()
      .refine((s) => /^rediss?:\/\//.test(s), { message: 'must start with redis:// or rediss://' })
      .optional(),
    /** No introspection, no stack traces, no field suggestions. Default: NODE_ENV=production. */
    production: z.boolean().optional(),
    port: z.number().int().min(0).max(65535).default(4000),
    host: z.string().min(1).default('127.0.0.1'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Where the signals come from when nothing else is configured. */
    sources: z.array(DataSource).min(1).default(['simulator']),
    simulator: z
      .object({
        seed: z.number().int().default(42),
        /** Wall-clock milliseconds between simulated bars. */
        tickMs: z.number().int().min(10).max(60_000).default(1000),
        /** Simulated milliseconds per tick (one 1-minute bar by default). */
        barMs: z.number().int().min(1000).default(60_000),
        /** Bars of history simulated at start, so that the models are warm when the first page loads. */
        warmupBars: z.number().int().min(0).max(10_000).default(30),
      })
      .strict()
      .prefault({}),
    replay: z
      .object({
        /** Bars per second; 0 replays as fast as the pipeline takes them. */
        barsPerSecond: z.number().min(0).default(2),
      })
      .strict()
      .prefault({}),
    /** Redis stream key prefix; lets several deployments share one Redis. */
    redisPrefix: z.string().min(1).default('vanta:'),
    /** On SIGTERM, how long the pipeline may take to finish the events in flight before the process exits. */
    shutdownTimeoutMs: z.number().int().min(0).max(600_000).default(30_000),
    /** The real data sources, each off until enabled, and the HTTP client they share. */
    collectors: CollectorsSchema.prefault({}),
    /** Near-duplicate, bot-swarm and lateness detection (see src/engine/enrich/enrichment-config.ts). */
    enrichment: EnrichmentConfigSchema.prefault({}),
    /** Entity resolution: reference data, insider clusters, co-trading communities. */
    entities: EntitiesSchema.prefault({}),
    /** Vaults, risk limits and brokers. */
    trading: TradingSchema.prefault({}),
    /** The feature store and the model ensemble. */
    /** Authentication and roles. */
    security: SecuritySchema.prefault({}),
    models: z
      .object({
        /** The trained ensemble taken into the registry at start when it has no live versions: `vanta train` writes one. */
        bundlePath: z.string().min(1).optional(),
        /** Event-time milliseconds between two bar-driven scorings of one instrument. */
        scoreIntervalMs: z.number().int().min(1000).default(300_000),
        /** Off: only the z-score and graph models score, as before any model is trained. */
        ensemble: z.boolean().default(true),
        /** TF.js models, run in a pool of worker threads (src/engine/ml/pool.ts). */
        tfjs: z
          .object({
            /**
             * On: the trained bundle's MLP scores in a pool of worker threads, and `health` reports the backend. Off
             * saves the pool's thread and its memory (about 100 MB a worker); the MLP then does not score.
             */
            enabled: z.boolean().default(true),
            /** Worker threads. */
            threads: z.number().int().min(1).max(16).default(1),
            /**
             * How long the first request of a batch waits for others, in ms. 0 (the default) batches only the
             * requests of one event-loop turn: the ensemble stage scores one snapshot at a time, so a wait would
             * only add to every snapshot's latency (bench/README.md, `bench:models`).
             */
            batchWindowMs: z.number().min(0).max(100).default(0),
            /** Rows that make a batch leave at once. */
            maxBatch: z.number().int().min(1).max(4096).default(64),
            /** A trained MLP direction classifier (a bundled-model JSON: name, artifactHash, artifact) added to the ensemble. */
            mlpPath: z.string().min(1).optional(),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** The model registry, shadow versions, drift alarms and promotion (see src/engine/modelops/config.ts). */
    modelops: ModelOpsConfigSchema.prefault({}),
    /** The audit log's stored Merkle checkpoints (src/engine/audit/checkpoints.ts). */
    audit: z
      .object({
        /**
         * Milliseconds between two runs of the checkpoint job, which stores the Merkle root of every complete block of
         * 1,024 entries not stored yet; 0 turns it off.
         */
        checkpointEvery: z.number().int().min(0).max(86_400_000).default(60_000),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

/** A frozen value's type: what the config's consumers are given. */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type CollectorsConfig = DeepReadonly<z.infer<typeof CollectorsSchema>>;
export type SecurityConfig = DeepReadonly<z.infer<typeof SecuritySchema>>;
export type HttpCollectorConfig = CollectorsConfig['http'];
export type SecCollectorConfig = CollectorsConfig['sec'];
export type RedditCollectorConfig = CollectorsConfig['reddit'];
export type XCollectorConfig = CollectorsConfig['x'];
export type TelegramCollectorConfig = CollectorsConfig['telegram'];
export type NewsCollectorConfig = CollectorsConfig['news'];
export type FredCollectorConfig = CollectorsConfig['fred'];
export type CcxtCollectorConfig = CollectorsConfig['ccxt'];
export type AlpacaCollectorConfig = CollectorsConfig['alpaca'];
export type TradierCollectorConfig = CollectorsConfig['tradier'];
export type EthereumCollectorConfig = CollectorsConfig['ethereum'];

/** The keys of `collectors` that are data sources (every key but `http`). */
export type SourceKey = Exclude<keyof CollectorsConfig, 'http'>;
export const SOURCE_KEYS: readonly SourceKey[] = [
  'sec',
  'reddit',
  'x',
  'telegram',
  'news',
  'fred',
  'ccxt',
  'alpaca',
  'tradier',
  'ethereum',
];

/** The User-Agent the SEC collector declares: its own, else the shared one. */
export function secUserAgent(collectors: Pick<CollectorsConfig, 'http' | 'sec'>): string {
  return collectors.sec.userAgent ?? collectors.http.userAgent;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Environment variables and the config key each one sets, with how to parse it. */
const ENV: Record<string, { key: string; parse: (raw: string) => unknown }> = {
  DATABASE_URL: { key: 'databaseUrl', parse: (s) => s },
  REDIS_URL: { key: 'redisUrl', parse: (s) => s },
  PORT: { key: 'port', parse: (s) => (/^\d+$/.test(s) ? Number(s) : s) },
  HOST: { key: 'host', parse: (s) => s },
  LOG_LEVEL: { key: 'logLevel', parse: (s) => s },
  VANTA_SOURCES: { key: 'sources', parse: (s) => s.split(',').map((x) => x.trim()).filter(Boolean) },
  VANTA_SIM_SEED: { key: 'simulator.seed', parse: (s) => (/^-?\d+$/.test(s) ? Number(s) : s) },
  VANTA_SIM_TICK_MS: { key: 'simulator.tickMs', parse: (s) => (/^\d+$/.test(s) ? Number(s) : s) },
  VANTA_SIM_WARMUP_BARS: { key: 'simulator.warmupBars', parse: (s) => (/^\d+$/.test(s) ? Number(s) : s) },
  VANTA_REPLAY_BARS_PER_SECOND: { key: 'replay.barsPerSecond', parse: (s) => (/^[\d.]+$/.test(s) ? Number(s) : s) },
  VANTA_REDIS_PREFIX: { key: 'redisPrefix', parse: (s) => s },
  VANTA_SHUTDOWN_TIMEOUT_MS: { key: 'shutdownTimeoutMs', parse: (s) => (/^\d+$/.test(s) ? Number(s) : s) },
  VANTA_AUDIT_CHECKPOINT_EVERY_MS: { key: 'audit.checkpointEvery', parse: (s) => (/^\d+$/.test(s) ? Number(s) : s) },
  VANTA_MODEL_BUNDLE: { key: 'models.bundlePath', parse: (s) => s },
  VANTA_TRADING: { key: 'trading.enabled', parse: (s) => (s === 'true' ? true : s === 'false' ? false : s) },
  VANTA_ALPACA_TRADING_KEY_ID: { key: 'trading.brokers.alpaca.keyId', parse: (s) => s },
  VANTA_ALPACA_TRADING_SECRET_KEY: { key: 'trading.brokers.alpaca.secretKey', parse: (s) => s },
  VANTA_TRADIER_TRADING_TOKEN: { key: 'trading.brokers.tradier.token', parse: (s) => s },
  VANTA_TRADIER_ACCOUNT_ID: { key: 'trading.brokers.tradier.accountId', parse: (s) => s },
  // Collector credentials: kept out of config files checked into a repository.
  VANTA_COMPANY_TICKERS: { key: 'entities.companyTickersPath', parse: (s) => s },
  VANTA_HTTP_USER_AGENT: { key: 'collectors.http.userAgent', parse: (s) => s },
  VANTA_SEC_USER_AGENT: { key: 'collectors.sec.userAgent', parse: (s) => s },
  VANTA_REDDIT_CLIENT_ID: { key: 'collectors.reddit.clientId', parse: (s) => s },
  VANTA_REDDIT_CLIENT_SECRET: { key: 'collectors.reddit.clientSecret', parse: (s) => s },
  VANTA_X_BEARER_TOKEN: { key: 'collectors.x.bearerToken', parse: (s) => s },
  VANTA_TELEGRAM_BOT_TOKEN: { key: 'collectors.telegram.botToken', parse: (s) => s },
  VANTA_FRED_API_KEY: { key: 'collectors.fred.apiKey', parse: (s) => s },
  VANTA_ALPACA_KEY_ID: { key: 'collectors.alpaca.keyId', parse: (s) => s },
  VANTA_ALPACA_SECRET_KEY: { key: 'collectors.alpaca.secretKey', parse: (s) => s },
  VANTA_TRADIER_TOKEN: { key: 'collectors.tradier.token', parse: (s) => s },
  VANTA_ETH_RPC_URL: { key: 'collectors.ethereum.rpcUrl', parse: (s) => s },
  VANTA_AUTH_REQUIRED: { key: 'security.authRequired', parse: (s) => (s === 'true' ? true : s === 'false' ? false : s) },
  VANTA_JWT_ISSUER: { key: 'security.jwt.issuer', parse: (s) => s },
  VANTA_JWT_AUDIENCE: { key: 'security.jwt.audience', parse: (s) => (s.includes(',') ? s.split(',').map((x) => x.trim()).filter(Boolean) : s) },
  VANTA_JWT_JWKS_URL: { key: 'security.jwt.jwksUrl', parse: (s) => s },
  VANTA_JWT_PUBLIC_KEY: { key: 'security.jwt.publicKey', parse: (s) => s },
  VANTA_JWT_ROLES_CLAIM: { key: 'security.jwt.rolesClaim', parse: (s) => s },
  VANTA_PRODUCTION: { key: 'production', parse: (s) => (s === 'true' ? true : s === 'false' ? false : s) },
  VANTA_TLS_CERT: { key: 'security.tls.certPath', parse: (s) => s },
  VANTA_TLS_KEY: { key: 'security.tls.keyPath', parse: (s) => s },
  VANTA_TLS_CA: { key: 'security.tls.caPath', parse: (s) => s },
  VANTA_TLS_REQUEST_CLIENT_CERT: { key: 'security.tls.requestClientCert', parse: (s) => (s === 'true' ? true : s === 'false' ? false : s) },
  VANTA_RATE_LIMIT_PER_SECOND: { key: 'security.rateLimit.perSecond', parse: (s) => (/^[\d.]+$/.test(s) ? Number(s) : s) },
  VANTA_RATE_LIMIT_BURST: { key: 'security.rateLimit.burst', parse: (s) => (/^\d+$/.test(s) ? Number(s) : s) },
};

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === undefined || next === null || typeof next !== 'object') node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function describeIssue(issue: z.core.$ZodIssue, origin: Map<string, string>): string {
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? `${issue.path.join('.')}.` : '';
    return issue.keys.map((k) => `unknown key "${where}${k}"`).join('; ');
  }
  const path = issue.path.join('.');
  const from = origin.get(path);
  return `"${path}"${from ? ` (from ${from})` : ''}: ${issue.message}`;
}

/**
 * A variable's value, or the trimmed content of the file `NAME_FILE` names (secrets mounted as files, as
 * Docker and Kubernetes do); setting both is an error, so it is never unclear which one is in force.
 */
function envOrFile(env: NodeJS.ProcessEnv, name: string): { value: string; origin: string } | undefined {
  const value = env[name];
  const file = env[`${name}_FILE`];
  const hasValue = value !== undefined && value !== '';
  if (file === undefined || file === '') return hasValue ? { value: value!, origin: `environment variable ${name}` } : undefined;
  if (hasValue) throw new ConfigError(`set either ${name} or ${name}_FILE, not both`);
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`cannot read ${name}_FILE (${file}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (text === '') throw new ConfigError(`${name}_FILE (${file}) is empty`);
  return { value: text, origin: `file ${file} (from ${name}_FILE)` };
}

export interface LoadConfigOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Path of the JSON file; defaults to `VANTA_CONFIG` or `./vanta.config.json` when present. */
  readonly file?: string;
}

/** Reads, validates and freezes the configuration. Throws {@link ConfigError} naming every bad key. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const origin = new Map<string, string>();
  let raw: Record<string, unknown> = {};

  const file = options.file ?? env.VANTA_CONFIG ?? (existsSync('vanta.config.json') ? 'vanta.config.json' : undefined);
  if (file) {
    const path = resolve(file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error('the top level must be a JSON object');
      }
      raw = parsed as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`config file ${path} is not valid: ${(err as Error).message}`);
    }
  }

  for (const [name, { key, parse }] of Object.entries(ENV)) {
    const from = envOrFile(env, name);
    if (from === undefined) continue;
    setPath(raw, key, parse(from.value));
    origin.set(key, from.origin);
  }
  if (raw.production === undefined && env.NODE_ENV === 'production') raw.production = true;

  // Authentication is on by default in production only; the schema's default is the development one.
  const security = raw.security;
  const authSet = security !== null && typeof security === 'object' && 'authRequired' in security;
  if (!authSet && env.NODE_ENV === 'production') setPath(raw, 'security.authRequired', true);

  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => describeIssue(i, origin));
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
