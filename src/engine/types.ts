/**
 * The domain's readonly types and the event envelope every stage speaks.
 *
 * Events are past tense (`SignalIngested`, `ConvictionScored`). Every event carries the same envelope:
 * `id`, `type`, `tsEvent` (when it happened in the world), `tsInit` (when Vanta saw it) and
 * `causationIds` (the events it was derived from). Audit and lineage are built from that envelope alone.
 *
 * All timestamps are epoch milliseconds (UTC).
 */
import type { EnrichmentAnnotations } from './enrich/annotations.js';

export type AssetClass = 'equity' | 'crypto' | 'index';

export interface Instrument {
  readonly symbol: string;
  readonly name: string;
  readonly assetClass: AssetClass;
  readonly sector: string;
  readonly venue: string;
}

/**
 * What a signal is about. Market data: `bar`, `trade` (a block print or sweep), `order_book` (an imbalance),
 * `options_flow` (unusual volume, sweeps, skew). Alternative data: `filing` (a filing announced on a feed),
 * `insider_filing` (one insider transaction), `institutional_holding` (one 13F position), `social_mention`,
 * `news`, `macro` (an economic series observation), and on-chain `whale_transfer`, `stablecoin_flow`
 * (mint or burn) and `mempool` (pending-transaction activity). Derived from the entity graph: `insider_cluster`
 * (several insiders of one issuer buying within a window) and `co_trading_community` (accounts that act on the
 * same instruments together).
 */
