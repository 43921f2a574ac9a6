/**
 * TradierSource end to end against a local server. No recorded Tradier answers exist among the fixtures:
 * the server answers in the shapes of Tradier's documented `/v1/markets/options/expirations` and
 * `/v1/markets/options/chains?greeks=true`, including its quirks (a single item sent as an object, an
 * empty list as null), and checks the bearer token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.js';
import { DocumentError } from '../../src/engine/collectors/document.js';
import { TradierSource } from '../../src/engine/collectors/market/tradier.js';
import { json, param, pollOnce, startFixtureServer, testClient, type FixtureServer, type RecordedRequest, type Reply } from './market-harness.js';

const TOKEN = 'tradier-token-0001';
/** The contracts' last trade: 10:00 in New York on Wednesday 3 January 2024. */
let tradeDate = Date.UTC(2024, 0, 3, 15, 0);

function option(symbol: string, type: 'call' | 'put', strike: number, expiration: string, f: { delta: number; iv: number; volume?: number; oi?: number; last?: number | null }): Record<string, unknown> {
  return {
    symbol, description: `SPY ${expiration} $${strike} ${type}`, exch: 'Z', type: 'option', last: f.last === undefined ? 2.5 : f.last, change: 0.1,
    volume: f.volume ?? 50, open: 2.4, high: 2.6, low: 2.3, close: null, bid: 2.48, ask: 2.52, underlying: 'SPY', strike, change_percentage: 4,
    average_volume: 0, last_volume: 5, trade_date: tradeDate, prevclose: 2.4, week_52_high: 0.0, week_52_low: 0.0, bidsize: 10, bidexch: 'Q',
    bid_date: 1704294000000, asksize: 12, askexch: 'X', ask_date: 1704294000000, open_interest: f.oi ?? 5000, contract_size: 100,
    expiration_date: expiration, expiration_type: 'standard', option_type: type, root_symbol: 'SPY',
    greeks: { delta: f.delta, gamma: 0.02, theta: -0.1, vega: 0.2, rho: 0.05, phi: -0.05, bid_iv: f.iv - 0.002, mid_iv: f.iv, ask_iv: f.iv + 0.002, smv_vol: f.iv, updated_at: '2024-01-03 15:00:00' },
  };
}

const NEAR = '2024-01-05';
const NEXT = '2024-01-12';
const chains = (): Record<string, unknown> => ({
  [NEAR]: {
    options: {
      option: [
        option('SPY240105C00475000', 'call', 475, NEAR, { delta: 0.35, iv: 0.12, volume: 6000, oi: 1000, last: 5.12 }),
        option('SPY240105C00480000', 'call', 480, NEAR, { delta: 0.22, iv: 0.115 }),
        option('SPY240105P00460000', 'put', 460, NEAR, { delta: -0.3, iv: 0.15 }),
        option('SPY240105P00455000', 'put', 455, NEAR, { delta: -0.2, iv: 0.16, volume: 800, oi: 0, last: 1 }),
      ],
    },
  },
  // One contract listed: Tradier sends it as an object, not a one-element array.
  [NEXT]: { options: { option: option('SPY240112P00450000', 'put', 450, NEXT, { delta: -0.25, iv: 0.17, volume: 2000, oi: 500, last: 3 }) } },
});

let chainReply: ((req: RecordedRequest) => Reply) | null = null;
const authorized = (req: RecordedRequest) => req.headers.authorization === `Bearer ${TOKEN}`;

let server: FixtureServer;
const http = testClient([TOKEN]);
beforeAll(async () => {
  server = await startFixtureServer();
  server
    .route('/v1/markets/options/expirations', (req) => {
      if (!authorized(req)) return { status: 401, body: 'Invalid Access Token', headers: { 'content-type': 'text/plain' } };
      if (param(req, 'symbol') === 'QQQ') return json({ expirations: { date: NEAR } }); // one date: a string
      if (param(req, 'symbol') === 'IWM') return json({ expirations: null });
      return json({ expirations: { date: ['2024-01-02', NEAR, NEXT, '2024-01-19'] } });
    })
    .route('/v1/markets/options/chains', (req) => {
      if (chainReply) return chainReply(req);
      if (param(req, 'greeks') !== 'true') return json({ options: null });
      return param(req, 'symbol') === 'SPY' ? json(chains()[param(req, 'expiration') ?? ''] ?? { options: null }) : json({ options: null });
    });
});
afterAll(() => server.close());

const clock = () => new TestClock(Date.UTC(2024, 0, 3, 20, 0));
const source = (underlyings = ['SPY']) => new TradierSource({ token: TOKEN, underlyings, baseUrl: server.url });

