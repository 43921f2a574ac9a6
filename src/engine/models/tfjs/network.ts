/**
 * What a TF.js model looks like once restored from its artifact, wherever it runs (a worker of the pool, or the
 * calling thread for training and benchmarks): fixed-width input rows in, fixed-width output rows out, in one
 * tensor call for the whole batch. That one shape is what lets the pool batch requests from many callers
 * without knowing which model it runs.
 */
import { ModelError, type SerializedModel } from '../model.js';

/** Options a request carries to the network; requests with equal options share a batch. */
export type InferenceOptions = Readonly<Record<string, number | readonly number[]>>;

export interface TfjsNetwork {
  /** Values per input row. */
  readonly inputWidth: number;
  /** Values per output row for these options; throws a `ModelError` for options the network cannot honour. */
  outputWidth(options: InferenceOptions): number;
  /** `n` rows of `inputWidth` values, row-major, to `n` rows of `outputWidth(options)` values. */
  infer(input: Float32Array, n: number, options: InferenceOptions): Float32Array;
  dispose(): void;
}

/** Refuses an input that is not `n` whole rows of `width` finite-or-NaN values. */
export function checkBatch(name: string, input: Float32Array, n: number, width: number): void {
  if (!Number.isInteger(n) || n < 1 || input.length !== n * width) {
    throw new ModelError('MODEL_INPUT_INVALID', `${name}: expected ${n} rows of ${width} values, got ${input.length} values`);
  }
}

/** The artifact's `state`, refusing anything but an object. */
export function stateOf<S>(artifact: SerializedModel, type: string, formatVersion: number): Partial<S> {
  if (artifact?.type !== type) throw new ModelError('MODEL_ARTIFACT_INVALID', `expected type ${type}, got ${JSON.stringify(artifact?.type)}`);
  if (artifact.formatVersion !== formatVersion) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `${type}: unknown formatVersion ${JSON.stringify(artifact.formatVersion)}`);
  }
  const state = artifact.state as Partial<S> | null;
  if (!state || typeof state !== 'object') throw new ModelError('MODEL_ARTIFACT_INVALID', `${type}: the artifact has no state`);
  return state;
}

/** A positive integer parameter, or a `ModelError` naming it. */
export function positiveInt(owner: string, key: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new ModelError('MODEL_INPUT_INVALID', `${owner}: ${key} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value as number;
}

/** A positive finite number parameter, or a `ModelError` naming it. */
export function positiveNumber(owner: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new ModelError('MODEL_INPUT_INVALID', `${owner}: ${key} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return value;
}
