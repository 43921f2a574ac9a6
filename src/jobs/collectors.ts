/**
 * The collector job: builds the data sources the config enables, runs each in a `PollingCollector` or a
 * `StreamingCollector`, and owns their lifecycles (start all, stop all, report their states).
 *
 * The sources themselves are passed in as factories, one per config key, so this job knows no API: it
 * knows which credentials each source needs. A source enabled without them is not started; the job says
 * so once in the log and reports it as `disabled` with the reason, so the `collectors` query shows why a
 * feed is silent instead of a collector failing on every poll.
 *
 * All collectors share one `PoliteHttpClient`, so a host's rate limit holds across them (the SEC's
 * 10 requests per second covers the feed and the filings together).
 */
import type { CollectorsConfig, SourceKey } from '../config.js';
import { PLACEHOLDER_CONTACT, SOURCE_KEYS, secUserAgent } from '../config.js';
import type { Bus } from '../engine/bus/bus.js';
import type { Clock } from '../engine/clock.js';
import type { Sleep } from '../engine/collectors/backoff.js';
import type { Collector, CursorStore } from '../engine/collectors/collector.js';
import type { HttpClient } from '../engine/collectors/http.js';
import { PoliteHttpClient } from '../engine/collectors/http-client.js';
import { PollingCollector } from '../engine/collectors/polling.js';
import type { PollingSource } from '../engine/collectors/source.js';
import {
  disabledStatus,
  type CollectorLogger,
  type CollectorStatus,
  type StatusListener,
} from '../engine/collectors/status.js';
import { StreamingCollector, type StreamingSource } from '../engine/collectors/streaming.js';
import { Random } from '../engine/random.js';

/** What a source factory is given. */
export interface SourceDeps<K extends SourceKey> {
  /** The source's own section (`collectors.fred`, ...). */
  readonly config: CollectorsConfig[K];
  /** The whole `collectors` section (for `http.userAgent` and the like). */
  readonly collectors: CollectorsConfig;
  readonly http: HttpClient;
  readonly clock: Clock;
}

// Sources are generic in their cursor; the job only passes cursors through, so it need not know the type.
export type AnySource = PollingSource<any> | StreamingSource<any>;
export type SourceFactory<K extends SourceKey> = (deps: SourceDeps<K>) => AnySource;
export type SourceFactories = { readonly [K in SourceKey]?: SourceFactory<K> };

export interface CollectorJobsOptions {
  readonly config: { readonly collectors: CollectorsConfig };
  readonly bus: Bus;
  readonly clock: Clock;
  readonly cursors: CursorStore;
  readonly log: CollectorLogger;
  readonly sources: SourceFactories;
  /** Replaces the shared client built from `collectors.http`. */
  readonly http?: HttpClient;
  /** Seeds the jitter of the HTTP client and the polling backoffs. */
  readonly random?: Random;
  readonly sleep?: Sleep;
  /** Told every change of any collector's status (for the `collectorStatusChanged` subscription). */
  readonly onChange?: StatusListener;
}

export interface CollectorJobs {
  /** Every enabled source's status, running or disabled, in config order. */
  readonly collectors: readonly CollectorStatus[];
  status(name: string): CollectorStatus | undefined;
  /** Stops every collector; resolves once nothing is in flight. Safe to call twice. */
  stop(): Promise<void>;
}

/** Credentials per source: the config path and the environment variable that sets it. */
const CREDENTIALS: { readonly [K in SourceKey]: readonly (readonly [keyof CollectorsConfig[K] & string, string])[] } = {
  sec: [],
  reddit: [
    ['clientId', 'VANTA_REDDIT_CLIENT_ID'],
    ['clientSecret', 'VANTA_REDDIT_CLIENT_SECRET'],
  ],
  x: [['bearerToken', 'VANTA_X_BEARER_TOKEN']],
  telegram: [['botToken', 'VANTA_TELEGRAM_BOT_TOKEN']],
  news: [],
  fred: [['apiKey', 'VANTA_FRED_API_KEY']],
  ccxt: [],
  alpaca: [
    ['keyId', 'VANTA_ALPACA_KEY_ID'],
    ['secretKey', 'VANTA_ALPACA_SECRET_KEY'],
  ],
  tradier: [['token', 'VANTA_TRADIER_TOKEN']],
  ethereum: [['rpcUrl', 'VANTA_ETH_RPC_URL']],
};

