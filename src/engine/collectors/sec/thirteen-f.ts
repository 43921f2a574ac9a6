/**
 * Form 13F: the information table (one row per position), the cover page (`primary_doc.xml`), and the
 * complete `.txt` submission holding both inside `<XML>` blocks.
 *
 * The trap is units: `value` was reported in thousands of dollars until the 2023 form change and in
 * dollars since. Rows are normalised to exact dollars; which unit applies is decided by the filing date
 * when known (anything filed from 2023-01-01 is in dollars), else by the period of report (a period
 * ending on or after 2022-12-31 is filed in 2023 or later), else the caller says. Totals are summed
 * exactly, since they exceed 2^53 for the largest managers.
 */
import { DocumentError, type SourceDocument } from '../document.js';
import { canonicalDecimal, scaleDecimal, sumDecimals } from './decimal.js';
import { parseSubmission, type SubmissionHeader } from './sgml.js';
import { isIsoDate, mdyToIsoDate } from './time.js';
import { parseXmlDocument, parseXmlText, type XmlElement } from './xml.js';

export type ValueUnit = 'thousands' | 'dollars';

/** What decides the unit of `value`: an explicit unit, the filing date, or the period of report (`YYYY-MM-DD`). */
export type ValueBasis =
  | { readonly valueUnit: ValueUnit }
  | { readonly filedDate: string }
  | { readonly periodOfReport: string };

const DOLLARS_FILED_FROM = '2023-01-01';
const DOLLARS_PERIOD_FROM = '2022-12-31';

export function thirteenFValueUnit(basis: ValueBasis): ValueUnit {
  if ('valueUnit' in basis) return basis.valueUnit;
  if ('filedDate' in basis) return basis.filedDate >= DOLLARS_FILED_FROM ? 'dollars' : 'thousands';
  return basis.periodOfReport >= DOLLARS_PERIOD_FROM ? 'dollars' : 'thousands';
}

export interface ThirteenFHolding {
  /** Position in the table, from 0. */
  readonly index: number;
  readonly path: string;
  readonly issuerName: string;
  readonly titleOfClass: string | null;
  readonly cusip: string;
  /** Market value in dollars, exact. */
  readonly valueUsd: string;
  /** `value` as the filing states it, in `valueUnit`. */
  readonly valueAsReported: string;
  readonly shares: string;
  /** SH (shares) or PRN (principal amount, for debt). */
  readonly amountType: 'SH' | 'PRN';
  readonly putCall: 'Put' | 'Call' | null;
  readonly investmentDiscretion: 'SOLE' | 'DFND' | 'OTR';
  /** The cover page's sequence numbers of the other managers sharing discretion ("4,8,11" → [4, 8, 11]). */
  readonly otherManagers: readonly number[];
  readonly voting: { readonly sole: string | null; readonly shared: string | null; readonly none: string | null };
}

export interface ThirteenFTable {
  readonly origin: string;
  readonly valueUnit: ValueUnit;
  readonly holdings: readonly ThirteenFHolding[];
  /** Sum of `valueAsReported` (comparable with the cover's `tableValueTotal`). */
  readonly valueTotalAsReported: string;
  readonly valueTotalUsd: string;
}

export interface ThirteenFCover {
  readonly origin: string;
  /** `13F-HR`, `13F-HR/A`, `13F-NT`, `13F-NT/A`. */
  readonly submissionType: string;
  readonly periodOfReport: string;
  readonly filer: { readonly cik: string; readonly name: string };
  /** `13F HOLDINGS REPORT`, `13F NOTICE` or `13F COMBINATION REPORT`. */
  readonly reportType: string;
  readonly isAmendment: boolean;
  readonly amendmentNumber: number | null;
  /** `RESTATEMENT` replaces the earlier report; `NEW HOLDINGS` adds to it. */
  readonly amendmentType: string | null;
  /** A notice reports no holdings: another manager reports them. */
  readonly isNotice: boolean;
  readonly tableEntryTotal: number | null;
  /** As stated, in the report's unit. */
  readonly tableValueTotal: string | null;
  readonly otherManagers: readonly { readonly sequenceNumber: number | null; readonly name: string | null; readonly fileNumber: string | null }[];
  readonly signatureDate: string | null;
}

