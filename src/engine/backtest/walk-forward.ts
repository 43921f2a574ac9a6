/**
 * Walk-forward retraining inside a backtest: every `everyMs` of test-clock time the direction classifier is
 * refitted on the feature snapshots the run itself has produced so far, and the new version replaces the old
 * one in the ensemble for the bars that follow, as a rolling retrain would on a live server.
 *
 * **No look-ahead.** A snapshot becomes a training row only once its label is known: its horizon has ended
 * at or before the retrain time and a bar at or after that end has been seen. The label is the sign of the
 * instrument's log return over the horizon (a flat return is no row), as in `vanta train`. Each retrain
 * reports the latest snapshot time it used, so a test can check `lastRowAt + horizonMs ≤ at`.
 *
 * **Window.** The latest `windowMs` of snapshots (all of them when null), bar-triggered ones thinned to
 * `barRowShare` as in training (seeded, so a run is reproducible to the byte). Memory is bounded by the window.
 */
import { canonicalJson, sha256Hex } from '../canonical.js';
import { DIRECTION_CLASSIFIER_PARAMS, fitDirectionClassifier, type LabelledRows, upRate } from '../modelops/training.js';
import type { GbdtParams } from '../models/gbdt.js';
import { type FeatureModel, GbdtFeatureModel, rowOf } from '../models/feature-models.js';
import { PriceSeries } from '../price-series.js';
import { Random } from '../random.js';
import type { FeatureSnapshot } from '../types.js';

export interface WalkForwardConfig {
  /** Test-clock milliseconds between two retrains. */
  readonly everyMs: number;
  /** Only snapshots this recent train (ms); null: every snapshot of the run so far. */
  readonly windowMs: number | null;
  /** Fewer labelled rows than this: no retrain (the current model stays). */
  readonly minRows: number;
  readonly barRowShare: number;
  readonly gbdt: Partial<GbdtParams>;
  readonly seed: number;
  /** Time of the first retrain; default `everyMs` after the first call of `due`. */
  readonly firstAt?: number;
}

export const DEFAULT_WALK_FORWARD: Omit<WalkForwardConfig, 'everyMs'> = Object.freeze({
  windowMs: null,
  minRows: 500,
  barRowShare: 0.1,
  gbdt: { ...DIRECTION_CLASSIFIER_PARAMS, seed: 7 },
  seed: 1,
});

/** One retrain in a run. */
export interface RetrainRecord {
  /** Test-clock time of the retrain. */
  readonly at: number;
  /** `<name>@<version>` of the model trained (null when there were too few rows and nothing changed). */
  readonly model: string | null;
  readonly rows: number;
  readonly upRate: number;
  /** Time of the earliest and latest snapshot trained on. */
  readonly firstRowAt: number | null;
  readonly lastRowAt: number | null;
  readonly trees: number;
  /** Log loss on the latest 20% of the rows (held out for early stopping), and the base rate's. */
  readonly validationLogLoss: number | null;
  readonly baselineLogLoss: number | null;
}

interface Kept {
  readonly instrument: string;
  readonly asOf: number;
  readonly row: number[];
}

export class WalkForwardTrainer {
  readonly config: WalkForwardConfig;
  readonly #prices = new PriceSeries();
  readonly #kept: Kept[] = [];
  readonly #random: Random;
  #next: number | null = null;

  constructor(
    readonly features: readonly string[],
    readonly horizonMs: number,
    config: Pick<WalkForwardConfig, 'everyMs'> & Partial<WalkForwardConfig>,
  ) {
    this.config = Object.freeze({ ...DEFAULT_WALK_FORWARD, ...config });
    if (!(Number.isSafeInteger(this.config.everyMs) && this.config.everyMs > 0)) throw new RangeError(`everyMs must be a positive integer, got ${this.config.everyMs}`);
    this.#random = new Random(this.config.seed);
    this.#next = this.config.firstAt ?? null;
  }

  observeBar(instrument: string, ts: number, close: number): void {
    this.#prices.add(instrument, ts, close);
  }

  observeSnapshot(snapshot: FeatureSnapshot): void {
    if (snapshot.trigger === 'bar' && this.config.barRowShare < 1 && !(this.#random.next() < this.config.barRowShare)) return;
    this.#kept.push({ instrument: snapshot.instrument, asOf: snapshot.asOf, row: rowOf(snapshot.values, this.features) });
  }

  /** True when a retrain is due at `now` (the first at `firstAt`, else `everyMs` after the first call). */
  due(now: number): boolean {
    if (this.#next === null) this.#next = now + this.config.everyMs;
    return now >= this.#next;
  }

  /** Fits a classifier on the rows labelled by `now`; the new feature model, or null when too few rows. */
  retrain(now: number): { readonly record: RetrainRecord; readonly model: FeatureModel | null } {
    this.#next = now + this.config.everyMs;
    const from = this.config.windowMs === null ? Number.NEGATIVE_INFINITY : now - this.config.windowMs;
    while (this.#kept.length > 0 && this.#kept[0]!.asOf < from) this.#kept.shift();
    const rows: LabelledRows = { X: [], y: [], ts: [] };
    for (const k of this.#kept) {
      const end = k.asOf + this.horizonMs;
      if (end > now) continue; // its label is not known yet
      const r = this.#prices.logReturn(k.instrument, k.asOf, end);
      if (r === null || r === 0) continue;
      rows.X.push(k.row);
      rows.y.push(r > 0 ? 1 : 0);
      rows.ts.push(k.asOf);
    }
    const none = {
      at: now,
      rows: rows.y.length,
      upRate: upRate(rows.y),
      firstRowAt: rows.ts.reduce<number | null>((a, t) => (a === null || t < a ? t : a), null),
      lastRowAt: rows.ts.reduce<number | null>((a, t) => (a === null || t > a ? t : a), null),
      trees: 0,
      validationLogLoss: null,
      baselineLogLoss: null,
    };
    if (rows.y.length < this.config.minRows) return { record: { ...none, model: null }, model: null };
    const { gbdt, trees, validationLogLoss, baselineLogLoss } = fitDirectionClassifier(rows, this.features, { seed: this.config.seed, ...this.config.gbdt });
    const version = sha256Hex(canonicalJson(gbdt.serialize())).slice(0, 12);
    const model = new GbdtFeatureModel(gbdt, version, this.features, this.horizonMs);
    return {
      model,
      record: {
        ...none,
        model: `${model.modelId}@${version}`,
        trees,
        validationLogLoss,
        baselineLogLoss,
      },
    };
  }
}
