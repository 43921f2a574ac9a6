import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNIVERSE } from '../collectors/universe.js';
import { berkshire13fCik, form4Fixtures, holdings13f } from './entities.fixtures.js';
import { padCik } from './ids.js';
import { normalizeCompanyName } from './names.js';
import { EntityDataError, entityDataFolder, ReferenceData } from './reference.js';

let data: ReferenceData;
beforeAll(async () => {
  data = await ReferenceData.load();
});

describe('the bundled samples', () => {
  it('map every equity of the simulator universe to a CIK whose listings include it', () => {
    const equities = UNIVERSE.filter((i) => i.assetClass === 'equity');
    expect(equities.length).toBeGreaterThan(30);
    for (const { symbol } of equities) {
      const cik = data.cikOfTicker(symbol);
      expect(cik, symbol).toMatch(/^\d{10}$/);
      expect(data.company(cik!)!.tickers).toContain(symbol);
    }
  });

  it('name the Form 4 fixtures’ real issuers under the CIK and symbol the filings give', () => {
    const real = form4Fixtures().filter((f) => f.issuerName !== null);
    expect(real.map((f) => f.symbol).sort()).toEqual(['MSFT', 'PANW', 'SCWO', 'SNOW']);
    for (const f of real) {
      expect(data.company(f.issuerCik)?.tickers, f.file).toContain(f.symbol);
      expect(data.cikOfTicker(f.symbol), f.file).toBe(padCik(f.issuerCik));
    }
  });

  it('take every CUSIP from the 13F fixtures, with an issuer name printed there', () => {
    const printed = new Map<string, Set<string>>();
    for (const h of holdings13f()) printed.set(h.cusip, (printed.get(h.cusip) ?? new Set()).add(h.nameOfIssuer));
    const sample = [...printed.keys()].filter((c) => data.cusip(c) !== null);
    expect(sample.length).toBeGreaterThanOrEqual(20);
    for (const cusip of sample) expect([...printed.get(cusip)!], cusip).toContain(data.cusip(cusip)!.nameOfIssuer);
  });

  it('cover the largest holdings of the Berkshire table', () => {
    const rows = holdings13f().filter((h) => h.file === 'edgar_client_form13_table.xml');
    const byCusip = new Map<string, number>();
    for (const r of rows) byCusip.set(r.cusip, (byCusip.get(r.cusip) ?? 0) + r.value);
    const top = [...byCusip.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([c]) => c);
    // Activision Blizzard was delisted in 2023, after this filing: it has no ticker to map to.
    const listed = top.filter((c) => !holdings13f().some((h) => h.cusip === c && /ACTIVISION/.test(h.nameOfIssuer)));
    for (const c of listed) expect(data.cusip(c), c).not.toBeNull();
  });

  it('agree between sources: a CUSIP’s issuer name and the SEC title of its ticker normalize alike', () => {
    let checked = 0;
    for (const h of holdings13f()) {
      const entry = data.cusip(h.cusip);
      const cik = entry && data.cikOfTicker(entry.ticker);
      if (!cik) continue;
      expect(normalizeCompanyName(h.nameOfIssuer), h.cusip).toBe(normalizeCompanyName(data.company(cik)!.title));
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('know the 13F manager of the Berkshire table', () => {
    expect(data.company(berkshire13fCik())?.title).toMatch(/BERKSHIRE/i);
  });

  it('map each crypto asset of the universe, and token contracts whatever their case', () => {
    for (const i of UNIVERSE.filter((u) => u.assetClass === 'crypto')) {
      expect(data.cryptoInstrument(i.symbol.replace(/-USD$/, '').toLowerCase())).toBe(i.symbol);
    }
    const usdt = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
    expect(data.token('eth', usdt)?.symbol).toBe('USDT');
    expect(data.token('eth', usdt.toLowerCase())).toEqual(data.token('eth', usdt.toUpperCase().replace('0X', '0x')));
    expect(data.token('eth', '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48')?.symbol).toBe('USDC');
    expect(data.token('eth', '0x6b175474e89094c44da98b954eedeac495271d0f')?.symbol).toBe('DAI');
  });
});

describe('ReferenceData', () => {
  const doc = (rows: readonly [number, string, string][]) =>
    Object.fromEntries(rows.map(([cik_str, ticker, title], i) => [String(i), { cik_str, ticker, title }]));
  const make = (rows: readonly [number, string, string][]) =>
    new ReferenceData({ companyTickers: doc(rows), cusips: [], tokens: [], exchangeWallets: [], instruments: [] });

  it('keeps every listing of a CIK in file order and pads CIKs given as numbers', () => {
    const d = make([
      [1652044, 'GOOGL', 'Alphabet Inc.'],
      [320193, 'AAPL', 'Apple Inc.'],
      [1652044, 'GOOG', 'Alphabet Inc.'],
    ]);
    expect(d.company('1652044')?.tickers).toEqual(['GOOGL', 'GOOG']);
    expect(d.company(1652044)?.cik).toBe('0001652044');
    expect(d.cikOfTicker('goog')).toBe('0001652044');
  });

  it('refuses to map a ticker listed under two CIKs', () => {
    const d = make([
      [1, 'XYZ', 'One Corp'],
      [2, 'XYZ', 'Two Corp'],
    ]);
    expect(d.cikOfTicker('XYZ')).toBeNull();
  });

  it('loads a full file from a configured path, and names the file and entry of a bad one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanta-entities-'));
    try {
      const good = path.join(dir, 'company_tickers.json');
      const rows: [number, string, string][] = [
        [1318605, 'TSLA', 'Tesla, Inc.'],
        [2488, 'AMD', 'ADVANCED MICRO DEVICES INC'],
      ];
      writeFileSync(good, JSON.stringify(doc(rows)));
      const loaded = await ReferenceData.load({ companyTickersPath: good });
      expect(loaded.companyCount).toBe(2);
      expect(loaded.cikOfTicker('AAPL')).toBeNull();

      const bad = path.join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ 0: { cik_str: 'x', ticker: 'A', title: '' } }));
      const error = await ReferenceData.load({ companyTickersPath: bad }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EntityDataError);
      expect((error as Error).message).toContain(bad);
      expect((error as Error).message).toContain('0.cik_str');

      const cusips = path.join(dir, 'cusips.json');
      const wrongDigit = { cusip: '037833101', ticker: 'AAPL', nameOfIssuer: 'APPLE INC', titleOfClass: 'COM' };
      writeFileSync(cusips, JSON.stringify([wrongDigit]));
      const badDigit = await ReferenceData.load({ cusipsPath: cusips }).catch((e: unknown) => e);
      expect((badDigit as Error).message).toMatch(/cusips\.json\[0\].*check digit/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the bundled samples from the source tree', () => {
    expect(entityDataFolder()).toMatch(/data[/\\]entities$/);
  });
});