export interface ThirteenFFiling {
  readonly accessionNumber: string;
  readonly acceptedAt: number | null;
  readonly filedDate: string;
  readonly cover: ThirteenFCover;
  /** Null for a notice. */
  readonly table: ThirteenFTable | null;
}

const TABLE_ROOT = ['informationTable'];
const COVER_ROOT = ['edgarSubmission'];

/** Parses an information table document (any namespace prefix). */
export function parseInformationTable(document: SourceDocument, basis: ValueBasis): ThirteenFTable {
  return readTable(parseXmlDocument(document, TABLE_ROOT, 'a 13F information table'), document.origin, basis);
}

/** Parses a 13F cover page (`primary_doc.xml`). */
export function parseThirteenFCover(document: SourceDocument): ThirteenFCover {
  return readCover(parseXmlDocument(document, COVER_ROOT, 'a 13F cover page'), document.origin);
}

/** Parses a complete `.txt` submission of a 13F-HR, 13F-HR/A or 13F-NT. */
export function parseThirteenFSubmission(document: SourceDocument): ThirteenFFiling {
  const { header, documents } = parseSubmission(document);
  const origin = document.origin;
  if (!/^13F-(HR|NT)(\/A)?$/.test(header.submissionType)) {
    throw new DocumentError('DOCUMENT_FORMAT', `a ${header.submissionType} submission, not a 13F`, origin, 'SEC-HEADER.CONFORMED SUBMISSION TYPE');
  }
  const xml = documents.filter((d) => d.xml !== null);
  const coverDoc = xml.find((d) => /^<(\?xml[^>]*>\s*<)?([\w-]+:)?edgarSubmission[\s>]/.test(d.xml!)) ?? xml[0];
  if (!coverDoc) throw new DocumentError('DOCUMENT_INVALID', 'no XML cover page in the submission', origin, 'DOCUMENT');
  const cover = readCover(parseXmlText(coverDoc.xml!, origin, COVER_ROOT, 'a 13F cover page', coverDoc.at), origin);
  const tableDoc = xml.find((d) => d !== coverDoc && /INFORMATION TABLE/i.test(d.type)) ?? xml.find((d) => d !== coverDoc);
  if (!tableDoc && !cover.isNotice) {
    throw new DocumentError('DOCUMENT_INVALID', `a ${cover.reportType} without an information table`, origin, 'DOCUMENT');
  }
  const table = tableDoc
    ? readTable(parseXmlText(tableDoc.xml!, origin, TABLE_ROOT, 'a 13F information table', tableDoc.at), origin, basisOf(header))
    : null;
  return { accessionNumber: header.accessionNumber, acceptedAt: header.acceptedAt, filedDate: header.filedDate, cover, table };
}

function basisOf(header: SubmissionHeader): ValueBasis {
  return { filedDate: header.filedDate };
}

function readTable(root: XmlElement, origin: string, basis: ValueBasis): ThirteenFTable {
  const valueUnit = thirteenFValueUnit(basis);
  const holdings = root.all('infoTable').map((row, index) => readHolding(row, index, valueUnit));
  return {
    origin,
    valueUnit,
    holdings,
    valueTotalAsReported: sumDecimals(holdings.map((h) => h.valueAsReported)),
    valueTotalUsd: sumDecimals(holdings.map((h) => h.valueUsd)),
  };
}

function readHolding(row: XmlElement, index: number, unit: ValueUnit): ThirteenFHolding {
  const amount = row.need('shrsOrPrnAmt');
  const valueAsReported = decimal(row, 'value', true)!;
  const amountType = amount.needText('sshPrnamtType').toUpperCase();
  if (amountType !== 'SH' && amountType !== 'PRN') throw amount.invalid(`"${amountType}" is not SH or PRN`, 'sshPrnamtType');
  const putCallText = row.textOf('putCall');
  const putCall = putCallText === null ? null : capitalised(putCallText);
  if (putCall !== null && putCall !== 'Put' && putCall !== 'Call') throw row.invalid(`"${putCallText}" is not Put or Call`, 'putCall');
  const discretion = row.needText('investmentDiscretion').toUpperCase();
  if (discretion !== 'SOLE' && discretion !== 'DFND' && discretion !== 'OTR') {
    throw row.invalid(`"${discretion}" is not SOLE, DFND or OTR`, 'investmentDiscretion');
  }
  const voting = row.one('votingAuthority');
  return {
    index,
    path: row.path,
    issuerName: row.needText('nameOfIssuer'),
    titleOfClass: row.textOf('titleOfClass'),
    cusip: row.needText('cusip').toUpperCase(),
    valueUsd: unit === 'thousands' ? scaleDecimal(valueAsReported, 3) : valueAsReported,
    valueAsReported,
    shares: decimal(amount, 'sshPrnamt', true)!,
    amountType,
    putCall,
    investmentDiscretion: discretion,
    otherManagers: otherManagers(row),
    voting: {
      sole: voting ? decimal(voting, 'Sole', false) : null,
      shared: voting ? decimal(voting, 'Shared', false) : null,
      none: voting ? decimal(voting, 'None', false) : null,
    },
  };
}

