import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalize } from '../../enrich/normalize.js';
import type { SourceDocument } from '../document.js';
import type { SignalDraft } from '../source.js';
import { parseEdgarFeed } from './atom.js';
import { sumDecimals } from './decimal.js';
import { parseOwnershipDocument } from './ownership.js';
import { feedFilingDraft, ownershipDrafts, thirteenFDrafts, type FilingContext } from './signals.js';
import { parseInformationTable, parseThirteenFCover, parseThirteenFSubmission } from './thirteen-f.js';

const FIXTURES = new URL('../../../../test/fixtures/', import.meta.url);
const text = (path: string): string => readFileSync(new URL(path, FIXTURES)).toString('latin1');
const doc = (body: string, origin = 'x.xml'): SourceDocument => ({ origin, body: Buffer.from(body, 'latin1') });
const ownership = (xml: string) => parseOwnershipDocument(doc(xml));

const SNOW = text('sec_form4/edgartools_form4_snow_2022-12-13.xml');
const SAMPLE = text('sec_form4/edgar_client_doc4_sec_official_sample.xml');
const MSFT = text('sec_form4/edgar_client_form4_msft_2022.xml');
const PANW_A = text('sec_form4/edgar_client_form4a_panw_2021.xml');

const ctx = (accessionNumber: string, acceptedAt: number | null = null, filedDate: string | null = null): FilingContext => ({
  source: 'sec-edgar',
  accessionNumber,
  acceptedAt,
  filedDate,
});

describe('insider_filing drafts', () => {
  const accepted = Date.parse('2022-12-14T18:04:05-05:00');
  const drafts = ownershipDrafts(ownership(SNOW), ctx('0001402349-22-000010', accepted, '2022-12-14'));

  it('one per transaction, none for holdings, keyed by table and index', () => {
    expect(drafts).toHaveLength((SNOW.match(/<(nonD|d)erivativeTransaction>/g) ?? []).length);
    expect(drafts.map((d) => d.signal.externalId)).toEqual([
      ...[0, 1, 2, 3, 4, 5].map((i) => `0001402349-22-000010:nonDerivative:${i}`),
      '0001402349-22-000010:derivative:0',
    ]);
    expect(drafts.every((d) => d.signal.kind === 'insider_filing' && d.signal.instrument === 'SNOW' && !d.retracts)).toBe(true);
    expect(drafts.every((d) => d.tsEvent === accepted)).toBe(true);
  });

  it('a sale: code, exact shares, price and value, owner, footnotes it cites', () => {
    const b = drafts[1]!.signal.body;
    expect(b).toMatchObject({
      transactionCode: 'S',
      discretionary: true,
      shares: '73170',
      price: '150.841',
      acquiredDisposed: 'D',
      ownerCik: '0001402349',
      ownerName: 'Scarpelli Michael',
      relationship: 'officer (Chief Financial Officer)',
      issuerCik: '0001640147',
      accessionNumber: '0001402349-22-000010',
      amendment: false,
      directOrIndirect: 'D',
      filedDate: '2022-12-14',
      tenb5One: null,
    });
    // 73170 × 150.841, in integer thousandths.
    const thousandths = 73170n * 150841n;
    expect(b.value).toBe(`${thousandths / 1000n}.${(thousandths % 1000n).toString().padStart(3, '0')}`.replace(/\.?0+$/, ''));
    expect(Object.keys(b.footnotes as object)).toEqual(['F2', 'F3']);
    expect((b.footnotes as Record<string, string>).F3).toMatch(/weighted-average price/);
  });

  it('reads as the enrich stage expects: a sale is negative, its size its dollar value', () => {
    const sale = normalize(drafts[1]!.signal);
    expect(sale.polarity).toBe(-1);
    expect(sale.magnitude).toBeCloseTo(73170 * 150.841, 2);
    // An option exercise is not a conviction signal.
    expect(normalize(drafts[0]!.signal).polarity).toBe(0);
  });

  it('a footnote-only price leaves price and value null, with the footnote ids', () => {
    const [, sale] = ownershipDrafts(ownership(SNOW.replace('<value>150.841</value>', '')), ctx('a'));
    expect(sale!.signal.body).toMatchObject({ price: null, value: null, priceFootnoteIds: ['F3'], shares: '73170' });
  });

  it('without an acceptance time, the transaction date at 00:00 UTC', () => {
    const [first] = ownershipDrafts(ownership(SNOW), ctx('a'));
    expect(first!.tsEvent).toBe(Date.UTC(2022, 11, 13));
  });

  it('two reporting owners share the rows: one draft per row, both owners named', () => {
    const d = ownershipDrafts(ownership(SAMPLE), ctx('0000343434-03-000001'));
    expect(d).toHaveLength(3);
    expect(new Set(d.map((x) => x.signal.externalId)).size).toBe(3);
    const b = d[0]!.signal.body;
    expect(b.ownerCik).toBe('0000343434');
    expect((b.owners as { cik: string }[]).map((o) => o.cik)).toEqual(['0000343434', '1212121212']);
    expect(b.relationship).toBe('director, officer (President and CEO), other (Public Affairs Officer)');
    expect(b.tenb5One).toBe(true);
    expect(b.tenb5OneSource).toBe('aff10b5One');
  });

  it('fractional RSUs at no price: value 0, derivative terms kept, exercise price footnote-only', () => {
    const [rsu] = ownershipDrafts(ownership(MSFT), ctx('b'));
    expect(rsu!.signal.body).toMatchObject({ shares: '61.569', price: '0', value: '0', transactionCode: 'A', discretionary: false });
    expect(rsu!.signal.body.derivative).toMatchObject({ exercisePrice: null, exerciseDate: null, underlyingShares: '61.569' });
  });

  it('instrument: the trading symbol upper-cased, null when there is none', () => {
    expect(ownershipDrafts(ownership(MSFT.replace('>MSFT<', '>msft<')), ctx('c'))[0]!.signal.instrument).toBe('MSFT');
    expect(ownershipDrafts(ownership(MSFT.replace('<issuerTradingSymbol>MSFT</issuerTradingSymbol>', '')), ctx('c'))[0]!.signal.instrument).toBeNull();
    expect(ownershipDrafts(ownership(MSFT.replace('>MSFT<', '>NONE<')), ctx('c'))[0]!.signal.instrument).toBeNull();
  });
});

