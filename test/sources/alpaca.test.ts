/**
 * AlpacaSource end to end against a local server. No recorded Alpaca answers exist among the fixtures:
 * the server answers in the shapes of Alpaca's market data API v2 reference (multi-symbol
 * `/v2/stocks/bars` and `/v2/stocks/trades`, sorted by symbol then time, paged with `next_page_token`),
 * and checks the `APCA-API-*` headers as Alpaca does.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.js';
import { DocumentError } from '../../src/engine/collectors/document.js';
import { HttpError } from '../../src/engine/collectors/http.js';
import { AlpacaSource } from '../../src/engine/collectors/market/alpaca.js';
import { json, param, pollOnce, startFixtureServer, testClient, type FixtureServer, type RecordedRequest, type Reply } from './market-harness.js';

const KEY_ID = 'PKTESTKEYID0001';
const SECRET = 'secretsecretsecret0001';
const OPEN = Date.UTC(2024, 0, 3, 14, 30);
const NOW = OPEN + 10 * 60_000 + 30_000; // 14:40:30, inside the 14:40 bar

interface Row { symbol: string; at: number; row: Record<string, unknown> }
let bars: Row[];
let trades: Row[];
let brokenTrades = false;

function bar(symbol: string, minute: number, close: number): Row {
  const at = OPEN + minute * 60_000;
  return { symbol, at, row: { t: new Date(at).toISOString().replace('.000Z', 'Z'), o: close - 0.05, h: close + 0.1, l: close - 0.1, c: close, v: 10_000 + minute, n: 120, vw: close - 0.01 } };
}

function trade(symbol: string, ms: number, nanos: string, price: number, size: number, id: number, conditions = ['@']): Row {
  const iso = new Date(OPEN + ms).toISOString().slice(0, 19);
  return { symbol, at: OPEN + ms, row: { t: `${iso}.${nanos}Z`, x: 'V', p: price, s: size, c: conditions, i: id, z: 'C' } };
}

/** Alpaca's paging: rows from `start`, sorted by symbol then time, `limit` per page, an opaque token for the rest. */
function page(rows: Row[], key: 'bars' | 'trades', req: RecordedRequest): Reply {
  if (req.headers['apca-api-key-id'] !== KEY_ID || req.headers['apca-api-secret-key'] !== SECRET) return json({ message: 'forbidden.' }, 403);
  const symbols = (param(req, 'symbols') ?? '').split(',');
  const start = Date.parse(param(req, 'start') ?? '1970-01-01T00:00:00Z');
  const limit = Number(param(req, 'limit') ?? 1000);
  const offset = Number(Buffer.from(param(req, 'page_token') ?? 'MA==', 'base64').toString('utf8'));
  const matching = rows.filter((r) => symbols.includes(r.symbol) && r.at >= start).sort((a, b) => a.symbol.localeCompare(b.symbol) || a.at - b.at);
  const slice = matching.slice(offset, offset + limit);
  const map: Record<string, unknown[]> = {};
  for (const r of slice) (map[r.symbol] ??= []).push(r.row);
  const next = offset + limit < matching.length ? Buffer.from(String(offset + limit)).toString('base64') : null;
  return json({ [key]: map, next_page_token: next });
}

let server: FixtureServer;
const http = testClient([SECRET]);

beforeAll(async () => {
  server = await startFixtureServer();
  server
    .route('/v2/stocks/bars', (req) => page(bars, 'bars', req))
    .route('/v2/stocks/trades', (req) => (brokenTrades ? { body: '{"trades":{"AAPL":[{"t":"2024-01-03T14:3', headers: { 'content-type': 'application/json' } } : page(trades, 'trades', req)));
});
afterAll(() => server.close());
beforeEach(() => {
  bars = [];
  for (let m = 0; m <= 10; m += 1) bars.push(bar('AAPL', m, 184 + m / 100), bar('MSFT', m, 370 + m / 100));
  trades = [
    trade('AAPL', 5 * 60_000, '100000001', 184.2, 100, 1),
    trade('AAPL', 5 * 60_000, '100000002', 184.25, 2000, 2, ['@', 'F']), // uptick, $368,500: a bought block
    trade('AAPL', 6 * 60_000, '000000500', 184.25, 50, 3),
    trade('AAPL', 7 * 60_000, '250000000', 184.1, 1500, 4), // downtick, $276,150: a sold block
    trade('MSFT', 5 * 60_000, '000000001', 370.11, 10, 1),
  ];
  brokenTrades = false;
});

const source = (extra: Partial<ConstructorParameters<typeof AlpacaSource>[0]> = {}) =>
  new AlpacaSource({ keyId: KEY_ID, secretKey: SECRET, symbols: ['AAPL', 'MSFT'], baseUrl: server.url, pageLimit: 4, ...extra });

