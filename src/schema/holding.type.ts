/** Institutional holdings: one row of a 13F information table, typed; values exact, in dollars. */
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { InstitutionalHoldingRecord } from '../engine/store/filings.ports.js';
import { ConnectionType } from './connection.js';
import { DateTimeScalar, LocalDateScalar, toDate } from './scalars.js';

export const AmountTypeEnum = { SHARES: 'SH', PRINCIPAL: 'PRN' } as const satisfies Record<
  string,
  NonNullable<InstitutionalHoldingRecord['amountType']>
>;
registerEnumType(AmountTypeEnum, {
  name: 'HoldingAmountType',
  description: '`SHARES`, or `PRINCIPAL` (an amount of debt).',
});

export const PutCallEnum = { PUT: 'Put', CALL: 'Call' } as const satisfies Record<
  string,
  NonNullable<InstitutionalHoldingRecord['putCall']>
>;
registerEnumType(PutCallEnum, { name: 'PutCall', description: 'For options: the position is in puts or calls.' });

export const InvestmentDiscretionEnum = { SOLE: 'SOLE', SHARED_DEFINED: 'DFND', SHARED_OTHER: 'OTR' } as const satisfies Record<
  string,
  NonNullable<InstitutionalHoldingRecord['investmentDiscretion']>
>;
registerEnumType(InvestmentDiscretionEnum, { name: 'InvestmentDiscretion' });

@ObjectType({ description: 'The institutional investment manager that filed the 13F.' })
export class InstitutionalManager {
  @Field(() => String, { description: 'CIK, 10 digits.' })
  cik!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;
}

@ObjectType({ description: 'Voting authority over the position, in shares (exact decimals).' })
export class VotingAuthority {
  @Field(() => String, { nullable: true })
  sole!: string | null;

  @Field(() => String, { nullable: true })
  shared!: string | null;

  @Field(() => String, { nullable: true })
  none!: string | null;
}

@ObjectType('InstitutionalHolding', { description: 'One position of a 13F holdings report.' })
export class InstitutionalHoldingType {
  @Field(() => ID, { description: 'The stored signal the row was read from (pass it to `signal` or `lineage`).' })
  signalId!: string;

  @Field(() => String, { description: 'The collector that harvested it.' })
  source!: string;

  @Field(() => String, { nullable: true, description: '`<accession>:infoTable:<index>`.' })
  externalId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The instrument the CUSIP is, by entity resolution; null for a CUSIP Vanta cannot map.',
  })
  instrument!: string | null;

  @Field(() => DateTimeScalar, { description: "EDGAR's acceptance time (the filing date when it is unknown)." })
  tsEvent!: Date;

  @Field(() => DateTimeScalar, { description: 'When Vanta saw it.' })
  tsInit!: Date;

  @Field(() => String)
  accessionNumber!: string;

  @Field(() => String, { nullable: true, description: '`13F-HR` or `13F-HR/A`.' })
  formType!: string | null;

  @Field(() => String, { nullable: true, description: '`13F HOLDINGS REPORT` or `13F COMBINATION REPORT`.' })
  reportType!: string | null;

  @Field(() => Boolean)
  amendment!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'For an amendment: `RESTATEMENT` (replaces the earlier report) or `NEW HOLDINGS` (adds to it).',
  })
  amendmentType!: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  filedDate!: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The quarter end the report is for.' })
  periodOfReport!: string | null;

  @Field(() => InstitutionalManager)
  manager!: InstitutionalManager;

  @Field(() => Int, { description: 'Position in the information table, from 0.' })
  rowIndex!: number;

  @Field(() => String, { nullable: true })
  issuerName!: string | null;

  @Field(() => String, { nullable: true })
  titleOfClass!: string | null;

  @Field(() => String)
  cusip!: string;

  @Field(() => String, { nullable: true, description: 'Market value in dollars, exact (13F values before 2023 were in thousands).' })
  valueUsd!: string | null;

  @Field(() => String, { nullable: true, description: 'Shares, or principal amount for `PRINCIPAL`; exact.' })
  shares!: string | null;

  @Field(() => AmountTypeEnum, { nullable: true })
  amountType!: string | null;

  @Field(() => PutCallEnum, { nullable: true })
  putCall!: string | null;

  @Field(() => InvestmentDiscretionEnum, { nullable: true })
  investmentDiscretion!: string | null;

  @Field(() => [Int], { description: "Sequence numbers of the cover page's other managers sharing discretion." })
  otherManagers!: number[];

  @Field(() => VotingAuthority)
  voting!: VotingAuthority;
}

@ObjectType({ description: 'A page of institutional holdings, newest report first.' })
export class InstitutionalHoldingConnection extends ConnectionType('InstitutionalHolding', InstitutionalHoldingType) {}

export function toInstitutionalHoldingType(h: InstitutionalHoldingRecord): InstitutionalHoldingType {
  return {
    signalId: h.signalId,
    source: h.source,
    externalId: h.externalId,
    instrument: h.instrument,
    tsEvent: toDate(h.tsEvent),
    tsInit: toDate(h.tsInit),
    accessionNumber: h.accessionNumber,
    formType: h.formType,
    reportType: h.reportType,
    amendment: h.amendment,
    amendmentType: h.amendmentType,
    filedDate: h.filedDate,
    periodOfReport: h.periodOfReport,
    manager: { ...h.manager },
    rowIndex: h.index,
    issuerName: h.issuerName,
    titleOfClass: h.titleOfClass,
    cusip: h.cusip,
    valueUsd: h.valueUsd,
    shares: h.shares,
    amountType: h.amountType,
    putCall: h.putCall,
    investmentDiscretion: h.investmentDiscretion,
    otherManagers: [...h.otherManagers],
    voting: { ...h.voting },
  };
}
