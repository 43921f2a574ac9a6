import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secUserAgent } from './config.js';
import { packageVersion } from './version.js';

const noFile = join(tmpdir(), 'vanta-no-such-config.json');
function withFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vanta-config-'));
  const path = join(dir, 'vanta.config.json');
  writeFileSync(path, content);
  return path;
}

describe('loadConfig', () => {
  it('gives embedded defaults with an empty environment', () => {
    const c = loadConfig({ env: {}, file: withFile('{}') });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.port).toBe(4000);
    expect(c.sources).toEqual(['simulator']);
    expect(c.simulator.seed).toBe(42);
  });

  it('reads the environment and lets it win over the file', () => {
    const file = withFile(JSON.stringify({ port: 5000, simulator: { seed: 7 } }));
    const c = loadConfig({
      env: { PORT: '4100', DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://127.0.0.1:6379', VANTA_SOURCES: 'simulator, replay' },
      file,
    });
    expect(c.port).toBe(4100);
    expect(c.simulator.seed).toBe(7);
    expect(c.databaseUrl).toBe('postgres://u@h/db');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.sources).toEqual(['simulator', 'replay']);
  });

  it('is frozen, nested objects included', () => {
    const c = loadConfig({ env: {}, file: withFile('{}') });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.simulator)).toBe(true);
    expect(() => {
      (c as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('names an unknown key, top level and nested', () => {
    expect(() => loadConfig({ env: {}, file: withFile('{"prot": 4000}') })).toThrow(/unknown key "prot"/);
    expect(() => loadConfig({ env: {}, file: withFile('{"simulator": {"sed": 1}}') })).toThrow(
      /unknown key "simulator.sed"/,
    );
  });

  it('names an invalid value and the variable it came from', () => {
    const run = () => loadConfig({ env: { PORT: 'forty' }, file: noFile.replace('no-such', 'x') });
    expect(() => loadConfig({ env: { PORT: 'forty' }, file: withFile('{}') })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { PORT: 'forty' }, file: withFile('{}') })).toThrow(
      /"port" \(from environment variable PORT\)/,
    );
    expect(run).toThrow(ConfigError); // a missing file named explicitly is an error too
    expect(() => loadConfig({ env: { DATABASE_URL: 'mysql://x' }, file: withFile('{}') })).toThrow(/databaseUrl/);
    expect(() => loadConfig({ env: { VANTA_SOURCES: 'simulator,tarot' }, file: withFile('{}') })).toThrow(/sources\.1/);
  });

  it('rejects a config file that is not a JSON object', () => {
    expect(() => loadConfig({ env: {}, file: withFile('[1,2]') })).toThrow(/must be a JSON object/);
    expect(() => loadConfig({ env: {}, file: withFile('{port: 1}') })).toThrow(/is not valid/);
  });

  describe('collectors', () => {
    it('defaults to every source off, a declared User-Agent and the SEC limits', () => {
      const { collectors } = loadConfig({ env: {}, file: withFile('{}') });
      expect(collectors.http).toEqual({
        userAgent: `Vanta/${packageVersion()} (ops@example.invalid)`,
        timeoutMs: 30_000,
        maxRetries: 4,
        defaultRequestsPerSecond: 5,
        hosts: { 'www.sec.gov': { requestsPerSecond: 10 }, 'efts.sec.gov': { requestsPerSecond: 10 } },
      });
      for (const key of ['sec', 'reddit', 'x', 'telegram', 'news', 'fred', 'ccxt', 'alpaca', 'tradier', 'ethereum'] as const) {
        expect(collectors[key].enabled).toBe(false);
      }
      expect(collectors.sec.forms).toEqual(['4', '4/A', '3', '5', '13F-HR', '13F-HR/A']);
      expect(collectors.sec.feedUrl).toMatch(/^https:\/\/www\.sec\.gov\/cgi-bin\/browse-edgar\?action=getcurrent.*output=atom$/);
      expect(collectors.ethereum.stablecoins.map((s) => s.symbol)).toEqual(['USDT', 'USDC', 'DAI']);
      expect(collectors.fred.apiKey).toBeUndefined();
    });

    it('takes credentials from the environment, over the file', () => {
      const env = {
        VANTA_SEC_USER_AGENT: 'Vanta Research desk@vanta.test',
        VANTA_REDDIT_CLIENT_ID: 'rid',
        VANTA_REDDIT_CLIENT_SECRET: 'rsecret',
        VANTA_X_BEARER_TOKEN: 'xtoken',
        VANTA_TELEGRAM_BOT_TOKEN: '1:tg',
        VANTA_FRED_API_KEY: 'fredkey',
        VANTA_ALPACA_KEY_ID: 'akey',
        VANTA_ALPACA_SECRET_KEY: 'asecret',
        VANTA_TRADIER_TOKEN: 'ttoken',
        VANTA_ETH_RPC_URL: 'https://rpc.vanta.test/v3/k',
        VANTA_HTTP_USER_AGENT: 'Vanta/2 (ops@vanta.test)',
      };
      const file = withFile(JSON.stringify({ collectors: { fred: { enabled: true, apiKey: 'from-file' } } }));
      const { collectors } = loadConfig({ env, file });
      expect(collectors.fred).toMatchObject({ enabled: true, apiKey: 'fredkey' });
      expect(collectors.reddit).toMatchObject({ clientId: 'rid', clientSecret: 'rsecret' });
      expect(collectors.x.bearerToken).toBe('xtoken');
      expect(collectors.telegram.botToken).toBe('1:tg');
      expect(collectors.alpaca).toMatchObject({ keyId: 'akey', secretKey: 'asecret' });
      expect(collectors.tradier.token).toBe('ttoken');
      expect(collectors.ethereum.rpcUrl).toBe('https://rpc.vanta.test/v3/k');
      expect(collectors.http.userAgent).toBe('Vanta/2 (ops@vanta.test)');
      expect(secUserAgent(collectors)).toBe('Vanta Research desk@vanta.test');
    });

    it('lets each base URL point elsewhere, and merges host limits over the defaults', () => {
      const file = withFile(
        JSON.stringify({
          collectors: {
            http: { hosts: { '127.0.0.1': { requestsPerSecond: 50 }, 'www.sec.gov': { requestsPerSecond: 2 } } },
            sec: { feedUrl: 'http://127.0.0.1:9/feed', baseUrl: 'http://127.0.0.1:9' },
            fred: { baseUrl: 'http://127.0.0.1:9' },
            ccxt: { baseUrl: 'http://127.0.0.1:9' },
            alpaca: { dataUrl: 'http://127.0.0.1:9' },
          },
        }),
      );
      const { collectors } = loadConfig({ env: {}, file });
      expect(collectors.http.hosts).toEqual({
        'www.sec.gov': { requestsPerSecond: 2 },
        'efts.sec.gov': { requestsPerSecond: 10 },
        '127.0.0.1': { requestsPerSecond: 50 },
      });
      expect([collectors.sec.baseUrl, collectors.fred.baseUrl, collectors.ccxt.baseUrl, collectors.alpaca.dataUrl]).toEqual(
        Array(4).fill('http://127.0.0.1:9'),
      );
    });

    it('is frozen all the way down', () => {
      const { collectors } = loadConfig({ env: {}, file: withFile('{}') });
      expect(Object.isFrozen(collectors.sec.forms)).toBe(true);
      expect(Object.isFrozen(collectors.http.hosts['www.sec.gov'])).toBe(true);
      expect(Object.isFrozen(collectors.ethereum.stablecoins[0])).toBe(true);
    });

    it('names unknown keys and bad values, never echoing a credential', () => {
      expect(() => loadConfig({ env: {}, file: withFile('{"collectors": {"reddit": {"secret": "x"}}}') })).toThrow(
        /unknown key "collectors.reddit.secret"/,
      );
      expect(() => loadConfig({ env: {}, file: withFile('{"collectors": {"twitter": {}}}') })).toThrow(/unknown key "collectors.twitter"/);
      const bad = () => loadConfig({ env: { VANTA_ETH_RPC_URL: 'wss-not-http-s3cr3t' }, file: withFile('{}') });
      expect(bad).toThrow(/"collectors.ethereum.rpcUrl" \(from environment variable VANTA_ETH_RPC_URL\)/);
      const message = (() => {
        try {
          bad();
        } catch (err) {
          return (err as Error).message;
        }
        return '';
      })();
      expect(message).not.toContain('s3cr3t');
      expect(() =>
        loadConfig({ env: {}, file: withFile('{"collectors": {"ethereum": {"stablecoins": [{"symbol": "X", "address": "0x12", "decimals": 6}]}}}') }),
      ).toThrow(/collectors.ethereum.stablecoins.0.address/);
      expect(() => loadConfig({ env: {}, file: withFile('{"collectors": {"http": {"userAgent": "  "}}}') })).toThrow(/collectors.http.userAgent/);
      expect(() => loadConfig({ env: {}, file: withFile('{"collectors": {"sec": {"pollMs": 5}}}') })).toThrow(/collectors.sec.pollMs/);
    });
  });

  describe('enrichment and entities', () => {
    it('defaults to the bundled reference data, two-week insider clusters and co-trading on', () => {
      const c = loadConfig({ env: {}, file: withFile('{}') });
      expect(c.enrichment.swarm.flagScore).toBe(0.5);
      expect(c.entities.companyTickersPath).toBeUndefined();
      expect(c.entities.insiderClusters).toEqual({ windowDays: 14, minInsiders: 3 });
      expect(c.entities.coTrading.enabled).toBe(true);
      const full = loadConfig({ env: { VANTA_COMPANY_TICKERS: '/data/company_tickers.json' }, file: withFile('{}') });
      expect(full.entities.companyTickersPath).toBe('/data/company_tickers.json');
    });

    it('names bad values, including settings that contradict each other', () => {
      expect(() => loadConfig({ env: {}, file: withFile('{"entities": {"insiderClusters": {"minInsiders": 1}}}') })).toThrow(
        /entities.insiderClusters.minInsiders/,
      );
      expect(() => loadConfig({ env: {}, file: withFile('{"entities": {"coTrading": {"intervalMs": 5}}}') })).toThrow(
        /entities.coTrading.intervalMs/,
      );
      expect(() => loadConfig({ env: {}, file: withFile('{"enrichment": {"swarm": {"reportScore": 0.9}}}') })).toThrow(
        /enrichment.swarm.reportScore/,
      );
      expect(() => loadConfig({ env: {}, file: withFile('{"enrichment": {"bots": {}}}') })).toThrow(/unknown key "enrichment.bots"/);
    });
  });
});
