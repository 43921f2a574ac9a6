/** Filters over signals, for the `signals` query and the `signalIngested` subscription. */
import { Field, InputType } from 'type-graphql';
import type { EnrichmentFlag } from '../engine/enrich/annotations.js';
import type { SignalKind } from '../engine/types.js';
import { SignalFlagEnum, SignalKindEnum } from './signal.type.js';

@InputType({ description: 'Every field set must match (AND).' })
export class SignalFilter {
  @Field(() => String, { nullable: true, description: 'Instrument symbol, e.g. `AAPL`.' })
  instrument?: string | null;

  @Field(() => SignalKindEnum, { nullable: true })
  kind?: SignalKind | null;

  @Field(() => String, { nullable: true, description: 'Collector name, e.g. `simulator`.' })
  source?: string | null;

  @Field(() => SignalFlagEnum, { nullable: true, description: 'Only signals enrichment flagged so.' })
  flag?: EnrichmentFlag | null;
}
