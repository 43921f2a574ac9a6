import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DocumentError, type SourceDocument } from '../document.js';
import { sumDecimals } from './decimal.js';
import {
  parseInformationTable,
  parseThirteenFCover,
  parseThirteenFSubmission,
  thirteenFValueUnit,
} from './thirteen-f.js';

const DIR = new URL('../../../../test/fixtures/sec_13f/', import.meta.url);
const bytes = (name: string): Buffer => readFileSync(new URL(name, DIR));
const text = (name: string): string => bytes(name).toString('latin1');
const doc = (body: Buffer | string, origin = '13f.xml'): SourceDocument => ({
  origin,
  body: typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
});

const BRK_TABLE = 'edgar_client_form13_table.xml';
const BRK_COVER = 'edgar_client_form13_primary_doc.xml';
const INFOTABLE = 'edgartools_13F-HR.infotable.xml';
const SUBMISSION = 'edgartools_13F.0001894188-23-000007.txt';
const SAMPLE = 'edgar_client_doc13f_table_sec_official_sample.xml';

/** The `<value>`s of a table read with a regex, summed with BigInt: an independent total. */
function rawValueTotal(xml: string): bigint {
  return [...xml.matchAll(/<(?:\w+:)?value>(\d+)<\/(?:\w+:)?value>/g)].reduce((sum, m) => sum + BigInt(m[1]!), 0n);
}

function errorOf(fn: () => unknown): DocumentError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DocumentError) return err;
    throw err;
  }
  throw new Error('expected a DocumentError');
}

describe('every 13F fixture', () => {
  it('finds the fixtures', () => expect(readdirSync(DIR).length).toBe(5));

  it.each([BRK_TABLE, INFOTABLE, SAMPLE])('%s: every row of the information table', (name) => {
    const raw = text(name);
    const table = parseInformationTable(doc(bytes(name), name), { valueUnit: 'dollars' });
    expect(table.holdings).toHaveLength((raw.match(/<(\w+:)?infoTable>/g) ?? []).length);
    expect(BigInt(table.valueTotalAsReported)).toBe(rawValueTotal(raw));
    expect(table.holdings.filter((h) => h.amountType === 'PRN')).toHaveLength((raw.match(/>PRN</g) ?? []).length);
    for (const h of table.holdings) expect(h.cusip).toMatch(/^[0-9A-Z]{9}$/);
  });

  it(`${BRK_COVER}: the cover page`, () => {
    const cover = parseThirteenFCover(doc(bytes(BRK_COVER), BRK_COVER));
    expect(cover).toMatchObject({
      submissionType: '13F-HR',
      periodOfReport: '2023-03-31',
      filer: { cik: '0001067983', name: 'Berkshire Hathaway Inc' },
      reportType: '13F HOLDINGS REPORT',
      isAmendment: false,
      isNotice: false,
      tableEntryTotal: 165,
      tableValueTotal: '325108752692',
      signatureDate: '2023-05-15',
    });
    expect(cover.otherManagers).toHaveLength(15);
    expect(cover.otherManagers[9]).toEqual({ sequenceNumber: 10, name: 'National Fire & Marine Insurance Co', fileNumber: '28-1066' });
  });

  it(`${SUBMISSION}: the .txt submission, cover and table from its <XML> blocks`, () => {
    const filing = parseThirteenFSubmission(doc(bytes(SUBMISSION), SUBMISSION));
    expect(filing.accessionNumber).toBe('0001894188-23-000007');
    expect(filing.filedDate).toBe('2023-11-14');
    // 20231114093854 New York time, in November (UTC-5).
    expect(filing.acceptedAt).toBe(Date.UTC(2023, 10, 14, 14, 38, 54));
    expect(filing.cover).toMatchObject({ periodOfReport: '2023-09-30', filer: { cik: '0001894188', name: 'LTS One Management LP' } });
    expect(filing.table!.valueUnit).toBe('dollars');
    expect(filing.table!.holdings).toHaveLength(filing.cover.tableEntryTotal!);
    expect(filing.table!.valueTotalAsReported).toBe(filing.cover.tableValueTotal);
    expect(filing.table!.holdings[0]).toMatchObject({ issuerName: 'AMAZON COM INC', cusip: '023135106', valueUsd: '17479000', shares: '137500' });
    expect(filing.table!.holdings[0]!.path).toBe('DOCUMENT[2](index.xml).informationTable.infoTable[0]');
  });
});

