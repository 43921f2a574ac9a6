import { describe, expect, it } from 'vitest';
import { normalizeCompanyName as key } from './names.js';

describe('normalizeCompanyName', () => {
  // Each row: the same registrant as written by different real sources (the SEC's ticker file, a 13F table,
  // a Form 4 issuer block, the simulator universe).
  it.each([
    ['Apple Inc.', 'APPLE INC', 'Apple, Incorporated'],
    ['BANK OF AMERICA CORP /DE/', 'BANK AMER CORP', 'BK OF AMERICA CORP'],
    ['CHEVRON CORP', 'CHEVRON CORP NEW', 'Chevron Corporation'],
    ['OCCIDENTAL PETROLEUM CORP /DE/', 'OCCIDENTAL PETE CORP', 'Occidental Petroleum Corporation'],
    ['COCA COLA CO', 'The Coca-Cola Company', 'COCA COLA CO'],
    ['MCDONALDS CORP', "McDonald's Corporation", 'McDonald’s Corp'],
    ['Merck & Co., Inc.', 'MERCK & CO INC', 'Merck and Company'],
    ['ELI LILLY & Co', 'Eli Lilly and Company', 'ELI LILLY &amp; CO'],
    ['Walt Disney Co', 'The Walt Disney Company', 'WALT DISNEY CO'],
    ['General Motors Co', 'GENERAL MTRS CO', 'General Motors Company'],
    ['CAPITAL ONE FINANCIAL CORP', 'CAPITAL ONE FINL CORP', 'Capital One Financial Corporation'],
    ['ABBOTT LABORATORIES', 'ABBOTT LABS', 'Abbott Laboratories'],
    ['AMAZON COM INC', 'Amazon.com, Inc.', 'AMAZON COM INC'],
    ['T-Mobile US, Inc.', 'T-MOBILE US INC', 'T Mobile US Inc'],
    ['MICROSOFT CORP', 'Microsoft Corporation', 'MICROSOFT CORP'],
    ['Banco Santander, S.A.', 'BANCO SANTANDER SA', 'Banco Santander S. A.'],
  ])('%s = %s = %s', (a, b, c) => {
    expect(key(a)).not.toBe('');
    expect(key(b)).toBe(key(a));
    expect(key(c)).toBe(key(a));
  });

  it('keeps apart names that differ in more than form', () => {
    const names = [
      'Apple Inc.',
      'Apple Hospitality REIT, Inc.',
      'General Motors Co',
      'General Mills, Inc.',
      'Bank of America Corp',
      'America First Bank',
      'Goldman Sachs Group Inc',
      'Goldman Sachs BDC, Inc.',
      'Nu Holdings Ltd.',
      'Company Inc',
    ];
    expect(new Set(names.map(key)).size).toBe(names.length);
  });

  it('leaves a name made only of a legal form non-empty, and is total', () => {
    expect(key('Company Inc')).toBe('company');
    expect(key('')).toBe('');
    expect(key('  ,. ')).toBe('');
  });

  it('lets different registrants collide only when their names differ just in legal form', () => {
    // Real pairs from the SEC's ticker file: the resolver must treat these names as ambiguous.
    expect(key('CARNIVAL CORP')).toBe(key('CARNIVAL PLC'));
    expect(key('RIO TINTO PLC')).toBe(key('RIO TINTO LTD'));
  });
});
