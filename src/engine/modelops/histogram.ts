/**
 * Reference histograms and the divergences of a live sample from them.
 *
 * **Bins.** Fitted on the reference sample: quantile bins by their upper edges, the distinct values of the
 * lower empirical quantiles q(i/B), i = 1..B (q(1) is the maximum). Bin 1 is [min, u₁], bin j is (uⱼ₋₁, uⱼ].
 * Taking upper edges keeps a point mass at the low end (the zeros of a count, of a flow) in a bin of its
 * own, and repeated quantiles merge rather than give empty bins. Three more bins hold what the reference never
 * showed: **underflow** (below its minimum), **overflow** (above its maximum) and **missing** (null or NaN).
 * Without the outer bins, values beyond the reference's range would land in the outermost quantile bins, which
 * already hold a tenth of the mass, and a unit change on a feed would barely register.
 *
 * **Smoothing.** Proportions are smoothed as (c/n + ε) / (1 + Kε) over the K bins, so an empty bin on either
 * side gives a finite term; ε (default 1e-4) bounds the largest term a bin can give (about m·ln(m/ε) for mass
 * m moved into a bin the reference left empty).
 *
 * **Divergences.** With a the live and e the reference proportions (smoothed):
 * - PSI = Σ (aᵢ − eᵢ) ln(aᵢ/eᵢ), the population stability index (the symmetric Kullback–Leibler divergence);
 * - KL = Σ aᵢ ln(aᵢ/eᵢ), the divergence of the live distribution from the reference;
 * - TV = ½ Σ |âᵢ − êᵢ| on the unsmoothed proportions: the share of the mass that moved between bins;
 * - a p-value for the difference from two tests of homogeneity (`homogeneity`): how surprising it is for
 *   samples of these sizes, reference noise included.
 */
import { ModelOpsError } from './errors.js';
import { chiSquareSurvival, normalSurvival } from './stats.js';

export interface HistogramOptions {
  /** Quantile bins asked for (fewer when quantiles repeat). Default 10. */
  readonly bins?: number;
  /** Smoothing of proportions. Default 1e-4. */
  readonly epsilon?: number;
}

/** A fitted reference: plain data, so it can be stored with the model version and read back. */
export interface ReferenceHistogram {
  readonly key: string;
  /** Upper edges of the quantile bins, strictly increasing; the last is the reference's maximum. */
  readonly upperEdges: readonly number[];
  readonly min: number;
  /** Counts in bin order: underflow, the quantile bins, overflow, missing. */
  readonly counts: readonly number[];
  /** Reference sample size, missing values included. */
  readonly n: number;
  readonly epsilon: number;
}

export interface BinInfo {
  readonly label: string;
  /** Bounds of a value bin (null for the missing bin); the lower bound is exclusive except for the first quantile bin. */
  readonly lower: number | null;
  readonly upper: number | null;
}

export interface Divergence {
  readonly psi: number;
  readonly kl: number;
  readonly tv: number;
  readonly g: number;
  readonly dof: number;
  readonly zMax: number;
  /** How likely a difference this large is were both samples drawn from one distribution (see `homogeneity`). */
  readonly pValue: number;
}

const isValue = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export function fitReference(key: string, sample: readonly (number | null)[], options: HistogramOptions = {}): ReferenceHistogram {
  const bins = options.bins ?? 10;
  const epsilon = options.epsilon ?? 1e-4;
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000) throw new ModelOpsError('DRIFT_REFERENCE_INVALID', `${key}: bins must be an integer in 1..1000, got ${bins}`);
  if (!(epsilon > 0 && epsilon < 0.01)) throw new ModelOpsError('DRIFT_REFERENCE_INVALID', `${key}: epsilon must be in (0, 0.01), got ${epsilon}`);
  const values: number[] = [];
  let missing = 0;
  for (const x of sample) {
    if (isValue(x)) values.push(x);
    else if (x === null || Number.isNaN(x)) missing++;
    else throw new ModelOpsError('DRIFT_REFERENCE_INVALID', `${key}: the reference holds ${x}, neither a finite number nor missing`);
  }
  if (values.length === 0) throw new ModelOpsError('DRIFT_REFERENCE_INVALID', `${key}: the reference sample has no values`);
  values.sort((a, b) => a - b);
  const upperEdges: number[] = [];
  for (let i = 1; i <= bins; i++) {
    const q = values[Math.max(0, Math.ceil((i * values.length) / bins) - 1)]!;
    if (upperEdges.length === 0 || q > upperEdges[upperEdges.length - 1]!) upperEdges.push(q);
  }
  const partial: ReferenceHistogram = { key, upperEdges, min: values[0]!, counts: [], n: sample.length, epsilon };
  const counts = new Array<number>(binCount(partial)).fill(0);
  for (const x of values) counts[binIndex(partial, x)]!++;
  counts[counts.length - 1] = missing;
  return Object.freeze({ ...partial, upperEdges: Object.freeze(upperEdges), counts: Object.freeze(counts) });
}

/** Bins in all: underflow, the quantile bins, overflow, missing. */
export function binCount(ref: Pick<ReferenceHistogram, 'upperEdges'>): number {
  return ref.upperEdges.length + 3;
}

/** The bin a value falls in. */
export function binIndex(ref: Pick<ReferenceHistogram, 'upperEdges' | 'min'>, value: number | null | undefined): number {
  const edges = ref.upperEdges;
  if (!isValue(value)) return edges.length + 2;
  if (value < ref.min) return 0;
  if (value > edges[edges.length - 1]!) return edges.length + 1;
  // The first upper edge at or above the value (binary search: edges are few, but values are many).
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! >= value) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

