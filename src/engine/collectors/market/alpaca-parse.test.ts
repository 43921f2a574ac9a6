/**
 * Alpaca has no recorded answer among the fixtures: these documents follow the shapes of Alpaca's
 * market data API v2 reference (multi-symbol bars and trades).
 */
import { describe, expect, it } from 'vitest';
import { DocumentError, type SourceDocument } from '../document.js';
import { parseAlpacaBars, parseAlpacaTrades, rfc3339Nanos } from './alpaca-parse.js';
import { toDecimalString } from './decimal.js';

const doc = (value: unknown): SourceDocument => ({ origin: 'test://alpaca', body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });
const code = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (e) {
    return e instanceof DocumentError ? `${e.code} ${e.path ?? ''}`.trim() : `not a DocumentError: ${String(e)}`;
  }
  return undefined;
};

describe('parseAlpacaBars', () => {
  it('reads the per-symbol map, exact prices and the page token', () => {
    const page = parseAlpacaBars(doc({
      bars: { AAPL: [{ t: '2024-01-03T14:30:00Z', o: 184.22, h: 184.5, l: 184.01, c: 184.25, v: 361523, n: 4012, vw: 184.252317 }], MSFT: [] },
      next_page_token: 'QUFQTHxNfDIwMjQ=',
    }));
    expect(page.nextPageToken).toBe('QUFQTHxNfDIwMjQ=');
    expect(page.items).toHaveLength(1);
    const [bar] = page.items;
    expect(bar!.symbol).toBe('AAPL');
    expect(bar!.ms).toBe(Date.UTC(2024, 0, 3, 14, 30));
    expect(toDecimalString(bar!.close)).toBe('184.25');
    expect(toDecimalString(bar!.vwap!)).toBe('184.252317');
  });

  it('reads an empty answer (`bars: {}` or null) as no bars', () => {
    expect(parseAlpacaBars(doc({ bars: {}, next_page_token: null })).items).toEqual([]);
    expect(parseAlpacaBars(doc({ bars: null, next_page_token: null })).items).toEqual([]);
  });

  it('refuses the single-symbol shape, other documents, broken JSON and impossible values', () => {
    expect(code(() => parseAlpacaBars(doc({ bars: [], symbol: 'AAPL', next_page_token: null })))).toBe('DOCUMENT_FORMAT bars');
    expect(code(() => parseAlpacaBars(doc({ trades: {} })))).toBe('DOCUMENT_FORMAT $');
    expect(code(() => parseAlpacaBars(doc('{"bars":{"AAPL":[{"t":"2024-01-03T14:30:00Z","o":18')))).toBe('DOCUMENT_MALFORMED');
    expect(code(() => parseAlpacaBars(doc({ bars: { AAPL: [{ t: '2024-01-03 14:30', o: 1, h: 1, l: 1, c: 1, v: 1 }] } })))).toBe('DOCUMENT_INVALID bars.AAPL[0].t');
    expect(code(() => parseAlpacaBars(doc({ bars: { AAPL: [{ t: '2024-01-03T14:30:00Z', o: '1', h: 1, l: 1, c: 1, v: 1 }] } })))).toBe('DOCUMENT_INVALID bars.AAPL[0].o');
  });
});

describe('parseAlpacaTrades', () => {
  it('keeps nanosecond timestamps, conditions and ids', () => {
    const page = parseAlpacaTrades(doc({
      trades: { AAPL: [{ t: '2024-01-03T14:35:00.123456789Z', x: 'V', p: 184.25, s: 2000, c: ['@', 'F'], i: 52983525029461, z: 'C' }] },
      next_page_token: null,
    }));
    const [trade] = page.items;
    expect(trade!.ns).toBe(BigInt(Date.UTC(2024, 0, 3, 14, 35)) * 1_000_000n + 123_456_789n);
    expect(trade!.ms).toBe(Date.UTC(2024, 0, 3, 14, 35) + 123);
    expect(trade!.conditions).toEqual(['@', 'F']);
    expect(trade!.id).toBe('52983525029461');
    expect(toDecimalString(trade!.price)).toBe('184.25');
  });

  it('reads offsets and short fractions', () => {
    expect(rfc3339Nanos('2024-01-03T09:35:00.5-05:00')).toBe(BigInt(Date.UTC(2024, 0, 3, 14, 35)) * 1_000_000n + 500_000_000n);
    expect(rfc3339Nanos('yesterday')).toBeNull();
  });
});
