/**
 * Parsed SEC documents → signal drafts.
 *
 * - `insider_filing`: one per transaction row of a Form 3/4/5 (holdings are positions, not events, and
 *   are not signals). Joint filers share one set of rows, so each row is one draft naming the first
 *   reporting owner (the designated filer) in `ownerCik`/`ownerName`, with every owner in `owners`.
 *   externalId `${accession}:${table}:${index}`, where index counts transactions within the table.
 * - `institutional_holding`: one per 13F information-table row, value in exact dollars, keyed by CUSIP
 *   (`instrument` stays null until entity resolution maps CUSIPs to symbols). externalId
 *   `${accession}:infoTable:${index}`.
 * - `filing`: one per filing announced on a feed, with all its parties. externalId = accession.
 *
 * Quantities, prices and values in bodies are exact decimal strings; `normalize` reads them as numbers
 * for scoring, and nothing that stores or trades money has to go through a float.
 *
 * ## Amendments replace, they do not add
 *
 * A 4/A restates the whole original form. For an amendment, the drafts are its retractions first, then
 * its own transactions (carrying `amendment: true` and `amends`). Retractions are `insider_filing`
 * drafts with `retracts: true` (on the draft and in the body), no `transactionCode` (so they score
 * nothing), and one of three bodies,
 * from the most to the least exact, depending on what is known about the original:
 *
 * 1. The original document is known: one retraction per original transaction,
 *    `{ retractsExternalId, retractsAccession, reason: 'amended', amendedBy }`. Apply: drop the signal
 *    with that externalId.
 * 2. Only the original's accession is known: one retraction
 *    `{ retractsExternalId: null, retractsAccession, reason, amendedBy }`. Apply: drop every
 *    `insider_filing` whose externalId starts with `${retractsAccession}:`.
 *
 *    In both cases, also drop the rows of any other amendment of the same original (an amendment of an
 *    amendment restates the same original): those whose `amends.accessionNumber` is `retractsAccession`
 *    and whose `accessionNumber` is not `amendedBy`.
 * 3. Nothing is known but what the amendment says: one retraction
 *    `{ retractsAccession: null, match: { issuerCik, ownerCik, documentType, filedDate }, … }` where
 *    `filedDate` is the amendment's `dateOfOriginalSubmission`. Apply: among `insider_filing`s with that
 *    issuerCik and ownerCik, drop those with that documentType (the form without `/A`) and filedDate, and
 *    those of other amendments whose `amends.dateOfOriginalSubmission` is that date (an amendment of an
 *    amendment restates the same original). Two forms filed by the same owner for the same issuer on
 *    the same day cannot be told apart this way; the source resolves the original's accession (case 1)
 *    whenever EDGAR lets it, to avoid that.
 *
 * Applying the retractions and then the amendment's rows, in order, leaves exactly the amended form.
 */
import type { RawSignal } from '../../types.js';
import type { SignalDraft } from '../source.js';
import type { FeedFiling } from './atom.js';
import { multiplyDecimal } from './decimal.js';
import type { OwnershipDocument, OwnershipTransaction, ReportingOwner } from './ownership.js';
import type { ThirteenFFiling } from './thirteen-f.js';
import { isoDateToEpoch } from './time.js';

/** What the feed and the index know about a filing, beyond its document. */
export interface FilingContext {
  /** The signals' `source`. */
  readonly source: string;
  readonly accessionNumber: string;
  /** Acceptance time, epoch ms, when known. */
  readonly acceptedAt: number | null;
  /** `YYYY-MM-DD`, when known. */
  readonly filedDate: string | null;
}

/** What is known of the filing an amendment replaces. */
export interface OriginalFiling {
  readonly accessionNumber: string;
  /** Its parsed document, when it could be fetched: then each of its rows is retracted by externalId. */
  readonly document: OwnershipDocument | null;
}

export function insiderExternalId(accession: string, transaction: Pick<OwnershipTransaction, 'table' | 'index'>): string {
  return `${accession}:${transaction.table}:${transaction.index}`;
}

