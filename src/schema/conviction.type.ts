/** The conviction vector: a ranked, explained, expiring opinion about one instrument. */
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ConvictionBand, ConvictionVector, Direction } from '../engine/types.js';
import { ConnectionType } from './connection.js';
import { DateTimeScalar, toDate } from './scalars.js';

/** GraphQL enum values equal the domain's strings, so values pass through unchanged. */
export const DirectionEnum = { LONG: 'LONG', SHORT: 'SHORT', NEUTRAL: 'NEUTRAL' } as const satisfies Record<
  Direction,
  Direction
>;
registerEnumType(DirectionEnum, { name: 'Direction', description: 'Which way the conviction points.' });

export const ConvictionBandEnum = {
  WEAK: 'WEAK',
  MODERATE: 'MODERATE',
  STRONG: 'STRONG',
  EXTREME: 'EXTREME',
} as const satisfies Record<ConvictionBand, ConvictionBand>;
registerEnumType(ConvictionBandEnum, {
  name: 'ConvictionBand',
  description: 'The strength of a conviction, by the absolute value of its score.',
});

@ObjectType({ description: 'One reason behind a conviction, with its signed contribution.' })
export class ReasonComponent {
  @Field(() => String, { description: 'What the reason is about, e.g. `mentions.zscore`.' })
  feature!: string;

  @Field(() => Float, { description: 'Signed contribution to the conviction score.' })
  contribution!: number;

  @Field(() => Float, { description: 'The value the reason is built on.' })
  value!: number;

  @Field(() => String, { description: 'A plain sentence a person can read.' })
  sentence!: string;
}

@ObjectType({ description: 'A model that contributed to a conviction.' })
export class ContributingModel {
  @Field(() => String, { description: 'The model name with its parameters, e.g. `ZScore(window=48,min=12)`.' })
  modelId!: string;

  @Field(() => String)
  version!: string;

  @Field(() => Float)
  weight!: number;

  @Field(() => Float, { description: "The model's output." })
  output!: number;
}

@ObjectType('ConvictionVector', { description: 'A ranked, explained, expiring opinion about one instrument.' })
export class ConvictionVectorType {
  @Field(() => ID, { description: 'The id of the `ConvictionScored` event that carried it.' })
  id!: string;

  @Field(() => ID, { description: 'The signal event that triggered this conviction.' })
  signalId!: string;

  @Field(() => String)
  instrument!: string;

  @Field(() => Float, { description: '-1 (strong short) .. 1 (strong long).' })
  convictionScore!: number;

  @Field(() => DirectionEnum)
  direction!: Direction;

  @Field(() => ConvictionBandEnum)
  band!: ConvictionBand;

  @Field(() => [ReasonComponent], { description: 'Reasons, largest absolute contribution first.' })
  reasonVector!: ReasonComponent[];

  @Field(() => [ContributingModel])
  contributingModels!: ContributingModel[];

  @Field(() => Int, { description: 'Time to live in seconds.' })
  ttl!: number;

  @Field(() => DateTimeScalar)
  expiresAt!: Date;

  @Field(() => [String])
  routingTags!: string[];

  @Field(() => String, { description: 'A deterministic rationale written from the reasons.' })
  explanation!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@ObjectType({ description: 'A page of conviction vectors, newest first.' })
export class ConvictionVectorConnection extends ConnectionType('ConvictionVector', ConvictionVectorType) {}

export function toConvictionVectorType(v: ConvictionVector): ConvictionVectorType {
  return {
    id: v.id,
    signalId: v.signalId,
    instrument: v.instrument,
    convictionScore: v.convictionScore,
    direction: v.direction,
    band: v.band,
    reasonVector: v.reasonVector.map((r) => ({ ...r })),
    contributingModels: v.contributingModels.map((m) => ({ ...m })),
    ttl: v.ttl,
    expiresAt: toDate(v.expiresAt),
    routingTags: [...v.routingTags],
    explanation: v.explanation,
    createdAt: toDate(v.createdAt),
  };
}