/**
 * A reference for how downstream applies drafts, written from the rules in `signals.ts`: retractions
 * remove, other drafts add. Used to check that an amendment leaves exactly the amended form.
 */
function apply(store: Map<string, SignalDraft>, drafts: readonly SignalDraft[]): void {
  for (const d of drafts) {
    const b = d.signal.body;
    if (!d.retracts) {
      store.set(d.signal.externalId!, d);
      continue;
    }
    for (const [id, kept] of store) {
      const k = kept.signal.body;
      const byId = b.retractsExternalId !== null && id === b.retractsExternalId;
      const byAccession = b.retractsExternalId === null && b.retractsAccession !== null && id.startsWith(`${String(b.retractsAccession)}:`);
      const earlierAmendment =
        b.retractsAccession !== null &&
        k.amendment === true &&
        (k.amends as Record<string, unknown>).accessionNumber === b.retractsAccession &&
        k.accessionNumber !== b.amendedBy;
      const m = b.match as Record<string, unknown> | undefined;
      const byMatch =
        m !== undefined &&
        k.issuerCik === m.issuerCik &&
        k.ownerCik === m.ownerCik &&
        ((k.documentType === m.documentType && k.filedDate === m.filedDate) ||
          (k.amendment === true && (k.amends as Record<string, unknown>).dateOfOriginalSubmission === m.filedDate && k.accessionNumber !== b.amendedBy));
      if (byId || byAccession || earlierAmendment || byMatch) store.delete(id);
    }
  }
}

describe('a 4/A replaces its original', () => {
  // The original as filed: the 4/A's form with a different share count and a second row.
  const row = /<nonDerivativeTransaction>[\s\S]*<\/nonDerivativeTransaction>/.exec(PANW_A)![0];
  const originalXml = PANW_A.replace('<documentType>4/A</documentType>', '<documentType>4</documentType>')
    .replace(/<dateOfOriginalSubmission>.*<\/dateOfOriginalSubmission>/, '')
    .replace(row, row.replace('<value>661</value>', '<value>616</value>') + row);
  const original = ownership(originalXml);
  const amendment = ownership(PANW_A);
  const ORIGINAL = '0001409324-21-000004';
  const AMENDED = '0001409324-22-000001';
  const originalDrafts = ownershipDrafts(original, ctx(ORIGINAL, Date.parse('2021-12-15T16:01:00-05:00'), '2021-12-15'));

  const afterAmendment = (known: Parameters<typeof ownershipDrafts>[2]) => {
    const store = new Map<string, SignalDraft>();
    apply(store, originalDrafts);
    const drafts = ownershipDrafts(amendment, ctx(AMENDED, Date.parse('2022-01-13T17:00:00-05:00'), '2022-01-13'), known);
    apply(store, drafts);
    return { store, drafts };
  };

  it.each([
    ['the original document is known', { accessionNumber: ORIGINAL, document: original }],
    ['only its accession is known', { accessionNumber: ORIGINAL, document: null }],
    ['nothing is known but the date', null],
  ] as const)('%s: retractions first, then exactly the amended rows remain', (_what, known) => {
    const { store, drafts } = afterAmendment(known);
    const firstRow = drafts.findIndex((d) => !d.retracts);
    expect(drafts.slice(0, firstRow).every((d) => d.retracts && d.signal.kind === 'insider_filing')).toBe(true);
    expect(drafts.slice(firstRow).some((d) => d.retracts)).toBe(false);
    expect([...store.keys()]).toEqual([`${AMENDED}:nonDerivative:0`]);
    expect(store.get(`${AMENDED}:nonDerivative:0`)!.signal.body).toMatchObject({
      shares: '661',
      amendment: true,
      amends: { accessionNumber: known?.accessionNumber ?? null, dateOfOriginalSubmission: '2021-12-15' },
    });
    for (const r of drafts.filter((d) => d.retracts)) {
      expect(r.signal.body).toMatchObject({ reason: 'amended', amendedBy: AMENDED });
      // A retraction carries no transaction: it scores nothing.
      expect(normalize(r.signal)).toEqual({ polarity: 0, magnitude: 0 });
    }
  });

  it('with the original document, one retraction per original externalId', () => {
    const { drafts } = afterAmendment({ accessionNumber: ORIGINAL, document: original });
    expect(drafts.filter((d) => d.retracts).map((d) => d.signal.body.retractsExternalId)).toEqual(originalDrafts.map((d) => d.signal.externalId));
  });

  it('by date alone, the retraction names the original by issuer, owner, form and filing date', () => {
    const { drafts } = afterAmendment(null);
    expect(drafts[0]!.signal.body).toMatchObject({
      retractsAccession: null,
      match: { issuerCik: '0001327567', ownerCik: '0001409324', documentType: '4', filedDate: '2021-12-15' },
    });
  });

  it.each([
    ['known', { accessionNumber: ORIGINAL, document: original }],
    ['known by accession', { accessionNumber: ORIGINAL, document: null }],
    ['unknown', null],
  ] as const)('a second amendment replaces the first (original %s)', (_what, known) => {
    const { store } = afterAmendment(known);
    const second = ownership(PANW_A.replace('<value>661</value>', '<value>662</value>'));
    apply(store, ownershipDrafts(second, ctx('0001409324-22-000002', null, '2022-01-20'), known));
    expect([...store.keys()]).toEqual(['0001409324-22-000002:nonDerivative:0']);
    expect(store.get('0001409324-22-000002:nonDerivative:0')!.signal.body.shares).toBe('662');
  });
});

