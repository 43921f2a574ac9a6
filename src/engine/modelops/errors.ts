/** Model operations' typed errors: resolvers and jobs tell them apart by `code`. */

export type ModelOpsErrorCode =
  /** A reference sample a histogram cannot be fitted on (empty, non-finite values, bad bin count). */
  | 'DRIFT_REFERENCE_INVALID'
  /** A drift configuration out of range (thresholds, window, slot, sample sizes) or naming an unknown key. */
  | 'DRIFT_CONFIG_INVALID'
  /** A drift evaluation dated before the previous one: windows move forward in event time only. */
  | 'DRIFT_TIME_INVALID'
  /** A promotion comparison that cannot be made (bad window, resamples, margins). */
  | 'PROMOTION_INPUT_INVALID'
  /** A version without a model name or version. */
  | 'MODEL_VERSION_INVALID'
  /** A version registered twice under one id. */
  | 'MODEL_VERSION_EXISTS'
  | 'MODEL_VERSION_NOT_FOUND'
  /** An alias change the transition table forbids (retired → shadow, a version to its own alias). */
  | 'ALIAS_TRANSITION_INVALID'
  /** A registry change dated before the model's latest change: the history would not be in time order. */
  | 'ALIAS_TIME_INVALID'
  /** A retraining schedule out of range, or a trainer that answered with something unusable. */
  | 'RETRAIN_INVALID'
  /** A KPI input that cannot be used (a negative latency, bucket bounds not increasing, a bad PnL record). */
  | 'KPI_INPUT_INVALID'
  /** A backtest that cannot run as configured (no seeds, an empty date range). */
  | 'BACKTEST_CONFIG_INVALID';

export class ModelOpsError extends Error {
  override readonly name = 'ModelOpsError';
  constructor(
    readonly code: ModelOpsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