describe("Berkshire Hathaway's Q1 2023 13F", () => {
  const cover = parseThirteenFCover(doc(bytes(BRK_COVER)));
  const table = parseInformationTable(doc(bytes(BRK_TABLE)), { periodOfReport: cover.periodOfReport });

  it("has the cover's 165 rows and its value total, to the dollar", () => {
    expect(table.valueUnit).toBe('dollars');
    expect(table.holdings).toHaveLength(cover.tableEntryTotal!);
    expect(table.valueTotalAsReported).toBe(cover.tableValueTotal);
    expect(table.valueTotalUsd).toBe(cover.tableValueTotal);
  });

  it('reads other-manager lists and voting authority', () => {
    const row = table.holdings[1]!;
    expect(row).toMatchObject({ issuerName: 'ACTIVISION BLIZZARD INC', cusip: '00507V109', valueUsd: '1175497511', shares: '13734052' });
    expect(row.otherManagers).toEqual([4, 8, 11]);
    expect(row.voting).toEqual({ sole: '13734052', shared: '0', none: '0' });
    expect(row.investmentDiscretion).toBe('DFND');
    expect(table.holdings.every((h) => h.otherManagers.every((m) => m >= 1 && m <= cover.otherManagers.length))).toBe(true);
  });
});

describe('value units', () => {
  it('before 2023 in thousands, after in dollars, whatever decides it', () => {
    expect(thirteenFValueUnit({ filedDate: '2022-11-14' })).toBe('thousands');
    expect(thirteenFValueUnit({ filedDate: '2023-02-14' })).toBe('dollars');
    expect(thirteenFValueUnit({ periodOfReport: '2022-09-30' })).toBe('thousands');
    // A Q4 2022 report is filed in 2023, on the new form.
    expect(thirteenFValueUnit({ periodOfReport: '2022-12-31' })).toBe('dollars');
  });

  it('the SEC sample (pre-2023) normalised to exact dollars', () => {
    const raw = text(SAMPLE);
    const table = parseInformationTable(doc(bytes(SAMPLE)), { filedDate: '2013-05-15' });
    expect(table.valueUnit).toBe('thousands');
    expect(table.holdings.map((h) => h.valueAsReported)).toEqual([...raw.matchAll(/<value>(\d+)<\/value>/g)].map((m) => m[1]));
    expect(table.holdings.map((h) => h.valueUsd)).toEqual(table.holdings.map((h) => `${h.valueAsReported}000`));
    expect(table.valueTotalUsd).toBe(sumDecimals(table.holdings.map((h) => h.valueUsd)));
    expect(table.holdings[0]!.otherManagers).toEqual([1, 2, 3]);
    // Voting authority beyond a float's exact integers stays exact.
    expect(table.holdings[0]!.voting.sole).toBe('8488745632154587');
    expect(table.holdings[1]).toMatchObject({ amountType: 'PRN', investmentDiscretion: 'DFND', shares: '190371' });
  });

  it('PRN rows of the edgartools table (debt ETFs, principal amounts)', () => {
    const table = parseInformationTable(doc(bytes(INFOTABLE)), { valueUnit: 'dollars' });
    const prn = table.holdings.filter((h) => h.amountType === 'PRN');
    expect(prn.map((h) => h.titleOfClass)).toEqual(['IBONDS 27 ETF', 'IBONDS DEC2026', 'IBONDS DEC23 ETF']);
    expect(table.holdings.filter((h) => h.amountType === 'SH')).toHaveLength(252);
  });
});

describe('amendments and notices', () => {
  const primary = text(BRK_COVER);
  const amended = primary
    .replace('<submissionType>13F-HR</submissionType>', '<submissionType>13F-HR/A</submissionType>')
    .replace(
      '<isAmendment>false</isAmendment>',
      '<isAmendment>true</isAmendment><amendmentNo>1</amendmentNo><amendmentInfo><amendmentType>RESTATEMENT</amendmentType></amendmentInfo>',
    );

  it('recognises a 13F-HR/A restatement', () => {
    expect(parseThirteenFCover(doc(amended))).toMatchObject({
      submissionType: '13F-HR/A',
      isAmendment: true,
      amendmentNumber: 1,
      amendmentType: 'RESTATEMENT',
    });
  });

  it('recognises a 13F-NT: a notice with no table', () => {
    const sub = text(SUBMISSION);
    const notice = sub
      .replace(/13F-HR/g, '13F-NT')
      .replace('13F HOLDINGS REPORT', '13F NOTICE')
      .replace(/<DOCUMENT>\s*<TYPE>INFORMATION TABLE[\s\S]*?<\/DOCUMENT>\s*/, '');
    const filing = parseThirteenFSubmission(doc(notice));
    expect(filing.cover.submissionType).toBe('13F-NT');
    expect(filing.cover.isNotice).toBe(true);
    expect(filing.table).toBeNull();
  });
});

