/** Filters over conviction vectors, for the `convictionVectors` query and the `convictionUpdated` subscription. */
import { Field, Float, InputType } from 'type-graphql';
import type { ConvictionBand } from '../engine/types.js';
import { ConvictionBandEnum } from './conviction.type.js';

@InputType({ description: 'Every field set must match (AND).' })
export class ConvictionFilter {
  @Field(() => String, { nullable: true, description: 'Instrument symbol, e.g. `AAPL`.' })
  instrument?: string | null;

  @Field(() => Float, { nullable: true, description: 'Only vectors with |convictionScore| >= this (0..1).' })
  minAbsScore?: number | null;

  @Field(() => ConvictionBandEnum, { nullable: true })
  band?: ConvictionBand | null;

  @Field(() => String, { nullable: true, description: 'Only vectors carrying this routing tag.' })
  routingTag?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only vectors that have not expired yet.' })
  activeOnly?: boolean | null;
}
