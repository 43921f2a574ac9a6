import { beforeAll, describe, expect, it } from 'vitest';
import { SimulatorCore } from '../collectors/simulator.js';
import { UNIVERSE } from '../collectors/universe.js';
import type { Instrument, RawSignal } from '../types.js';
import { berkshire13fCik, form4Fixtures, form4Signal, holdings13f } from './entities.fixtures.js';
import { cashtagsIn, NO_IDENTIFIERS, type SignalIdentifiers } from './identifiers.js';
import { filerId, padCik } from './ids.js';
import { ReferenceData } from './reference.js';
import { entitiesInRole, EntityResolver, type Resolution } from './resolver.js';

let data: ReferenceData;
let resolver: EntityResolver;
beforeAll(async () => {
  data = await ReferenceData.load();
  resolver = new EntityResolver(data);
});

const ids = (over: Partial<SignalIdentifiers>): SignalIdentifiers => ({ ...NO_IDENTIFIERS, ...over });
const signal = (
  kind: RawSignal['kind'],
  body: Record<string, unknown>,
  instrument: string | null = null,
): RawSignal => ({
  source: 'test',
  kind,
  instrument,
  externalId: null,
  body,
});
const reasons = (r: Resolution) => r.unresolved.map((u) => `${u.identifier}:${u.reason}`);

describe('Form 4 fixtures', () => {
  it('resolve each real issuer to the symbol its filing gives, by CIK, with its reporting owners as insiders', () => {
    const real = form4Fixtures().filter((f) => f.issuerName !== null);
    expect(real.length).toBe(4);
    for (const f of real) {
      const r = resolver.resolveSignal(form4Signal(f));
      expect(r.instrument, f.file).toBe(f.symbol);
      expect(r.rule).toBe('cik');
      expect(r.confidence).toBe(1);
      expect(entitiesInRole(r, 'issuer').map((e) => e.id)).toEqual([filerId(padCik(f.issuerCik)!)]);
      const owners = f.owners.map((o) => filerId(padCik(o.cik)!)).sort();
      expect(entitiesInRole(r, 'insider').map((e) => e.id).sort()).toEqual(owners);
      expect(r.unresolved).toEqual([]);
    }
  });

  it('leave the SEC’s fictitious sample issuer unresolved rather than guess from its ticker', () => {
    const sample = form4Fixtures().find((f) => f.issuerName === null)!;
    const r = resolver.resolveSignal(form4Signal(sample));
    expect(r.instrument).toBeNull();
    expect(r.confidence).toBe(0);
    expect(reasons(r)).toEqual(expect.arrayContaining(['issuerCik:unknown', 'ticker:unknown']));
    // The filer and both reporting owners are still entities: their CIKs identify them.
    expect(entitiesInRole(r, 'insider')).toHaveLength(2);
  });
});

describe('13F holdings', () => {
  it('resolve by CUSIP, with the manager as holder', () => {
    const manager = berkshire13fCik();
    const rows = holdings13f().filter((h) => h.file === 'edgar_client_form13_table.xml' && data.cusip(h.cusip));
    expect(rows.length).toBeGreaterThan(10);
    for (const h of rows) {
      const r = resolver.resolveSignal(
        signal('institutional_holding', { cusip: h.cusip, nameOfIssuer: h.nameOfIssuer, filerCik: manager }),
      );
      expect(r.instrument, h.cusip).toBe(data.cusip(h.cusip)!.ticker);
      expect(r.rule).toBe('cusip');
      expect(entitiesInRole(r, 'holder').map((e) => e.id)).toEqual([filerId(manager)]);
    }
  });

  it('leave a CUSIP with a wrong check digit unresolved as invalid, whatever its name says', () => {
    const wrongDigit = { cusip: '037833101', nameOfIssuer: 'APPLE INC' };
    const r = resolver.resolveSignal(signal('institutional_holding', wrongDigit));
    expect(reasons(r)).toContain('cusip:invalid');
    // The name alone still resolves, at the name rule's lower confidence.
    expect(r.rule).toBe('company_name');
    expect(r.confidence).toBeLessThan(1);
  });
});

