import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../test/fixture-server.js';
import { loadConfig } from '../config.js';
import { MemoryBus } from '../engine/bus/memory.js';
import { Topics } from '../engine/bus/topics.js';
import { TestClock } from '../engine/clock.js';
import type { CursorStore } from '../engine/collectors/collector.js';
import { ndjsonLines } from '../engine/collectors/ndjson.js';
import type { StreamingSource } from '../engine/collectors/streaming.js';
import type { PollingSource } from '../engine/collectors/source.js';
import type { CollectorStatus } from '../engine/collectors/status.js';
import type { SignalIngested } from '../engine/types.js';
import { collectorSecrets, missingCredentials, startCollectorJobs, type SourceFactories } from './collectors.js';

function config(collectors: unknown, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vanta-collectors-'));
  const file = join(dir, 'vanta.config.json');
  writeFileSync(file, JSON.stringify({ collectors }));
  return loadConfig({ env, file });
}

class MapCursors implements CursorStore {
  readonly map = new Map<string, string>();
  async get(name: string) {
    return this.map.get(name) ?? null;
  }
  async set(name: string, cursor: string) {
    this.map.set(name, cursor);
  }
}

function recordingLog() {
  const warnings: { obj: object; msg: string | undefined }[] = [];
  return { warnings, info: () => undefined, warn: (obj: object, msg?: string) => void warnings.push({ obj, msg }) };
}

/** A news source as small as a test needs: one feed, one signal per poll, the feed's ETag as cursor. */
const newsFactory: SourceFactories['news'] = ({ config: news }): PollingSource<string> => ({
  name: 'news',
  intervalMs: news.pollMs,
  async poll({ http, signal }) {
    const res = await http.request({ url: news.feeds[0]!, signal });
    return {
      drafts: [{ signal: { source: 'news', kind: 'news', instrument: null, externalId: res.etag, body: {} }, tsEvent: 1_700_000_000_000 }],
      rejected: [],
      cursor: res.etag ?? '',
    };
  },
});

let server: FixtureServer;
let bus: MemoryBus;
const raw: SignalIngested[] = [];

beforeEach(async () => {
  server = await startFixtureServer();
  bus = new MemoryBus();
  raw.length = 0;
  bus.subscribe(Topics.signalsRaw, async (e) => void raw.push(e), { group: 'test' });
});
afterEach(async () => {
  await bus.close();
  await server.close();
});