export const SIGNAL_KINDS = [
  'bar',
  'trade',
  'order_book',
  'options_flow',
  'filing',
  'insider_filing',
  'institutional_holding',
  'social_mention',
  'news',
  'macro',
  'whale_transfer',
  'stablecoin_flow',
  'mempool',
  'insider_cluster',
  'co_trading_community',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export interface Bar {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /** Bar length in milliseconds. */
  readonly intervalMs: number;
}

/** A document as a collector saw it, before enrichment. */
export interface RawSignal {
  readonly source: string;
  readonly kind: SignalKind;
  /** The instrument's symbol when the source names one. */
  readonly instrument: string | null;
  /** The source's own identifier for the document (an accession number, a post id), when it has one. */
  readonly externalId: string | null;
  /** The document's content as typed fields. For `bar`, a {@link Bar}. */
  readonly body: Readonly<Record<string, unknown>>;
  /**
   * True when this signal withdraws one published before (a 4/A replacing its original, a log removed by
   * a chain reorganisation); its body names what it withdraws.
   */
  readonly retracts?: boolean;
}

/** A raw signal after de-duplication and normalization. */
export interface DeduplicatedSignal extends RawSignal {
  /** SHA-256 over the canonical JSON of source, kind, instrument, externalId and body. */
  readonly contentHash: string;
  /**
   * A signed hint of direction the document itself carries, in -1..1 (an insider buy is positive, a sale
   * negative; a bar's return; the sentiment of a post), or 0 when it carries none.
   */
  readonly polarity: number;
  /** How much of the series this signal adds to: a bar's volume, 1 for a post or an article, a transfer's USD value. */
  readonly magnitude: number;
}

/**
 * A de-duplicated signal with what enrichment found (see `enrich/annotations.ts`): flags, a weight in 0..1
 * that models multiply its magnitude by, and the evidence behind each flag. Suspect signals are
 * down-weighted, never dropped.
 */
export interface EnrichedSignal extends DeduplicatedSignal, EnrichmentAnnotations {}

export interface DuplicateDropped {
  readonly contentHash: string;
  /** The event id of the first signal seen with this content. */
  readonly firstEventId: string;
}

export type AnomalySeries = 'volume' | 'mentions' | 'insider' | 'news' | 'whale';

/** What a feature-based model's output rests on: one input feature, its value, and its signed share. */
export interface FeatureAttribution {
  readonly feature: string;
  /** The feature's value the model saw; null when it was missing. */
  readonly value: number | null;
  /** Signed contribution to the model's output (TreeSHAP for tree models), in the model's own units. */
  readonly contribution: number;
}

/** One model's output on one instrument at one time. */
export interface ModelOutput {
  /** The model's name with its parameters, e.g. `ZScore(window=48,min=12)`. */
  readonly modelId: string;
  readonly modelVersion: string;
  readonly instrument: string;
  /**
   * What the output speaks about: for the z-score model one of the {@link AnomalySeries}; for the feature
   * models `features`, for the graph model the kind of structure (`insider_cluster`, `co_trading_community`).
   */
  readonly series: AnomalySeries | 'features' | 'insider_cluster' | 'co_trading_community';
  /** The value of the series in the bucket that was scored. */
  readonly value: number;
  /** The rolling mean and standard deviation the value was compared with. */
  readonly mean: number;
  readonly std: number;
  /** The model's score: for z-score models, (value - mean) / std. */
  readonly score: number;
  /** Signed direction hint carried by the signals behind the value, in -1..1. */
  readonly polarity: number;
  /** The horizon the output speaks for, in milliseconds. */
  readonly horizonMs: number;
  /**
   * The model's signed evidence for an up move over the horizon, in -1..1: what the meta stacker reads. Absent
   * on z-score outputs, whose evidence is derived from `score` and `polarity` (see conviction/inputs.ts).
   */
  readonly signal?: number;
  /** For feature models: the features behind the output, largest |contribution| first. */
  readonly attributions?: readonly FeatureAttribution[];
  /** A plain sentence saying what the model saw; the z-score's sentences are written in conviction/explain.ts. */
  readonly summary?: string;
}

/** An instrument's features as the online store served them when a scoring was due. */
export interface FeatureSnapshot {
  readonly instrument: string;
  /** The event time the values are as of (the instrument's watermark). */
  readonly asOf: number;
  readonly featureSetVersion: string;
  /** Feature name → value; null when missing (absent, stale or undefined). */
  readonly values: Readonly<Record<string, number | null>>;
  /** The kind of signal that made the scoring due. */
  readonly trigger: SignalKind;
}

export type Direction = 'LONG' | 'SHORT' | 'NEUTRAL';
export type ConvictionBand = 'WEAK' | 'MODERATE' | 'STRONG' | 'EXTREME';

export interface ReasonComponent {
  /** What the reason is about, e.g. `mentions.zscore`. */
  readonly feature: string;
  /** Signed contribution to the conviction score. */
  readonly contribution: number;
  /** The value the reason is built on. */
  readonly value: number;
  /** A plain sentence a person can read. */
  readonly sentence: string;
}

export interface ContributingModel {
  readonly modelId: string;
  readonly version: string;
  readonly weight: number;
  readonly output: number;
}

/** The product's unit of output: a ranked, explained, expiring opinion about one instrument. */
export interface ConvictionVector {
  /** Equal to the envelope id of the `ConvictionScored` event that carried it. */
  readonly id: string;
  /** The signal event that triggered this conviction. */
  readonly signalId: string;
  readonly instrument: string;
  /** -1 (strong short) .. 1 (strong long). */
  readonly convictionScore: number;
  readonly direction: Direction;
  readonly band: ConvictionBand;
  /** Reasons ordered by absolute contribution, largest first. */
  readonly reasonVector: readonly ReasonComponent[];
  readonly contributingModels: readonly ContributingModel[];
  /** Time to live in seconds. */
  readonly ttl: number;
  readonly expiresAt: number;
  readonly routingTags: readonly string[];
  /** A deterministic rationale written from the reasons. */
  readonly explanation: string;
  readonly createdAt: number;
}

/** The event envelope. `P` is the payload's type. */
export interface EventEnvelope<T extends string, P> {
  readonly id: string;
  readonly type: T;
  readonly tsEvent: number;
  readonly tsInit: number;
  readonly causationIds: readonly string[];
  readonly payload: P;
}

export type SignalIngested = EventEnvelope<'SignalIngested', RawSignal>;
export type SignalDeduplicated = EventEnvelope<'SignalDeduplicated', DeduplicatedSignal>;
export type SignalEnriched = EventEnvelope<'SignalEnriched', EnrichedSignal>;
export type SignalDuplicateDropped = EventEnvelope<'SignalDuplicateDropped', DuplicateDropped>;
export type FeaturesComputed = EventEnvelope<'FeaturesComputed', FeatureSnapshot>;
export type ModelScored = EventEnvelope<'ModelScored', ModelOutput>;
export type ConvictionScored = EventEnvelope<'ConvictionScored', ConvictionVector>;
export type DeadLettered = EventEnvelope<
  'DeadLettered',
  { readonly stage: string; readonly error: string; readonly source: unknown }
>;

export type VantaEvent =
  | SignalIngested
  | SignalDeduplicated
  | SignalEnriched
  | SignalDuplicateDropped
  | FeaturesComputed
  | ModelScored
  | ConvictionScored
  | DeadLettered
  // The trading side's events are defined next to their engines.
  | import('./vaults/allocation-stage.js').OrderIntentCreated
  | import('./execution/events.js').ExecutionEvent
  | import('./vaults/events.js').VaultEvent
  | import('./modelops/events.js').ModelOpsEvent;

export type EventType = VantaEvent['type'];