export function binInfo(ref: ReferenceHistogram): readonly BinInfo[] {
  const e = ref.upperEdges;
  const out: BinInfo[] = [{ label: `< ${ref.min}`, lower: null, upper: ref.min }];
  e.forEach((upper, j) => {
    const lower = j === 0 ? ref.min : e[j - 1]!;
    out.push({ label: j === 0 ? `[${lower}, ${upper}]` : `(${lower}, ${upper}]`, lower, upper });
  });
  out.push({ label: `> ${e[e.length - 1]}`, lower: e[e.length - 1]!, upper: null }, { label: 'missing', lower: null, upper: null });
  return out;
}

/** Smoothed proportions of counts (see the module comment). */
export function smoothed(counts: readonly number[], epsilon: number): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  const k = counts.length;
  return counts.map((c) => ((n > 0 ? c / n : 1 / k) + epsilon) / (1 + k * epsilon));
}

/** How far live counts (in the reference's bin layout) are from the reference. */
export function divergence(ref: ReferenceHistogram, live: readonly number[]): Divergence {
  if (live.length !== ref.counts.length) {
    throw new ModelOpsError('DRIFT_REFERENCE_INVALID', `${ref.key}: ${live.length} live bins for ${ref.counts.length} reference bins`);
  }
  const a = smoothed(live, ref.epsilon);
  const e = smoothed(ref.counts, ref.epsilon);
  const nLive = live.reduce((s, c) => s + c, 0);
  let psi = 0;
  let kl = 0;
  let tv = 0;
  for (let i = 0; i < a.length; i++) {
    const ratio = Math.log(a[i]! / e[i]!);
    psi += (a[i]! - e[i]!) * ratio;
    kl += a[i]! * ratio;
    if (nLive > 0) tv += Math.abs(live[i]! / nLive - ref.counts[i]! / ref.n);
  }
  const h = homogeneity(ref.counts, live);
  return { psi, kl: Math.max(0, kl), tv: tv / 2, g: h.g, dof: h.dof, zMax: h.zMax, pValue: h.pValue };
}

/** Pooled expected count each cell of a merged bin must reach (Cochran's rule for the chi-square approximation). */
const MIN_EXPECTED = 5;

export interface Homogeneity {
  /** The G statistic on the merged bins and its degrees of freedom. */
  readonly g: number;
  readonly dof: number;
  /** The largest |z| of the difference of cumulative shares at a cut between merged bins. */
  readonly zMax: number;
  readonly pG: number;
  /** Bonferroni over the cuts. */
  readonly pCumulative: number;
  /** Bonferroni over the two tests: min(1, 2·min(pG, pCumulative)). */
  readonly pValue: number;
}

/**
 * Two tests that two samples of binned counts come from one distribution, on bins merged left to right until
 * each cell's pooled expected count reaches 5: without merging, the rare outer bins (a few values beyond the
 * reference's range) make the chi-square approximation claim significance that is not there.
 *
 * - the G-test (likelihood ratio) of homogeneity, which sees any rearrangement of mass;
 * - the largest standardized difference of cumulative shares over the cuts between bins (a binned two-sample
 *   Kolmogorov–Smirnov test in z form), which is far more powerful when mass moves one way (a location shift,
 *   mass leaving a point mass, values leaving the range), the shifts that matter most for a feature.
 */
export function homogeneity(x: readonly number[], y: readonly number[]): Homogeneity {
  const nx = x.reduce((a, b) => a + b, 0);
  const ny = y.reduce((a, b) => a + b, 0);
  const total = nx + ny;
  const none = { g: 0, dof: 0, zMax: 0, pG: 1, pCumulative: 1, pValue: 1 };
  if (nx === 0 || ny === 0) return none;
  const need = (MIN_EXPECTED * total) / Math.min(nx, ny);
  const groups: [number, number][] = [];
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < x.length; i++) {
    cx += x[i]!;
    cy += y[i]!;
    if (cx + cy >= need) {
      groups.push([cx, cy]);
      cx = cy = 0;
    }
  }
  if (cx + cy > 0) {
    if (groups.length === 0) groups.push([cx, cy]);
    else {
      const last = groups[groups.length - 1]!;
      last[0] += cx;
      last[1] += cy;
    }
  }
  if (groups.length < 2) return none;
  let g = 0;
  for (const [gx, gy] of groups) {
    const col = gx + gy;
    if (gx > 0) g += gx * Math.log(gx / ((nx * col) / total));
    if (gy > 0) g += gy * Math.log(gy / ((ny * col) / total));
  }
  g = Math.max(0, 2 * g);
  const dof = groups.length - 1;
  let zMax = 0;
  let sx = 0;
  let sy = 0;
  for (let k = 0; k < groups.length - 1; k++) {
    sx += groups[k]![0];
    sy += groups[k]![1];
    const pooled = (sx + sy) / total;
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / nx + 1 / ny));
    if (se > 0) zMax = Math.max(zMax, Math.abs(sx / nx - sy / ny) / se);
  }
  const pG = chiSquareSurvival(g, dof);
  const pCumulative = Math.min(1, dof * 2 * normalSurvival(zMax));
  return { g, dof, zMax, pG, pCumulative, pValue: Math.min(1, 2 * Math.min(pG, pCumulative)) };
}
