/**
 * Signal bodies → the typed filing records of `filings.ports.ts`. Bodies are JSON written by the SEC collector
 * and the entity stage; every field is read defensively, so a body written by an older collector (a missing
 * field, a number where a decimal string is now) reads as "not stated" rather than failing the listing.
 */
import type {
  FilingSignalRef,
  InsiderClusterMemberRecord,
  InsiderClusterRecord,
  InsiderTransactionRecord,
  InstitutionalHoldingRecord,
  ReportingOwnerRecord,
  RetractionRecord,
} from './filings.ports.js';

type Body = Readonly<Record<string, unknown>>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const text = (b: Body, key: string): string | null => (typeof b[key] === 'string' ? (b[key] as string) : null);
const flag = (b: Body, key: string): boolean | null => (typeof b[key] === 'boolean' ? (b[key] as boolean) : null);
const num = (b: Body, key: string): number | null => {
  const v = b[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};
/** A decimal as the collector wrote it (a string); a plain number from an older body becomes its string. */
const decimal = (b: Body, key: string): string | null => {
  const v = b[key];
  if (typeof v === 'string') return v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
};
const date = (b: Body, key: string): string | null => {
  const v = text(b, key);
  return v !== null && ISO_DATE.test(v) ? v : null;
};
const object = (value: unknown): Body | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : null;
const objects = (value: unknown): Body[] => (Array.isArray(value) ? value.map(object).filter((o) => o !== null) : []);
const oneOf = <T extends string>(value: string | null, allowed: readonly T[]): T | null =>
  allowed.includes(value as T) ? (value as T) : null;

function owner(cik: string | null, name: string | null, relationship: string | null, flags: Body | null): ReportingOwnerRecord {
  const f = flags ?? {};
  return {
    cik,
    name,
    relationship,
    isDirector: flag(f, 'director') ?? false,
    isOfficer: flag(f, 'officer') ?? false,
    officerTitle: text(f, 'officerTitle'),
    isTenPercentOwner: flag(f, 'tenPercentOwner') ?? false,
    isOther: flag(f, 'other') ?? false,
    otherText: text(f, 'otherText'),
  };
}

/** Every reporting owner, the designated filer first; from the top-level fields when the body has no list. */
function owners(b: Body): ReportingOwnerRecord[] {
  const listed = objects(b.owners).map((o) =>
    owner(text(o, 'cik'), text(o, 'name'), text(o, 'relationship'), object(o.relationshipFlags)),
  );
  if (listed.length > 0) return listed;
  const cik = text(b, 'ownerCik');
  return cik === null ? [] : [owner(cik, text(b, 'ownerName'), text(b, 'relationship'), object(b.relationshipFlags))];
}

export function insiderTransactionOf(
  ref: FilingSignalRef,
  b: Body,
  retraction: RetractionRecord | null,
): InsiderTransactionRecord {
  const amends = object(b.amends);
  const derivative = object(b.derivative);
  const footnotes = object(b.footnotes) ?? {};
  const code = text(b, 'transactionCode') ?? '';
  return {
    ...ref,
    accessionNumber: text(b, 'accessionNumber') ?? '',
    documentType: text(b, 'documentType') ?? '',
    amendment: flag(b, 'amendment') ?? false,
    amends: amends
      ? { accessionNumber: text(amends, 'accessionNumber'), dateOfOriginalSubmission: date(amends, 'dateOfOriginalSubmission') }
      : null,
    filedDate: date(b, 'filedDate'),
    periodOfReport: date(b, 'periodOfReport'),
    table: text(b, 'table') === 'derivative' ? 'derivative' : 'nonDerivative',
    index: num(b, 'index') ?? 0,
    issuer: { cik: text(b, 'issuerCik') ?? '', name: text(b, 'issuerName'), tradingSymbol: text(b, 'issuerTradingSymbol') },
    owners: owners(b),
    securityTitle: text(b, 'securityTitle'),
    transactionDate: date(b, 'transactionDate'),
    transactionCode: code,
    discretionary: flag(b, 'discretionary') ?? (code === 'P' || code === 'S'),
    acquiredDisposed: oneOf(text(b, 'acquiredDisposed'), ['A', 'D'] as const),
    shares: decimal(b, 'shares'),
    price: decimal(b, 'price'),
    value: decimal(b, 'value'),
    sharesOwnedFollowing: decimal(b, 'sharesOwnedFollowing'),
    directOrIndirect: oneOf(text(b, 'directOrIndirect'), ['D', 'I'] as const),
    natureOfOwnership: text(b, 'natureOfOwnership'),
    equitySwapInvolved: flag(b, 'equitySwapInvolved'),
    tenb5One: flag(b, 'tenb5One'),
    tenb5OneSource: text(b, 'tenb5OneSource'),
    derivative: derivative
      ? {
          exercisePrice: decimal(derivative, 'exercisePrice'),
          exerciseDate: date(derivative, 'exerciseDate'),
          expirationDate: date(derivative, 'expirationDate'),
          underlyingTitle: text(derivative, 'underlyingTitle'),
          underlyingShares: decimal(derivative, 'underlyingShares'),
        }
      : null,
    footnotes: Object.entries(footnotes)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([id, note]) => ({ id, text: note })),
    retraction,
  };
}

