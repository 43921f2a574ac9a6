/**
 * EDGAR ownership XML (`<ownershipDocument>`): Forms 3, 4 and 5 and their amendments.
 *
 * Shapes the schema allows and real filings use, all handled here:
 * - Most values sit in `<value>`, which may be empty or absent with only `<footnoteId>`s beside it (a
 *   weighted-average price explained in a footnote, an exercise date "see F3"). Every such field is a
 *   {@link Footnoted} pair, so a footnote-only price reads as `{ value: null, footnoteIds: ['F1'] }`.
 * - Booleans are `1`/`0` or `true`/`false`; relationship flags may be missing (read as false).
 * - Several reporting owners can file jointly: they share one set of rows, which are read once.
 * - Both tables mix transactions and holdings; derivative rows add exercise price, dates and the
 *   underlying security. Holdings may state `valueOwnedFollowingTransaction` instead of shares.
 * - `aff10b5One` exists since schema X0508; older filings say so in footnotes or remarks, which are
 *   searched too, and the answer says where it came from.
 * Quantities and prices are canonical decimal strings (see `decimal.ts`).
 */
import type { SourceDocument } from '../document.js';
import { isIsoDate } from './time.js';
import { parseXmlDocument, type XmlElement } from './xml.js';

/** A value with the footnotes that qualify it. `value` is null when the filing gives only footnotes. */
export interface Footnoted<T> {
  readonly value: T | null;
  readonly footnoteIds: readonly string[];
}

export interface OwnerRelationship {
  readonly isDirector: boolean;
  readonly isOfficer: boolean;
  readonly officerTitle: string | null;
  readonly isTenPercentOwner: boolean;
  readonly isOther: boolean;
  readonly otherText: string | null;
}

export interface ReportingOwner {
  readonly cik: string;
  /** Absent in the SEC's own sample; always present in live filings. */
  readonly name: string | null;
  readonly relationship: OwnerRelationship;
}

export interface TenB5One {
  /** True when the trade was made under a Rule 10b5-1 plan, false when the filing says not, null when silent. */
  readonly value: boolean | null;
  /** Where the answer came from: the X0508 checkbox, a footnote, or the remarks. */
  readonly source: 'aff10b5One' | 'footnote' | 'remarks' | null;
  readonly footnoteIds: readonly string[];
}

export interface DerivativeTerms {
  readonly exercisePrice: Footnoted<string>;
  readonly exerciseDate: Footnoted<string>;
  readonly expirationDate: Footnoted<string>;
  readonly underlyingTitle: Footnoted<string>;
  readonly underlyingShares: Footnoted<string>;
  readonly underlyingValue: Footnoted<string>;
}

export type OwnershipTable = 'nonDerivative' | 'derivative';

interface OwnershipRow {
  readonly table: OwnershipTable;
  /** Position among rows of the same kind (transaction or holding) in the same table, from 0. */
  readonly index: number;
  /** Where the row is in the document, for messages. */
  readonly path: string;
  readonly securityTitle: Footnoted<string>;
  readonly sharesOwnedFollowing: Footnoted<string>;
  readonly valueOwnedFollowing: Footnoted<string>;
  readonly directOrIndirect: Footnoted<'D' | 'I'>;
  readonly natureOfOwnership: Footnoted<string>;
  /** Null in the non-derivative table. */
  readonly derivative: DerivativeTerms | null;
  /** Every footnote the row cites, anywhere in it, in first-cited order. */
  readonly footnoteIds: readonly string[];
}

export interface OwnershipTransaction extends OwnershipRow {
  readonly kind: 'transaction';
  readonly transactionDate: Footnoted<string>;
  readonly deemedExecutionDate: Footnoted<string>;
  readonly formType: string | null;
  /** P, S, M, A, F, G, C, J, … */
  readonly code: string;
  readonly equitySwapInvolved: boolean | null;
  readonly codingFootnoteIds: readonly string[];
  readonly timeliness: Footnoted<string>;
  readonly shares: Footnoted<string>;
  readonly pricePerShare: Footnoted<string>;
  readonly acquiredDisposed: Footnoted<'A' | 'D'>;
  /** Only open-market purchases (P) and sales (S) are the insider's own decision. */
  readonly discretionary: boolean;
  /** The document's answer, or one from a footnote this row cites. */
  readonly tenb5One: TenB5One;
}

