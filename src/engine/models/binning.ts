/**
 * Feature matrices for the boosted trees: input checks, and quantile binning.
 *
 * Split search runs over histograms rather than over sorted values (the `hist` method of XGBoost; LightGBM,
 * Ke et al., NeurIPS 2017): each feature is cut once, at fit, into at most `maxBins` bins at quantiles of its
 * values, and every training row is stored as one small bin index per feature. Bin j of a feature holds the
 * values in (edges[j−1], edges[j]], so "bin <= j" and "value <= edges[j]" pick the same rows, and a fitted tree
 * keeps raw thresholds. Edges sit halfway between two neighbouring distinct training values. A feature with at
 * most `maxBins` distinct values gets one bin per value; otherwise a bin closes after the first distinct value
 * at which the running count reaches its share (k·n/maxBins). Missing values (NaN) have a bin of their own,
 * after the last.
 */
import { ModelError } from './model.js';

/** Rows of features; NaN marks a missing value. */
export type Matrix = readonly (readonly number[])[];

/** The largest `maxBins`: bin indices, the missing bin included, must fit in a byte. */
export const MAX_BINS = 255;

export interface BinnedMatrix {
  readonly rows: number;
  readonly features: number;
  /** Per feature, the inclusive upper edge of each bin but the last, strictly increasing. */
  readonly edges: readonly Float64Array[];
  /** Row-major bin indices; feature f's missing bin is `edges[f].length + 1`. */
  readonly bins: Uint8Array;
}

function invalid(message: string): ModelError {
  return new ModelError('MODEL_INPUT_INVALID', message);
}

/** Throws unless `row` has `width` values, each a finite number or NaN (missing). */
export function checkRow(row: readonly number[], width: number, what = 'row'): void {
  if (!Array.isArray(row)) throw invalid(`${what} is not an array`);
  if (row.length !== width) throw invalid(`${what} has ${row.length} values, expected ${width}`);
  for (let f = 0; f < width; f++) {
    const v = row[f];
    if (typeof v !== 'number' || v === Infinity || v === -Infinity) {
      throw invalid(`${what}[${f}] must be a finite number or NaN for missing, got ${String(v)}`);
    }
  }
}

/** Checks a non-empty matrix of equal-width rows (of `width` when given); returns the width. */
export function checkMatrix(X: Matrix, what: string, width?: number): number {
  if (!Array.isArray(X) || X.length === 0) throw invalid(`${what} must be a non-empty array of rows`);
  const first = X[0];
  const p = width ?? (Array.isArray(first) ? first.length : 0);
  if (p < 1) throw invalid(`${what} rows must hold at least one feature`);
  for (let i = 0; i < X.length; i++) checkRow(X[i]!, p, `${what}[${i}]`);
  return p;
}

/** Checks that `y` holds `n` labels, each 0 or 1. */
export function checkLabels(y: readonly number[], n: number, what: string): void {
  if (!Array.isArray(y) || y.length !== n) throw invalid(`${what} must hold ${n} labels, one per row`);
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw invalid(`${what}[${i}] must be 0 or 1, got ${String(y[i])}`);
  }
}

/** A value between a and b (a < b) with a <= edge < b, whatever the rounding. */
function between(a: number, b: number): number {
  const mid = a + (b - a) / 2;
  return mid < b ? mid : a;
}

/** Bin edges of one feature from its sorted non-missing values. */
export function quantileEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  let distinct = n > 0 ? 1 : 0;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  const edges: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    const next = sorted[i + 1];
    if (next === undefined || next === v) continue; // not the end of a run of equal values, or the last run
    if (distinct <= maxBins || i + 1 >= ((edges.length + 1) * n) / maxBins) edges.push(between(v, next));
  }
  return Float64Array.from(edges);
}

/** The bin of `value` under `edges`: the number of edges below it, or the missing bin for NaN. */
export function binIndex(edges: Float64Array, value: number): number {
  if (Number.isNaN(value)) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Cuts each feature of a checked matrix into quantile bins and bins every row. */
export function binMatrix(X: Matrix, maxBins: number): BinnedMatrix {
  const n = X.length;
  const p = X[0]!.length;
  const edges: Float64Array[] = [];
  const bins = new Uint8Array(n * p);
  const column = new Float64Array(n);
  for (let f = 0; f < p; f++) {
    let present = 0;
    for (let i = 0; i < n; i++) {
      const v = X[i]![f]!;
      if (!Number.isNaN(v)) column[present++] = v;
    }
    const featureEdges = quantileEdges(column.slice(0, present).sort(), maxBins);
    edges.push(featureEdges);
    for (let i = 0; i < n; i++) bins[i * p + f] = binIndex(featureEdges, X[i]![f]!);
  }
  return { rows: n, features: p, edges, bins };
}
