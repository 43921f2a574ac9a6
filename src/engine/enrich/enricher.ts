/**
 * The enrichment itself, without the bus: time alignment for every signal, near-duplicate matching for
 * texts, swarm scoring for posts. Synchronous and deterministic: the same signals in the same order give
 * the same annotations, whatever the wall clock (windows move with event time, never with `Date.now`).
 *
 * `EnrichStage` wraps it for the bus; it can equally be called from another stage that owns the state.
 * Its state (texts, bursts, watermarks) lives in this process and is bounded by the windows and
 * `nearDuplicate.maxEntries`; after a restart the windows fill again from new signals.
 */
import type { RawSignal } from '../types.js';
import { accountFacts } from './account.js';
import {
  CLEAN_ANNOTATIONS,
  type EnrichmentAnnotations,
  type EnrichmentFlag,
  type NearDuplicateMatch,
  round4,
  type SwarmEvidence,
} from './annotations.js';
import { SwarmDetector } from './bot-swarm.js';
import { DEFAULT_ENRICHMENT_CONFIG, type EnrichmentConfig } from './enrichment-config.js';
import { NearDuplicateIndex } from './near-dup.js';
import { normalizeText, shingleSet, signalText } from './shingles.js';
import { TimeAligner } from './time-alignment.js';

/** What the enricher reads of an event: its envelope times and its signal. */
export interface EnrichableEvent {
  readonly tsEvent: number;
  readonly tsInit: number;
  readonly payload: RawSignal;
}

export class SignalEnricher {
  readonly config: EnrichmentConfig;
  readonly #time: TimeAligner;
  readonly #texts: NearDuplicateIndex;
  readonly #swarms: SwarmDetector;

  constructor(config: EnrichmentConfig = DEFAULT_ENRICHMENT_CONFIG) {
    this.config = config;
    this.#time = new TimeAligner(config.time);
    this.#texts = new NearDuplicateIndex(config.nearDuplicate);
    this.#swarms = new SwarmDetector(config.swarm);
  }

  /** Sizes of the state held, for memory checks and metrics. */
  get stateSize(): { readonly texts: number; readonly buckets: number; readonly bursts: number } {
    return { texts: this.#texts.size, buckets: this.#texts.bucketCount, bursts: this.#swarms.burstCount };
  }

  /** The stream's watermark (see time-alignment.ts). */
  watermark(source: string): number | null {
    return this.#time.watermark(source);
  }

  /**
   * Annotates one signal. `id` is the id the enriched signal will carry: later near-duplicates and
   * swarm evidence refer to it, so it must be the id stored downstream.
   */
  annotate(event: EnrichableEvent, id: string): EnrichmentAnnotations {
    const signal = event.payload;
    const time = this.#time.observe(signal.source, event.tsEvent, event.tsInit);
    const now = this.#time.frontier;
    this.#texts.expire(now);
    this.#swarms.expire(now);

    let nearDuplicateOf: NearDuplicateMatch | null = null;
    let swarm: SwarmEvidence | null = null;
    let swarmFlagged = false;
    let weight = 1;

    const text = signalText(signal);
    const words = text === null ? null : normalizeText(text, this.config.nearDuplicate.maxTokens);
    if (words !== null && words.length > 0) {
      const scope = signal.instrument ?? '';
      const ts = time.effectiveTs;
      const match = this.#texts.observe(id, scope, ts, shingleSet(words));
      const clusterId = match ? match.entry.clusterId : id;
      if (match) {
        nearDuplicateOf = { eventId: match.entry.id, clusterId, distance: round4(match.distance) };
        weight *= this.config.nearDuplicate.weight;
      }
      if (signal.kind === 'social_mention' && signal.instrument !== null) {
        const verdict = this.#swarms.observe({
          eventId: id,
          instrument: signal.instrument,
          clusterId,
          ts,
          account: accountFacts(signal.body, event.tsEvent),
          similarity: match ? 1 - match.distance : null,
        });
        swarm = verdict.evidence;
        if (verdict.flagged) {
          swarmFlagged = true;
          weight *= 1 - (1 - this.config.swarm.minWeight) * verdict.score;
        }
      }
    }

    if (!nearDuplicateOf && !swarm && !time.lateness && time.clockSkewMs === null) return CLEAN_ANNOTATIONS;
    const flags: EnrichmentFlag[] = [];
    if (nearDuplicateOf) flags.push('near_duplicate');
    if (swarmFlagged) flags.push('bot_swarm');
    if (time.lateness) flags.push('late');
    if (time.clockSkewMs !== null) flags.push('clock_skew');
    return {
      flags,
      weight: round4(weight),
      nearDuplicateOf,
      swarm,
      lateness: time.lateness,
      clockSkewMs: time.clockSkewMs,
    };
  }
}