describe('AlpacaSource', () => {
  it('follows next_page_token across symbols and sends every closed bar once', async () => {
    const before = server.requestsTo('/v2/stocks/bars').length;
    const { result } = await pollOnce(source({ feeds: { bars: true } }), { http, clock: new TestClock(NOW), stored: null });
    const asked = server.requestsTo('/v2/stocks/bars').slice(before);
    expect(asked.length).toBe(Math.ceil(22 / 4));
    expect(asked.slice(1).every((r) => param(r, 'page_token') !== null)).toBe(true);
    const sent = result.drafts.map((d) => `${d.signal.instrument}@${d.signal.body.decimal ? (d.signal.body.decimal as { close: string }).close : ''}`);
    expect(result.drafts).toHaveLength(20); // 10 closed bars each; 14:40 is still open
    expect(sent).toContain('AAPL@184.09');
    const first = result.drafts.find((d) => d.signal.instrument === 'MSFT')!;
    expect(first).toMatchObject({ tsEvent: OPEN + 60_000, signal: { kind: 'bar', externalId: `alpaca:MSFT:1Min:${OPEN}` } });
  });

  it('restarts from its cursor repeating no bar', async () => {
    const first = await pollOnce(source({ feeds: { bars: true } }), { http, clock: new TestClock(NOW), stored: null });
    const later = new TestClock(NOW + 60_000);
    const second = await pollOnce(source({ feeds: { bars: true } }), { http, clock: later, stored: first.stored });
    expect(param(server.requestsTo('/v2/stocks/bars').at(-1)!, 'start')).toBe(new Date(OPEN + 10 * 60_000).toISOString());
    expect(second.result.drafts.map((d) => d.signal.externalId).sort()).toEqual([`alpaca:AAPL:1Min:${OPEN + 600_000}`, `alpaca:MSFT:1Min:${OPEN + 600_000}`]);
    expect((await pollOnce(source({ feeds: { bars: true } }), { http, clock: later, stored: second.stored })).result.drafts).toEqual([]);
  });

  it('reports block prints signed by the tick rule, exact, and restarts without repeating them', async () => {
    const opts = { feeds: { trades: true } };
    const first = await pollOnce(source(opts), { http, clock: new TestClock(NOW), stored: null });
    const blocks = first.result.drafts;
    expect(blocks.map((b) => [b.signal.instrument, b.signal.body.side, b.signal.body.polarity, b.signal.body.notionalUsd])).toEqual([
      ['AAPL', 'buy', 1, '368500'],
      ['AAPL', 'sell', -1, '276150'],
    ]);
    expect(blocks[0]!.signal.body).toMatchObject({ price: '184.25', size: '2000', intermarketSweep: true, time: '2024-01-03T14:35:00.100000002Z' });
    expect(blocks[0]!.tsEvent).toBe(OPEN + 5 * 60_000 + 100);

    const again = await pollOnce(source(opts), { http, clock: new TestClock(NOW + 1000), stored: first.stored });
    expect(again.result.drafts).toEqual([]);
    // A print in the same millisecond as the last one seen, and a later one: only they are new.
    trades.push(trade('AAPL', 7 * 60_000, '250000001', 184.3, 3000, 5), trade('AAPL', 8 * 60_000, '0', 184.3, 10, 6));
    const third = await pollOnce(source(opts), { http, clock: new TestClock(NOW + 2000), stored: again.stored });
    expect(third.result.drafts.map((d) => [d.signal.body.side, d.signal.body.notionalUsd])).toEqual([['buy', '552900']]);
  });

  it('moves a quiet symbol’s cursor with the others, so busy symbols are not read again', async () => {
    const opts = { feeds: { trades: true }, symbols: ['AAPL', 'NVDA'] };
    const first = await pollOnce(source(opts), { http, clock: new TestClock(NOW), stored: null });
    expect(JSON.parse(first.stored).NVDA.trade.ns).toBe(JSON.parse(first.stored).AAPL.trade.ns);
    await pollOnce(source(opts), { http, clock: new TestClock(NOW + 1000), stored: first.stored });
    expect(param(server.requestsTo('/v2/stocks/trades').at(-1)!, 'start')).toBe(new Date(OPEN + 7 * 60_000 + 250).toISOString());
  });

  it('reads back only cursors it wrote', () => {
    expect(source().parseCursor('{"AAPL":1}')).toBeNull();
    expect(source().parseCursor('{"AAPL":{"trade":{"ns":"x","keys":[]}}}')).toBeNull();
    expect(source().parseCursor('not json')).toBeNull();
    expect(source().parseCursor('{"AAPL":{"bar":1704292200000}}')).toEqual({ AAPL: { bar: 1704292200000 } });
  });

  it('rejects an unreadable page with its bytes; refuses wrong keys with Alpaca’s message and no secret', async () => {
    brokenTrades = true;
    const { result } = await pollOnce(source(), { http, clock: new TestClock(NOW), stored: null });
    expect(result.rejected).toHaveLength(1);
    expect((result.rejected[0]!.error as DocumentError).code).toBe('DOCUMENT_MALFORMED');
    expect(result.drafts.filter((d) => d.signal.kind === 'bar')).toHaveLength(20);

    const err = await pollOnce(new AlpacaSource({ keyId: KEY_ID, secretKey: 'wrong-secret-0001', symbols: ['AAPL'], baseUrl: server.url }), { http, clock: new TestClock(NOW), stored: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(403);
    expect((err as HttpError).message).toContain('forbidden');
    expect((err as HttpError).message).not.toContain('wrong-secret');
  });
});
