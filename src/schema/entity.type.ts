/**
 * The entity graph: instruments, SEC filers, insiders, wallets, tokens, labels and authors, and the relations
 * the documents state between them, each with the events that first and last observed it (its provenance).
 */
import { Field, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { MaskLabelAttrs, MaskWalletLabel } from '../api/auth/masking.js';
import type { EdgeKind, EntityKind } from '../engine/entities/ids.js';
import type { EdgeRecord, EntityRecord, Neighbour, NeighbourDirection } from '../engine/entities/ports.js';
import { DateTimeScalar, JSONScalar, toDate } from './scalars.js';

/** GraphQL names (keys) to the domain's values. */
export const EntityKindEnum = {
  INSTRUMENT: 'instrument',
  FILER: 'filer',
  PERSON: 'person',
  WALLET: 'wallet',
  TOKEN: 'token',
  LABEL: 'label',
  AUTHOR: 'author',
} as const satisfies Record<string, EntityKind>;
registerEnumType(EntityKindEnum, {
  name: 'EntityKind',
  description:
    '`INSTRUMENT` (`ins:AAPL`), `FILER` (an SEC registrant by CIK, `cik:0000320193`), `PERSON` (an insider known only by name), `WALLET`, `TOKEN` (a token contract), `LABEL` (an exchange or other owner of wallets), `AUTHOR` (a social account).',
});

export const EdgeKindEnum = {
  ISSUER_OF: 'issuer_of',
  INSIDER_OF: 'insider_of',
  HOLDS: 'holds',
  LABELLED_AS: 'labelled_as',
  MENTIONS: 'mentions',
  TRANSFERS_TO: 'transfers_to',
  TOKEN_OF: 'token_of',
} as const satisfies Record<string, EdgeKind>;
registerEnumType(EdgeKindEnum, {
  name: 'EdgeKind',
  description:
    '`ISSUER_OF` (filer → instrument), `INSIDER_OF` (insider → issuer; `attrs.relationship` says how), `HOLDS` (13F manager → instrument; `attrs.cusip`), `LABELLED_AS` (wallet → label), `MENTIONS` (author → instrument), `TRANSFERS_TO` (wallet or label → wallet or label), `TOKEN_OF` (token → the instrument it tracks).',
});

export const NeighbourDirectionEnum = { OUT: 'out', IN: 'in', BOTH: 'both' } as const satisfies Record<
  string,
  NeighbourDirection
>;
registerEnumType(NeighbourDirectionEnum, {
  name: 'NeighbourDirection',
  description: '`OUT`: edges from the entity; `IN`: edges to it; `BOTH` (only as an argument): either.',
});

@ObjectType({ description: 'The events behind a node or edge of the graph; pass either to `lineage`.' })
export class Provenance {
  @Field(() => ID, { description: 'The event of the earliest observation: the one that created it.' })
  createdBy!: string;

  @Field(() => ID, { description: 'The event of the latest observation.' })
  updatedBy!: string;
}

@ObjectType('Entity', { description: 'A node of the entity graph.' })
export class EntityType {
  @Field(() => ID, { description: 'The kind prefix and the identifier, e.g. `ins:AAPL`, `cik:0000320193`.' })
  id!: string;

  @Field(() => EntityKindEnum)
  kind!: EntityKind;

  @Field(() => String, {
    nullable: true,
    description: 'The name the latest observation that named it gave. For wallets and labels, masked (`••••` and the last 4 characters) for Viewer-only principals.',
  })
  @UseMiddleware(MaskWalletLabel)
  name!: string | null;

  @Field(() => JSONScalar, { description: 'The attributes of the latest observation that gave any, e.g. `{symbol}`.' })
  attrs!: Record<string, unknown>;

  @Field(() => DateTimeScalar)
  firstSeen!: Date;

  @Field(() => DateTimeScalar)
  lastSeen!: Date;

  @Field(() => Provenance)
  provenance!: Provenance;
}

@ObjectType('EntityEdge', { description: 'A relation a document stated, from `src` to `dst`.' })
export class EntityEdgeType {
  @Field(() => ID)
  src!: string;

  @Field(() => EdgeKindEnum)
  kind!: EdgeKind;

  @Field(() => ID)
  dst!: string;

  @Field(() => JSONScalar, { description: 'A `label` attribute is masked for Viewer-only principals.' })
  @UseMiddleware(MaskLabelAttrs)
  attrs!: Record<string, unknown>;

  @Field(() => DateTimeScalar)
  firstSeen!: Date;

  @Field(() => DateTimeScalar)
  lastSeen!: Date;

  @Field(() => Provenance)
  provenance!: Provenance;
}

@ObjectType('Neighbour', { description: 'An entity one edge away, with that edge.' })
export class NeighbourType {
  @Field(() => NeighbourDirectionEnum, { description: '`OUT` when the edge goes from the queried entity to this one.' })
  direction!: NeighbourDirection;

  @Field(() => EntityEdgeType)
  edge!: EntityEdgeType;

  @Field(() => EntityType)
  entity!: EntityType;
}

export function toEntityType(e: EntityRecord): EntityType {
  return {
    id: e.id,
    kind: e.kind,
    name: e.name,
    attrs: { ...e.attrs },
    firstSeen: toDate(e.firstSeen),
    lastSeen: toDate(e.lastSeen),
    provenance: { createdBy: e.createdBy, updatedBy: e.updatedBy },
  };
}

function toEdgeType(e: EdgeRecord): EntityEdgeType {
  return {
    src: e.src,
    kind: e.kind,
    dst: e.dst,
    attrs: { ...e.attrs },
    firstSeen: toDate(e.firstSeen),
    lastSeen: toDate(e.lastSeen),
    provenance: { createdBy: e.createdBy, updatedBy: e.updatedBy },
  };
}

export function toNeighbourType(n: Neighbour): NeighbourType {
  return { direction: n.direction, edge: toEdgeType(n.edge), entity: toEntityType(n.entity) };
}