describe('company names', () => {
  it('resolve after suffix normalization, below the confidence of identifiers', () => {
    for (const [name, symbol] of [
      ['Apple, Incorporated', 'AAPL'],
      ['MICROSOFT CORPORATION', 'MSFT'],
      ['The Coca-Cola Co.', 'KO'],
      ['OCCIDENTAL PETE CORP', 'OXY'],
      ['Bitcoin', 'BTC-USD'],
    ] as const) {
      const r = resolver.resolve(ids({ companyNames: [name] }));
      expect(r.instrument, name).toBe(symbol);
      expect(r.rule).toBe('company_name');
      expect(r.confidence).toBeLessThan(resolver.resolve(ids({ tickers: [symbol] })).confidence + 1e-9);
    }
  });

  it('leave names two registrants share unresolved, and unknown names unknown', () => {
    for (const name of ['Carnival', 'CARNIVAL CORPORATION', 'Rio Tinto']) {
      const r = resolver.resolve(ids({ companyNames: [name] }));
      expect(r.instrument, name).toBeNull();
      expect(reasons(r)).toEqual(['companyName:ambiguous']);
      expect(entitiesInRole(r, 'issuer')).toEqual([]);
    }
    expect(reasons(resolver.resolve(ids({ companyNames: ['Initech Corp'] })))).toEqual(['companyName:unknown']);
  });
});

describe('cashtags', () => {
  it('are read from text, not from amounts or words', () => {
    expect(cashtagsIn('$AAPL up, $msft flat; paid $100 (US$5) for $BRK.B; a$b')).toEqual(['AAPL', 'MSFT', 'BRK-B']);
  });

  it('resolve one tagged instrument; several tags leave the post about no single one, but all are mentioned', () => {
    const post = (text: string, instrument: string | null = null) =>
      resolver.resolveSignal(signal('social_mention', { platform: 'reddit', author: 'x', text }, instrument));
    const one = post('long $TSLA');
    expect(one.instrument).toBe('TSLA');
    expect(one.rule).toBe('cashtag');
    const two = post('$AAPL vs $BTC');
    expect(two.instrument).toBeNull();
    expect(entitiesInRole(two, 'mentioned').map((e) => e.id)).toEqual(['ins:AAPL', 'ins:BTC-USD']);
    const named = post('$AAPL vs $BTC', 'AAPL');
    expect(named.instrument).toBe('AAPL');
    expect(named.rule).toBe('instrument_field');
  });

  it('take a tag that is both a listed ticker and a coin only when the engine trades exactly one of them', () => {
    const universe = UNIVERSE.filter((i) => i.symbol === 'SOL-USD');
    const doc = { 0: { cik_str: 1_000_001, ticker: 'SOL', title: 'Solar Equity Corp' } };
    const make = (instruments: readonly Instrument[]) =>
      new EntityResolver(
        new ReferenceData({ companyTickers: doc, cusips: [], tokens: [], exchangeWallets: [], instruments }),
      );
    const coinOnly = make(universe).resolve(ids({ cashtags: ['SOL'] }));
    expect(coinOnly.instrument).toBe('SOL-USD');
    expect(coinOnly.rule).toBe('cashtag_universe');
    const equity: Instrument = { symbol: 'SOL', name: 'Solar Equity', assetClass: 'equity', sector: 'x', venue: 'x' };
    const both = make([...universe, equity]).resolve(ids({ cashtags: ['SOL'] }));
    expect(both.instrument).toBeNull();
    expect(reasons(both)).toEqual(['cashtag:ambiguous']);
  });
});

describe('conflicts and precedence', () => {
  it('trust the issuer CIK over a disagreeing ticker, and report the conflict', () => {
    const r = resolver.resolve(ids({ issuerCik: '789019', tickers: ['AAPL'] }));
    expect(r.instrument).toBe('MSFT');
    expect(reasons(r)).toContain('ticker:conflict');
  });

  it('leave a declared instrument nobody knows unresolved', () => {
    const r = resolver.resolve(ids({ instrument: 'ZZZZ' }));
    expect(r.instrument).toBeNull();
    expect(reasons(r)).toEqual(['instrument:unknown']);
  });
});

