/**
 * Tradier has no recorded answer among the fixtures: these documents follow Tradier's documented
 * options chain and expirations answers, including the XML-born quirks (one item as an object, none as null).
 */
import { describe, expect, it } from 'vitest';
import { DocumentError, type SourceDocument } from '../document.js';
import { parseDecimal, toDecimalString } from './decimal.js';
import { ivAtDelta, premiumTraded, skew25, skewPolarity, unusualVolume } from './options.js';
import { parseTradierChain, parseTradierExpirations, type OptionQuote } from './tradier-parse.js';

const doc = (value: unknown): SourceDocument => ({ origin: 'test://tradier', body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });

function option(over: Record<string, unknown> = {}, greeks: Record<string, unknown> | null = {}): Record<string, unknown> {
  return {
    symbol: 'SPY240119C00470000', description: 'SPY Jan 19 2024 $470.00 Call', exch: 'Z', type: 'option', last: 5.12, change: 0.3, volume: 120,
    open: 4.9, high: 5.3, low: 4.8, close: null, bid: 5.1, ask: 5.14, underlying: 'SPY', strike: 470.0, change_percentage: 6.2, average_volume: 0,
    last_volume: 10, trade_date: 1704294000000, prevclose: 4.82, week_52_high: 0.0, week_52_low: 0.0, bidsize: 50, bidexch: 'Q', bid_date: 1704294000000,
    asksize: 40, askexch: 'X', ask_date: 1704294000000, open_interest: 3000, contract_size: 100, expiration_date: '2024-01-19', expiration_type: 'standard',
    option_type: 'call', root_symbol: 'SPY',
    greeks: greeks === null ? null : { delta: 0.45, gamma: 0.05, theta: -0.2, vega: 0.3, rho: 0.1, phi: -0.1, bid_iv: 0.12, mid_iv: 0.125, ask_iv: 0.13, smv_vol: 0.126, updated_at: '2024-01-03 15:00:00', ...greeks },
    ...over,
  };
}

describe('parseTradierExpirations', () => {
  it('reads a list, a single date sent as a string, and null', () => {
    expect(parseTradierExpirations(doc({ expirations: { date: ['2024-01-05', '2024-01-12'] } }))).toEqual(['2024-01-05', '2024-01-12']);
    expect(parseTradierExpirations(doc({ expirations: { date: '2024-01-05' } }))).toEqual(['2024-01-05']);
    expect(parseTradierExpirations(doc({ expirations: null }))).toEqual([]);
  });
});

describe('parseTradierChain', () => {
  it('reads a list, a single option sent as an object, and null', () => {
    const list = parseTradierChain(doc({ options: { option: [option(), option({ symbol: 'SPY240119P00460000', option_type: 'put', strike: 460 }, { delta: -0.3 })] } }));
    expect(list.map((o) => [o.symbol, o.type, toDecimalString(o.strike)])).toEqual([['SPY240119C00470000', 'call', '470'], ['SPY240119P00460000', 'put', '460']]);
    const single = parseTradierChain(doc({ options: { option: option() } }));
    expect(single).toHaveLength(1);
    expect(single[0]!.greeks).toEqual({ delta: 0.45, midIv: 0.125, smvVol: 0.126 });
    expect(parseTradierChain(doc({ options: null }))).toEqual([]);
  });

  it('reads missing greeks and null prices as unknown', () => {
    const [o] = parseTradierChain(doc({ options: { option: option({ last: null, bid: null }, null) } }));
    expect(o!.greeks).toBeNull();
    expect(o!.last).toBeNull();
  });

  it('refuses other documents and impossible values with the field path', () => {
    const fail = (value: unknown) => {
      try {
        parseTradierChain(doc(value));
      } catch (e) {
        return e instanceof DocumentError ? [e.code, e.path] : ['?', String(e)];
      }
      return null;
    };
    expect(fail({ expirations: { date: [] } })).toEqual(['DOCUMENT_FORMAT', '$']);
    expect(fail({ options: { option: option({ option_type: 'straddle' }) } })).toEqual(['DOCUMENT_INVALID', 'options.option[0].option_type']);
    expect(fail({ options: { option: [option(), option({}, { delta: 1.7 })] } })).toEqual(['DOCUMENT_INVALID', 'options.option[1].greeks.delta']);
    expect(fail('{"options":{"option":[{"symbol":"SPY')?.[0]).toBe('DOCUMENT_MALFORMED');
  });
});

describe('options analytics', () => {
  const chain = (rows: Record<string, unknown>[]): OptionQuote[] => parseTradierChain(doc({ options: { option: rows } }));

  it('interpolates IV at 25 delta between the bracketing strikes', () => {
    expect(ivAtDelta([{ delta: -0.3, iv: 0.15 }, { delta: -0.2, iv: 0.16 }], -0.25)).toBeCloseTo(0.155, 12);
    expect(ivAtDelta([{ delta: 0.3, iv: 0.15 }], 0.25)).toBeNull();
    const s = skew25(chain([
      option({ option_type: 'call', strike: 475 }, { delta: 0.35, mid_iv: 0.12 }),
      option({ option_type: 'call', strike: 480 }, { delta: 0.22, mid_iv: 0.115 }),
      option({ option_type: 'put', strike: 460 }, { delta: -0.3, mid_iv: 0.15 }),
      option({ option_type: 'put', strike: 455 }, { delta: -0.2, mid_iv: 0.16 }),
      option({ option_type: 'put', strike: 450 }, { delta: -0.15, mid_iv: 0 }), // no quote: ignored
    ]))!;
    expect(s.putIv).toBeCloseTo(0.155, 12);
    expect(s.callIv).toBeCloseTo(0.115 + ((0.25 - 0.22) / (0.35 - 0.22)) * 0.005, 12);
    expect(s.skew).toBeCloseTo(s.putIv - s.callIv, 12);
    expect(skewPolarity(s.skew)).toBeLessThan(0);
    expect(skewPolarity(-0.02)).toBeGreaterThan(0);
  });

  it('flags volume high against open interest, with the premium exact', () => {
    const rows = chain([
      option({ symbol: 'A', volume: 6000, open_interest: 1000, last: 5.12 }),
      option({ symbol: 'B', volume: 800, open_interest: 0, last: null, bid: 0.95, ask: 1.05, option_type: 'put' }),
      option({ symbol: 'C', volume: 100, open_interest: 5000 }),
      option({ symbol: 'D', volume: 5000, open_interest: 4000 }),
    ]);
    const found = unusualVolume(rows, { minVolume: 500, minVolumeOiRatio: 2, minPremiumUsd: parseDecimal('50000')! });
    expect(found.map((u) => [u.option.symbol, u.volumeOiRatio, toDecimalString(u.premiumUsd)])).toEqual([
      ['A', 6, '3072000'], // 6000 × 5.12 × 100
      ['B', null, '80000'], // 800 × mid 1.00 × 100, no open interest yet
    ]);
    expect(toDecimalString(premiumTraded(rows[2]!))).toBe('51200'); // 100 × 5.12 × 100
  });
});
