/** Summaries of a forecast distribution: Gaussian quantiles, and mean, std and quantiles of sample paths. */

/** The standard normal quantile Φ⁻¹(p), by Acklam's rational approximation (relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a quantile level must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number): number =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

export interface Summary {
  readonly mean: number;
  readonly std: number;
  /** One value per requested level, in the same order. */
  readonly quantiles: number[];
}

/** Mean, population std and quantiles (linear interpolation between order statistics) of `samples`. */
export function summarizeSamples(samples: Float64Array, levels: readonly number[]): Summary {
  const n = samples.length;
  let sum = 0;
  for (const s of samples) sum += s;
  const mean = sum / n;
  let squares = 0;
  for (const s of samples) squares += (s - mean) ** 2;
  const sorted = Float64Array.from(samples).sort();
  const quantiles = levels.map((level) => {
    const position = level * (n - 1);
    const below = Math.floor(position);
    const above = Math.min(below + 1, n - 1);
    return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
  });
  return { mean, std: Math.sqrt(squares / n), quantiles };
}

/** The same summary for a Gaussian. */
export function summarizeGaussian(mean: number, std: number, levels: readonly number[]): Summary {
  return { mean, std, quantiles: levels.map((level) => mean + std * normalQuantile(level)) };
}

/** The standard normal distribution function Φ(x), through erfc (Numerical Recipes' erfcc, relative error below 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}
