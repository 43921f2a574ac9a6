/** The graph of events that caused a given event, from the audit log. */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { LineageGraph, LineageNode } from '../engine/audit/lineage-types.js';
import { DateTimeScalar, JSONScalar, toDate } from './scalars.js';

@ObjectType('LineageNode', { description: 'One audited event of a lineage.' })
export class LineageNodeType {
  @Field(() => ID)
  eventId!: string;

  @Field(() => String, { description: 'The event type, e.g. `SignalEnriched`.' })
  type!: string;

  @Field(() => DateTimeScalar)
  tsEvent!: Date;

  @Field(() => DateTimeScalar)
  tsInit!: Date;

  @Field(() => Int, { description: 'Distance from the root: 0 for the root, 1 for its direct causes, ...' })
  depth!: number;

  @Field(() => JSONScalar, { nullable: true })
  payload!: unknown;

  @Field(() => Int, { description: 'Position in the audit chain.' })
  auditSeq!: number;

  @Field(() => String, { description: 'Hash of the audit entry (SHA-256 hex).' })
  auditHash!: string;
}

@ObjectType('LineageEdge', { description: 'The derived event `from` was derived from `to`.' })
export class LineageEdgeType {
  @Field(() => ID)
  from!: string;

  @Field(() => ID)
  to!: string;
}

@ObjectType('Lineage')
export class LineageType {
  @Field(() => ID)
  rootId!: string;

  @Field(() => [LineageNodeType], { description: 'By depth, then audit position.' })
  nodes!: LineageNodeType[];

  @Field(() => [LineageEdgeType])
  edges!: LineageEdgeType[];

  @Field(() => [ID], { description: 'Causation ids the audit log does not hold (normally empty).' })
  missing!: string[];
}

function toNode(n: LineageNode): LineageNodeType {
  return {
    eventId: n.eventId,
    type: n.type,
    tsEvent: toDate(n.tsEvent),
    tsInit: toDate(n.tsInit),
    depth: n.depth,
    payload: n.payload ?? null,
    auditSeq: n.auditSeq,
    auditHash: n.auditHash,
  };
}

export function toLineageType(g: LineageGraph): LineageType {
  return {
    rootId: g.rootId,
    nodes: g.nodes.map(toNode),
    edges: g.edges.map((e) => ({ from: e.from, to: e.to })),
    missing: [...g.missing],
  };
}
