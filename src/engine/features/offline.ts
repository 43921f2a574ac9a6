/**
 * The offline feature store's port: every value each feature took, append-only, and point-in-time correct
 * training sets built from it. Implemented in SQL over both drivers (store/features.repo.ts); its contract
 * suite is offline.contract.ts.
 *
 * Point in time: for a label about an entity at a time, each feature contributes its latest value whose event
 * time `ts` is at or before the label's time AND that was known then (`observedAt` at or before it). A value
 * stamped after the label, or computed later from a signal that arrived late, never leaks into the row. By
 * default a value older than its feature's TTL at the label's time is left out as well, which is the rule the
 * online store applies at scoring time: a model trains on what it would have been served.
 */
import type { FeatureRef, FeatureSet } from './definitions.js';
import type { FeatureUpdate } from './compute.js';
import { FeatureError } from './errors.js';

/** One stored value. */
export interface FeatureRow {
  readonly entity: string;
  readonly feature: string;
  /** The feature's version id. */
  readonly version: string;
  /** The event time the value is as of. */
  readonly ts: number;
  /** Null when the feature was undefined as of `ts`. */
  readonly value: number | null;
  /** When the value became known. */
  readonly observedAt: number;
  /** The event that produced the value; with (entity, feature, version) it identifies the row. */
  readonly sourceEventId: string;
}

/** What a model is trained to predict about an entity at a time. */
export interface LabelRow {
  readonly entity: string;
  readonly labelTime: number;
  readonly label: number;
}

/**
 * Which values are too old to use: `ttl` (the default) leaves out values older than their feature's TTL at the
 * label's time, a number of milliseconds applies one limit to every feature, `none` uses any age.
 */
export type MaxStaleness = 'ttl' | 'none' | number;

export interface AsOfRequest {
  readonly labels: readonly LabelRow[];
  readonly features: readonly FeatureRef[];
  readonly maxStaleness?: MaxStaleness;
}

/** A label with the features as they were known at its time, in the order of the request's features. */
export interface TrainingRow extends LabelRow {
  /** Null where no usable value was known. */
  readonly values: readonly (number | null)[];
  /** The event time of each value used; null where none was. */
  readonly asOf: readonly (number | null)[];
}

export interface FeatureRepository {
  /** Appends the rows; a row already stored (same source event, entity, feature, version) is skipped. Returns how many were written. */
  append(rows: readonly FeatureRow[]): Promise<number>;
  /** The as-of join: one row per label, in the order given. Runs in the database. */
  asOfJoin(request: AsOfRequest): Promise<readonly TrainingRow[]>;
  /** One feature's stored values for an entity, oldest first (by ts, then observedAt, then arrival). */
  history(entity: string, feature: string, version: string): Promise<readonly FeatureRow[]>;
  count(): Promise<number>;
}

/** A training set with what a model records about it: the feature set's version and its columns. */
export interface TrainingSet {
  readonly featureSetVersion: string;
  readonly features: readonly string[];
  readonly maxStaleness: MaxStaleness;
  readonly rows: readonly TrainingRow[];
}

/** Builds a point-in-time correct training set for `labels` from the features of `featureSet`. */
export async function buildTrainingSet(
  repository: FeatureRepository,
  featureSet: FeatureSet,
  labels: readonly LabelRow[],
  options: { readonly maxStaleness?: MaxStaleness } = {},
): Promise<TrainingSet> {
  const maxStaleness = options.maxStaleness ?? 'ttl';
  const rows = await repository.asOfJoin({ labels, features: featureSet.refs(), maxStaleness });
  return { featureSetVersion: featureSet.version, features: featureSet.names, maxStaleness, rows };
}

/** The stored form of a computed value. */
export function featureRowOf(update: FeatureUpdate): FeatureRow {
  return {
    entity: update.entity,
    feature: update.feature,
    version: update.versionId,
    ts: update.ts,
    value: update.value,
    observedAt: update.observedAt,
    sourceEventId: update.sourceEventId,
  };
}

const isTime = (n: number) => Number.isSafeInteger(n);

/** Throws FEATURE_REQUEST_INVALID unless every row can be stored. */
export function checkRows(rows: readonly FeatureRow[]): void {
  for (const row of rows) {
    const ok =
      row.entity !== '' &&
      row.feature !== '' &&
      row.version !== '' &&
      row.sourceEventId !== '' &&
      isTime(row.ts) &&
      isTime(row.observedAt) &&
      (row.value === null || Number.isFinite(row.value));
    if (!ok) throw new FeatureError('FEATURE_REQUEST_INVALID', `cannot store feature row ${JSON.stringify(row)}`);
  }
}

/** Throws FEATURE_REQUEST_INVALID unless the request can be answered. */
export function checkAsOfRequest(request: AsOfRequest): void {
  const bad = (why: string) => new FeatureError('FEATURE_REQUEST_INVALID', `as-of join: ${why}`);
  for (const l of request.labels) {
    if (!isTime(l.labelTime)) throw bad(`label time ${l.labelTime} of ${JSON.stringify(l.entity)} is not an integer`);
  }
  for (const f of request.features) {
    if (f.name === '' || f.versionId === '') throw bad('a feature needs a name and a version id');
    if (!(f.ttlMs > 0)) throw bad(`feature ${f.name} has no positive TTL`);
  }
  const s = request.maxStaleness;
  if (typeof s === 'number' && !(Number.isSafeInteger(s) && s >= 0)) throw bad(`maxStaleness ${s} is not a non-negative integer`);
}

/** The oldest age a feature's value may have at a label's time; null for any. */
export function maxAgeOf(feature: FeatureRef, maxStaleness: MaxStaleness = 'ttl'): number | null {
  if (maxStaleness === 'none') return null;
  return maxStaleness === 'ttl' ? feature.ttlMs : maxStaleness;
}