describe('TradierSource', () => {
  it('reads the nearest expirations, flags unusual volume and measures 25-delta skew', async () => {
    const { result } = await pollOnce(source(), { http, clock: clock(), stored: null });
    const asked = server.requestsTo('/v1/markets/options/chains').slice(-2).map((r) => param(r, 'expiration'));
    expect(asked).toEqual([NEAR, NEXT]); // 2024-01-02 has expired; 2024-01-19 is beyond the two nearest
    const unusual = result.drafts.filter((d) => d.signal.body.pattern === 'unusual_volume');
    expect(unusual.map((d) => [d.signal.body.option, d.signal.body.polarity, d.signal.body.notionalUsd, d.signal.body.volumeOiRatio])).toEqual([
      ['SPY240105C00475000', 1, '3072000', 6], // 6000 × 5.12 × 100
      ['SPY240105P00455000', -1, '80000', null], // no open interest before today
      ['SPY240112P00450000', -1, '600000', 4], // the single-object chain: 2000 × 3 × 100
    ]);
    expect(unusual[0]!.signal).toMatchObject({ kind: 'options_flow', instrument: 'SPY', externalId: 'tradier:SPY240105C00475000:unusual:2024-01-03' });
    const [skew] = result.drafts.filter((d) => d.signal.body.pattern === 'skew');
    const putIv = 0.155; // halfway between the −0.30 and −0.20 delta puts
    const callIv = 0.115 + ((0.25 - 0.22) / (0.35 - 0.22)) * (0.12 - 0.115);
    expect(skew!.signal.body.expiration).toBe(NEAR);
    expect(skew!.signal.body.skew as number).toBeCloseTo(putIv - callIv, 12);
    expect(skew!.signal.body.polarity as number).toBeLessThan(0);
    expect(server.requestsTo('/v1/markets/options/chains').at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('restarts from its cursor without flagging a contract twice in a session, and again in the next one', async () => {
    const unusual = (r: Awaited<ReturnType<typeof pollOnce>>) => r.result.drafts.filter((d) => d.signal.body.pattern === 'unusual_volume');
    const first = await pollOnce(source(), { http, clock: clock(), stored: null });
    const again = await pollOnce(source(), { http, clock: clock(), stored: first.stored });
    expect(unusual(again)).toEqual([]);
    // 01:00 UTC is still the evening of the 3rd in New York: the volume shown is that session's.
    const afterMidnightUtc = await pollOnce(source(), { http, clock: new TestClock(Date.UTC(2024, 0, 4, 1, 0)), stored: again.stored });
    expect(unusual(afterMidnightUtc)).toEqual([]);
    try {
      tradeDate = Date.UTC(2024, 0, 4, 15, 0);
      const nextSession = await pollOnce(source(), { http, clock: new TestClock(Date.UTC(2024, 0, 4, 20, 0)), stored: afterMidnightUtc.stored });
      expect(unusual(nextSession).map((d) => d.signal.externalId)).toEqual([
        'tradier:SPY240105C00475000:unusual:2024-01-04',
        'tradier:SPY240105P00455000:unusual:2024-01-04',
        'tradier:SPY240112P00450000:unusual:2024-01-04',
      ]);
    } finally {
      tradeDate = Date.UTC(2024, 0, 3, 15, 0);
    }
  });

  it('reads a single expiration sent as a string, and none sent as null', async () => {
    const { result } = await pollOnce(source(['QQQ', 'IWM']), { http, clock: clock(), stored: null });
    expect(result.drafts).toEqual([]);
    expect(result.rejected).toEqual([]);
    expect(server.requestsTo('/v1/markets/options/chains').filter((r) => param(r, 'symbol') === 'QQQ').at(-1)!.url.searchParams.get('expiration')).toBe(NEAR);
  });

  it('rejects an unreadable chain with its bytes and goes on with the next expiration', async () => {
    chainReply = (req) => (param(req, 'expiration') === NEAR ? { body: '<html>Service Unavailable</html>', headers: { 'content-type': 'text/html' } } : json(chains()[NEXT]));
    try {
      const { result } = await pollOnce(source(), { http, clock: clock(), stored: null });
      expect(result.rejected).toHaveLength(1);
      expect((result.rejected[0]!.error as DocumentError).code).toBe('DOCUMENT_FORMAT');
      expect(Buffer.from(result.rejected[0]!.document.body).toString()).toBe('<html>Service Unavailable</html>');
      expect(result.drafts.map((d) => d.signal.body.option ?? d.signal.body.pattern)).toEqual(['SPY240112P00450000']);
    } finally {
      chainReply = null;
    }
  });
});
