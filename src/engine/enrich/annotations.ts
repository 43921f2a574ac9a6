/**
 * What enrichment adds to a de-duplicated signal: flags, a weight, and the evidence behind each flag.
 *
 * A flag never removes a signal. Suspect signals keep flowing with a weight below 1, so that models can
 * discount them, dashboards can show them, and an audit can say why a conviction ignored them.
 */
/** In the order they appear in `flags`, so that the same annotations always serialize the same way. */
export const ENRICHMENT_FLAGS = ['near_duplicate', 'bot_swarm', 'late', 'clock_skew'] as const;
export type EnrichmentFlag = (typeof ENRICHMENT_FLAGS)[number];

/** The earlier text a signal is closest to. */
export interface NearDuplicateMatch {
  /** Envelope id of the earlier `SignalEnriched`. */
  readonly eventId: string;
  /** Id of the first signal of the chain of near-duplicates this one joined (also a `SignalEnriched` id). */
  readonly clusterId: string;
  /** Jaccard distance between the two texts' word shingles: 0 for the same words, 1 for nothing shared. */
  readonly distance: number;
}

/** Why a post looks like part of a bot swarm. */
export interface SwarmEvidence {
  /** 0 (organic) .. 1 (certainly a swarm). */
  readonly score: number;
  readonly instrument: string;
  /** The near-duplicate cluster the burst posts belong to. */
  readonly clusterId: string;
  /** Posts of the cluster about the instrument inside the window. */
  readonly posts: number;
  /** Distinct accounts among them. */
  readonly accounts: number;
  /** Accounts that are young or have little reach (suspicion at least 0.5). */
  readonly suspiciousAccounts: number;
  /** Mean suspicion of the accounts, 0..1. */
  readonly suspicion: number;
  /** Mean text similarity (1 − distance) of the posts to the ones they copied. */
  readonly similarity: number;
  /** Event times of the oldest and newest post counted. */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Some of the accounts, first seen first. */
  readonly sampleAccounts: readonly string[];
}

/** How far behind its stream's watermark a signal arrived. */
export interface Lateness {
  /** The stream whose watermark it missed (the signal's source). */
  readonly stream: string;
  /** Newest event time seen on the stream minus the allowed lateness, when the signal arrived. */
  readonly watermark: number;
  /** watermark − tsEvent, in milliseconds (positive). */
  readonly lateByMs: number;
}

export interface EnrichmentAnnotations {
  readonly flags: readonly EnrichmentFlag[];
  /** How much the signal should count, 0..1; 1 unless a flag down-weights it. */
  readonly weight: number;
  readonly nearDuplicateOf: NearDuplicateMatch | null;
  /** Present when the post's cluster scores high enough to be worth explaining, flagged or not. */
  readonly swarm: SwarmEvidence | null;
  readonly lateness: Lateness | null;
  /** tsEvent − tsInit when the source stamped the signal in our future beyond the tolerance. */
  readonly clockSkewMs: number | null;
}

const NO_FLAGS: readonly EnrichmentFlag[] = Object.freeze([]);

/** The annotations of a signal nothing is wrong with; shared, so clean signals cost no allocation. */
export const CLEAN_ANNOTATIONS: EnrichmentAnnotations = Object.freeze({
  flags: NO_FLAGS,
  weight: 1,
  nearDuplicateOf: null,
  swarm: null,
  lateness: null,
  clockSkewMs: null,
});

/** Rounds scores and distances so that payloads stay short and read the same everywhere. */
export const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
