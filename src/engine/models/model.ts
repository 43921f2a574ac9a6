/**
 * What every model of the ensemble shares, so that the registry can store any of them and the scoring path can
 * load any of them: a name that carries its parameters, a kind, and a JSON form that restores it exactly.
 *
 * A model is deterministic: the same training data and seed give the same fitted model, and the same fitted model
 * and input give the same output, byte for byte. Randomness comes from a seeded `Random` (../random.ts) passed in,
 * never from `Math.random`.
 */

export const MODEL_KINDS = ['anomaly', 'changepoint', 'classifier', 'forecaster', 'graph', 'stacker'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** A fitted model in plain JSON: what the registry stores as an artifact and hashes. */
export interface SerializedModel<P = unknown, S = unknown> {
  /** Which class reads it back, e.g. `IsolationForest`. */
  readonly type: string;
  /** The artifact format's version; a reader refuses a version it does not know. */
  readonly formatVersion: number;
  /** The parameters the model was built with. */
  readonly params: P;
  /** What fitting learned (trees, weights, statistics). Numbers only as JSON numbers or base64 of Float32/64 arrays. */
  readonly state: S;
}

export interface Model {
  readonly kind: ModelKind;
  /** The class name with its parameters, e.g. `IsolationForest(trees=100,sample=256,seed=7)`. */
  readonly name: string;
  serialize(): SerializedModel;
}

export type ModelErrorCode = 'MODEL_NOT_FITTED' | 'MODEL_INPUT_INVALID' | 'MODEL_ARTIFACT_INVALID';

/** A model used before it was fitted, given input of the wrong shape, or read from an artifact it cannot use. */
export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

/** `name(k=v,...)` from a class name and its parameters, in the order given. */
export function modelName(type: string, params: Readonly<Record<string, string | number | boolean>>): string {
  return `${type}(${Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')})`;
}

/** Float64 values as base64, for artifacts: exact, and a third the size of JSON numbers. */
export function encodeFloat64(values: ArrayLike<number>): string {
  return Buffer.from(Float64Array.from(values).buffer).toString('base64');
}

export function decodeFloat64(base64: string): Float64Array {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % 8 !== 0) throw new ModelError('MODEL_ARTIFACT_INVALID', 'a float64 array is not a multiple of 8 bytes');
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
