/**
 * CryptoMarketSource end to end: a real ccxt `binance` exchange whose API URLs point at a local server.
 * Klines are the recorded Binance answer (test/fixtures/binance/klines_1m.json), served as recorded and,
 * when ccxt asks from a `startTime`, filtered by it as Binance would. No recorded answers exist for
 * `exchangeInfo`, `aggTrades` or `depth`: those are built here in Binance's documented public REST shapes
 * (https://developers.binance.com/docs/binance-spot-api-docs/rest-api), with values near the recorded
 * prices.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.js';
import { DocumentError } from '../../src/engine/collectors/document.js';
import { CryptoMarketSource, type CryptoMarketSourceOptions } from '../../src/engine/collectors/market/crypto.js';
import { fixture, json, param, pollOnce, startFixtureServer, testClient, type FixtureServer, type RecordedRequest, type Reply } from './market-harness.js';

type Kline = [number, string, string, string, string, string, number, string, number, string, string, string];
const KLINES = JSON.parse(fixture('binance', 'klines_1m.json').toString('utf8')) as Kline[];
const LAST = KLINES[KLINES.length - 1]!;
/** 2.5 s into the last recorded minute: that bar is still open (its 72 trades against ~1,800 say so too). */
const DURING_LAST_BAR = LAST[0] + 2_500;

const EXCHANGE_INFO = {
  timezone: 'UTC',
  serverTime: DURING_LAST_BAR,
  rateLimits: [],
  exchangeFilters: [],
  symbols: [
    {
      symbol: 'ADAUSDT', status: 'TRADING', baseAsset: 'ADA', baseAssetPrecision: 8, quoteAsset: 'USDT', quotePrecision: 8, quoteAssetPrecision: 8,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'], icebergAllowed: true, ocoAllowed: true, isSpotTradingAllowed: true, isMarginTradingAllowed: true,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0.00010000', maxPrice: '1000.00000000', tickSize: '0.00010000' },
        { filterType: 'LOT_SIZE', minQty: '0.10000000', maxQty: '900000.00000000', stepSize: '0.10000000' },
      ],
      permissions: [], permissionSets: [['SPOT', 'MARGIN']],
    },
  ],
};

interface AggTrade { a: number; p: string; q: string; f: number; l: number; T: number; m: boolean; M: boolean }
const agg = (a: number, p: string, q: string, T: number, buyerIsMaker: boolean): AggTrade => ({ a, p, q, f: a * 10, l: a * 10, T, m: buyerIsMaker, M: true });
const t0 = LAST[0];
const TAPE: AggTrade[] = [
  agg(1001, '0.75490000', '1000.00000000', t0 + 100, false),
  agg(1002, '0.75480000', '400000.00000000', t0 + 500, true), // a seller hits the bid: a block
  agg(1003, '0.75500000', '50000.00000000', t0 + 1000, false), // a buyer lifts four offers: a sweep
  agg(1004, '0.75510000', '50000.00000000', t0 + 1000, false),
  agg(1005, '0.75520000', '50000.00000000', t0 + 1001, false),
  agg(1006, '0.75530000', '50000.00000000', t0 + 1002, false),
  agg(1007, '0.75530000', '10.00000000', t0 + 2000, true),
];
const DEPTH = {
  lastUpdateId: 1027024,
  bids: [['0.75480000', '300000.00000000'], ['0.75470000', '200000.00000000'], ['0.74000000', '9000000.00000000']],
  asks: [['0.75500000', '50000.00000000'], ['0.75510000', '60000.00000000'], ['0.77000000', '9000000.00000000']],
};

function between<T>(rows: T[], time: (row: T) => number, req: RecordedRequest): T[] {
  const start = Number(param(req, 'startTime') ?? -Infinity);
  const end = Number(param(req, 'endTime') ?? Infinity);
  const limit = Number(param(req, 'limit') ?? 500);
  return rows.filter((r) => time(r) >= start && time(r) <= end).slice(0, limit);
}

let server: FixtureServer;
let tape: AggTrade[];
let klinesReply: ((req: RecordedRequest) => Reply) | null;
const http = testClient();