export interface OwnershipHolding extends OwnershipRow {
  readonly kind: 'holding';
}

export interface OwnershipDocument {
  readonly origin: string;
  readonly schemaVersion: string | null;
  /** `3`, `4`, `5`, `3/A`, `4/A` or `5/A`. */
  readonly documentType: string;
  readonly amendment: boolean;
  readonly periodOfReport: string;
  /** For amendments: the date the original was filed. */
  readonly dateOfOriginalSubmission: string | null;
  readonly notSubjectToSection16: boolean | null;
  readonly issuer: { readonly cik: string; readonly name: string | null; readonly tradingSymbol: string | null };
  readonly reportingOwners: readonly ReportingOwner[];
  readonly tenb5One: TenB5One;
  /** Both tables' transactions: non-derivative first, each in document order. */
  readonly transactions: readonly OwnershipTransaction[];
  readonly holdings: readonly OwnershipHolding[];
  /** Footnote id → text (whitespace collapsed). */
  readonly footnotes: Readonly<Record<string, string>>;
  readonly remarks: string | null;
}

const DOCUMENT_TYPES = /^[345](\/A)?$/;

export function parseOwnershipDocument(document: SourceDocument): OwnershipDocument {
  const root = parseXmlDocument(document, ['ownershipDocument'], 'an ownership document (Forms 3/4/5)');
  const documentType = root.needText('documentType');
  if (!DOCUMENT_TYPES.test(documentType)) throw root.invalid(`"${documentType}" is not a Form 3, 4 or 5`, 'documentType');
  const amendment = documentType.endsWith('/A');

  const issuerEl = root.need('issuer');
  const issuer = {
    cik: cik(issuerEl, 'issuerCik'),
    name: issuerEl.textOf('issuerName'),
    tradingSymbol: symbol(issuerEl.textOf('issuerTradingSymbol')),
  };
  const owners = root.all('reportingOwner');
  if (owners.length === 0) throw root.invalid('no <reportingOwner>', 'reportingOwner');

  const footnotes: Record<string, string> = {};
  for (const f of root.one('footnotes')?.all('footnote') ?? []) {
    const id = f.attr('id');
    if (!id) throw f.invalid('footnote without an id');
    footnotes[id] = (f.text() ?? '').replace(/\s+/g, ' ');
  }
  const remarks = root.textOf('remarks')?.replace(/\s+/g, ' ') ?? null;
  const tenb5One = documentTenB5One(root, footnotes, remarks);

  const transactions: OwnershipTransaction[] = [];
  const holdings: OwnershipHolding[] = [];
  for (const [table, tableTag, rowTag] of [
    ['nonDerivative', 'nonDerivativeTable', 'nonDerivative'],
    ['derivative', 'derivativeTable', 'derivative'],
  ] as const) {
    const tableEl = root.one(tableTag);
    if (!tableEl) continue;
    tableEl.all(`${rowTag}Transaction`).forEach((row, index) => transactions.push(readTransaction(row, table, index, footnotes, tenb5One)));
    tableEl.all(`${rowTag}Holding`).forEach((row, index) => holdings.push({ kind: 'holding', ...readRow(row, table, index) }));
  }

  return {
    origin: document.origin,
    schemaVersion: root.textOf('schemaVersion'),
    documentType,
    amendment,
    periodOfReport: date(root.need('periodOfReport'), true)!,
    dateOfOriginalSubmission: root.one('dateOfOriginalSubmission') ? date(root.need('dateOfOriginalSubmission'), false) : null,
    notSubjectToSection16: root.one('notSubjectToSection16')?.boolean() ?? null,
    issuer,
    reportingOwners: owners.map(readOwner),
    tenb5One,
    transactions,
    holdings,
    footnotes,
    remarks,
  };
}

