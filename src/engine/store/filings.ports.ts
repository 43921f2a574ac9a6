/**
 * The SEC filings Vanta stores as signals, read back as typed records: insider transactions (`insider_filing`,
 * one per Form 3/4/5 transaction row), 13F holdings (`institutional_holding`, one per information-table row) and
 * the insider clusters entity analysis finds (`insider_cluster`). The bodies are written by
 * `collectors/sec/signals.ts` and `entities/signals.ts`; `filings.repo.ts` queries them with jsonb conditions on
 * `signals.body`, so these views need no tables of their own.
 *
 * ## Amendments (4/A)
 *
 * A 4/A restates its original whole. The SEC collector publishes, before the amendment's own rows, retractions
 * (`insider_filing` signals with `retracts: true` in the body) naming what the amendment replaces: the original's
 * rows by external id, or the original's accession, or, when EDGAR did not say which filing it was, the issuer,
 * owner, form and filing date. A retraction also replaces earlier amendments of the same original.
 *
 * A transaction named by a stored retraction is *retracted*. The rules are applied as a set rather than in arrival
 * order, so an original that arrives after its amendment is retracted all the same; an amendment only retracts
 * amendments filed before it (by acceptance time, then accession number), never later ones. Listings show current
 * transactions unless asked for retracted ones too, which then carry the retraction that withdrew them. Retraction
 * signals are not transactions and are never listed.
 */
import type { Page, PageRequest } from './ports.js';

/** The stored signal a record was read from; its id is where lineage starts. */
export interface FilingSignalRef {
  readonly signalId: string;
  readonly source: string;
  readonly externalId: string | null;
  /** The signal's instrument; for a 13F row without one, the instrument the entity graph ties its CUSIP to. */
  readonly instrument: string | null;
  /** When it happened in the world (a filing's acceptance time), epoch ms. */
  readonly tsEvent: number;
  /** When Vanta saw it, epoch ms. */
  readonly tsInit: number;
}

export interface ReportingOwnerRecord {
  /** 10 digits. */
  readonly cik: string | null;
  readonly name: string | null;
  /** As people write it: `director, officer (Chief Financial Officer)`. */
  readonly relationship: string | null;
  readonly isDirector: boolean;
  readonly isOfficer: boolean;
  readonly officerTitle: string | null;
  readonly isTenPercentOwner: boolean;
  readonly isOther: boolean;
  readonly otherText: string | null;
}

export interface DerivativeTermsRecord {
  readonly exercisePrice: string | null;
  readonly exerciseDate: string | null;
  readonly expirationDate: string | null;
  readonly underlyingTitle: string | null;
  readonly underlyingShares: string | null;
}

/** The retraction that withdrew a transaction. */
export interface RetractionRecord {
  /** The retraction's own signal. */
  readonly signalId: string;
  /** The accession number of the amendment that replaced the transaction. */
  readonly amendedBy: string | null;
  readonly reason: string | null;
}

/** One transaction row of a Form 3/4/5. Quantities, prices and values are exact decimal strings. */
export interface InsiderTransactionRecord extends FilingSignalRef {
  readonly accessionNumber: string;
  /** `4`, `4/A`, … */
  readonly documentType: string;
  readonly amendment: boolean;
  /** For an amendment: the filing it restates, as far as it is known. */
  readonly amends: { readonly accessionNumber: string | null; readonly dateOfOriginalSubmission: string | null } | null;
  readonly filedDate: string | null;
  readonly periodOfReport: string | null;
  readonly table: 'nonDerivative' | 'derivative';
  /** Position among the table's transactions, from 0. */
  readonly index: number;
  readonly issuer: { readonly cik: string; readonly name: string | null; readonly tradingSymbol: string | null };
  /** Every reporting owner; the first is the designated filer. */
  readonly owners: readonly ReportingOwnerRecord[];
  readonly securityTitle: string | null;
  readonly transactionDate: string | null;
  /** P, S, A, M, F, G, C, J, … */
  readonly transactionCode: string;
  /** Open-market purchases (P) and sales (S): the insider's own decision. */
  readonly discretionary: boolean;
  readonly acquiredDisposed: 'A' | 'D' | null;
  readonly shares: string | null;
  /** Null when the filing gives the price only in a footnote. */
  readonly price: string | null;
  /** shares × price, exact. */
  readonly value: string | null;
  readonly sharesOwnedFollowing: string | null;
  readonly directOrIndirect: 'D' | 'I' | null;
  readonly natureOfOwnership: string | null;
  readonly equitySwapInvolved: boolean | null;
  /** Made under a Rule 10b5-1 plan: true, false, or null when the filing is silent. */
  readonly tenb5One: boolean | null;
  readonly tenb5OneSource: string | null;
  readonly derivative: DerivativeTermsRecord | null;
  /** The footnotes the row cites, by id. */
  readonly footnotes: readonly { readonly id: string; readonly text: string }[];
  /** Null while the transaction is current. */
  readonly retraction: RetractionRecord | null;
}