/** The drafts of an ownership filing: retractions first when it is an amendment, then one per transaction. */
export function ownershipDrafts(doc: OwnershipDocument, ctx: FilingContext, original: OriginalFiling | null = null): SignalDraft[] {
  const instrument = doc.issuer.tradingSymbol;
  const owner = doc.reportingOwners[0]!;
  const drafts: SignalDraft[] = doc.amendment ? retractions(doc, ctx, original) : [];
  for (const t of doc.transactions) {
    const shares = t.shares.value;
    const price = t.pricePerShare.value;
    const cited: Record<string, string> = {};
    for (const id of t.footnoteIds) if (doc.footnotes[id] !== undefined) cited[id] = doc.footnotes[id]!;
    const body = {
      accessionNumber: ctx.accessionNumber,
      documentType: doc.documentType,
      amendment: doc.amendment,
      amends: doc.amendment
        ? { accessionNumber: original?.accessionNumber ?? null, dateOfOriginalSubmission: doc.dateOfOriginalSubmission }
        : null,
      filedDate: ctx.filedDate,
      periodOfReport: doc.periodOfReport,
      table: t.table,
      index: t.index,
      issuerCik: doc.issuer.cik,
      issuerName: doc.issuer.name,
      issuerTradingSymbol: doc.issuer.tradingSymbol,
      ownerCik: owner.cik,
      ownerName: owner.name,
      relationship: relationshipText(owner),
      officerTitle: owner.relationship.officerTitle,
      relationshipFlags: relationshipFlags(owner),
      owners: doc.reportingOwners.map((o) => ({
        cik: o.cik,
        name: o.name,
        relationship: relationshipText(o),
        relationshipFlags: relationshipFlags(o),
      })),
      securityTitle: t.securityTitle.value,
      transactionDate: t.transactionDate.value,
      transactionCode: t.code,
      discretionary: t.discretionary,
      acquiredDisposed: t.acquiredDisposed.value,
      shares,
      price,
      priceFootnoteIds: t.pricePerShare.footnoteIds,
      value: shares !== null && price !== null ? multiplyDecimal(shares, price) : null,
      sharesOwnedFollowing: t.sharesOwnedFollowing.value,
      valueOwnedFollowing: t.valueOwnedFollowing.value,
      directOrIndirect: t.directOrIndirect.value,
      natureOfOwnership: t.natureOfOwnership.value,
      equitySwapInvolved: t.equitySwapInvolved,
      tenb5One: t.tenb5One.value,
      tenb5OneSource: t.tenb5One.source,
      derivative: t.derivative
        ? {
            exercisePrice: t.derivative.exercisePrice.value,
            exerciseDate: t.derivative.exerciseDate.value,
            expirationDate: t.derivative.expirationDate.value,
            underlyingTitle: t.derivative.underlyingTitle.value,
            underlyingShares: t.derivative.underlyingShares.value,
          }
        : null,
      footnotes: cited,
    };
    drafts.push({
      signal: signal(ctx.source, 'insider_filing', instrument, insiderExternalId(ctx.accessionNumber, t), body),
      tsEvent: ctx.acceptedAt ?? isoDateToEpoch(t.transactionDate.value!),
    });
  }
  return drafts;
}

function retractions(doc: OwnershipDocument, ctx: FilingContext, original: OriginalFiling | null): SignalDraft[] {
  const instrument = doc.issuer.tradingSymbol;
  const tsEvent = ctx.acceptedAt ?? isoDateToEpoch(ctx.filedDate ?? doc.periodOfReport);
  // `retracts` is repeated in the body: the event envelope keeps the signal, not the draft's flag.
  const common = { retracts: true, reason: 'amended', amendedBy: ctx.accessionNumber, issuerCik: doc.issuer.cik };
  const draft = (key: string, body: Record<string, unknown>): SignalDraft => ({
    signal: signal(ctx.source, 'insider_filing', instrument, `${ctx.accessionNumber}:retracts:${key}`, { ...common, ...body }),
    tsEvent,
    retracts: true,
  });
  if (original?.document) {
    return original.document.transactions.map((t) => {
      const id = insiderExternalId(original.accessionNumber, t);
      return draft(id, { retractsExternalId: id, retractsAccession: original.accessionNumber });
    });
  }
  if (original) return [draft(original.accessionNumber, { retractsExternalId: null, retractsAccession: original.accessionNumber })];
  return [
    draft('original', {
      retractsExternalId: null,
      retractsAccession: null,
      match: {
        issuerCik: doc.issuer.cik,
        ownerCik: doc.reportingOwners[0]!.cik,
        documentType: doc.documentType.replace(/\/A$/, ''),
        filedDate: doc.dateOfOriginalSubmission,
      },
    }),
  ];
}