beforeAll(async () => {
  server = await startFixtureServer();
  server
    .route('/api/v3/exchangeInfo', json(EXCHANGE_INFO))
    .route('/api/v3/klines', (req) => {
      if (klinesReply) return klinesReply(req);
      // As recorded, byte for byte, when asked for the latest bars; filtered when asked from a time.
      return param(req, 'startTime') === null ? { body: fixture('binance', 'klines_1m.json'), headers: { 'content-type': 'application/json;charset=UTF-8' } } : json(between(KLINES, (k) => k[0], req));
    })
    .route('/api/v3/aggTrades', (req) => json(between(tape, (t) => t.T, req)))
    .route('/api/v3/depth', json(DEPTH));
});
afterAll(() => server.close());
beforeEach(() => {
  tape = [...TAPE];
  klinesReply = null;
});

const source = (extra: Partial<CryptoMarketSourceOptions> = {}) =>
  new CryptoMarketSource({
    exchange: 'binance',
    ccxt: { apiBaseUrl: server.url, options: { fetchMarkets: { types: ['spot'] } } },
    markets: ['ADA/USDT'],
    ...extra,
  });

const plain = (decimal: string) => decimal.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

describe('CryptoMarketSource bars (recorded Binance klines through ccxt)', () => {
  it('sends every closed bar with exact decimals and skips the bar still open', async () => {
    const { result } = await pollOnce(source({ feeds: { bars: true } }), { http, clock: new TestClock(DURING_LAST_BAR), stored: null });
    const bars = result.drafts.filter((d) => d.signal.kind === 'bar');
    expect(bars).toHaveLength(KLINES.length - 1);
    expect(bars.some((b) => b.signal.body.openTime === LAST[0])).toBe(false);
    for (const [i, bar] of bars.entries()) {
      const k = KLINES[i]!;
      expect(bar.signal.body.openTime).toBe(k[0]);
      expect(bar.tsEvent).toBe(k[6] + 1); // Binance's close time is the last millisecond of the bar
      expect(bar.signal.body.decimal).toEqual({ open: plain(k[1]), high: plain(k[2]), low: plain(k[3]), close: plain(k[4]), volume: plain(k[5]) });
    }
    const known = bars.find((b) => b.signal.body.openTime === 1731748020000)!;
    expect(known.signal).toMatchObject({ kind: 'bar', instrument: 'ADA-USD', externalId: 'binance:ADA/USDT:1m:1731748020000' });
    expect(known.signal.body).toMatchObject({ close: 0.7244, intervalMs: 60_000, decimal: { close: '0.7244', volume: '574761.5' } });
    expect(server.requestsTo('/api/v3/klines').at(-1)!.headers['user-agent']).toMatch(/^Vanta source tests/);
  });

  it('restarts from its cursor: the bar that was open comes once, and nothing is repeated', async () => {
    const first = await pollOnce(source({ feeds: { bars: true } }), { http, clock: new TestClock(DURING_LAST_BAR), stored: null });
    const later = new TestClock(LAST[6] + 30_000);
    const second = await pollOnce(source({ feeds: { bars: true } }), { http, clock: later, stored: first.stored });
    expect(param(server.requestsTo('/api/v3/klines').at(-1)!, 'startTime')).toBe(String(LAST[0]));
    expect(second.result.drafts.map((d) => d.signal.body.openTime)).toEqual([LAST[0]]);
    const third = await pollOnce(source({ feeds: { bars: true } }), { http, clock: later, stored: second.stored });
    expect(third.result.drafts).toEqual([]);
  });

  it('rejects truncated, HTML and impossible klines with their bytes, and the other feeds go on', async () => {
    const recorded = fixture('binance', 'klines_1m.json');
    const cases: [Reply, DocumentError['code']][] = [
      [{ body: recorded.subarray(0, 1000), headers: { 'content-type': 'application/json' } }, 'DOCUMENT_MALFORMED'],
      [{ body: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html' } }, 'DOCUMENT_FORMAT'],
      [json(KLINES.map((k, i) => (i === 7 ? [k[0], k[1], '0.70000000', k[3], k[4], ...k.slice(5)] : k))), 'DOCUMENT_INVALID'],
      [json({ symbol: 'ADAUSDT', klines: [] }), 'DOCUMENT_INVALID'],
    ];
    for (const [reply, code] of cases) {
      klinesReply = () => reply;
      const { result } = await pollOnce(source(), { http, clock: new TestClock(DURING_LAST_BAR), stored: null });
      expect(result.rejected, code).toHaveLength(1);
      const [{ document, error }] = result.rejected as [{ document: { origin: string; body: Uint8Array }; error: unknown }];
      expect(error).toBeInstanceOf(DocumentError);
      expect((error as DocumentError).code).toBe(code);
      expect(document.origin).toContain('/api/v3/klines');
      expect(Buffer.from(document.body)).toEqual(Buffer.from(typeof reply.body === 'string' ? reply.body : reply.body!));
      expect(result.drafts.filter((d) => d.signal.kind === 'bar')).toEqual([]);
      expect(result.drafts.filter((d) => d.signal.kind === 'trade').length).toBeGreaterThan(0);
      expect(result.drafts.filter((d) => d.signal.kind === 'order_book')).toHaveLength(1);
    }
  });
});

describe('CryptoMarketSource cursor', () => {
  it('reads back only cursors it wrote', () => {
    expect(source().parseCursor('{"ADA/USDT":7}')).toBeNull();
    expect(source().parseCursor('{"ADA/USDT":{"trades":{"ts":"soon","ids":[]}}}')).toBeNull();
    expect(source().parseCursor('{"ADA/USDT":{"bar":1731777900000}}')).toEqual({ 'ADA/USDT': { bar: 1731777900000 } });
  });
});

describe('CryptoMarketSource trades and book', () => {
  const clock = () => new TestClock(DURING_LAST_BAR);

  it('finds the block and the sweep on the tape, signed by the aggressor, with exact notionals', async () => {
    const { result } = await pollOnce(source({ feeds: { trades: true, bars: false, book: false } }), { http, clock: clock(), stored: null });
    const trades = result.drafts.filter((d) => d.signal.kind === 'trade');
    expect(trades.map((t) => t.signal.body.pattern).sort()).toEqual(['block', 'sweep']);
    const block = trades.find((t) => t.signal.body.pattern === 'block')!;
    expect(block.signal).toMatchObject({ instrument: 'ADA-USD', externalId: 'binance:ADA/USDT:trade:1002' });
    expect(block.signal.body).toMatchObject({ side: 'sell', polarity: -1, price: '0.7548', amount: '400000', notionalUsd: '301920' });
    expect(block.tsEvent).toBe(t0 + 500);
    const sweep = trades.find((t) => t.signal.body.pattern === 'sweep')!;
    // 50000 × (0.7550 + 0.7551 + 0.7552 + 0.7553)
    expect(sweep.signal.body).toMatchObject({ side: 'buy', polarity: 1, fills: 4, levels: 4, priceFrom: '0.755', priceTo: '0.7553', notionalUsd: '151030', tradeIds: ['1003', '1004', '1005', '1006'] });
  });

  it('restarts from its cursor without repeating a trade, and reads on from it', async () => {
    const opts = { feeds: { trades: true, bars: false, book: false } };
    const first = await pollOnce(source(opts), { http, clock: clock(), stored: null });
    const again = await pollOnce(source(opts), { http, clock: clock(), stored: first.stored });
    expect(again.result.drafts).toEqual([]);
    expect(param(server.requestsTo('/api/v3/aggTrades').at(-1)!, 'startTime')).toBe(String(t0 + 2000));
    tape.push(agg(1008, '0.75530000', '1000000.00000000', t0 + 2000, false), agg(1009, '0.75500000', '5.00000000', t0 + 2100, true));
    const third = await pollOnce(source(opts), { http, clock: clock(), stored: again.stored });
    expect(third.result.drafts.map((d) => d.signal.externalId)).toEqual(['binance:ADA/USDT:trade:1008']);
  });

  it('measures book imbalance within the band around the mid', async () => {
    const { result } = await pollOnce(source({ feeds: { book: true, bars: false, trades: false } }), { http, clock: clock(), stored: null });
    const [book] = result.drafts;
    // Within 25 bps of 0.7549: bids 0.7548×300000 + 0.7547×200000, asks 0.7550×50000 + 0.7551×60000.
    expect(book!.signal).toMatchObject({ kind: 'order_book', externalId: 'binance:ADA/USDT:book:1027024' });
    expect(book!.signal.body).toMatchObject({ mid: '0.7549', bidDepthUsd: '377380', askDepthUsd: '83056', notionalUsd: '294324', bidLevels: 2, askLevels: 2 });
    expect(book!.signal.body.polarity).toBeCloseTo((377380 - 83056) / (377380 + 83056), 12);
    const quiet = await pollOnce(source({ feeds: { book: true, bars: false, trades: false }, minImbalance: 0.7 }), { http, clock: clock(), stored: null });
    expect(quiet.result.drafts).toEqual([]);
  });
});
