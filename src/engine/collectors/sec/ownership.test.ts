import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DocumentError, type SourceDocument } from '../document.js';
import { parseOwnershipDocument, type OwnershipDocument } from './ownership.js';

const DIR = new URL('../../../../test/fixtures/sec_form4/', import.meta.url);
const bytes = (name: string): Buffer => readFileSync(new URL(name, DIR));
const text = (name: string): string => bytes(name).toString('latin1');
const doc = (body: Buffer | string, origin = 'form4.xml'): SourceDocument => ({
  origin,
  body: typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
});
const parse = (name: string): OwnershipDocument => parseOwnershipDocument(doc(bytes(name), name));

/** Counts an element in the raw text: an independent check on what the parser found. */
const count = (xml: string, tag: string): number => (xml.match(new RegExp(`<${tag}>`, 'g')) ?? []).length;

function errorOf(fn: () => unknown): DocumentError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DocumentError) return err;
    throw err;
  }
  throw new Error('expected a DocumentError');
}

describe('parseOwnershipDocument on every Form 3/4/5 fixture', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.xml'));

  it('finds the fixtures', () => expect(files.length).toBe(5));

  it.each(files)('%s: every row, owner and footnote of the file', (name) => {
    const raw = text(name);
    const d = parse(name);
    const nd = d.transactions.filter((t) => t.table === 'nonDerivative');
    const dv = d.transactions.filter((t) => t.table === 'derivative');
    expect(nd.length).toBe(count(raw, 'nonDerivativeTransaction'));
    expect(dv.length).toBe(count(raw, 'derivativeTransaction'));
    expect(d.holdings.length).toBe(count(raw, 'nonDerivativeHolding') + count(raw, 'derivativeHolding'));
    expect(d.reportingOwners.length).toBe(count(raw, 'reportingOwner'));
    expect(Object.keys(d.footnotes).length).toBe((raw.match(/<footnote id=/g) ?? []).length);
    for (const t of d.transactions) {
      expect(t.code).toMatch(/^[A-Z]$/);
      expect(t.discretionary).toBe(t.code === 'P' || t.code === 'S');
      // Every cited footnote is defined in the document.
      for (const id of t.footnoteIds) expect(d.footnotes[id]).toBeTruthy();
    }
  });
});