describe('institutional_holding drafts', () => {
  it("Berkshire: one per row, in dollars, summing to the cover's total", () => {
    const cover = parseThirteenFCover(doc(text('sec_13f/edgar_client_form13_primary_doc.xml')));
    const table = parseInformationTable(doc(text('sec_13f/edgar_client_form13_table.xml')), { periodOfReport: cover.periodOfReport });
    const drafts = thirteenFDrafts({ accessionNumber: '0000950123-23-005270', acceptedAt: null, filedDate: '2023-05-15', cover, table }, 'sec-edgar');
    expect(drafts).toHaveLength(cover.tableEntryTotal!);
    expect(drafts.every((d) => d.signal.kind === 'institutional_holding' && d.signal.instrument === null)).toBe(true);
    expect(sumDecimals(drafts.map((d) => d.signal.body.valueUsd as string))).toBe(cover.tableValueTotal);
    expect(drafts[1]!.signal).toMatchObject({
      externalId: '0000950123-23-005270:infoTable:1',
      body: { cusip: '00507V109', filerCik: '0001067983', otherManagers: [4, 8, 11], periodOfReport: '2023-03-31', amountType: 'SH' },
    });
    expect(drafts[0]!.tsEvent).toBe(Date.UTC(2023, 4, 15));
  });

  it('the .txt submission: stamped with its acceptance time; a notice gives none', () => {
    const sub = text('sec_13f/edgartools_13F.0001894188-23-000007.txt');
    const filing = parseThirteenFSubmission(doc(sub));
    const drafts = thirteenFDrafts(filing, 'sec-edgar');
    expect(drafts).toHaveLength(filing.cover.tableEntryTotal!);
    expect(drafts.every((d) => d.tsEvent === filing.acceptedAt)).toBe(true);
    const notice = sub.replace(/13F-HR/g, '13F-NT').replace('13F HOLDINGS REPORT', '13F NOTICE').replace(/<DOCUMENT>\s*<TYPE>INFORMATION TABLE[\s\S]*?<\/DOCUMENT>\s*/, '');
    expect(thirteenFDrafts(parseThirteenFSubmission(doc(notice)), 'sec-edgar')).toEqual([]);
  });
});

describe('filing drafts', () => {
  it('one per filing on the feed, with every party and the company it is about', () => {
    const feed = parseEdgarFeed(doc(text('sec_current_feed/edgar_client_current_feed_2023-07-11.xml')));
    const drafts = feed.filings.map((f) => feedFilingDraft(f, 'sec-edgar'));
    expect(new Set(drafts.map((d) => d.signal.externalId)).size).toBe(feed.filings.length);
    const form144 = drafts.find((d) => d.signal.externalId === '0001949846-23-000187')!;
    expect(form144.signal).toMatchObject({ kind: 'filing', instrument: null });
    expect(form144.signal.body).toMatchObject({ formType: '144', cik: '0000006845', companyName: 'APOGEE ENTERPRISES, INC.' });
    expect(form144.signal.body.parties).toHaveLength(2);
    expect(form144.tsEvent).toBe(Date.parse('2023-07-11T12:49:38-04:00'));
  });
});
