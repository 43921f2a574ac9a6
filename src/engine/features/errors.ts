/** The feature store's typed errors: resolvers and jobs tell them apart by `code`. */

export type FeatureErrorCode =
  /** A definition that cannot be computed (bad name, window, TTL) or a set with two features of one name. */
  | 'FEATURE_DEFINITION_INVALID'
  /** A feature name the feature set does not define. */
  | 'FEATURE_UNKNOWN'
  /** A training-set request or a row to store that the store cannot use (non-finite times, empty names). */
  | 'FEATURE_REQUEST_INVALID'
  /** The online or offline store failed (Redis or the database). */
  | 'FEATURE_STORE_ERROR';

export class FeatureError extends Error {
  constructor(
    readonly code: FeatureErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FeatureError';
  }
}