describe('what the documents say', () => {
  it('SEC official sample: two reporting owners share one set of rows', () => {
    const d = parse('edgar_client_doc4_sec_official_sample.xml');
    expect(d.reportingOwners.map((o) => o.cik)).toEqual(['0000343434', '1212121212']);
    expect(d.reportingOwners[0]!.relationship).toEqual({
      isDirector: true,
      isOfficer: true,
      officerTitle: 'President and CEO',
      isTenPercentOwner: false,
      isOther: true,
      otherText: 'Public Affairs Officer',
    });
    expect(d.transactions).toHaveLength(3);
    expect(d.holdings).toHaveLength(3);
    expect(d.issuer).toEqual({ cik: '1212121212', name: null, tradingSymbol: 'AWI' });
    expect(d.notSubjectToSection16).toBe(true);
    expect(d.tenb5One).toEqual({ value: true, source: 'aff10b5One', footnoteIds: [] });
    const [j] = d.transactions;
    expect(j).toMatchObject({ code: 'J', formType: '5', equitySwapInvolved: true, codingFootnoteIds: ['F1', 'F2', 'F3'] });
    expect(j!.deemedExecutionDate.value).toBe('2002-11-02');
    // `<value></value>` beside a footnote: empty, footnote kept.
    expect(j!.timeliness).toEqual({ value: null, footnoteIds: ['F3'] });
    expect(j!.directOrIndirect.value).toBe('I');
    expect(j!.natureOfOwnership.value).toBe('This describes the nature of the ownership.');
    // A holding stated as a value rather than shares.
    expect(d.holdings[1]!.valueOwnedFollowing.value).toBe('2222.33');
    expect(d.holdings[1]!.sharesOwnedFollowing.value).toBeNull();
    const c = d.transactions.find((t) => t.table === 'derivative')!;
    expect(c.code).toBe('C');
    expect(c.pricePerShare).toEqual({ value: '1001.23', footnoteIds: ['F2'] });
    expect(c.derivative!.exercisePrice).toEqual({ value: '50.55', footnoteIds: ['F5'] });
    expect(c.derivative!.expirationDate).toEqual({ value: '1980-12-25', footnoteIds: ['F4'] });
    expect(c.derivative!.underlyingValue.value).toBe('100.12');
    expect(c.securityTitle.footnoteIds).toEqual(['F1', 'F3']);
    expect(d.footnotes.F4).toBe('Footnote 4.');
  });

  it('Microsoft: a holdings-only non-derivative table, fractional RSUs, footnote-only exercise price and dates', () => {
    const d = parse('edgar_client_form4_msft_2022.xml');
    expect(d.schemaVersion).toBe('X0306');
    expect(d.issuer).toEqual({ cik: '0000789019', name: 'MICROSOFT CORP', tradingSymbol: 'MSFT' });
    expect(d.reportingOwners[0]).toMatchObject({ cik: '0001207433', name: 'THOMPSON JOHN WENDELL' });
    expect(d.reportingOwners[0]!.relationship.isDirector).toBe(true);
    expect(d.holdings.map((h) => [h.table, h.sharesOwnedFollowing.value, h.directOrIndirect.value])).toEqual([
      ['nonDerivative', '1066', 'D'],
      ['nonDerivative', '27279', 'I'],
    ]);
    expect(d.holdings[1]!.natureOfOwnership.value).toBe('By Trust');
    expect(d.transactions.every((t) => t.table === 'derivative')).toBe(true);
    const [first, second] = d.transactions;
    expect(first!.shares).toEqual({ value: '61.569', footnoteIds: ['F2'] });
    expect(second!.shares.value).toBe('95.425');
    expect(second!.sharesOwnedFollowing.value).toBe('40850.153');
    expect(first!.derivative!.exercisePrice).toEqual({ value: null, footnoteIds: ['F1'] });
    expect(first!.derivative!.exerciseDate).toEqual({ value: null, footnoteIds: ['F3'] });
    expect(second!.derivative!.expirationDate).toEqual({ value: null, footnoteIds: ['F4'] });
    expect(first!.derivative!.underlyingShares.value).toBe('61.569');
    expect(d.tenb5One.value).toBeNull();
  });

  it('Palo Alto Networks 4/A: an amendment with the date of the original', () => {
    const d = parse('edgar_client_form4a_panw_2021.xml');
    expect(d.documentType).toBe('4/A');
    expect(d.amendment).toBe(true);
    expect(d.dateOfOriginalSubmission).toBe('2021-12-15');
    expect(d.periodOfReport).toBe('2021-12-14');
    expect(d.transactions[0]).toMatchObject({ code: 'A', discretionary: false });
    expect(d.transactions[0]!.shares).toEqual({ value: '661', footnoteIds: ['F1'] });
    expect(d.transactions[0]!.pricePerShare.value).toBe('0');
    // `&quot;` in the footnote is decoded.
    expect(d.footnotes.F1).toContain('("RSU")');
    expect(d.remarks).toContain('Power of Attorney');
  });

  it('374Water (X0508): true/false booleans, a missing isDirector, aff10b5One false', () => {
    const d = parse('edgartools_form4_374water_2025.xml');
    expect(d.schemaVersion).toBe('X0508');
    expect(d.reportingOwners[0]!.relationship).toMatchObject({
      isOfficer: true,
      isDirector: false,
      officerTitle: 'Chief Technology Officer',
    });
    expect(d.tenb5One).toEqual({ value: false, source: 'aff10b5One', footnoteIds: [] });
    expect(d.transactions.map((t) => t.equitySwapInvolved)).toEqual([false, false]);
    expect(d.transactions.map((t) => t.tenb5One.value)).toEqual([false, false]);
    const option = d.transactions.find((t) => t.table === 'derivative')!;
    expect(option.derivative!.exercisePrice.value).toBe('0.33');
    expect(option.derivative!.expirationDate.value).toBe('2035-04-29');
    expect(option.shares.value).toBe('757576');
  });

  it('Snowflake: exercises and sales with weighted-average price footnotes, indirect trusts', () => {
    const d = parse('edgartools_form4_snow_2022-12-13.xml');
    expect(d.transactions.map((t) => t.code)).toEqual(['M', 'S', 'S', 'S', 'S', 'S', 'M']);
    const sale = d.transactions[1]!;
    expect(sale.shares.value).toBe('73170');
    expect(sale.pricePerShare).toEqual({ value: '150.841', footnoteIds: ['F3'] });
    expect(sale.acquiredDisposed.value).toBe('D');
    expect(sale.codingFootnoteIds).toEqual(['F2']);
    expect(sale.discretionary).toBe(true);
    expect(d.footnotes.F3).toMatch(/^The price reported in Column 4 is a weighted-average price\. The shares were sold/);
    expect(d.footnotes.F3).not.toMatch(/\s{2}/);
    expect(d.holdings).toHaveLength(8);
    expect(d.holdings.every((h) => h.directOrIndirect.value === 'I' && h.natureOfOwnership.value === 'Trust')).toBe(true);
    expect(d.holdings[0]!.natureOfOwnership.footnoteIds).toEqual(['F8']);
    expect(d.transactions[6]!.derivative!.underlyingShares.value).toBe('200000');
  });
});

