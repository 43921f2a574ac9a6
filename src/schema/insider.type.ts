/**
 * Insider transactions: one row of a Form 3/4/5 as the SEC collector stored it, typed. Quantities, prices and
 * values are exact decimal strings, as the filing states them. A row an amendment (4/A) replaced is `RETRACTED`
 * and carries the retraction; listings leave such rows out unless asked for them.
 */
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { InsiderTransactionRecord, ReportingOwnerRecord } from '../engine/store/filings.ports.js';
import { ConnectionType } from './connection.js';
import { DateTimeScalar, LocalDateScalar, toDate } from './scalars.js';

export const InsiderTransactionStatusEnum = { CURRENT: 'CURRENT', RETRACTED: 'RETRACTED' } as const;
type InsiderTransactionStatus = keyof typeof InsiderTransactionStatusEnum;
registerEnumType(InsiderTransactionStatusEnum, {
  name: 'InsiderTransactionStatus',
  description: '`CURRENT`, or `RETRACTED`: replaced by an amendment (4/A), which restates the whole form.',
});

export const OwnershipTableEnum = { NON_DERIVATIVE: 'nonDerivative', DERIVATIVE: 'derivative' } as const satisfies Record<
  string,
  InsiderTransactionRecord['table']
>;
registerEnumType(OwnershipTableEnum, { name: 'OwnershipTable', description: 'The table of the form the row is in.' });

export const AcquiredDisposedEnum = { ACQUIRED: 'A', DISPOSED: 'D' } as const;
registerEnumType(AcquiredDisposedEnum, { name: 'AcquiredDisposed' });

export const DirectOrIndirectEnum = { DIRECT: 'D', INDIRECT: 'I' } as const;
registerEnumType(DirectOrIndirectEnum, {
  name: 'DirectOrIndirect',
  description: 'Whether the owner holds the securities directly or through someone else (a trust, a spouse).',
});

@ObjectType({ description: 'The company whose securities were traded.' })
export class InsiderIssuer {
  @Field(() => String, { description: 'CIK, 10 digits.' })
  cik!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  tradingSymbol!: string | null;
}

@ObjectType({ description: 'A person or entity reporting the transaction, and how they relate to the issuer.' })
export class ReportingOwner {
  @Field(() => String, { nullable: true, description: 'CIK, 10 digits.' })
  cik!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true, description: 'As people write it: `director, officer (Chief Financial Officer)`.' })
  relationship!: string | null;

  @Field(() => Boolean)
  isDirector!: boolean;

  @Field(() => Boolean)
  isOfficer!: boolean;

  @Field(() => String, { nullable: true })
  officerTitle!: string | null;

  @Field(() => Boolean)
  isTenPercentOwner!: boolean;

  @Field(() => Boolean)
  isOther!: boolean;

  @Field(() => String, { nullable: true })
  otherText!: string | null;
}

@ObjectType({ description: 'The filing an amendment restates, as far as it is known.' })
export class AmendedFiling {
  @Field(() => String, { nullable: true, description: 'Null when EDGAR did not tell which filing it was.' })
  accessionNumber!: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  dateOfOriginalSubmission!: string | null;
}

@ObjectType({ description: 'The terms of a derivative security (an option, an RSU).' })
export class DerivativeTerms {
  @Field(() => String, { nullable: true, description: 'Exact decimal.' })
  exercisePrice!: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  exerciseDate!: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  expirationDate!: string | null;

  @Field(() => String, { nullable: true })
  underlyingTitle!: string | null;

  @Field(() => String, { nullable: true, description: 'Exact decimal.' })
  underlyingShares!: string | null;
}

@ObjectType({ description: 'A footnote of the filing that the row cites.' })
export class Footnote {
  @Field(() => String, { description: 'As in the filing, e.g. `F2`.' })
  id!: string;

  @Field(() => String)
  text!: string;
}

@ObjectType({ description: 'What withdrew a transaction: the retraction signal an amendment published.' })
export class Retraction {
  @Field(() => ID, { description: 'The retraction signal (pass it to `lineage`).' })
  signalId!: string;

  @Field(() => String, { nullable: true, description: 'The accession number of the amendment that replaced the row.' })
  amendedBy!: string | null;

  @Field(() => String, { nullable: true, description: 'Why, e.g. `amended`.' })
  reason!: string | null;
}

@ObjectType('InsiderTransaction', { description: 'One transaction row of a Form 3/4/5.' })
export class InsiderTransactionType {
  @Field(() => ID, { description: 'The stored signal the row was read from (pass it to `signal` or `lineage`).' })
  signalId!: string;

  @Field(() => String, { description: 'The collector that harvested it.' })
  source!: string;

  @Field(() => String, { nullable: true, description: '`<accession>:<table>:<index>`.' })
  externalId!: string | null;

  @Field(() => String, { nullable: true, description: "The issuer's trading symbol, as the filing gives it." })
  instrument!: string | null;

  @Field(() => DateTimeScalar, { description: "EDGAR's acceptance time (the transaction date when it is unknown)." })
  tsEvent!: Date;

