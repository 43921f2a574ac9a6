/**
 * Walk-forward training: refit on a trailing window, predict only what comes after it, step forward, repeat.
 * Every prediction is out of sample: the model that scores a sample was fitted on samples strictly older than
 * the start of the step the sample belongs to. What each fit saw is returned, so that a test (or an audit) can
 * check it.
 */

export interface TimedSample {
  /** When the sample's inputs were known (event time, ms). */
  readonly ts: number;
  readonly inputs: readonly number[];
  /** 1 when the next horizon confirmed an up move, 0 otherwise. */
  readonly label: 0 | 1;
  /** When the label became known; a fit may only use samples whose label is known before the step starts. */
  readonly labelTs: number;
}

export interface WalkForwardOptions<M> {
  /** How far back each fit looks. */
  readonly trainWindowMs: number;
  /** How long each fitted model is used before the next refit. */
  readonly stepMs: number;
  /** Fewer training samples than this: no prediction for the step. */
  readonly minTrainSamples: number;
  readonly fit: (rows: readonly (readonly number[])[], labels: readonly number[]) => M;
  readonly predict: (model: M, inputs: readonly number[]) => number;
}

export interface WalkForwardFit<M> {
  readonly model: M;
  /** The step this model predicted: [from, to). */
  readonly from: number;
  readonly to: number;
  readonly trainedOn: number;
  /** The newest `labelTs` among its training samples (always < `from`). */
  readonly newestLabelTs: number;
}

export interface WalkForwardPrediction {
  readonly sample: TimedSample;
  readonly prediction: number;
  /** Index into `fits` of the model that made it. */
  readonly fit: number;
}

export interface WalkForwardResult<M> {
  readonly fits: readonly WalkForwardFit<M>[];
  readonly predictions: readonly WalkForwardPrediction[];
}

export function walkForward<M>(samples: readonly TimedSample[], options: WalkForwardOptions<M>): WalkForwardResult<M> {
  if (!(options.stepMs > 0) || !(options.trainWindowMs > 0)) throw new RangeError('stepMs and trainWindowMs must be positive');
  const sorted = [...samples].sort((a, b) => a.ts - b.ts);
  const fits: WalkForwardFit<M>[] = [];
  const predictions: WalkForwardPrediction[] = [];
  if (sorted.length === 0) return { fits, predictions };
  const first = sorted[0]!.ts;
  const last = sorted[sorted.length - 1]!.ts;
  for (let from = first + options.trainWindowMs; from <= last; from += options.stepMs) {
    const to = from + options.stepMs;
    // Known before the step starts: inputs inside the window, and a label already realized.
    const train = sorted.filter((s) => s.ts >= from - options.trainWindowMs && s.ts < from && s.labelTs < from);
    if (train.length < options.minTrainSamples) continue;
    const model = options.fit(
      train.map((s) => s.inputs),
      train.map((s) => s.label),
    );
    fits.push({ model, from, to, trainedOn: train.length, newestLabelTs: Math.max(...train.map((s) => s.labelTs)) });
    for (const sample of sorted) {
      if (sample.ts >= from && sample.ts < to) {
        predictions.push({ sample, prediction: options.predict(model, sample.inputs), fit: fits.length - 1 });
      }
    }
  }
  return { fits, predictions };
}
