/**
 * The inputs of conviction: each active model output becomes one named, signed number in -1..1, the evidence
 * it gives for an up move. The meta stacker is a function of this vector, in this order; a trained stacker
 * records these names with its weights, so that an input added later never shifts the others.
 *
 * - z-score outputs: `polarity × tanh(max(0, |z| − 1) / 3)`: how unusual the series is (0 up to 1σ, about 0.32
 *   at 2σ, 0.76 at 4σ), signed by the direction the signals behind it carry.
 * - classifier and forecaster outputs carry their own `signal` (for a classifier `2·P(up) − 1`).
 * - the anomaly detector's output and a co-trading community are not directional: their strength (0..1)
 *   amplifies the directional evidence they sit beside, `strength × sign(Σ directional inputs)`, so an unusual
 *   feature vector or a coordinated group strengthens the lean the other models see and never picks a
 *   direction of its own.
 */
import type { AnomalySeries, ModelOutput } from '../types.js';

export const ZSCORE_SERIES: readonly AnomalySeries[] = ['insider', 'whale', 'mentions', 'news', 'volume'];

/** Every input the stacker reads, in order. */
export const CONVICTION_INPUTS = [
  ...ZSCORE_SERIES.map((s) => `zscore:${s}` as const),
  'classifier:gbdt',
  'classifier:mlp',
  'forecaster',
  'graph:insider_cluster',
  'graph:co_trading_community',
  'anomaly',
] as const;
export type ConvictionInput = (typeof CONVICTION_INPUTS)[number];

/** Inputs without a direction of their own: they strengthen the lean of the others. */
export const AMPLIFIERS: readonly ConvictionInput[] = ['anomaly', 'graph:co_trading_community'];

/** What kind of model a stacker input comes from, read off the model's name. */
export function inputNameOf(output: Pick<ModelOutput, 'modelId' | 'series'>): ConvictionInput | null {
  const type = output.modelId.slice(0, output.modelId.indexOf('(') >>> 0);
  switch (type) {
    case 'ZScore':
      return (ZSCORE_SERIES as readonly string[]).includes(output.series) ? (`zscore:${output.series as AnomalySeries}` as const) : null;
    case 'GBDT':
      return 'classifier:gbdt';
    case 'MlpClassifier':
      return 'classifier:mlp';
    case 'GaussianForecaster':
      return 'forecaster';
    case 'IsolationForest':
      return 'anomaly';
    case 'GraphStructure':
      return output.series === 'insider_cluster' ? 'graph:insider_cluster' : output.series === 'co_trading_community' ? 'graph:co_trading_community' : null;
    default:
      return null;
  }
}

export const clamp1 = (x: number): number => (Number.isFinite(x) ? Math.max(-1, Math.min(1, x)) : 0);

/** The signed evidence of one output, before the anomaly amplifier is resolved (anomaly: its unsigned score). */
export function evidenceOf(output: ModelOutput): number {
  if (output.signal !== undefined) return clamp1(output.signal);
  return clamp1(output.polarity * Math.tanh(Math.max(0, Math.abs(output.score) - 1) / 3));
}

export interface InputVector {
  /** One value per {@link CONVICTION_INPUTS} name; 0 where no active output speaks. */
  readonly values: readonly number[];
  /** For each input, the output it was read from (null where none). */
  readonly sources: readonly (ModelOutput | null)[];
}

/**
 * The input vector from the outputs still active for an instrument. When two outputs map to one input (two
 * versions of a model), the later one in `outputs` wins.
 */
export function inputVector(outputs: readonly ModelOutput[]): InputVector {
  const values = CONVICTION_INPUTS.map(() => 0);
  const sources: (ModelOutput | null)[] = CONVICTION_INPUTS.map(() => null);
  for (const output of outputs) {
    const name = inputNameOf(output);
    if (!name) continue;
    const i = CONVICTION_INPUTS.indexOf(name);
    values[i] = evidenceOf(output);
    sources[i] = output;
  }
  const amplifiers = AMPLIFIERS.map((name) => CONVICTION_INPUTS.indexOf(name));
  const lean = values.reduce((sum, v, i) => (amplifiers.includes(i) ? sum : sum + v), 0);
  for (const i of amplifiers) values[i] = Math.abs(values[i]!) * Math.sign(lean);
  return { values, sources };
}