  @Field(() => DateTimeScalar, { description: 'When Vanta saw it.' })
  tsInit!: Date;

  @Field(() => String)
  accessionNumber!: string;

  @Field(() => String, { description: '`4`, `4/A`, `5`, …' })
  documentType!: string;

  @Field(() => Boolean)
  amendment!: boolean;

  @Field(() => AmendedFiling, { nullable: true, description: 'For an amendment: the filing it restates.' })
  amends!: AmendedFiling | null;

  @Field(() => LocalDateScalar, { nullable: true })
  filedDate!: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  periodOfReport!: string | null;

  @Field(() => OwnershipTableEnum)
  table!: InsiderTransactionRecord['table'];

  @Field(() => Int, { description: "Position among the table's transactions, from 0." })
  rowIndex!: number;

  @Field(() => InsiderIssuer)
  issuer!: InsiderIssuer;

  @Field(() => ReportingOwner, { nullable: true, description: 'The designated filer (the first reporting owner).' })
  owner!: ReportingOwner | null;

  @Field(() => [ReportingOwner], { description: 'Every reporting owner: joint filers share the rows.' })
  owners!: ReportingOwner[];

  @Field(() => String, { nullable: true })
  securityTitle!: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  transactionDate!: string | null;

  @Field(() => String, { description: 'The SEC transaction code: `P` purchase, `S` sale, `A` award, `M` exercise, …' })
  transactionCode!: string;

  @Field(() => Boolean, { description: "An open-market purchase or sale (`P`, `S`): the insider's own decision." })
  discretionary!: boolean;

  @Field(() => AcquiredDisposedEnum, { nullable: true })
  acquiredDisposed!: string | null;

  @Field(() => String, { nullable: true, description: 'Exact decimal; may be fractional.' })
  shares!: string | null;

  @Field(() => String, { nullable: true, description: 'Exact decimal, per share; null when given only in a footnote.' })
  price!: string | null;

  @Field(() => String, { nullable: true, description: 'shares × price, exact.' })
  value!: string | null;

  @Field(() => String, { nullable: true, description: 'Exact decimal.' })
  sharesOwnedFollowing!: string | null;

  @Field(() => DirectOrIndirectEnum, { nullable: true })
  ownership!: string | null;

  @Field(() => String, { nullable: true, description: 'For indirect ownership, through whom, e.g. `By Trust`.' })
  natureOfOwnership!: string | null;

  @Field(() => Boolean, { nullable: true })
  equitySwapInvolved!: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Made under a Rule 10b5-1 plan; null when the filing is silent.' })
  tenb5One!: boolean | null;

  @Field(() => String, { nullable: true, description: 'Where the 10b5-1 answer came from: `aff10b5One`, `footnote`, `remarks`.' })
  tenb5OneSource!: string | null;

  @Field(() => DerivativeTerms, { nullable: true, description: 'For a row of the derivative table.' })
  derivative!: DerivativeTerms | null;

  @Field(() => [Footnote])
  footnotes!: Footnote[];

  @Field(() => InsiderTransactionStatusEnum)
  status!: InsiderTransactionStatus;

  @Field(() => Retraction, { nullable: true, description: 'What withdrew the row, when it is `RETRACTED`.' })
  retractedBy!: Retraction | null;
}

@ObjectType({ description: 'A page of insider transactions, newest first.' })
export class InsiderTransactionConnection extends ConnectionType('InsiderTransaction', InsiderTransactionType) {}

const toOwner = (o: ReportingOwnerRecord): ReportingOwner => ({ ...o });

export function toInsiderTransactionType(t: InsiderTransactionRecord): InsiderTransactionType {
  return {
    signalId: t.signalId,
    source: t.source,
    externalId: t.externalId,
    instrument: t.instrument,
    tsEvent: toDate(t.tsEvent),
    tsInit: toDate(t.tsInit),
    accessionNumber: t.accessionNumber,
    documentType: t.documentType,
    amendment: t.amendment,
    amends: t.amends ? { ...t.amends } : null,
    filedDate: t.filedDate,
    periodOfReport: t.periodOfReport,
    table: t.table,
    rowIndex: t.index,
    issuer: { ...t.issuer },
    owner: t.owners[0] ? toOwner(t.owners[0]) : null,
    owners: t.owners.map(toOwner),
    securityTitle: t.securityTitle,
    transactionDate: t.transactionDate,
    transactionCode: t.transactionCode,
    discretionary: t.discretionary,
    acquiredDisposed: t.acquiredDisposed,
    shares: t.shares,
    price: t.price,
    value: t.value,
    sharesOwnedFollowing: t.sharesOwnedFollowing,
    ownership: t.directOrIndirect,
    natureOfOwnership: t.natureOfOwnership,
    equitySwapInvolved: t.equitySwapInvolved,
    tenb5One: t.tenb5One,
    tenb5OneSource: t.tenb5OneSource,
    derivative: t.derivative ? { ...t.derivative } : null,
    footnotes: t.footnotes.map((f) => ({ ...f })),
    status: t.retraction ? 'RETRACTED' : 'CURRENT',
    retractedBy: t.retraction ? { ...t.retraction } : null,
  };
}
