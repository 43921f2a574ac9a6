/**
 * Model operations' events, on the shared envelope (`../types.ts`): past tense, immutable, with deterministic
 * ids derived from what changed, so the same change always has the same id and a repeat is dropped downstream.
 * The engine returns them; the caller publishes them and appends them to the audit log.
 *
 * `causationIds` carry what a change rests on: a promotion names the decision's evidence id, a demotion the
 * drift alarm that caused it, so lineage shows why a model stopped scoring.
 */
import { eventId } from '../canonical.js';
import type { InputRecord, WeightChange } from '../conviction/reinforcement.js';
import type { EventEnvelope } from '../types.js';

/*
 * Registry events travel on `Topics.modelRegistry`, drift events on `Topics.modelDrift`, the reinforcement
 * bias's weight changes on `Topics.modelWeights` (bus/topics.ts).
 */

export type Alias = 'shadow' | 'live' | 'retired';

/** Where a version came from: what the registry needs to say which data a model saw. */
export interface ModelVersionRecord {
  /** `<model>@<version>`: unique. */
  readonly id: string;
  /** The model's name with its parameters, e.g. `GBDT(rounds=300,depth=4)`. */
  readonly model: string;
  readonly version: string;
  /** The version it was retrained from, when it was. */
  readonly parentVersion: string | null;
  readonly featureSetVersion: string | null;
  /** Event-time range of the rows it was trained on, [from, to); null for models written in code. */
  readonly trainingWindow: { readonly from: number; readonly to: number } | null;
  /** The event time the training was decided at: it read nothing stamped later. Null for models written in code. */
  readonly trainedAsOf: number | null;
  readonly artifactHash: string | null;
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly registeredAt: number;
}

/** Who changed the registry, why, and when (event time). */
export interface ChangeMeta {
  readonly actor: string;
  readonly reason: string;
  readonly at: number;
  /** When the change was recorded; defaults to `at`. */
  readonly tsInit?: number;
  /** The events the change rests on (a promotion decision, a drift alarm). */
  readonly causationIds?: readonly string[];
}

export interface AliasChange {
  readonly model: string;
  readonly versionId: string;
  readonly version: string;
  /** null for the registration itself. */
  readonly from: Alias | null;
  readonly to: Alias;
  readonly actor: string;
  readonly reason: string;
  readonly at: number;
  /** Position in the model's history, from 1. */
  readonly seq: number;
  /** The id of the event that recorded the change. */
  readonly eventId: string;
}

export type ModelVersionRegistered = EventEnvelope<'ModelVersionRegistered', { readonly record: ModelVersionRecord; readonly change: AliasChange }>;
export type ModelPromoted = EventEnvelope<'ModelPromoted', { readonly change: AliasChange; readonly replaced: string | null }>;
export type ModelDemoted = EventEnvelope<'ModelDemoted', { readonly change: AliasChange }>;
export type ModelRetired = EventEnvelope<'ModelRetired', { readonly change: AliasChange }>;
export type ModelRegistryEvent = ModelVersionRegistered | ModelPromoted | ModelDemoted | ModelRetired;

/** What a drift alarm does to the model it is about. */
export type DriftAction =
  /** Multiply the model's stacker weight by `multiplier` (0..1) while the alarm stands. */
  | { readonly kind: 'cut_weight'; readonly multiplier: number }
  /** The model stops scoring while the alarm stands. */
  | { readonly kind: 'halt' };

export interface DriftKeyAlarm {
  readonly key: string;
  readonly kind: 'feature' | 'output';
  readonly psi: number;
  readonly kl: number;
  readonly tv: number;
  readonly n: number;
  /** Which criteria crossed their alarm threshold: `psi`, `kl`, `shift`. */
  readonly criteria: readonly string[];
}

export type DriftAlarmRaised = EventEnvelope<
  'DriftAlarmRaised',
  {
    readonly model: string;
    readonly version: string;
    readonly action: DriftAction;
    readonly alarms: readonly DriftKeyAlarm[];
    readonly windowStart: number;
    readonly windowEnd: number;
  }
>;
export type DriftAlarmCleared = EventEnvelope<
  'DriftAlarmCleared',
  { readonly model: string; readonly version: string; readonly raisedBy: string; readonly windowStart: number; readonly windowEnd: number }
>;
export type DriftEvent = DriftAlarmRaised | DriftAlarmCleared;

/**
 * The reinforcement bias moved one or more of the live stacker's input multipliers: each change with the hit
 * rate that caused it; `causationIds` are the convictions whose realized outcomes moved it. `multipliers` are
 * all of the stacker's multipliers after the change, in its input order.
 */
export type StackerWeightsChanged = EventEnvelope<
  'StackerWeightsChanged',
  {
    readonly stacker: string;
    readonly version: string;
    readonly changes: readonly WeightChange[];
    readonly multipliers: Readonly<Record<string, number>>;
    /** Every input's hit rate, calls judged and multiplier after the change: what a restart takes back. */
    readonly state?: Readonly<Record<string, InputRecord>>;
  }
>;

export type ModelOpsEvent = ModelRegistryEvent | DriftEvent | StackerWeightsChanged;

/** The id of the model-ops event of this type and key: known before the event is built, so a history can name it. */
export function modelOpsEventId(type: ModelOpsEvent['type'], key: readonly unknown[]): string {
  return eventId('mop', type, ...key);
}

/** A model-ops event with its id derived from its type and `key`. */
export function modelOpsEvent<E extends ModelOpsEvent>(
  type: E['type'],
  key: readonly unknown[],
  tsEvent: number,
  tsInit: number,
  payload: E['payload'],
  causationIds: readonly string[] = [],
): E {
  return { id: modelOpsEventId(type, key), type, tsEvent, tsInit, causationIds: [...causationIds], payload } as unknown as E;
}
