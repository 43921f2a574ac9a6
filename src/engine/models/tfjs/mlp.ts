/**
 * A multilayer perceptron for the direction label on a feature snapshot: P(the instrument's close is higher
 * after the horizon), like the tree ensemble, but smooth in its inputs, so it can learn interactions the trees
 * cut into steps.
 *
 * Features are standardised with the training rows' mean and standard deviation, and a missing value (NaN)
 * becomes 0 after that, the training mean: a network has no default branch to send it down. Hidden layers use
 * ReLU, the output a sigmoid; training minimises the mean binary cross-entropy with Adam (./train.ts). Given
 * held-out rows, it measures their cross-entropy after every epoch, stops `patience` epochs after the lowest,
 * and keeps the weights of that epoch: on noisy labels a network learns the training rows by heart long before
 * its epochs run out.
 *
 * As the LSTM does (./lstm.ts), the network works in a transposed layout: a batch is `[features, n]`, and each
 * kernel `[out, in]`, so a layer is one `matMul(kernel, x)` plus a column bias.
 */
import * as tf from '@tensorflow/tfjs';
import { Random } from '../../random.js';
import { type Model, ModelError, modelName, type SerializedModel, decodeFloat64, encodeFloat64 } from '../model.js';
import { checkBatch, type InferenceOptions, positiveInt, positiveNumber, stateOf, type TfjsNetwork } from './network.js';
import { train } from './train.js';
import { decodeWeights, type EncodedTensor, encodeWeights, glorotUniform, type Shape, toVariables } from './weights.js';

export const MLP_TYPE = 'MlpClassifier';
const FORMAT_VERSION = 1;
/** Probabilities are kept this far from 0 and 1 in the loss, so that a confident mistake has a finite cost. */
const EPSILON = 1e-6;

export interface MlpParams {
  /** Units of each hidden layer, input side first. */
  readonly hidden: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** With held-out rows: epochs without a new lowest held-out loss before training stops. */
  readonly patience: number;
  readonly seed: number;
}

export const DEFAULT_MLP_PARAMS: MlpParams = Object.freeze({ hidden: Object.freeze([32, 16]), epochs: 30, batchSize: 64, learningRate: 0.005, patience: 3, seed: 7 });

/** The architecture, as stored in the artifact next to the weights. */
export interface MlpArchitecture {
  readonly inputs: number;
  readonly hidden: readonly number[];
  readonly activation: 'relu';
  readonly output: 'sigmoid';
}

interface MlpState {
  readonly architecture: MlpArchitecture;
  /** Float64 base64: the training rows' mean and standard deviation per feature. */
  readonly center: string;
  readonly spread: string;
  readonly featureNames: readonly string[];
  readonly weights: readonly EncodedTensor[];
}

/** Kernel `[out, in]` and bias `[out, 1]` of every layer, the output layer last. */
export function mlpShapes(architecture: Pick<MlpArchitecture, 'inputs' | 'hidden'>): Shape[] {
  const sizes = [architecture.inputs, ...architecture.hidden, 1];
  return sizes.slice(1).flatMap((out, i) => [[out, sizes[i]!], [out, 1]]);
}

export interface MlpFitReport {
  /** Mean training cross-entropy of each epoch run. */
  readonly loss: readonly number[];
  readonly rows: number;
  /** With held-out rows: their mean cross-entropy after each epoch run, and how many epochs the kept weights had. */
  readonly validationLoss?: readonly number[];
  readonly epochsKept?: number;
}

/** Rows held out from fitting, with their 0/1 labels. */
export interface HeldOutRows {
  readonly X: readonly (readonly number[])[];
  readonly y: readonly number[];
}

export class MlpClassifier implements Model {
  readonly kind = 'classifier' as const;
  readonly params: MlpParams;
  readonly name: string;
  #state: MlpState | null = null;

  constructor(params: Partial<MlpParams> = {}) {
    const p = { ...DEFAULT_MLP_PARAMS, ...params };
    if (!Array.isArray(p.hidden) || p.hidden.length === 0) throw new ModelError('MODEL_INPUT_INVALID', `${MLP_TYPE}: hidden must list at least one layer size`);
    p.hidden.forEach((units, i) => positiveInt(MLP_TYPE, `hidden[${i}]`, units));
    positiveInt(MLP_TYPE, 'epochs', p.epochs);
    positiveInt(MLP_TYPE, 'batchSize', p.batchSize);
    positiveNumber(MLP_TYPE, 'learningRate', p.learningRate);
    positiveInt(MLP_TYPE, 'patience', p.patience);
    if (!Number.isInteger(p.seed)) throw new ModelError('MODEL_INPUT_INVALID', `${MLP_TYPE}: seed must be an integer`);
    this.params = Object.freeze({ ...p, hidden: Object.freeze([...p.hidden]) });
    this.name = modelName(MLP_TYPE, { hidden: p.hidden.join('x'), epochs: p.epochs, batch: p.batchSize, lr: p.learningRate, patience: p.patience, seed: p.seed });
  }