function otherManagers(row: XmlElement): number[] {
  const out: number[] = [];
  row.all('otherManager').forEach((el) => {
    for (const part of (el.text() ?? '').split(/[\s,;]+/).filter(Boolean)) {
      if (!/^\d+$/.test(part)) throw el.invalid(`"${el.text()}" is not a list of manager numbers`);
      out.push(Number(part));
    }
  });
  return out;
}

function readCover(root: XmlElement, origin: string): ThirteenFCover {
  const header = root.need('headerData');
  const filerInfo = header.need('filerInfo');
  const form = root.need('formData');
  const coverPage = form.need('coverPage');
  const submissionType = header.needText('submissionType');
  if (!/^13F-(HR|NT)(\/A)?$/.test(submissionType)) {
    throw new DocumentError('DOCUMENT_FORMAT', `a ${submissionType} cover, not a 13F`, origin, `${header.path}.submissionType`);
  }
  const periodText = filerInfo.textOf('periodOfReport') ?? coverPage.needText('reportCalendarOrQuarter');
  const periodOfReport = mdyToIsoDate(periodText) ?? (isIsoDate(periodText) ? periodText : null);
  if (!periodOfReport) throw filerInfo.invalid(`"${periodText}" is not an MM-DD-YYYY date`, 'periodOfReport');
  const cik = filerInfo.need('filer').need('credentials').needText('cik');
  if (!/^\d{1,10}$/.test(cik)) throw filerInfo.invalid(`"${cik}" is not a CIK`, 'filer.credentials.cik');
  const reportType = coverPage.needText('reportType').toUpperCase();
  const summary = form.one('summaryPage');
  const entries = summary ? decimal(summary, 'tableEntryTotal', false) : null;
  const amendmentNo = coverPage.textOf('amendmentNo');
  const signature = form.one('signatureBlock')?.textOf('signatureDate') ?? null;
  return {
    origin,
    submissionType,
    periodOfReport,
    filer: { cik: cik.padStart(10, '0'), name: coverPage.need('filingManager').needText('name') },
    reportType,
    isAmendment: coverPage.one('isAmendment')?.boolean() ?? submissionType.endsWith('/A'),
    amendmentNumber: amendmentNo && /^\d+$/.test(amendmentNo) ? Number(amendmentNo) : null,
    amendmentType: coverPage.one('amendmentInfo')?.textOf('amendmentType') ?? null,
    isNotice: reportType === '13F NOTICE' || /^13F-NT/.test(submissionType),
    tableEntryTotal: entries === null ? null : Number(entries),
    tableValueTotal: summary ? decimal(summary, 'tableValueTotal', false) : null,
    otherManagers: (summary?.one('otherManagers2Info')?.all('otherManager2') ?? []).map((m) => {
      const seq = m.textOf('sequenceNumber');
      const inner = m.one('otherManager');
      return {
        sequenceNumber: seq && /^\d+$/.test(seq) ? Number(seq) : null,
        name: inner?.textOf('name') ?? null,
        fileNumber: inner?.textOf('form13FFileNumber') ?? null,
      };
    }),
    signatureDate: signature ? (mdyToIsoDate(signature) ?? signature) : null,
  };
}

/** A child's text as an exact decimal; commas as thousands separators are tolerated, nothing else. */
function decimal(parent: XmlElement, name: string, required: boolean): string | null {
  const text = required ? parent.needText(name) : parent.textOf(name);
  if (text === null) return null;
  const value = canonicalDecimal(text.replace(/,/g, ''));
  if (value === null) throw parent.invalid(`"${text}" is not a number`, name);
  return value;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}
