/**
 * Feature models as the ensemble stage runs them: a fitted model, the features it reads (in order), the horizon
 * its label spoke for, and a `score` that turns rows of feature values into signed evidence with the features
 * behind it. The stage does not care where a model runs: these two run in the calling thread (a few
 * microseconds a row), the TF.js ones through the worker pool behind the same interface.
 *
 * Missing feature values are NaN: the tree ensemble sends them down each split's learnt default branch; the
 * isolation forest, which has no notion of missing, sees 0 (no activity: the value a missing count or flow has).
 */
import type { FeatureAttribution } from '../types.js';
import type { GradientBoostedTrees } from './gbdt.js';
import type { IsolationForest } from './isolation-forest.js';
import type { ModelKind } from './model.js';
import { shapValues } from './treeshap.js';

export interface FeatureModelResult {
  /** Signed evidence for an up move, -1..1 (for the anomaly detector: unsigned strength, 0..1). */
  readonly signal: number;
  /** The model's own output: P(up) for a classifier, the anomaly score for the detector. */
  readonly score: number;
  readonly attributions?: readonly FeatureAttribution[];
  readonly summary: string;
}

export interface FeatureModel {
  readonly modelId: string;
  /** The registry version the model was loaded from. */
  readonly version: string;
  readonly kind: ModelKind;
  readonly features: readonly string[];
  readonly horizonMs: number;
  /**
   * Scores rows of the instrument's features. `asOf`, the event time of the snapshot scored (the ensemble stage
   * gives it, with one row), lets a model that keeps a history of the instrument (the forecaster) advance it.
   */
  score(instrument: string, rows: readonly (readonly number[])[], asOf?: number): Promise<readonly FeatureModelResult[]>;
}

const fmt = (x: number, digits = 2): string => x.toFixed(digits);
/** A model horizon in words: `60 minutes`, `6 hours`. */
export const horizonPhrase = (ms: number): string => (ms >= 2 * 3_600_000 ? `${Math.round(ms / 3_600_000)} hours` : `${Math.round(ms / 60_000)} minutes`);

export class GbdtFeatureModel implements FeatureModel {
  readonly kind = 'classifier' as const;
  readonly modelId: string;

  constructor(
    readonly model: GradientBoostedTrees,
    readonly version: string,
    readonly features: readonly string[],
    readonly horizonMs: number,
  ) {
    this.modelId = model.name;
  }

  async score(instrument: string, rows: readonly (readonly number[])[]): Promise<readonly FeatureModelResult[]> {
    return rows.map((row) => {
      const p = this.model.predictProba(row);
      const { values } = shapValues(this.model, row);
      const attributions = this.features.map((feature, j) => ({
        feature,
        value: Number.isNaN(row[j]!) ? null : row[j]!,
        contribution: Number(values[j]!.toFixed(6)),
      }));
      attributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.feature.localeCompare(b.feature));
      return {
        signal: 2 * p - 1,
        score: p,
        attributions,
        summary: `The tree ensemble puts the chance that ${instrument} rises over the next ${horizonPhrase(this.horizonMs)} at ${fmt(100 * p, 0)}%.`,
      };
    });
  }
}

/** Scores of an isolation forest at or below this are ordinary; 0.5 is the score of a typical point. */
const ORDINARY = 0.5;

export class IsolationForestFeatureModel implements FeatureModel {
  readonly kind = 'anomaly' as const;
  readonly modelId: string;

  constructor(
    readonly model: IsolationForest,
    readonly version: string,
    readonly features: readonly string[],
    readonly horizonMs: number,
  ) {
    this.modelId = model.name;
  }

  async score(instrument: string, rows: readonly (readonly number[])[]): Promise<readonly FeatureModelResult[]> {
    return rows.map((row) => {
      const s = this.model.score(row.map((x) => (Number.isNaN(x) ? 0 : x)));
      return {
        signal: Math.max(0, Math.min(1, (s - ORDINARY) / (1 - ORDINARY))),
        score: s,
        summary: `The features of ${instrument} are ${s >= 0.6 ? 'unusual' : 'ordinary'} for it: anomaly score ${fmt(s)} (${ORDINARY} is typical).`,
      };
    });
  }
}

/** The row a model reads from a snapshot of feature values: NaN where a value is missing. */
export function rowOf(values: Readonly<Record<string, number | null>>, features: readonly string[]): number[] {
  return features.map((f) => {
    const v = values[f];
    return v === null || v === undefined ? Number.NaN : v;
  });
}
