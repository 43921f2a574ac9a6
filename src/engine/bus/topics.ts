/**
 * Every topic on the bus, named once. Each topic carries exactly one event type.
 */
import type {
  ConvictionScored,
  DeadLettered,
  FeaturesComputed,
  ModelScored,
  SignalDeduplicated,
  SignalDuplicateDropped,
  SignalEnriched,
  SignalIngested,
} from '../types.js';

export const Topics = {
  /** Documents as the collectors saw them. */
  signalsRaw: 'signals.raw',
  /** Signals seen for the first time, normalized (direction and size). */
  signalsDeduplicated: 'signals.deduplicated',
  /** De-duplicated signals with enrichment's flags, weight and evidence (near-duplicate, bot swarm, lateness). */
  signalsEnriched: 'signals.enriched',
  /** Signals dropped as exact duplicates of one seen before. */
  signalsDuplicate: 'signals.duplicate',
  /** An instrument's feature values, as served by the online store, when a scoring of it is due. */
  featuresComputed: 'features.computed',
  /** Every model's output. */
  modelOutputs: 'models.outputs',
  /** Scored conviction vectors. */
  convictions: 'conviction.scored',
  /** Inputs a stage could not process, with the error and the source document. */
  deadLetter: 'deadletter',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/** The event type each topic carries. */
export interface TopicEvents {
  'signals.raw': SignalIngested;
  'signals.deduplicated': SignalDeduplicated;
  'signals.enriched': SignalEnriched;
  'signals.duplicate': SignalDuplicateDropped;
  'features.computed': FeaturesComputed;
  'models.outputs': ModelScored;
  'conviction.scored': ConvictionScored;
  deadletter: DeadLettered;
}

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);
