/**
 * Every topic on the bus, named once. Each topic carries one event type, or one family of them where their
 * order matters across types (an order's lifecycle, a vault's changes).
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
import type { KillSwitchChanged, OrderEvent, ReconciliationReported } from '../execution/events.js';
import type { OrderIntentCreated } from '../vaults/allocation-stage.js';
import type { VaultEvent } from '../vaults/events.js';
import type { DriftEvent, ModelRegistryEvent, StackerWeightsChanged } from '../modelops/events.js';

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
  /** Orders the allocator planned for a vault, before the autotrade queue holds them. */
  orderIntents: 'orders.intent',
  /**
   * An order's lifecycle, one event type per transition (OrderInitialized ... OrderFilled, OrderCanceled);
   * one topic for them all, so each order's events stay in the order they happened.
   */
  orderEvents: 'orders.events',
  /** Kill switches engaged and released. */
  killSwitches: 'risk.killswitch',
  /** What reconciliation with each venue found. */
  reconciliation: 'execution.reconciliation',
  /** Vault changes (created, overlay set, persona set), fills booked, compounding; one topic per vault family. */
  vaultEvents: 'vaults.events',
  /** Outputs of shadow versions: scored on live traffic and recorded, never fed to the conviction scorer. */
  modelShadowOutputs: 'models.shadow',
  /** Model registry changes (registered, promoted, demoted, retired) with their actor; one topic keeps each model's history in order. */
  modelRegistry: 'models.registry',
  /** Drift alarms raised and cleared. */
  modelDrift: 'models.drift',
  /** The reinforcement bias's changes to the live stacker's input weights, with the convictions that caused them. */
  modelWeights: 'models.weights',
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
  'orders.intent': OrderIntentCreated;
  'orders.events': OrderEvent;
  'risk.killswitch': KillSwitchChanged;
  'execution.reconciliation': ReconciliationReported;
  'vaults.events': VaultEvent;
  'models.shadow': ModelScored;
  'models.registry': ModelRegistryEvent;
  'models.drift': DriftEvent;
  'models.weights': StackerWeightsChanged;
  deadletter: DeadLettered;
}

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);