/** Why source `key` cannot run with this config, or null when it can. */
export function missingCredentials(key: SourceKey, collectors: CollectorsConfig): string | null {
  const section = collectors[key] as unknown as Record<string, unknown>;
  const missing = CREDENTIALS[key]
    .filter(([field]) => typeof section[field] !== 'string' || section[field] === '')
    .map(([field, env]) => `collectors.${key}.${field} (${env})`);
  if (key === 'sec' && secUserAgent(collectors).includes(PLACEHOLDER_CONTACT)) {
    missing.push('a User-Agent with a real contact, which the SEC requires (VANTA_SEC_USER_AGENT)');
  }
  return missing.length === 0 ? null : `missing credentials: ${missing.join(', ')}`;
}

/** Every credential in the config, to keep out of messages, statuses and dead letters. */
export function collectorSecrets(collectors: CollectorsConfig): string[] {
  const secrets: string[] = [];
  for (const key of SOURCE_KEYS) {
    const section = collectors[key] as unknown as Record<string, unknown>;
    for (const [field] of CREDENTIALS[key]) {
      const value = section[field];
      if (typeof value !== 'string' || value === '') continue;
      secrets.push(...(field === 'rpcUrl' ? urlSecrets(value) : [value]));
    }
  }
  return secrets;
}

/** The parts of an RPC URL that are keys: a password, query values, and long path segments (`/v3/<key>`). */
function urlSecrets(raw: string): string[] {
  try {
    const url = new URL(raw);
    return [
      url.password,
      ...[...url.searchParams.values()],
      ...url.pathname.split('/').filter((segment) => segment.length >= 16),
    ].filter((s) => s.length > 0);
  } catch {
    return [raw];
  }
}

function isStreaming(source: AnySource): source is StreamingSource<any> {
  return typeof (source as { open?: unknown }).open === 'function';
}

/** Builds and starts the enabled collectors. */
export async function startCollectorJobs(options: CollectorJobsOptions): Promise<CollectorJobs> {
  const { config, bus, clock, cursors, log, sources } = options;
  const collectorsConfig = config.collectors;
  const random = options.random ?? new Random(0x76a47a);
  const secrets = collectorSecrets(collectorsConfig);
  const http =
    options.http ??
    new PoliteHttpClient({ ...collectorsConfig.http, secrets, clock, random: random.fork('http'), sleep: options.sleep });

  const entries: { readonly collector?: Collector & { readonly status: CollectorStatus }; readonly disabled?: CollectorStatus }[] =
    [];
  for (const key of SOURCE_KEYS) {
    if (!collectorsConfig[key].enabled) continue;
    const factory = sources[key] as SourceFactory<typeof key> | undefined;
    const reason = missingCredentials(key, collectorsConfig) ?? (factory ? null : 'no implementation of this source is installed');
    if (reason !== null) {
      log.warn({ collector: key, reason }, `${key}: enabled but not started: ${reason}`);
      entries.push({ disabled: disabledStatus(key, reason) });
      options.onChange?.(disabledStatus(key, reason));
      continue;
    }
    let source: AnySource;
    try {
      source = factory!({ config: collectorsConfig[key], collectors: collectorsConfig, http, clock });
    } catch (err) {
      const why = `could not be built: ${err instanceof Error ? err.message : String(err)}`;
      log.warn({ collector: key, err }, `${key}: enabled but not started: ${why}`);
      entries.push({ disabled: disabledStatus(key, why) });
      options.onChange?.(disabledStatus(key, why));
      continue;
    }
    const common = { bus, clock, http, cursors, log, secrets, sleep: options.sleep, onChange: options.onChange };
    const collector = isStreaming(source)
      ? new StreamingCollector({ ...common, source })
      : new PollingCollector({ ...common, source, random: random.fork(source.name) });
    entries.push({ collector });
  }

  for (const { collector } of entries) {
    if (!collector) continue;
    await collector.start();
    log.info({ collector: collector.name }, `${collector.name}: collector started`);
  }

  let stopping: Promise<void> | null = null;
  const statuses = () => entries.map((e) => e.disabled ?? e.collector!.status);
  return {
    get collectors() {
      return statuses();
    },
    status: (name) => statuses().find((s) => s.name === name),
    stop() {
      stopping ??= Promise.all(entries.map((e) => e.collector?.stop())).then(() => undefined);
      return stopping;
    },
  };
}
