/**
 * FredSource end to end against a local server that answers FRED's endpoints from the recorded
 * observation documents (test/fixtures/fred), sliced by `observation_start`, `offset` and `limit` the
 * way FRED pages. FRED's `fred/series` answer has no recording; the server builds it in FRED's documented
 * shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBus } from '../../src/engine/bus/memory.js';
import { Topics } from '../../src/engine/bus/topics.js';
import type { CursorStore } from '../../src/engine/collectors/collector.js';
import { PollingCollector } from '../../src/engine/collectors/polling.js';
import type { DeadLettered, SignalIngested } from '../../src/engine/types.js';
import { TestClock } from '../../src/engine/clock.js';
import { DocumentError } from '../../src/engine/collectors/document.js';
import { HttpError } from '../../src/engine/collectors/http.js';
import { FredSource } from '../../src/engine/collectors/macro/fred.js';
import { fixture, json, pollOnce, startFixtureServer, testClient, type FixtureServer, type RecordedRequest, type Reply } from './market-harness.js';

const KEY = 'abcdef0123456789abcdef0123456789';
interface Recorded { observations: { date: string; value: string; realtime_start: string; realtime_end: string }[]; [k: string]: unknown }
const load = (file: string): Recorded => JSON.parse(fixture('fred', file).toString('utf8')) as Recorded;

const META: Record<string, { title: string; units: string; frequency: string }> = {
  FEDFUNDS: { title: 'Federal Funds Effective Rate', units: 'Percent', frequency: 'Monthly' },
  GDP: { title: 'Gross Domestic Product', units: 'Billions of Dollars', frequency: 'Quarterly' },
  PAYEMS: { title: 'All Employees, Total Nonfarm', units: 'Thousands of Persons', frequency: 'Monthly' },
};

let data: Record<string, Recorded>;
let broken: string | null = null;

function route(req: RecordedRequest): Reply {
  const q = req.url.searchParams;
  if (q.get('api_key') !== KEY) return json({ error_code: 400, error_message: 'Bad Request.  The value for variable api_key is not registered.' }, 400);
  if (q.get('file_type') !== 'json') return { status: 200, headers: { 'content-type': 'text/xml' }, body: '<observations/>' };
  const id = q.get('series_id') ?? '';
  const series = data[id];
  if (!series) return json({ error_code: 400, error_message: 'Bad Request.  The series does not exist.' }, 400);
  if (req.url.pathname === '/fred/series') {
    const m = META[id]!;
    return json({ realtime_start: '2023-07-18', realtime_end: '2023-07-18', seriess: [{ id, realtime_start: '2023-07-18', realtime_end: '2023-07-18', title: m.title, frequency: m.frequency, units: m.units, units_short: m.units, seasonal_adjustment_short: 'SA', last_updated: '2023-07-18 07:45:01-05' }] });
  }
  if (req.url.pathname === '/fred/series/observations') {
    const start = q.get('observation_start') ?? '1776-07-04';
    const offset = Number(q.get('offset') ?? 0);
    const limit = Number(q.get('limit') ?? 100000);
    const matching = series.observations.filter((o) => o.date >= start);
    const body = JSON.stringify({ ...series, observation_start: start, count: matching.length, offset, limit, observations: matching.slice(offset, offset + limit) });
    if (broken === id && offset > 0) return { status: 200, body: body.slice(0, body.length - 200) };
    return { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body };
  }
  return { status: 404, body: 'not found' };
}

let server: FixtureServer;
const http = testClient();
const clock = new TestClock(Date.UTC(2023, 6, 18, 12));

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/fred/series', route).route('/fred/series/observations', route);
});
afterAll(() => server.close());

const source = (series: string[], pageLimit?: number, apiKey = KEY) =>
  new FredSource({ apiKey, series, baseUrl: server.url, ...(pageLimit ? { pageLimit } : {}) });

describe('FredSource', () => {
  it('pages through FEDFUNDS with offset/limit/count and sends every observation, the missing one as null', async () => {
    data = { FEDFUNDS: load('jsprojectreal_fedfunds.json') };
    const before = server.requests.length;
    const recorded = data.FEDFUNDS!.observations;
    const { result } = await pollOnce(source(['FEDFUNDS'], 300), { http, clock, stored: null });
    const pages = server.requests.slice(before).filter((r) => r.url.pathname === '/fred/series/observations');
    expect(pages.map((r) => r.url.searchParams.get('offset'))).toEqual(['0', '300', '600']);
    expect(result.rejected).toEqual([]);
    expect(result.drafts).toHaveLength(recorded.length);
    const byDate = new Map(result.drafts.map((d) => [d.signal.body.date, d]));
    const july = byDate.get('2023-07-01')!;
    expect(july.signal).toMatchObject({ kind: 'macro', instrument: null, externalId: 'fred:FEDFUNDS:2023-07-01:missing' });
    expect(byDate.get('2023-06-01')!.signal.externalId).toBe('fred:FEDFUNDS:2023-06-01');
    expect(july.signal.body.value).toBeNull();
    expect(byDate.get('1954-07-01')!.signal.body).toMatchObject({ series: 'FEDFUNDS', value: '0.80', units: 'Percent', vintage: { start: '2023-07-18', end: '2023-07-18' } });
    // Stamped when the value was published (its vintage), not with the month it describes.
    expect(byDate.get('1954-07-01')!.tsEvent).toBe(Date.parse(`${recorded[0]!.realtime_start}T00:00:00Z`));
  });

  it('restarts from its cursor repeating nothing, and sends a missing month once it is published', async () => {
    data = { FEDFUNDS: load('jsprojectreal_fedfunds.json') };
    const first = await pollOnce(source(['FEDFUNDS']), { http, clock, stored: null });
    const mark = server.requests.length;
    const second = await pollOnce(source(['FEDFUNDS']), { http, clock, stored: first.stored });
    expect(second.result.drafts).toEqual([]);
    const asked = server.requests.slice(mark).find((r) => r.url.pathname === '/fred/series/observations')!;
    expect(asked.url.searchParams.get('observation_start')).toBe('2023-06-01');

    const obs = data.FEDFUNDS!.observations;
    obs[obs.length - 1] = { ...obs[obs.length - 1]!, value: '5.12' };
    obs.push({ realtime_start: '2023-08-18', realtime_end: '2023-08-18', date: '2023-08-01', value: '.' });
    const third = await pollOnce(source(['FEDFUNDS']), { http, clock, stored: second.stored });
    expect(third.result.drafts.map((d) => [d.signal.body.date, d.signal.body.value])).toEqual([['2023-07-01', '5.12'], ['2023-08-01', null]]);
    // The filled-in month is a new signal, not a repeat of the "missing" one.
    expect(third.result.drafts[0]!.signal.externalId).toBe('fred:FEDFUNDS:2023-07-01');
    const fourth = await pollOnce(source(['FEDFUNDS']), { http, clock, stored: third.stored });
    expect(fourth.result.drafts).toEqual([]);
  });

  it('reads several series, each with its own cursor', async () => {
    data = { GDP: load('jsprojectreal_gdp.json'), PAYEMS: load('jsprojectreal_employment.json') };
    const { result } = await pollOnce(source(['GDP', 'PAYEMS']), { http, clock, stored: null });
    const gdp = result.drafts.filter((d) => d.signal.body.series === 'GDP');
    const jobs = result.drafts.filter((d) => d.signal.body.series === 'PAYEMS');
    expect(gdp).toHaveLength(data.GDP!.observations.length);
    expect(jobs).toHaveLength(data.PAYEMS!.observations.length);
    expect(gdp.find((d) => d.signal.body.date === '2023-01-01')!.signal.body.value).toBe('26465.865');
    expect(result.cursor).toEqual({ GDP: { last: '2023-01-01', missing: [] }, PAYEMS: { last: '2023-06-01', missing: [] } });
  });

  it('rejects a truncated page with its bytes, keeps what came before, and never shows the API key', async () => {
    data = { FEDFUNDS: load('jsprojectreal_fedfunds.json'), GDP: load('jsprojectreal_gdp.json') };
    broken = 'FEDFUNDS';
    try {
      const { result } = await pollOnce(source(['FEDFUNDS', 'GDP'], 400), { http, clock, stored: null });
      expect(result.rejected).toHaveLength(1);
      const [rejected] = result.rejected;
      expect(rejected!.error).toBeInstanceOf(DocumentError);
      expect((rejected!.error as DocumentError).code).toBe('DOCUMENT_MALFORMED');
      expect(rejected!.document.origin).not.toContain(KEY);
      expect(rejected!.document.origin).toContain('api_key=***');
      expect(String((rejected!.error as Error).message)).not.toContain(KEY);
      expect(result.drafts.filter((d) => d.signal.body.series === 'FEDFUNDS')).toHaveLength(400);
      expect(result.drafts.filter((d) => d.signal.body.series === 'GDP')).toHaveLength(data.GDP!.observations.length);
      expect((result.cursor.FEDFUNDS as { last: string }).last).toBe(data.FEDFUNDS!.observations[399]!.date);
    } finally {
      broken = null;
    }
  });

  it('turns FRED’s error answer into an HttpError with FRED’s explanation and without the key', async () => {
    data = { FEDFUNDS: load('jsprojectreal_fedfunds.json') };
    const wrongKey = 'fffffffffffffffffffffffffffffff0';
    const err = await pollOnce(source(['FEDFUNDS'], undefined, wrongKey), { http, clock, stored: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(400);
    expect((err as HttpError).message).toContain('api_key is not registered');
    expect((err as HttpError).message).not.toContain(wrongKey);
    expect((err as HttpError).url).not.toContain(wrongKey);
  });

  it('through the PollingCollector: signals and a dead letter on the bus, no key anywhere, a restart adds nothing', async () => {
    data = { FEDFUNDS: load('jsprojectreal_fedfunds.json'), GDP: load('jsprojectreal_gdp.json') };
    broken = 'GDP';
    const bus = new MemoryBus();
    const raw: SignalIngested[] = [];
    const dead: DeadLettered[] = [];
    bus.subscribe(Topics.signalsRaw, async (e) => void raw.push(e), { group: 'test' });
    bus.subscribe(Topics.deadLetter, async (e) => void dead.push(e), { group: 'test' });
    const saved = new Map<string, string>();
    const cursors: CursorStore = { get: async (k) => saved.get(k) ?? null, set: async (k, v) => void saved.set(k, v) };
    const run = async () => {
      const collector = new PollingCollector({ source: source(['FEDFUNDS', 'GDP'], 50), bus, clock, http, cursors, secrets: [KEY] });
      expect(await collector.pollOnce()).toBe(true);
      await bus.drain();
    };
    try {
      await run();
      expect(raw).toHaveLength(data.FEDFUNDS!.observations.length + 50);
      expect(new Set(raw.map((e) => e.id)).size).toBe(raw.length);
      expect(dead).toHaveLength(1);
      expect(JSON.stringify(dead[0])).not.toContain(KEY);
      expect(JSON.stringify(saved.get('fred'))).not.toContain(KEY);
      broken = null;
      await run(); // a restart: the rest of GDP, nothing of FEDFUNDS again
      expect(raw).toHaveLength(data.FEDFUNDS!.observations.length + data.GDP!.observations.length);
      expect(new Set(raw.map((e) => e.id)).size).toBe(raw.length);
    } finally {
      broken = null;
      await bus.close();
    }
  });
});