describe('Rule 10b5-1 before the X0508 checkbox', () => {
  const snow = text('edgartools_form4_snow_2022-12-13.xml');
  const withF2 = (sentence: string) =>
    parseOwnershipDocument(doc(snow.replace(/(<footnote id="F2">)[\s\S]*?(<\/footnote>)/, `$1${sentence}$2`)));

  it('reads a plan from the footnote a sale cites, and says so', () => {
    const d = withF2('The sales reported in this Form 4 were effected pursuant to a Rule 10b5-1 trading plan adopted on August 30, 2022.');
    expect(d.tenb5One).toEqual({ value: true, source: 'footnote', footnoteIds: ['F2'] });
    const sales = d.transactions.filter((t) => t.code === 'S');
    expect(sales.every((t) => t.tenb5One.value === true && t.tenb5One.source === 'footnote')).toBe(true);
    // The option exercise does not cite F2: the plan says nothing about it.
    expect(d.transactions[0]!.tenb5One.value).toBeNull();
  });

  it('reads a negation as "not under a plan"', () => {
    const d = withF2('These sales were not made pursuant to a Rule 10b5-1 trading plan.');
    expect(d.transactions[1]!.tenb5One).toEqual({ value: false, source: 'footnote', footnoteIds: ['F2'] });
  });

  it('reads the remarks when no footnote speaks', () => {
    const d = parseOwnershipDocument(doc(snow.replace('<remarks/>', '<remarks>Trades made under a 10b5-1 plan.</remarks>')));
    expect(d.tenb5One.source).toBe('remarks');
    expect(d.transactions.every((t) => t.tenb5One.value === true)).toBe(true);
  });
});

describe('broken documents give a DocumentError with a code and the field at fault', () => {
  const msft = text('edgar_client_form4_msft_2022.xml');

  it('a footnote-only transaction price is null, with its footnote kept', () => {
    const snow = text('edgartools_form4_snow_2022-12-13.xml');
    const d = parseOwnershipDocument(doc(snow.replace('<value>150.841</value>', '')));
    expect(d.transactions[1]!.pricePerShare).toEqual({ value: null, footnoteIds: ['F3'] });
  });

  it('truncated', () => {
    const e = errorOf(() => parseOwnershipDocument(doc(msft.slice(0, msft.length / 2), 'cut.xml')));
    expect(e.code).toBe('DOCUMENT_MALFORMED');
    expect(e.message).toMatch(/^cut\.xml: /);
  });

  it('unbalanced', () => {
    const e = errorOf(() => parseOwnershipDocument(doc(msft.replace('</issuer>', ''))));
    expect(e.code).toBe('DOCUMENT_MALFORMED');
    expect(e.message).toMatch(/line \d+/);
  });

  it('an HTML page, JSON, or another XML document', () => {
    expect(errorOf(() => parseOwnershipDocument(doc('<!DOCTYPE html><html><body>Rate exceeded</body></html>'))).code).toBe('DOCUMENT_FORMAT');
    expect(errorOf(() => parseOwnershipDocument(doc('{"error":"not found"}'))).code).toBe('DOCUMENT_FORMAT');
    const table = readFileSync(new URL('../sec_13f/edgar_client_doc13f_table_sec_official_sample.xml', DIR));
    const e = errorOf(() => parseOwnershipDocument(doc(table)));
    expect(e.code).toBe('DOCUMENT_FORMAT');
    expect(e.message).toMatch(/informationTable/);
  });

  it('declared UTF-8 with Latin-1 bytes', () => {
    const latin1 = msft
      .replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>')
      .replace('THOMPSON JOHN WENDELL', 'THOMPSON J\u00c9R\u00d4ME');
    expect(errorOf(() => parseOwnershipDocument(doc(Buffer.from(latin1, 'latin1')))).code).toBe('DOCUMENT_ENCODING');
    // The same bytes, honestly declared, read fine.
    const declared = latin1.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    expect(parseOwnershipDocument(doc(Buffer.from(declared, 'latin1'))).reportingOwners[0]!.name).toBe('THOMPSON J\u00c9R\u00d4ME');
  });

  it.each([
    ['a missing transaction code', msft.replace('<transactionCode>A</transactionCode>', ''), /derivativeTransaction\[0\]\.transactionCoding\.transactionCode$/],
    ['shares that are not a number', msft.replace('<value>61.569</value>', '<value>61,569 sh</value>'), /derivativeTransaction\[0\]\.transactionAmounts\.transactionShares\.value$/],
    ['an impossible date', msft.replace('<value>2022-06-09</value>', '<value>2022-02-30</value>'), /derivativeTransaction\[0\]\.transactionDate\.value$/],
    ['a boolean that is neither 1/0 nor true/false', msft.replace('<isDirector>1</isDirector>', '<isDirector>yes</isDirector>'), /reportingOwnerRelationship\.isDirector$/],
    ['an ownership nature other than D or I', msft.replace('<value>I</value>', '<value>X</value>'), /nonDerivativeHolding\[1\]\.ownershipNature\.directOrIndirectOwnership\.value$/],
    ['no issuer CIK', msft.replace('<issuerCik>0000789019</issuerCik>', ''), /^ownershipDocument\.issuer\.issuerCik$/],
    ['a form that is not 3, 4 or 5', msft.replace('<documentType>4</documentType>', '<documentType>144</documentType>'), /documentType$/],
    ['no reporting owner', msft.replace(/<reportingOwner>[\s\S]*<\/reportingOwner>/, ''), /reportingOwner$/],
  ])('%s', (_what, xml, path) => {
    const e = errorOf(() => parseOwnershipDocument(doc(xml)));
    expect(e.code).toBe('DOCUMENT_INVALID');
    expect(e.path).toMatch(path);
    expect(e.message).toContain(e.path!);
  });
});