  get fitted(): boolean {
    return this.#state !== null;
  }

  /** The feature names the model was fitted with (`x0`, `x1`, … when none were given). */
  get featureNames(): readonly string[] {
    return this.#fitted().featureNames;
  }

  /**
   * Fits on rows `X` (NaN for missing) and 0/1 labels `y`. Training runs TF.js in the calling thread, on
   * whichever backend is active there: it is the training job's work, not the scoring path's.
   */
  async fit(X: readonly (readonly number[])[], y: readonly number[], featureNames?: readonly string[], validation?: HeldOutRows): Promise<MlpFitReport> {
    const n = X.length;
    if (n < 2 || y.length !== n) throw new ModelError('MODEL_INPUT_INVALID', `${MLP_TYPE}: need at least 2 rows and one label per row (got ${n} rows, ${y.length} labels)`);
    const d = X[0]!.length;
    if (d < 1 || X.some((row) => row.length !== d)) throw new ModelError('MODEL_INPUT_INVALID', `${MLP_TYPE}: every row must have the same number (≥ 1) of features`);
    if (y.some((v) => v !== 0 && v !== 1)) throw new ModelError('MODEL_INPUT_INVALID', `${MLP_TYPE}: labels must be 0 or 1`);
    if (featureNames && featureNames.length !== d) throw new ModelError('MODEL_INPUT_INVALID', `${MLP_TYPE}: ${featureNames.length} feature names for ${d} features`);
    if (validation && (validation.X.length !== validation.y.length || validation.X.some((row) => row.length !== d) || validation.y.some((v) => v !== 0 && v !== 1))) {
      throw new ModelError('MODEL_INPUT_INVALID', `${MLP_TYPE}: held-out rows need ${d} features each and a 0/1 label per row`);
    }
    const { center, spread } = standardisation(X, d);
    const scaled = columns(X, d, center, spread);
    const architecture: MlpArchitecture = { inputs: d, hidden: this.params.hidden, activation: 'relu', output: 'sigmoid' };
    const random = new Random(this.params.seed);
    const shapes = mlpShapes(architecture);
    const initial = shapes.map((shape, k) => (k % 2 === 1 ? new Float32Array(shape[0]!) : glorotUniform(random.fork(`layer${k / 2}`), shape as [number, number])));
    const variables = toVariables(initial, shapes);
    const xAll = tf.tensor2d(scaled, [d, n]);
    const yAll = tf.tensor1d(Float32Array.from(y));
    const m = validation?.y.length ?? 0;
    const xHeld = m > 0 ? tf.tensor2d(columns(validation!.X, d, center, spread), [d, m]) : null;
    const yHeld = m > 0 ? tf.tensor1d(Float32Array.from(validation!.y)) : null;
    const validationLoss: number[] = [];
    let kept = { epochs: 0, loss: Number.POSITIVE_INFINITY, weights: [] as EncodedTensor[] };
    try {
      const loss = await train(
        {
          samples: n,
          epochs: this.params.epochs,
          batchSize: this.params.batchSize,
          learningRate: this.params.learningRate,
          variables,
          random: random.fork('batches'),
          ...(xHeld && yHeld
            ? {
                afterEpoch: (epoch: number) => {
                  const held = tf.tidy(() => crossEntropy(forward(variables, xHeld), yHeld).dataSync()[0]!);
                  validationLoss.push(held);
                  if (held < kept.loss) kept = { epochs: epoch + 1, loss: held, weights: encodeWeights(variables) };
                  return epoch + 1 - kept.epochs < this.params.patience;
                },
              }
            : {}),
        },
        (batch) => {
          const index = tf.tensor1d(Int32Array.from(batch), 'int32');
          return crossEntropy(forward(variables, tf.gather(xAll, index, 1)), tf.gather(yAll, index));
        },
      );
      this.#state = {
        architecture,
        center: encodeFloat64(center),
        spread: encodeFloat64(spread),
        featureNames: featureNames ? [...featureNames] : Array.from({ length: d }, (_, j) => `x${j}`),
        weights: xHeld ? kept.weights : encodeWeights(variables),
      };
      return { loss, rows: n, ...(xHeld ? { validationLoss, epochsKept: kept.epochs } : {}) };
    } finally {
      for (const t of [xAll, yAll, xHeld, yHeld]) t?.dispose();
      for (const v of variables) v.dispose();
    }
  }

  serialize(): SerializedModel<MlpParams, MlpState> {
    return { type: MLP_TYPE, formatVersion: FORMAT_VERSION, params: { ...this.params, hidden: [...this.params.hidden] }, state: this.#fitted() };
  }

  static deserialize(artifact: SerializedModel): MlpClassifier {
    const state = readMlpState(artifact);
    const model = new MlpClassifier(artifact.params as MlpParams);
    if (model.params.hidden.join('x') !== state.architecture.hidden.join('x')) {
      throw new ModelError('MODEL_ARTIFACT_INVALID', `${MLP_TYPE}: the architecture's hidden layers differ from the params'`);
    }
    model.#state = state;
    return model;
  }

  #fitted(): MlpState {
    if (!this.#state) throw new ModelError('MODEL_NOT_FITTED', `${this.name} is not fitted`);
    return this.#state;
  }
}