export interface InsiderTransactionFilter {
  readonly instrument?: string | null;
  /** 10 digits. */
  readonly issuerCik?: string | null;
  /** 10 digits; matches any of the reporting owners. */
  readonly ownerCik?: string | null;
  /** Upper-case transaction codes; any of them. */
  readonly codes?: readonly string[] | null;
  /** Only open-market purchases and sales (P, S). */
  readonly discretionaryOnly?: boolean;
  /** `YYYY-MM-DD`, inclusive, on the transaction date. */
  readonly transactedFrom?: string | null;
  readonly transactedTo?: string | null;
  /** Also list retracted transactions (with their retraction). */
  readonly includeRetracted?: boolean;
}

/** One row of a 13F information table. Values are exact decimal strings, in dollars. */
export interface InstitutionalHoldingRecord extends FilingSignalRef {
  readonly accessionNumber: string;
  /** `13F-HR`, `13F-HR/A`. */
  readonly formType: string | null;
  readonly reportType: string | null;
  readonly amendment: boolean;
  /** `RESTATEMENT` or `NEW HOLDINGS`, for an amendment. */
  readonly amendmentType: string | null;
  readonly filedDate: string | null;
  readonly periodOfReport: string | null;
  readonly manager: { readonly cik: string; readonly name: string | null };
  readonly index: number;
  readonly issuerName: string | null;
  readonly titleOfClass: string | null;
  readonly cusip: string;
  readonly valueUsd: string | null;
  readonly shares: string | null;
  readonly amountType: 'SH' | 'PRN' | null;
  readonly putCall: 'Put' | 'Call' | null;
  /** Sole, shared-defined (`DFND`) or other shared (`OTR`) investment discretion. */
  readonly investmentDiscretion: 'SOLE' | 'DFND' | 'OTR' | null;
  readonly otherManagers: readonly number[];
  readonly voting: { readonly sole: string | null; readonly shared: string | null; readonly none: string | null };
}

export interface InstitutionalHoldingFilter {
  /** 10 digits. */
  readonly managerCik?: string | null;
  /** Nine characters, upper-case. */
  readonly cusip?: string | null;
  /** The signal's instrument, or a CUSIP the entity graph holds the instrument under. */
  readonly instrument?: string | null;
  /** `YYYY-MM-DD`. */
  readonly reportPeriod?: string | null;
}

export interface InsiderClusterMemberRecord {
  readonly insiderId: string;
  readonly name: string | null;
  readonly relationship: string | null;
  readonly purchases: number;
  readonly shares: number;
  readonly value: number;
}

/** One emission of an insider cluster (it is emitted again, grown, as insiders join). */
export interface InsiderClusterRecord extends FilingSignalRef {
  /** The detector and its settings. */
  readonly model: string | null;
  /** Stable over the cluster's life. */
  readonly clusterId: string;
  readonly status: 'opened' | 'grew';
  /** The issuer's entity id (`cik:…`, or `ins:…` when its CIK is unknown). */
  readonly issuerId: string | null;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly windowMs: number | null;
  readonly insiders: number;
  readonly purchases: number;
  readonly totalShares: number;
  /** In dollars. */
  readonly totalValue: number;
  readonly members: readonly InsiderClusterMemberRecord[];
}

export interface InsiderClusterFilter {
  readonly instrument?: string | null;
  /** An entity id, e.g. `cik:0000320193`. */
  readonly issuerId?: string | null;
  readonly status?: 'opened' | 'grew' | null;
  /** Only clusters whose window overlaps [from, to] (epoch ms, inclusive). */
  readonly from?: number | null;
  readonly to?: number | null;
}

/** Listings newest first: by the signal's event time, then id. */
export interface FilingRepository {
  insiderTransactions(filter: InsiderTransactionFilter, page: PageRequest): Promise<Page<InsiderTransactionRecord>>;
  institutionalHoldings(filter: InstitutionalHoldingFilter, page: PageRequest): Promise<Page<InstitutionalHoldingRecord>>;
  insiderClusters(filter: InsiderClusterFilter, page: PageRequest): Promise<Page<InsiderClusterRecord>>;
}