export function institutionalHoldingOf(ref: FilingSignalRef, b: Body): InstitutionalHoldingRecord {
  return {
    ...ref,
    accessionNumber: text(b, 'accessionNumber') ?? '',
    formType: text(b, 'formType'),
    reportType: text(b, 'reportType'),
    amendment: flag(b, 'amendment') ?? false,
    amendmentType: text(b, 'amendmentType'),
    filedDate: date(b, 'filedDate'),
    periodOfReport: date(b, 'periodOfReport'),
    manager: { cik: text(b, 'filerCik') ?? '', name: text(b, 'filerName') },
    index: num(b, 'index') ?? 0,
    issuerName: text(b, 'issuerName'),
    titleOfClass: text(b, 'titleOfClass'),
    cusip: (text(b, 'cusip') ?? '').toUpperCase(),
    valueUsd: decimal(b, 'valueUsd'),
    shares: decimal(b, 'shares'),
    amountType: oneOf(text(b, 'amountType'), ['SH', 'PRN'] as const),
    putCall: oneOf(text(b, 'putCall'), ['Put', 'Call'] as const),
    investmentDiscretion: oneOf(text(b, 'investmentDiscretion'), ['SOLE', 'DFND', 'OTR'] as const),
    otherManagers: Array.isArray(b.otherManagers) ? b.otherManagers.filter((n): n is number => typeof n === 'number') : [],
    voting: { sole: decimal(b, 'votingSole'), shared: decimal(b, 'votingShared'), none: decimal(b, 'votingNone') },
  };
}

function member(m: Body): InsiderClusterMemberRecord {
  return {
    insiderId: text(m, 'insiderId') ?? '',
    name: text(m, 'name'),
    relationship: text(m, 'relationship'),
    purchases: num(m, 'purchases') ?? 0,
    shares: num(m, 'shares') ?? 0,
    value: num(m, 'value') ?? 0,
  };
}

export function insiderClusterOf(ref: FilingSignalRef, b: Body): InsiderClusterRecord {
  const members = objects(b.members).map(member);
  return {
    ...ref,
    model: text(b, 'model'),
    clusterId: text(b, 'clusterId') ?? '',
    status: text(b, 'status') === 'grew' ? 'grew' : 'opened',
    issuerId: text(b, 'issuerId'),
    windowStart: num(b, 'windowStart') ?? ref.tsEvent,
    windowEnd: num(b, 'windowEnd') ?? ref.tsEvent,
    windowMs: num(b, 'windowMs'),
    insiders: num(b, 'insiders') ?? members.length,
    purchases: num(b, 'purchases') ?? 0,
    totalShares: num(b, 'totalShares') ?? 0,
    totalValue: num(b, 'totalValue') ?? 0,
    members,
  };
}