describe('startCollectorJobs', () => {
  it('runs only the enabled sources, on a client that declares the configured User-Agent', async () => {
    server.file('/feed', 'rss_atom/rss-parser_guardian.rss');
    const cfg = config(
      { http: { userAgent: 'Vanta/1 (desk@vanta.test)' }, news: { enabled: true, feeds: [`${server.url}/feed`], pollMs: 60_000 } },
      { VANTA_FRED_API_KEY: 'fred-key-0123456789' }, // fred has its key but is not enabled
    );
    const fred = vi.fn();
    const jobs = await startCollectorJobs({
      config: cfg,
      bus,
      clock: new TestClock(),
      cursors: new MapCursors(),
      log: recordingLog(),
      sources: { news: newsFactory, fred },
    });
    await vi.waitFor(async () => {
      await bus.drain();
      expect(raw).toHaveLength(1);
    });
    expect(fred).not.toHaveBeenCalled();
    expect(jobs.collectors.map((c) => c.name)).toEqual(['news']);
    expect(server.requestsTo('/feed')[0]!.headers['user-agent']).toBe('Vanta/1 (desk@vanta.test)');
    await jobs.stop();
    await jobs.stop();
    expect(jobs.status('news')?.state).toBe('stopped');
  });

  it('does not start a source that lacks its credentials: one warning, state disabled, with the reason', async () => {
    const cfg = config({ reddit: { enabled: true, clientId: 'id' }, fred: { enabled: true }, telegram: { enabled: true } }, {
      VANTA_TELEGRAM_BOT_TOKEN: '123:telegram-token',
    });
    const log = recordingLog();
    const reddit = vi.fn();
    const fred = vi.fn();
    const changes: CollectorStatus[] = [];
    const jobs = await startCollectorJobs({
      config: cfg,
      bus,
      clock: new TestClock(),
      cursors: new MapCursors(),
      log,
      sources: { reddit, fred }, // no telegram implementation
      onChange: (s) => changes.push(s),
    });
    expect(reddit).not.toHaveBeenCalled();
    expect(fred).not.toHaveBeenCalled();
    expect(jobs.collectors.map((c) => [c.name, c.state, c.reason])).toEqual([
      ['reddit', 'disabled', 'missing credentials: collectors.reddit.clientSecret (VANTA_REDDIT_CLIENT_SECRET)'],
      ['telegram', 'disabled', 'no implementation of this source is installed'],
      ['fred', 'disabled', 'missing credentials: collectors.fred.apiKey (VANTA_FRED_API_KEY)'],
    ]);
    expect(log.warnings).toHaveLength(3);
    expect(log.warnings.map((w) => w.msg)).toEqual([
      'reddit: enabled but not started: missing credentials: collectors.reddit.clientSecret (VANTA_REDDIT_CLIENT_SECRET)',
      'telegram: enabled but not started: no implementation of this source is installed',
      'fred: enabled but not started: missing credentials: collectors.fred.apiKey (VANTA_FRED_API_KEY)',
    ]);
    expect(changes.map((c) => c.state)).toEqual(['disabled', 'disabled', 'disabled']);
    await jobs.stop();
    expect(jobs.collectors.every((c) => c.state === 'disabled')).toBe(true);
    expect(log.warnings).toHaveLength(3); // said once, not again on stop
  });

  it('requires a real contact in the SEC User-Agent', () => {
    const placeholder = config({ sec: { enabled: true } });
    expect(missingCredentials('sec', placeholder.collectors)).toMatch(/SEC requires.*VANTA_SEC_USER_AGENT/);
    const declared = config({ sec: { enabled: true } }, { VANTA_SEC_USER_AGENT: 'Vanta Research desk@vanta.test' });
    expect(missingCredentials('sec', declared.collectors)).toBeNull();
    const shared = config({ http: { userAgent: 'Vanta/1 (desk@vanta.test)' }, sec: { enabled: true } });
    expect(missingCredentials('sec', shared.collectors)).toBeNull();
  });

  it('runs a streaming source in a streaming collector', async () => {
    server.route('/2/tweets/search/stream', {
      stream: { chunks: [`${JSON.stringify({ data: { id: '1', text: 'hello $AAPL' } })}\r\n`], end: 'hold' },
    });
    const cfg = config({ x: { enabled: true, baseUrl: server.url } }, { VANTA_X_BEARER_TOKEN: 'x-bearer-token-0123' });
    const x: SourceFactories['x'] = ({ config: xc }): StreamingSource<null> => ({
      name: 'x',
      async *open({ http, signal }) {
        const headers = { authorization: `Bearer ${xc.bearerToken}` };
        for await (const line of ndjsonLines(http.stream({ url: `${xc.baseUrl}/2/tweets/search/stream`, headers, signal }), 'x-stream')) {
          const post = JSON.parse(line) as { data: { id: string; text: string } };
          const found = { source: 'x', kind: 'social_mention' as const, instrument: null, externalId: post.data.id, body: { text: post.data.text } };
          yield { type: 'signal', draft: { signal: found, tsEvent: 1_700_000_000_000 } };
        }
      },
    });
    const jobs = await startCollectorJobs({ config: cfg, bus, clock: new TestClock(), cursors: new MapCursors(), log: recordingLog(), sources: { x } });
    await vi.waitFor(() => expect(jobs.status('x')?.state).toBe('streaming'));
    await bus.drain();
    expect(raw.map((e) => e.payload.body)).toEqual([{ text: 'hello $AAPL' }]);
    expect(server.requestsTo('/2/tweets/search/stream')[0]!.headers.authorization).toBe('Bearer x-bearer-token-0123');
    await jobs.stop();
    expect(jobs.status('x')?.state).toBe('stopped');
  });

  it('collects every credential for redaction, the key parts of an RPC URL included', () => {
    const cfg = config(
      {},
      {
        VANTA_REDDIT_CLIENT_SECRET: 'reddit-secret-value',
        VANTA_ALPACA_SECRET_KEY: 'alpaca-secret-value',
        VANTA_ETH_RPC_URL: 'https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef',
      },
    );
    expect(collectorSecrets(cfg.collectors).sort()).toEqual(
      ['0123456789abcdef0123456789abcdef', 'alpaca-secret-value', 'reddit-secret-value'].sort(),
    );
  });
});
