/**
 * One validated, frozen configuration object, read once at start from the environment and an optional
 * `vanta.config.json`. The environment wins over the file. An unknown key or an invalid value stops the
 * process with a message that names it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const DataSource = z.enum(['simulator', 'replay', 'none']);

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
  })
  .strict();

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

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
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, key, parse(value));
    origin.set(key, `environment variable ${name}`);
  }

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
