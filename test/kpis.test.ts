/**
 * The KPIs on a real server on embedded defaults (in-memory PGlite, in-memory bus, the simulator): after some
 * simulated minutes, `kpis` has ingest → conviction latency samples, and `GET /metrics` is Prometheus text
 * with those series.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/server.js';
import { until } from './api-client.js';

const KPIS = `query Kpis($from: DateTime, $to: DateTime) {
  kpis(from: $from, to: $to) {
    uptimeSeconds convictions fills realizedPnl killSwitchChanges
    latency { count meanMs p50Ms p90Ms p99Ms maxMs }
    precisionAt5 { k rolling daysWithK days { day calls hits precision } }
    attribution { day dimension key realizedPnl fills }
    denials { reason count }
  }
}`;

interface KpisResult {
  kpis: {
    uptimeSeconds: number;
    convictions: number;
    latency: { count: number; p50Ms: number | null; maxMs: number | null };
    precisionAt5: { k: number };
    attribution: { dimension: string }[];
  } | null;
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: T; errors?: { message: string }[] }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: T; errors?: { message: string }[] };
}

/** Parses Prometheus' text exposition format strictly enough to reject anything malformed. */
function parsePrometheus(text: string): Map<string, { labels: string; value: number }[]> {
  const series = new Map<string, { labels: string; value: number }[]>();
  const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|\+Inf|-Inf)$/;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = sample.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const list = series.get(m[1]!) ?? [];
    list.push({ labels: m[2] ?? '', value: Number(m[3]) });
    series.set(m[1]!, list);
  }
  return series;
}

describe('KPIs on a running server', () => {
  let server: RunningServer;
  const base = () => server.url.replace(/\/graphql$/, '');

  beforeAll(async () => {
    const config = loadConfig({ env: { PORT: '0', VANTA_SIM_TICK_MS: '250', LOG_LEVEL: 'silent', DATABASE_URL: 'memory://' } });
    server = await startServer(config, { log: createLogger('silent'), print: () => {} });
  }, 240_000);
  afterAll(async () => {
    await server?.close();
  });

  it('kpis has latency samples after some simulated minutes', async () => {
    let last: KpisResult['kpis'] = null;
    await until(async () => {
      const r = await gql<KpisResult>(server.url, KPIS);
      expect(r.errors).toBeUndefined();
      last = r.data?.kpis ?? null;
      return (last?.latency.count ?? 0) >= 5;
    }, 40_000);
    const k = last!;
    expect(k.convictions).toBeGreaterThanOrEqual(5);
    expect(k.latency.p50Ms).not.toBeNull();
    expect(k.latency.p50Ms!).toBeGreaterThanOrEqual(0);
    expect(k.latency.maxMs!).toBeGreaterThanOrEqual(k.latency.p50Ms!);
    expect(k.precisionAt5.k).toBe(5);

    // A range that ends before the run began holds nothing.
    const empty = await gql<KpisResult>(server.url, KPIS, { from: '2000-01-01T00:00:00Z', to: '2000-01-02T00:00:00Z' });
    expect(empty.data?.kpis?.latency.count).toBe(0);
    // A backwards range is refused, naming the argument.
    const bad = await gql<KpisResult>(server.url, KPIS, { from: '2000-01-02T00:00:00Z', to: '2000-01-01T00:00:00Z' });
    expect(bad.errors?.[0]?.message).toMatch(/"to"/);
  }, 60_000);

  it('GET /metrics parses as Prometheus text with the latency histogram and the counters', async () => {
    const res = await fetch(`${base()}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const series = parsePrometheus(text);
    const count = series.get('vanta_ingest_to_conviction_seconds_count')?.[0]?.value ?? 0;
    expect(count).toBeGreaterThanOrEqual(5);
    const buckets = series.get('vanta_ingest_to_conviction_seconds_bucket') ?? [];
    expect(buckets.find((b) => b.labels.includes('le="+Inf"'))?.value).toBe(count);
    const topics = new Map((series.get('vanta_bus_events_total') ?? []).map((s) => [s.labels, s.value]));
    expect(topics.get('{topic="signals.raw"}')).toBeGreaterThan(0);
    expect(topics.get('{topic="conviction.scored"}')).toBeGreaterThan(0);
    expect(series.get('vanta_uptime_seconds')?.[0]?.value).toBeGreaterThanOrEqual(0);
    expect(text).toContain('# TYPE vanta_precision_at_k gauge');
  });
});