describe('broken 13F documents', () => {
  const table = text(BRK_TABLE);
  const sub = text(SUBMISSION);

  it('truncated table, truncated submission', () => {
    expect(errorOf(() => parseInformationTable(doc(table.slice(0, 5000)), { valueUnit: 'dollars' })).code).toBe('DOCUMENT_MALFORMED');
    expect(errorOf(() => parseThirteenFSubmission(doc(sub.slice(0, sub.indexOf('</XML>', 4000))))).code).toBe('DOCUMENT_MALFORMED');
    const cutInside = sub.slice(0, sub.lastIndexOf('</XML>')) + '\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n';
    const e = errorOf(() => parseThirteenFSubmission(doc(cutInside)));
    expect(e.code).toBe('DOCUMENT_MALFORMED');
    expect(e.path).toBe('DOCUMENT[2](index.xml)');
  });

  it('the wrong document: a cover given as a table, a Form 4 submission, HTML', () => {
    expect(errorOf(() => parseInformationTable(doc(bytes(BRK_COVER)), { valueUnit: 'dollars' })).code).toBe('DOCUMENT_FORMAT');
    expect(errorOf(() => parseThirteenFCover(doc(table))).code).toBe('DOCUMENT_FORMAT');
    const form4 = sub.replace('CONFORMED SUBMISSION TYPE:\t13F-HR', 'CONFORMED SUBMISSION TYPE:\t4');
    expect(errorOf(() => parseThirteenFSubmission(doc(form4))).code).toBe('DOCUMENT_FORMAT');
    expect(errorOf(() => parseThirteenFSubmission(doc(table))).code).toBe('DOCUMENT_FORMAT');
    expect(errorOf(() => parseThirteenFSubmission(doc('<html><body>Not Found</body></html>'))).code).toBe('DOCUMENT_FORMAT');
  });

  it('declared UTF-8 with Latin-1 bytes', () => {
    const wrong = Buffer.from(table.replace('ACTIVISION BLIZZARD INC', 'SOCI\u00c9T\u00c9 G\u00c9N\u00c9RALE').replace(/^/, '<?xml version="1.0" encoding="UTF-8"?>\n'), 'latin1');
    expect(errorOf(() => parseInformationTable(doc(wrong), { valueUnit: 'dollars' })).code).toBe('DOCUMENT_ENCODING');
  });

  it.each([
    ['a value that is not a number', table.replace('<value>66075480</value>', '<value>66,075,480 USD</value>'), 'informationTable.infoTable[0].value'],
    ['a type other than SH or PRN', table.replace('<sshPrnamtType>SH</sshPrnamtType>', '<sshPrnamtType>SHS</sshPrnamtType>'), 'informationTable.infoTable[0].shrsOrPrnAmt.sshPrnamtType'],
    ['an unknown discretion', table.replace('<investmentDiscretion>DFND</investmentDiscretion>', '<investmentDiscretion>MAYBE</investmentDiscretion>'), 'informationTable.infoTable[0].investmentDiscretion'],
    ['an other-manager list with words', table.replace('<otherManager>4,5</otherManager>', '<otherManager>4, five</otherManager>'), 'informationTable.infoTable[0].otherManager[0]'],
    ['no CUSIP', table.replace('<cusip>00507V109</cusip>', ''), 'informationTable.infoTable[0].cusip'],
  ])('%s is DOCUMENT_INVALID at the field', (_what, xml, path) => {
    const e = errorOf(() => parseInformationTable(doc(xml), { valueUnit: 'dollars' }));
    expect(e.code).toBe('DOCUMENT_INVALID');
    expect(e.path).toBe(path);
  });

  it('a cover period that is not MM-DD-YYYY', () => {
    const e = errorOf(() => parseThirteenFCover(doc(text(BRK_COVER).replace('<periodOfReport>03-31-2023</periodOfReport>', '<periodOfReport>Q1 2023</periodOfReport>'))));
    expect(e.code).toBe('DOCUMENT_INVALID');
    expect(e.path).toBe('edgarSubmission.headerData.filerInfo.periodOfReport');
  });

  it('a submission header without an accession number', () => {
    const e = errorOf(() => parseThirteenFSubmission(doc(sub.replace(/ACCESSION NUMBER:.*\n/, ''))));
    expect(e).toMatchObject({ code: 'DOCUMENT_INVALID', path: 'SEC-HEADER.ACCESSION NUMBER' });
  });
});