describe('on-chain identifiers', () => {
  it('resolve token contracts in any case; stablecoins are entities without an instrument', () => {
    const wbtc = resolver.resolve(ids({ tokenAddresses: ['0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599'] }));
    expect(wbtc.instrument).toBe('BTC-USD');
    expect(wbtc.rule).toBe('token_address');
    const upper = resolver.resolve(ids({ tokenAddresses: ['0x2260fac5e5542a773aa44fbcfedf7c193bc2c599'] }));
    expect(upper.entities).toEqual(wbtc.entities);
    const usdc = resolver.resolve(ids({ tokenAddresses: ['0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48'] }));
    expect(usdc.instrument).toBeNull();
    expect(entitiesInRole(usdc, 'token').map((e) => e.name)).toEqual(['USDC']);
  });

  it('label configured exchange wallets, and take exchange names for the sides of a transfer', () => {
    const r = resolver.resolveSignal(
      signal('whale_transfer', { from: '0x28C6c06298d514Db089934071355E5743bf21d60', to: 'Kraken' }, 'ETH-USD'),
    );
    const sender = entitiesInRole(r, 'sender')[0]!;
    expect(sender.id).toBe('wal:eth:0x28c6c06298d514db089934071355e5743bf21d60');
    expect(entitiesInRole(r, 'label').map((e) => [e.id, e.attrs.wallet])).toEqual([['lbl:binance', sender.id]]);
    expect(entitiesInRole(r, 'receiver').map((e) => e.id)).toEqual(['lbl:kraken']);
    // The source's own label is taken when the configured list does not know the address.
    const own = resolver.resolveSignal(
      signal('whale_transfer', { from: '0x' + 'ab'.repeat(20), fromLabel: 'Gemini', to: 'Binance' }, 'ETH-USD'),
    );
    expect(entitiesInRole(own, 'label').map((e) => [e.id, e.rule])).toEqual([['lbl:gemini', 'source_label']]);
    // A stablecoin mint's counterparty receives, a burn's sends.
    const flow = (kind: string) =>
      resolver.resolveSignal(signal('stablecoin_flow', { flow: kind, counterparty: '0x' + 'cd'.repeat(20) }));
    expect(entitiesInRole(flow('mint'), 'receiver').map((e) => e.kind)).toEqual(['wallet']);
    expect(entitiesInRole(flow('burn'), 'sender').map((e) => e.kind)).toEqual(['wallet']);
    const unknown = resolver.resolveSignal(
      signal('whale_transfer', { from: 'Some Exchange', to: 'nowhere' }, 'ETH-USD'),
    );
    expect(reasons(unknown)).toEqual(['from:unknown', 'to:unknown']);
  });
});

describe('the simulator’s signals', () => {
  it('resolve to the instrument they name, with every party resolved', () => {
    const core = new SimulatorCore({ seed: 7 });
    const start = Date.UTC(2024, 0, 2, 14, 30);
    const seen = new Map<string, number>();
    for (let k = 1; k <= 240; k++) {
      for (const e of core.step(start + k * 60_000)) {
        const s = e.payload;
        if (s.kind === 'bar') continue;
        const r = resolver.resolveSignal(s);
        seen.set(s.kind, (seen.get(s.kind) ?? 0) + 1);
        expect(r.instrument, JSON.stringify(s)).toBe(s.instrument);
        expect(r.unresolved, JSON.stringify(s)).toEqual([]);
        if (s.kind === 'insider_filing') expect(entitiesInRole(r, 'insider')[0]?.kind).toBe('person');
        if (s.kind === 'whale_transfer') {
          expect(entitiesInRole(r, 'sender').length + entitiesInRole(r, 'receiver').length).toBe(2);
        }
        if (s.kind === 'social_mention') expect(entitiesInRole(r, 'author')).toHaveLength(1);
      }
    }
    expect([...seen.keys()].sort()).toEqual(expect.arrayContaining(['news', 'social_mention', 'whale_transfer']));
  });
});

describe('determinism', () => {
  it('gives equal resolutions for equal signals, whatever the order of their identifiers', () => {
    const a = resolver.resolve(ids({ cashtags: ['MSFT', 'AAPL'], author: { platform: 'reddit', handle: 'A' } }));
    const b = resolver.resolve(ids({ cashtags: ['AAPL', 'MSFT'], author: { platform: 'Reddit', handle: '@a' } }));
    const shape = (r: Resolution) =>
      r.entities.map(({ id, role, rule, confidence }) => ({ id, role, rule, confidence }));
    expect(shape(b)).toEqual(shape(a));
    expect(b.instrument).toBe(a.instrument);
    const again = () => resolver.resolve(ids({ cashtags: ['MSFT', 'AAPL'] }));
    expect(again()).toEqual(again());
  });
});
