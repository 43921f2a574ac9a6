/**
 * Insider clusters: several distinct insiders of one issuer buying on the open market within a window, as the
 * entity stage's detector found them. A cluster is emitted when it opens and again, grown, as insiders join it.
 */
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { InsiderClusterRecord } from '../engine/store/filings.ports.js';
import { ConnectionType } from './connection.js';
import { DateTimeScalar, toDate } from './scalars.js';

export const InsiderClusterStatusEnum = { OPENED: 'opened', GREW: 'grew' } as const satisfies Record<
  string,
  InsiderClusterRecord['status']
>;
registerEnumType(InsiderClusterStatusEnum, {
  name: 'InsiderClusterStatus',
  description: '`OPENED`: the emission that found the cluster; `GREW`: a later one, after another insider joined.',
});

@ObjectType({ description: 'An insider buying in the cluster.' })
export class InsiderClusterMember {
  @Field(() => ID, { description: "The insider's entity id (`cik:…`, or `per:…` for one known by name only)." })
  insiderId!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  relationship!: string | null;

  @Field(() => Int)
  purchases!: number;

  @Field(() => Float)
  shares!: number;

  @Field(() => Float, { description: 'In dollars.' })
  value!: number;
}

@ObjectType('InsiderCluster', { description: 'One emission of an insider cluster.' })
export class InsiderClusterType {
  @Field(() => ID, { description: 'The stored signal (pass it to `signal` or `lineage`).' })
  signalId!: string;

  @Field(() => String, { nullable: true })
  instrument!: string | null;

  @Field(() => DateTimeScalar, { description: 'The latest purchase: when the cluster became what it is.' })
  tsEvent!: Date;

  @Field(() => DateTimeScalar, { description: 'When Vanta saw it.' })
  tsInit!: Date;

  @Field(() => String, { nullable: true, description: 'The detector and its settings.' })
  model!: string | null;

  @Field(() => ID, { description: "Stable over the cluster's life: every emission of one cluster shares it." })
  clusterId!: string;

  @Field(() => InsiderClusterStatusEnum)
  status!: InsiderClusterRecord['status'];

  @Field(() => ID, { nullable: true, description: "The issuer's entity id (`cik:…`, or `ins:…` when its CIK is unknown)." })
  issuerId!: string | null;

  @Field(() => DateTimeScalar, { description: 'The first purchase in the cluster.' })
  windowStart!: Date;

  @Field(() => DateTimeScalar, { description: 'The latest purchase in the cluster.' })
  windowEnd!: Date;

  @Field(() => Float, { nullable: true, description: 'The configured window, in milliseconds.' })
  windowMs!: number | null;

  @Field(() => Int, { description: 'Distinct insiders.' })
  insiders!: number;

  @Field(() => Int)
  purchases!: number;

  @Field(() => Float)
  totalShares!: number;

  @Field(() => Float, { description: 'In dollars, summed in whole cents.' })
  totalValue!: number;

  @Field(() => [InsiderClusterMember], { description: 'By value, largest first.' })
  members!: InsiderClusterMember[];
}

@ObjectType({ description: 'A page of insider clusters, newest first.' })
export class InsiderClusterConnection extends ConnectionType('InsiderCluster', InsiderClusterType) {}

export function toInsiderClusterType(c: InsiderClusterRecord): InsiderClusterType {
  return {
    signalId: c.signalId,
    instrument: c.instrument,
    tsEvent: toDate(c.tsEvent),
    tsInit: toDate(c.tsInit),
    model: c.model,
    clusterId: c.clusterId,
    status: c.status,
    issuerId: c.issuerId,
    windowStart: toDate(c.windowStart),
    windowEnd: toDate(c.windowEnd),
    windowMs: c.windowMs,
    insiders: c.insiders,
    purchases: c.purchases,
    totalShares: c.totalShares,
    totalValue: c.totalValue,
    members: c.members.map((m) => ({ ...m })),
  };
}
