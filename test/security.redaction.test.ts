/**
 * Secrets never reach the logs: the logger with a production config (credentials from the environment and
 * from `*_FILE` files), and the log output of a real start whose broker and collectors have credentials and
 * fail to reach their venues.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSecrets, redactionPaths, scrubLine } from '../src/api/hardening/redaction.js';
import { type Config, loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { startServer } from '../src/server.js';
import { until } from './api-client.js';

const dir = mkdtempSync(join(tmpdir(), 'vanta-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS = {
  alpacaKeyId: 'AKTESTKEYID0123456789',
  alpacaSecret: 'alpaca-secret-from-a-file-9f8e7d6c',
  tradierToken: 'tradier-token-5a4b3c2d1e',
  redditSecret: 'reddit-client-secret-77aa88bb',
  xToken: 'x-bearer-AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA',
  fredKey: 'fredapikey0123456789abcdef012345',
  databasePassword: 'pg-Pa55word-1f2e',
  redisPassword: 'r3dis-Pa55-c0d3',
  ccxtSecret: 'ccxt-secret-3141592653',
} as const;

function secretFile(name: string, value: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${value}\n`); // trailing newline, as editors and `echo` leave it
  return path;
}

/** A port nothing listens on: the venues and sources the config names are unreachable. */
async function deadPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function expectNoSecret(text: string): void {
  for (const [name, value] of Object.entries(SECRETS)) expect(text.includes(value), `${name} appears in the log`).toBe(false);
}

function capture(): { lines: string[]; destination: { write(line: string): void } } {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

describe('the logger with a production config', () => {
  let config: Config;
  beforeAll(() => {
    const file = join(dir, 'vanta.config.json');
    writeFileSync(
      file,
      JSON.stringify({ trading: { brokers: { ccxt: [{ exchange: 'binance', apiKey: 'ccxt-key-id-1', secret: SECRETS.ccxtSecret, markets: {} }] } } }),
    );
    config = loadConfig({
      file,
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: `postgres://vanta:${SECRETS.databasePassword}@db.internal:5432/vanta`,
        REDIS_URL: `redis://default:${SECRETS.redisPassword}@cache.internal:6379/0`,
        VANTA_ALPACA_TRADING_KEY_ID: SECRETS.alpacaKeyId,
        VANTA_ALPACA_TRADING_SECRET_KEY_FILE: secretFile('alpaca-secret', SECRETS.alpacaSecret),
        VANTA_TRADIER_TRADING_TOKEN_FILE: secretFile('tradier-token', SECRETS.tradierToken),
        VANTA_REDDIT_CLIENT_SECRET: SECRETS.redditSecret,
        VANTA_X_BEARER_TOKEN: SECRETS.xToken,
        VANTA_FRED_API_KEY: SECRETS.fredKey,
      },
    });
  });

  it('reads secrets from *_FILE variables, trimmed', () => {
    expect(config.production).toBe(true);
    expect(config.trading.brokers.alpaca?.secretKey).toBe(SECRETS.alpacaSecret);
    expect(config.trading.brokers.tradier?.token).toBe(SECRETS.tradierToken);
    expect(configSecrets(config)).toEqual(expect.arrayContaining(Object.values(SECRETS)));
  });

  it('logs the config, request headers and errors without a secret, and with everything else', () => {
    const { lines, destination } = capture();
    const log = createLogger('info', { destination, secrets: configSecrets(config) });
    log.info({ config }, 'configuration');
    log.info({ req: { method: 'POST', headers: { authorization: 'Bearer vk_0123456789ab_s3cr3t-api-key-value-xyz', 'x-api-key': 'header-api-key-value' } } }, 'request');
    log.error({ err: new Error(`cannot connect to ${config.databaseUrl}`) }, 'store down');
    log.warn(`redis at ${config.redisUrl} is unreachable`);
    log.warn({ venue: 'alpaca', detail: `rejected key ${SECRETS.alpacaKeyId}:${SECRETS.alpacaSecret}` }, 'broker refused');
    const text = lines.join('');
    expectNoSecret(text);
    expect(text).not.toContain('s3cr3t-api-key-value-xyz');
    expect(text).not.toContain('header-api-key-value');
    // What is not secret is still there: the log stays useful, and the test can fail.
    expect(text).toContain('postgres://vanta:[REDACTED]@db.internal:5432/vanta');
    expect(text).toContain('redis://default:[REDACTED]@cache.internal:6379/0');
    expect(text).toContain('"exchange":"binance"');
    expect(text).toContain('"method":"POST"');
    expect(text).toContain('store down');
    expect(lines).toHaveLength(5);
  });

  it('redacts credential fields and URL passwords even without the list of secrets', () => {
    const { lines, destination } = capture();
    const log = createLogger('info', { destination });
    log.info({ config }, 'configuration');
    log.error({ err: new Error(`cannot connect to ${config.redisUrl}`) }, 'redis down');
    expectNoSecret(lines.join(''));
  });

  it('covers every depth the config nests credentials at', () => {
    const paths = redactionPaths();
    expect(paths).toEqual(expect.arrayContaining(['*.*.*.*.secretKey', '*.*["x-api-key"]', 'authorization', '*.*.*.*.*.secret']));
    expect(scrubLine('amqp://u:p4ss@h/ and postgresql://x:y@z', [])).toBe('amqp://u:[REDACTED]@h/ and postgresql://x:[REDACTED]@z');
  });
});

describe('a real start', () => {
  it('logs the start and the failures of collectors with credentials, without a secret', { timeout: 90_000 }, async () => {
    const port = await deadPort();
    const file = join(dir, 'start.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        // Brokers are checked at start (an unreachable one stops it): their credentials are configured, trading is off.
        trading: { enabled: false, brokers: { alpaca: { baseUrl: `http://127.0.0.1:${port}` } } },
        models: { ensemble: false },
        collectors: {
          reddit: { enabled: true, clientId: 'reddit-client-id', baseUrl: `http://127.0.0.1:${port}`, tokenUrl: `http://127.0.0.1:${port}/api/v1/access_token`, userAgent: 'test:vanta:1 (by /u/test)' },
          fred: { enabled: true, baseUrl: `http://${encodeURIComponent('fred')}:${SECRETS.databasePassword}@127.0.0.1:${port}` },
        },
      }),
    );
    const config = loadConfig({
      file,
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: 'memory://',
        PORT: '0',
        VANTA_SOURCES: 'none',
        LOG_LEVEL: 'debug',
        VANTA_ALPACA_TRADING_KEY_ID: SECRETS.alpacaKeyId,
        VANTA_ALPACA_TRADING_SECRET_KEY_FILE: secretFile('alpaca-secret-2', SECRETS.alpacaSecret),
        VANTA_REDDIT_CLIENT_SECRET_FILE: secretFile('reddit-secret', SECRETS.redditSecret),
        VANTA_FRED_API_KEY: SECRETS.fredKey,
      },
    });
    const { lines, destination } = capture();
    const log = createLogger('debug', { destination, secrets: configSecrets(config) });
    const printed: string[] = [];
    const server = await startServer(config, { log, print: (text) => printed.push(text) });
    try {
      await until(() => ['reddit', 'fred'].every((c) => lines.some((l) => /"level":(40|50)/.test(l) && l.includes(c))), 30_000);
    } finally {
      await server.close();
    }
    const text = lines.join('') + printed.join('\n');
    expect(text).toContain('vanta is running');
    expectNoSecret(text);
  });
});
