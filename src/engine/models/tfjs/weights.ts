/**
 * The weights of the TF.js networks: drawn from the project's seeded `Random`, stored in artifacts as base64
 * float32 with their shapes, and read back with every shape checked.
 *
 * Initial weights are computed in JavaScript rather than by TF.js initialisers, so they are the same bits on
 * every backend; what training then does with them depends on the backend's float32 kernels (see forecaster.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Random } from '../../random.js';
import { ModelError } from '../model.js';

export type Shape = readonly number[];

/** One weight tensor in an artifact. */
export interface EncodedTensor {
  readonly shape: Shape;
  /** Float32 values, row-major, base64. */
  readonly data: string;
}

const size = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

/** Glorot (Xavier) uniform for a `[fanOut, fanIn]` kernel: U(±sqrt(6 / (fanIn + fanOut))). */
export function glorotUniform(random: Random, [fanOut, fanIn]: readonly [number, number]): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: fanOut * fanIn }, () => (2 * random.next() - 1) * limit);
}

/** Trainable variables from plain arrays, one per shape. */
export function toVariables(values: readonly Float32Array[], shapes: readonly Shape[]): tf.Variable[] {
  return values.map((v, i) => tf.variable(tf.tensor(v, [...shapes[i]!]), true));
}

/** The current values of the variables, copied out of TF.js. */
export function readWeights(variables: readonly tf.Variable[]): Float32Array[] {
  return variables.map((v) => Float32Array.from(v.dataSync()));
}

export function encodeWeights(variables: readonly tf.Variable[]): EncodedTensor[] {
  return variables.map((v) => {
    const values = Float32Array.from(v.dataSync());
    return { shape: [...v.shape], data: Buffer.from(values.buffer).toString('base64') };
  });
}

/** Decodes an artifact's weights, refusing any count, shape or length other than `shapes`. */
export function decodeWeights(encoded: unknown, shapes: readonly Shape[]): Float32Array[] {
  if (!Array.isArray(encoded) || encoded.length !== shapes.length) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `expected ${shapes.length} weight tensors`);
  }
  return shapes.map((shape, i) => {
    const tensor = encoded[i] as Partial<EncodedTensor> | null;
    if (!tensor || !Array.isArray(tensor.shape) || tensor.shape.join('x') !== shape.join('x') || typeof tensor.data !== 'string') {
      throw new ModelError('MODEL_ARTIFACT_INVALID', `weight tensor ${i} should have shape [${shape.join(', ')}]`);
    }
    const bytes = Buffer.from(tensor.data, 'base64');
    if (bytes.length !== size(shape) * 4) {
      throw new ModelError('MODEL_ARTIFACT_INVALID', `weight tensor ${i} holds ${bytes.length} bytes, not ${size(shape) * 4}`);
    }
    const values = new Float32Array(size(shape));
    new Uint8Array(values.buffer).set(bytes);
    if (!values.every(Number.isFinite)) throw new ModelError('MODEL_ARTIFACT_INVALID', `weight tensor ${i} holds a non-finite value`);
    return values;
  });
}