/** The relationship as people write it: `director, officer (Chief Financial Officer)`. */
export function relationshipText(owner: ReportingOwner): string {
  const r = owner.relationship;
  const parts: string[] = [];
  if (r.isDirector) parts.push('director');
  if (r.isOfficer) parts.push(r.officerTitle ? `officer (${r.officerTitle})` : 'officer');
  if (r.isTenPercentOwner) parts.push('ten-percent owner');
  if (r.isOther) parts.push(r.otherText ? `other (${r.otherText})` : 'other');
  return parts.join(', ');
}

function relationshipFlags(owner: ReportingOwner): Record<string, unknown> {
  const r = owner.relationship;
  return {
    director: r.isDirector,
    officer: r.isOfficer,
    officerTitle: r.officerTitle,
    tenPercentOwner: r.isTenPercentOwner,
    other: r.isOther,
    otherText: r.otherText,
  };
}

/** One draft per information-table row; none for a notice. */
export function thirteenFDrafts(filing: ThirteenFFiling, source: string): SignalDraft[] {
  const { cover, table } = filing;
  if (!table) return [];
  const tsEvent = filing.acceptedAt ?? isoDateToEpoch(filing.filedDate);
  return table.holdings.map((h) => ({
    signal: signal(source, 'institutional_holding', null, `${filing.accessionNumber}:infoTable:${h.index}`, {
      accessionNumber: filing.accessionNumber,
      formType: cover.submissionType,
      reportType: cover.reportType,
      amendment: cover.isAmendment,
      amendmentType: cover.amendmentType,
      filedDate: filing.filedDate,
      periodOfReport: cover.periodOfReport,
      filerCik: cover.filer.cik,
      filerName: cover.filer.name,
      index: h.index,
      issuerName: h.issuerName,
      titleOfClass: h.titleOfClass,
      cusip: h.cusip,
      valueUsd: h.valueUsd,
      valueAsReported: h.valueAsReported,
      valueUnit: table.valueUnit,
      shares: h.shares,
      amountType: h.amountType,
      putCall: h.putCall,
      investmentDiscretion: h.investmentDiscretion,
      otherManagers: h.otherManagers,
      votingSole: h.voting.sole,
      votingShared: h.voting.shared,
      votingNone: h.voting.none,
    }),
    tsEvent,
  }));
}

/** The announcement of a filing on a feed. */
export function feedFilingDraft(filing: FeedFiling, source: string): SignalDraft {
  // The company the filing is about: the issuer of an insider form, the subject of a 144, else the filer.
  const byRole = (role: string) => filing.parties.find((p) => p.role === role);
  const subject = byRole('Issuer') ?? byRole('Subject') ?? byRole('Filer') ?? filing.parties[0] ?? null;
  return {
    signal: signal(source, 'filing', null, filing.accessionNumber, {
      accessionNumber: filing.accessionNumber,
      formType: filing.formType,
      cik: subject?.cik ?? null,
      companyName: subject?.name ?? null,
      parties: filing.parties.map((p) => ({ name: p.name, cik: p.cik, role: p.role })),
      indexUrl: filing.indexUrl,
      filedDate: filing.filedDate,
      acceptedAt: filing.updatedIso,
      summary: filing.summary,
    }),
    tsEvent: filing.updated,
  };
}

function signal(
  source: string,
  kind: RawSignal['kind'],
  instrument: string | null,
  externalId: string,
  body: Record<string, unknown>,
): RawSignal {
  return { source, kind, instrument, externalId, body };
}
