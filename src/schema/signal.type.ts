/** Enriched signals: de-duplicated, normalized documents resolved to an instrument. */
import { Field, Float, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { MaskAuthorHandles } from '../api/auth/masking.js';
import type { EnrichmentFlag } from '../engine/enrich/annotations.js';
import type { SignalEvidence, SignalRecord } from '../engine/store/ports.js';
import type { SignalKind } from '../engine/types.js';
import { ConnectionType } from './connection.js';
import { DateTimeScalar, JSONScalar, toDate } from './scalars.js';

/** GraphQL names (keys) to the domain's values. */
export const SignalKindEnum = {
  BAR: 'bar',
  TRADE: 'trade',
  ORDER_BOOK: 'order_book',
  OPTIONS_FLOW: 'options_flow',
  FILING: 'filing',
  INSIDER_FILING: 'insider_filing',
  INSTITUTIONAL_HOLDING: 'institutional_holding',
  SOCIAL_MENTION: 'social_mention',
  NEWS: 'news',
  MACRO: 'macro',
  WHALE_TRANSFER: 'whale_transfer',
  STABLECOIN_FLOW: 'stablecoin_flow',
  MEMPOOL: 'mempool',
  INSIDER_CLUSTER: 'insider_cluster',
  CO_TRADING_COMMUNITY: 'co_trading_community',
} as const satisfies Record<string, SignalKind>;
registerEnumType(SignalKindEnum, {
  name: 'SignalKind',
  description:
    'What a signal is about: `BAR`, `TRADE`, `ORDER_BOOK` and `OPTIONS_FLOW` are market data; `INSIDER_CLUSTER` and `CO_TRADING_COMMUNITY` are derived from the entity graph; the rest is alternative data.',
});

export const SignalFlagEnum = {
  NEAR_DUPLICATE: 'near_duplicate',
  BOT_SWARM: 'bot_swarm',
  LATE: 'late',
  CLOCK_SKEW: 'clock_skew',
} as const satisfies Record<string, EnrichmentFlag>;
registerEnumType(SignalFlagEnum, {
  name: 'SignalFlag',
  description: 'What enrichment found suspect about a signal. A flagged signal is kept, and down-weighted when the flag says so.',
  valuesConfig: {
    NEAR_DUPLICATE: { description: 'Its text is close to an earlier signal about the same instrument.' },
    BOT_SWARM: { description: 'Part of a burst of near-identical posts from many young or low-reach accounts.' },
    LATE: { description: "Arrived behind its stream's watermark; kept, but too late to change closed windows." },
    CLOCK_SKEW: { description: "Stamped in Vanta's future by more than the tolerance." },
  },
});

@ObjectType('Signal', { description: 'A de-duplicated, normalized signal.' })
export class SignalType {
  @Field(() => ID, { description: 'The id of its `SignalEnriched` event.' })
  id!: string;

  @Field(() => String, { description: 'The collector that harvested it.' })
  source!: string;

  @Field(() => SignalKindEnum)
  kind!: SignalKind;

  @Field(() => String, { nullable: true, description: 'Instrument symbol, when the signal names one.' })
  instrument!: string | null;

  @Field(() => String, { nullable: true, description: "The source's own identifier for the document." })
  externalId!: string | null;

  @Field(() => String, { description: 'SHA-256 over the canonical JSON of the document.' })
  contentHash!: string;

  @Field(() => Float, { description: 'Signed direction hint carried by the document, -1..1.' })
  polarity!: number;

  @Field(() => Float)
  magnitude!: number;

  @Field(() => JSONScalar, { description: "The document's content as typed fields. Author handles are masked (`••••` and the last 4 characters) for Viewer-only principals." })
  @UseMiddleware(MaskAuthorHandles)
  body!: Record<string, unknown>;

  @Field(() => [SignalFlagEnum], { description: 'What enrichment flagged; empty for a clean signal.' })
  flags!: EnrichmentFlag[];

  @Field(() => Float, { description: 'How much models count the signal, 0..1 (below 1 for a bot-swarm post).' })
  weight!: number;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'The evidence behind the flags: `nearDuplicateOf`, `swarm`, `lateness`, `clockSkewMs`. Null when clean.',
  })
  evidence!: SignalEvidence | null;

  @Field(() => DateTimeScalar, { description: 'When it happened in the world.' })
  tsEvent!: Date;

  @Field(() => DateTimeScalar, { description: 'When Vanta saw it.' })
  tsInit!: Date;

  @Field(() => [ID], { description: 'The events it was derived from.' })
  causationIds!: string[];
}

@ObjectType({ description: 'A page of signals, newest first.' })
export class SignalConnection extends ConnectionType('Signal', SignalType) {}

export function toSignalType(s: SignalRecord): SignalType {
  return {
    id: s.id,
    source: s.source,
    kind: s.kind,
    instrument: s.instrument,
    externalId: s.externalId,
    contentHash: s.contentHash,
    polarity: s.polarity,
    magnitude: s.magnitude,
    body: { ...s.body },
    flags: [...s.flags],
    weight: s.weight,
    evidence: s.evidence,
    tsEvent: toDate(s.tsEvent),
    tsInit: toDate(s.tsInit),
    causationIds: [...s.causationIds],
  };
}