function readOwner(owner: XmlElement): ReportingOwner {
  const id = owner.need('reportingOwnerId');
  const rel = owner.one('reportingOwnerRelationship');
  const flag = (name: string): boolean => rel?.one(name)?.boolean() ?? false;
  return {
    cik: cik(id, 'rptOwnerCik'),
    name: id.textOf('rptOwnerName'),
    relationship: {
      isDirector: flag('isDirector'),
      isOfficer: flag('isOfficer'),
      officerTitle: rel?.textOf('officerTitle') ?? null,
      isTenPercentOwner: flag('isTenPercentOwner'),
      isOther: flag('isOther'),
      otherText: rel?.textOf('otherText') ?? null,
    },
  };
}

function readRow(row: XmlElement, table: OwnershipTable, index: number): OwnershipRow {
  const post = row.one('postTransactionAmounts');
  const nature = row.one('ownershipNature');
  const underlying = row.one('underlyingSecurity');
  const derivative: DerivativeTerms | null =
    table === 'derivative'
      ? {
          exercisePrice: footnoted(row.one('conversionOrExercisePrice'), (v) => v.decimal()),
          exerciseDate: footnoted(row.one('exerciseDate'), (v) => date(v, false)),
          expirationDate: footnoted(row.one('expirationDate'), (v) => date(v, false)),
          underlyingTitle: footnoted(underlying?.one('underlyingSecurityTitle') ?? null, (v) => v.text()),
          underlyingShares: footnoted(underlying?.one('underlyingSecurityShares') ?? null, (v) => v.decimal()),
          underlyingValue: footnoted(underlying?.one('underlyingSecurityValue') ?? null, (v) => v.decimal()),
        }
      : null;
  const ids = new Set<string>();
  for (const f of row.descendants('footnoteId')) {
    const id = f.attr('id');
    if (id) ids.add(id);
  }
  return {
    table,
    index,
    path: row.path,
    securityTitle: footnoted(row.one('securityTitle'), (v) => v.text()),
    sharesOwnedFollowing: footnoted(post?.one('sharesOwnedFollowingTransaction') ?? null, (v) => v.decimal()),
    valueOwnedFollowing: footnoted(post?.one('valueOwnedFollowingTransaction') ?? null, (v) => v.decimal()),
    directOrIndirect: footnoted(nature?.one('directOrIndirectOwnership') ?? null, (v) => oneOf(v, ['D', 'I'] as const)),
    natureOfOwnership: footnoted(nature?.one('natureOfOwnership') ?? null, (v) => v.text()),
    derivative,
    footnoteIds: [...ids],
  };
}

function readTransaction(
  row: XmlElement,
  table: OwnershipTable,
  index: number,
  footnotes: Readonly<Record<string, string>>,
  documentAnswer: TenB5One,
): OwnershipTransaction {
  const base = readRow(row, table, index);
  const coding = row.need('transactionCoding');
  const code = coding.needText('transactionCode').toUpperCase();
  if (!/^[A-Z]$/.test(code)) throw coding.invalid(`"${code}" is not a transaction code`, 'transactionCode');
  const amounts = row.one('transactionAmounts');
  const transactionDate = footnoted(row.need('transactionDate'), (v) => date(v, false));
  if (transactionDate.value === null) throw row.invalid('transaction without a date', 'transactionDate.value');
  return {
    kind: 'transaction',
    ...base,
    transactionDate,
    deemedExecutionDate: footnoted(row.one('deemedExecutionDate'), (v) => date(v, false)),
    formType: coding.textOf('transactionFormType'),
    code,
    equitySwapInvolved: coding.one('equitySwapInvolved')?.boolean() ?? null,
    codingFootnoteIds: footnoteIds(coding),
    timeliness: footnoted(row.one('transactionTimeliness'), (v) => v.text()),
    shares: footnoted(amounts?.one('transactionShares') ?? null, (v) => v.decimal()),
    pricePerShare: footnoted(amounts?.one('transactionPricePerShare') ?? null, (v) => v.decimal()),
    acquiredDisposed: footnoted(amounts?.one('transactionAcquiredDisposedCode') ?? null, (v) => oneOf(v, ['A', 'D'] as const)),
    discretionary: code === 'P' || code === 'S',
    tenb5One: rowTenB5One(base.footnoteIds, footnotes, documentAnswer),
  };
}