function readMlpState(artifact: SerializedModel): MlpState {
  const state = stateOf<MlpState>(artifact, MLP_TYPE, FORMAT_VERSION);
  const a = state.architecture as Partial<MlpArchitecture> | undefined;
  if (!a || !Number.isInteger(a.inputs) || (a.inputs as number) < 1 || !Array.isArray(a.hidden) || a.hidden.length === 0 || a.activation !== 'relu' || a.output !== 'sigmoid') {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `${MLP_TYPE}: the architecture must give inputs, hidden layers, relu and sigmoid`);
  }
  if (a.hidden.some((u) => !Number.isInteger(u) || u < 1)) throw new ModelError('MODEL_ARTIFACT_INVALID', `${MLP_TYPE}: hidden layer sizes must be positive integers`);
  if (typeof state.center !== 'string' || typeof state.spread !== 'string' || !Array.isArray(state.featureNames)) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `${MLP_TYPE}: the state needs center, spread and featureNames`);
  }
  const inputs = a.inputs as number;
  if (decodeFloat64(state.center).length !== inputs || decodeFloat64(state.spread).length !== inputs || state.featureNames.length !== inputs) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `${MLP_TYPE}: center, spread and featureNames must have ${inputs} entries`);
  }
  decodeWeights(state.weights, mlpShapes({ inputs, hidden: a.hidden }));
  return state as MlpState;
}

/** The restored network: rows of feature values (NaN for missing) to P(up), one value per row. */
export class MlpNetwork implements TfjsNetwork {
  readonly inputWidth: number;
  readonly #variables: tf.Variable[];
  readonly #center: Float64Array;
  readonly #spread: Float64Array;

  constructor(artifact: SerializedModel) {
    const state = readMlpState(artifact);
    this.inputWidth = state.architecture.inputs;
    const shapes = mlpShapes(state.architecture);
    this.#variables = toVariables(decodeWeights(state.weights, shapes), shapes);
    this.#center = decodeFloat64(state.center);
    this.#spread = decodeFloat64(state.spread);
  }

  outputWidth(_options: InferenceOptions): number {
    return 1;
  }

  infer(input: Float32Array, n: number, _options: InferenceOptions): Float32Array {
    const d = this.inputWidth;
    checkBatch(MLP_TYPE, input, n, d);
    const x = new Float32Array(d * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[j * n + i] = scale(input[i * d + j]!, this.#center[j]!, this.#spread[j]!);
    const p = tf.tidy(() => forward(this.#variables, tf.tensor2d(x, [d, n])));
    try {
      return Float32Array.from(p.dataSync());
    } finally {
      p.dispose();
    }
  }

  dispose(): void {
    for (const v of this.#variables) v.dispose();
  }
}

/** The mean binary cross-entropy of probabilities `p` against 0/1 `target`. */
function crossEntropy(p: tf.Tensor1D, target: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const q = tf.clipByValue(p, EPSILON, 1 - EPSILON);
    const logLikelihood: tf.Scalar = tf.mean(tf.add(tf.mul(target, tf.log(q)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, q)))));
    return tf.neg(logLikelihood);
  });
}

/** Rows standardised into the network's `[features, n]` layout. */
function columns(X: readonly (readonly number[])[], d: number, center: Float64Array, spread: Float64Array): Float32Array {
  const n = X.length;
  const out = new Float32Array(d * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j * n + i] = scale(X[i]![j]!, center[j]!, spread[j]!);
  return out;
}

/** `x` is `[features, n]`; gives P(up), `[n]`. */
function forward(variables: readonly tf.Variable[], x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    let h: tf.Tensor2D = x;
    const layers = variables.length / 2;
    for (let k = 0; k < layers; k++) {
      const z: tf.Tensor2D = tf.add(tf.matMul(variables[2 * k]! as tf.Tensor2D, h), variables[2 * k + 1]!);
      h = k < layers - 1 ? tf.relu(z) : tf.sigmoid(z);
    }
    return tf.reshape(h, [h.shape[1]]);
  });
}

function standardisation(X: readonly (readonly number[])[], d: number): { center: Float64Array; spread: Float64Array } {
  const center = new Float64Array(d);
  const spread = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let sum = 0;
    let count = 0;
    for (const row of X) if (!Number.isNaN(row[j]!)) (sum += row[j]!), count++;
    const mean = count > 0 ? sum / count : 0;
    let squares = 0;
    for (const row of X) if (!Number.isNaN(row[j]!)) squares += (row[j]! - mean) ** 2;
    const std = count > 1 ? Math.sqrt(squares / count) : 0;
    center[j] = mean;
    spread[j] = std > 1e-12 ? std : 1;
  }
  return { center, spread };
}

function scale(value: number, center: number, spread: number): number {
  return Number.isNaN(value) ? 0 : (value - center) / spread;
}
