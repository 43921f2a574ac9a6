/** Filters over the SEC filing views: insider transactions, institutional holdings and insider clusters. */
import { Field, InputType } from 'type-graphql';
import type { InsiderClusterRecord } from '../engine/store/filings.ports.js';
import { InsiderClusterStatusEnum } from './cluster.type.js';
import { DateTimeScalar, LocalDateScalar } from './scalars.js';

const CIK = 'A CIK, with or without its leading zeros (`320193` or `0000320193`).';

@InputType({ description: 'Every field set must match (AND).' })
export class InsiderTransactionFilter {
  @Field(() => String, { nullable: true, description: 'Instrument symbol, e.g. `AAPL`.' })
  instrument?: string | null;

  @Field(() => String, { nullable: true, description: `The issuer. ${CIK}` })
  issuerCik?: string | null;

  @Field(() => String, { nullable: true, description: `Any of the reporting owners. ${CIK}` })
  ownerCik?: string | null;

  @Field(() => [String], { nullable: true, description: 'Any of these SEC transaction codes, e.g. `["P", "S"]`.' })
  codes?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Only open-market purchases and sales (`P`, `S`).' })
  discretionaryOnly?: boolean | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Transaction date on or after this day.' })
  transactedFrom?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Transaction date on or before this day.' })
  transactedTo?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Also list rows an amendment (4/A) replaced, as `RETRACTED` with `retractedBy`. Default false.',
  })
  includeRetracted?: boolean | null;
}

@InputType({ description: 'Every field set must match (AND).' })
export class InstitutionalHoldingFilter {
  @Field(() => String, { nullable: true, description: `The manager that filed the 13F. ${CIK}` })
  managerCik?: string | null;

  @Field(() => String, { nullable: true, description: 'Nine characters, check digit included, e.g. `037833100`.' })
  cusip?: string | null;

  @Field(() => String, { nullable: true, description: 'Instrument symbol: the positions in the CUSIPs resolved to it.' })
  instrument?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The quarter end reported on, e.g. `2023-03-31`.' })
  reportPeriod?: string | null;
}

@InputType({ description: 'Every field set must match (AND).' })
export class InsiderClusterFilter {
  @Field(() => String, { nullable: true, description: 'Instrument symbol, e.g. `AAPL`.' })
  instrument?: string | null;

  @Field(() => String, { nullable: true, description: `The issuer. ${CIK}` })
  issuerCik?: string | null;

  @Field(() => InsiderClusterStatusEnum, { nullable: true })
  status?: InsiderClusterRecord['status'] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only clusters whose last purchase is at or after this.' })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only clusters whose first purchase is at or before this.' })
  to?: Date | null;
}