/** A `<field><value>…</value><footnoteId id=…/></field>` pair; an absent field is `{ null, [] }`. */
function footnoted<T>(field: XmlElement | null, read: (value: XmlElement) => T | null): Footnoted<T> {
  if (!field) return { value: null, footnoteIds: [] };
  const value = field.one('value');
  return { value: value ? read(value) : null, footnoteIds: footnoteIds(field) };
}

function footnoteIds(element: XmlElement): string[] {
  return element
    .all('footnoteId')
    .map((f) => f.attr('id'))
    .filter((id): id is string => !!id);
}

function cik(parent: XmlElement, name: string): string {
  const value = parent.needText(name);
  if (!/^\d{1,10}$/.test(value)) throw parent.invalid(`"${value}" is not a CIK`, name);
  return value.padStart(10, '0');
}

/** Issuers without a listed security write NONE, N/A or a dash; those mean "no symbol". */
function symbol(text: string | null): string | null {
  if (text === null) return null;
  const upper = text.trim().toUpperCase();
  return /^(NONE|N\/?A|-+|\.)$/.test(upper) || upper === '' ? null : upper;
}

/** `YYYY-MM-DD`, also accepting the schema's optional zone suffix (`2002-11-01-05:00`), which is dropped. */
function date(element: XmlElement, required: boolean): string | null {
  const text = element.text();
  if (text === null) {
    if (required) throw element.invalid('empty date');
    return null;
  }
  const day = text.slice(0, 10);
  if (!isIsoDate(day) || !/^(Z|[+-]\d{2}:\d{2})?$/.test(text.slice(10))) throw element.invalid(`"${text}" is not a date`);
  return day;
}

function oneOf<T extends string>(element: XmlElement, allowed: readonly T[]): T | null {
  const text = element.text()?.toUpperCase() ?? null;
  if (text === null) return null;
  if (!(allowed as readonly string[]).includes(text)) throw element.invalid(`"${text}" is not one of ${allowed.join(', ')}`);
  return text as T;
}

const RULE_10B5_1 = /10b-?5\s*[-\u2010\u2011\u2013]\s*1(?!\d)/i;

/** What a piece of text says about a 10b5-1 plan: null when it does not mention one. */
function mentions10b51(text: string): boolean | null {
  const match = RULE_10B5_1.exec(text);
  if (!match) return null;
  // The sentence up to the mention: "not made pursuant to a Rule 10b5-1 plan" says no.
  const start = Math.max(text.lastIndexOf('.', match.index) + 1, 0);
  return !/\b(not|no|neither|nor|without)\b/i.test(text.slice(start, match.index));
}

function documentTenB5One(root: XmlElement, footnotes: Readonly<Record<string, string>>, remarks: string | null): TenB5One {
  const box = root.one('aff10b5One')?.boolean() ?? null;
  if (box !== null) return { value: box, source: 'aff10b5One', footnoteIds: [] };
  const cited = fromFootnotes(Object.keys(footnotes), footnotes);
  if (cited) return cited;
  const said = remarks === null ? null : mentions10b51(remarks);
  return said === null ? { value: null, source: null, footnoteIds: [] } : { value: said, source: 'remarks', footnoteIds: [] };
}

function fromFootnotes(ids: readonly string[], footnotes: Readonly<Record<string, string>>): TenB5One | null {
  const said = ids.map((id) => [id, mentions10b51(footnotes[id] ?? '')] as const).filter(([, v]) => v !== null);
  if (said.length === 0) return null;
  return { value: said.some(([, v]) => v === true), source: 'footnote', footnoteIds: said.map(([id]) => id) };
}

/**
 * For one row: the checkbox, which covers the whole form, wins; otherwise a footnote the row itself cites;
 * otherwise the remarks, which speak for the whole form. A footnote the row does not cite says nothing
 * about it (a plan mentioned for the sales does not make the option exercise a plan trade).
 */
function rowTenB5One(rowFootnotes: readonly string[], footnotes: Readonly<Record<string, string>>, doc: TenB5One): TenB5One {
  if (doc.source === 'aff10b5One') return doc;
  return fromFootnotes(rowFootnotes, footnotes) ?? (doc.source === 'remarks' ? doc : { value: null, source: null, footnoteIds: [] });
}
