/**
 * A DeepAR-style probabilistic forecaster (Salinas et al., "DeepAR: Probabilistic forecasting with
 * autoregressive recurrent networks", 2020): the LSTM of ./lstm.ts reads a window of a series' recent steps
 * and its Gaussian head gives the next step's mean and standard deviation; further steps are forecast by
 * ancestral sampling, each sampled step fed back as the next input, and summarised per step (./gaussian.ts).
 *
 * The network models the series' increments, standardised with the training increments' mean and standard
 * deviation, rather than its level: a price's level wanders out of any range seen in training, its daily
 * increments do not. A forecast is the last value plus the forecast increments.
 *
 * Sampling draws its normals from the project's seeded `Random`, seeded per row from the request's seed and the
 * row's own values, so a row's forecast does not depend on which other rows shared its batch.
 *
 * Determinism: the initial weights are the same bits on every backend (./weights.ts); training then runs on the
 * active backend's float32 kernels, whose sums may round differently on wasm and cpu, so a model fitted on one
 * backend and one fitted on another may differ in the last bits. A fitted model's artifact is exact.
 */
import * as tf from '@tensorflow/tfjs';
import { Random } from '../../random.js';
import { type Model, ModelError, modelName, type SerializedModel } from '../model.js';
import { summarizeGaussian, summarizeSamples } from './gaussian.js';
import { GaussianLstm, gaussianNll, initialLstmWeights, type LstmShape, lstmShapes } from './lstm.js';
import { checkBatch, type InferenceOptions, positiveInt, positiveNumber, stateOf, type TfjsNetwork } from './network.js';
import { train } from './train.js';
import { decodeWeights, type EncodedTensor, encodeWeights, toVariables } from './weights.js';

export const FORECASTER_TYPE = 'GaussianForecaster';
const FORMAT_VERSION = 1;
/** The most sample paths and steps one request may ask for: beyond this a batch would not fit a short window. */
const MAX_SAMPLES = 10_000;
const MAX_HORIZON = 256;

export interface ForecasterParams {
  /** Past increments the network reads. */
  readonly window: number;
  readonly units: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
}

export const DEFAULT_FORECASTER_PARAMS: ForecasterParams = Object.freeze({ window: 32, units: 16, epochs: 20, batchSize: 32, learningRate: 0.01, seed: 7 });

export interface ForecasterArchitecture extends LstmShape {
  readonly head: 'gaussian';
  readonly target: 'increment';
}

interface ForecasterState {
  readonly architecture: ForecasterArchitecture;
  /** Mean and standard deviation of the training increments. */
  readonly center: number;
  readonly spread: number;
  readonly weights: readonly EncodedTensor[];
}

export interface ForecastOptions {
  /** Steps ahead; 1 gives the Gaussian in closed form, more are sampled. */
  readonly horizon: number;
  /** Sample paths per row when `horizon` > 1. */
  readonly samples: number;
  /** Quantile levels in (0, 1). */
  readonly levels: readonly number[];
  readonly seed: number;
}

export const DEFAULT_FORECAST_OPTIONS: ForecastOptions = Object.freeze({ horizon: 1, samples: 200, levels: Object.freeze([0.1, 0.5, 0.9]), seed: 1 });

/** One step of a forecast, in the series' units. */
export interface ForecastStep {
  readonly mean: number;
  readonly std: number;
  /** One per requested level, in order. */
  readonly quantiles: readonly number[];
}

export interface ForecasterFitReport {
  /** Mean training Gaussian NLL (scaled units, without log √(2π)) of each epoch. */
  readonly loss: readonly number[];
  readonly samples: number;
}

export class GaussianForecaster implements Model {
  readonly kind = 'forecaster' as const;
  readonly params: ForecasterParams;
  readonly name: string;
  #state: ForecasterState | null = null;

  constructor(params: Partial<ForecasterParams> = {}) {
    const p = { ...DEFAULT_FORECASTER_PARAMS, ...params };
    for (const key of ['window', 'units', 'epochs', 'batchSize'] as const) positiveInt(FORECASTER_TYPE, key, p[key]);
    positiveNumber(FORECASTER_TYPE, 'learningRate', p.learningRate);
    if (!Number.isInteger(p.seed)) throw new ModelError('MODEL_INPUT_INVALID', `${FORECASTER_TYPE}: seed must be an integer`);
    this.params = Object.freeze(p);
    this.name = modelName(FORECASTER_TYPE, { window: p.window, units: p.units, epochs: p.epochs, batch: p.batchSize, lr: p.learningRate, seed: p.seed });
  }

  get fitted(): boolean {
    return this.#state !== null;
  }

  /** Values a forecast request reads: the last `window + 1` values of the series (their `window` increments). */
  get historyLength(): number {
    return this.params.window + 1;
  }

  /**
   * Fits on one series, or on several (one per instrument, say), every step a training sample; a window never
   * spans two series. The increments of all of them are standardised together. Runs TF.js in the calling
   * thread (the training job's).
   */
  async fit(data: readonly number[] | readonly (readonly number[])[]): Promise<ForecasterFitReport> {
    const { window, units } = this.params;
    const list = (data.length > 0 && Array.isArray(data[0]) ? data : [data]) as readonly (readonly number[])[];
    const usable = list.filter((series) => series.length >= window + 2);
    const total = usable.reduce((sum, series) => sum + series.length - 1 - window, 0);
    if (total < 2) throw new ModelError('MODEL_INPUT_INVALID', `${FORECASTER_TYPE}: need at least ${window + 3} values in one series, got ${Math.max(0, ...list.map((l) => l.length))}`);
    if (!list.every((series) => series.every(Number.isFinite))) throw new ModelError('MODEL_INPUT_INVALID', `${FORECASTER_TYPE}: the series holds a missing or non-finite value`);
    const increments = usable.map((series) => series.slice(1).map((v, i) => v - series[i]!));
    const all = increments.flat();
    const center = all.reduce((a, b) => a + b, 0) / all.length;
    const std = Math.sqrt(all.reduce((a, b) => a + (b - center) ** 2, 0) / all.length);
    const spread = std > 1e-12 ? std : 1;
    const n = total;
    // [window, 1, n]: a sample reads `window` standardised increments of one series and predicts the next.
    const x = new Float32Array(window * n);
    const y = new Float32Array(n);
    let i = 0;
    for (const series of increments) {
      const z = series.map((d) => (d - center) / spread);
      for (let start = 0; start + window < z.length; start++, i++) {
        for (let t = 0; t < window; t++) x[t * n + i] = z[start + t]!;
        y[i] = z[start + window]!;
      }
    }
    const shape: LstmShape = { window, features: 1, units };
    const random = new Random(this.params.seed);
    const variables = toVariables(initialLstmWeights(shape, random.fork('weights')), lstmShapes(shape));
    const network = new GaussianLstm(shape, variables);
    const xAll = tf.tensor3d(x, [window, 1, n]);
    const yAll = tf.tensor1d(y);
    try {
      const loss = await train(
        { samples: n, epochs: this.params.epochs, batchSize: this.params.batchSize, learningRate: this.params.learningRate, variables, random: random.fork('batches') },
        (batch) => {
          const index = tf.tensor1d(Int32Array.from(batch), 'int32');
          return gaussianNll(network.forward(tf.gather(xAll, index, 2)), tf.gather(yAll, index));
        },
      );
      this.#state = { architecture: { ...shape, head: 'gaussian', target: 'increment' }, center, spread, weights: encodeWeights(variables) };
      return { loss, samples: n };
    } finally {
      xAll.dispose();
      yAll.dispose();
      network.dispose();
    }
  }

  serialize(): SerializedModel<ForecasterParams, ForecasterState> {
    if (!this.#state) throw new ModelError('MODEL_NOT_FITTED', `${this.name} is not fitted`);
    return { type: FORECASTER_TYPE, formatVersion: FORMAT_VERSION, params: { ...this.params }, state: this.#state };
  }

  static deserialize(artifact: SerializedModel): GaussianForecaster {
    const state = readForecasterState(artifact);
    const model = new GaussianForecaster(artifact.params as ForecasterParams);
    if (model.params.window !== state.architecture.window || model.params.units !== state.architecture.units) {
      throw new ModelError('MODEL_ARTIFACT_INVALID', `${FORECASTER_TYPE}: the architecture's window and units differ from the params'`);
    }
    model.#state = state;
    return model;
  }
}

function readForecasterState(artifact: SerializedModel): ForecasterState {
  const state = stateOf<ForecasterState>(artifact, FORECASTER_TYPE, FORMAT_VERSION);
  const a = state.architecture as Partial<ForecasterArchitecture> | undefined;
  if (!a || !Number.isInteger(a.window) || !Number.isInteger(a.units) || a.features !== 1 || a.head !== 'gaussian' || a.target !== 'increment' || a.window! < 1 || a.units! < 1) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `${FORECASTER_TYPE}: the architecture must give window, units, 1 feature, a gaussian head on increments`);
  }
  if (!Number.isFinite(state.center) || !(typeof state.spread === 'number' && state.spread > 0 && Number.isFinite(state.spread))) {
    throw new ModelError('MODEL_ARTIFACT_INVALID', `${FORECASTER_TYPE}: center must be finite and spread positive`);
  }
  decodeWeights(state.weights, lstmShapes(a as LstmShape));
  return state as ForecasterState;
}

/** The options of a forecast request, checked, with defaults filled in. */
export function forecastOptions(options: Partial<ForecastOptions> | InferenceOptions = {}): ForecastOptions {
  const o = { ...DEFAULT_FORECAST_OPTIONS, ...options } as ForecastOptions;
  positiveInt(FORECASTER_TYPE, 'horizon', o.horizon);
  positiveInt(FORECASTER_TYPE, 'samples', o.samples);
  if (o.horizon > MAX_HORIZON) throw new ModelError('MODEL_INPUT_INVALID', `${FORECASTER_TYPE}: horizon is at most ${MAX_HORIZON}, got ${o.horizon}`);
  if (o.samples > MAX_SAMPLES) throw new ModelError('MODEL_INPUT_INVALID', `${FORECASTER_TYPE}: samples is at most ${MAX_SAMPLES}, got ${o.samples}`);
  if (!Array.isArray(o.levels) || o.levels.some((l) => !(l > 0 && l < 1))) throw new ModelError('MODEL_INPUT_INVALID', `${FORECASTER_TYPE}: levels must be numbers in (0, 1)`);
  if (!Number.isInteger(o.seed)) throw new ModelError('MODEL_INPUT_INVALID', `${FORECASTER_TYPE}: seed must be an integer`);
  return o;
}

/** Splits one output row of the network into its steps. */
export function forecastSteps(row: Float32Array, options: ForecastOptions): ForecastStep[] {
  const width = 2 + options.levels.length;
  return Array.from({ length: options.horizon }, (_, h) => ({
    mean: row[h * width]!,
    std: row[h * width + 1]!,
    quantiles: Array.from(row.subarray(h * width + 2, (h + 1) * width)),
  }));
}

/**
 * The restored network. Input rows are the last `window + 1` values of a series; output rows hold, for each
 * step 1..horizon, the mean, the standard deviation and the requested quantiles of the value at that step.
 */
export class ForecastNetwork implements TfjsNetwork {
  readonly inputWidth: number;
  readonly #lstm: GaussianLstm;
  readonly #center: number;
  readonly #spread: number;

  constructor(artifact: SerializedModel) {
    const state = readForecasterState(artifact);
    const shape: LstmShape = { window: state.architecture.window, features: 1, units: state.architecture.units };
    this.#lstm = new GaussianLstm(shape, toVariables(decodeWeights(state.weights, lstmShapes(shape)), lstmShapes(shape)));
    this.#center = state.center;
    this.#spread = state.spread;
    this.inputWidth = shape.window + 1;
  }

  outputWidth(options: InferenceOptions): number {
    const o = forecastOptions(options);
    return o.horizon * (2 + o.levels.length);
  }

  infer(input: Float32Array, n: number, options: InferenceOptions): Float32Array {
    const o = forecastOptions(options);
    const width = this.inputWidth;
    checkBatch(FORECASTER_TYPE, input, n, width);
    if (!input.every(Number.isFinite)) throw new ModelError('MODEL_INPUT_INVALID', `${FORECASTER_TYPE}: a history holds a missing or non-finite value`);
    const window = width - 1;
    const stepWidth = 2 + o.levels.length;
    const out = new Float32Array(n * o.horizon * stepWidth);
    // Paths: one per row for the closed-form single step, `samples` per row beyond it.
    const paths = o.horizon === 1 ? 1 : o.samples;
    const m = n * paths;
    const windows = new Float32Array(window * m); // [window, 1, m], path p of row i at column i * paths + p
    const last = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const row = input.subarray(i * width, (i + 1) * width);
      for (let p = 0; p < paths; p++) {
        const col = i * paths + p;
        last[col] = row[window]!;
        for (let t = 0; t < window; t++) windows[t * m + col] = (row[t + 1]! - row[t]! - this.#center) / this.#spread;
      }
    }
    const randoms = o.horizon === 1 ? [] : Array.from({ length: n }, (_, i) => new Random(rowSeed(o.seed, input.subarray(i * width, (i + 1) * width))));
    const level = Float64Array.from(last);
    const samples = new Float64Array(paths);
    for (let h = 0; h < o.horizon; h++) {
      const { mean, std } = this.#step(windows, window, m);
      for (let i = 0; i < n; i++) {
        const base = (i * o.horizon + h) * stepWidth;
        let summary;
        if (o.horizon === 1) {
          summary = summarizeGaussian(level[i]! + this.#center + this.#spread * mean[i]!, this.#spread * std[i]!, o.levels);
        } else {
          const random = randoms[i]!;
          for (let p = 0; p < paths; p++) {
            const col = i * paths + p;
            const z = mean[col]! + std[col]! * random.normal();
            level[col] = level[col]! + this.#center + this.#spread * z;
            samples[p] = level[col]!;
            // Feed the sampled step back: shift the window by one and append it.
            for (let t = 0; t < window - 1; t++) windows[t * m + col] = windows[(t + 1) * m + col]!;
            windows[(window - 1) * m + col] = z;
          }
          summary = summarizeSamples(samples, o.levels);
        }
        out[base] = summary.mean;
        out[base + 1] = summary.std;
        summary.quantiles.forEach((q, k) => (out[base + 2 + k] = q));
      }
    }
    return out;
  }

  /** One network call on `m` windows: the next standardised increment's mean and std. */
  #step(windows: Float32Array, window: number, m: number): { mean: Float32Array; std: Float32Array } {
    const x = tf.tensor3d(windows, [window, 1, m]);
    try {
      const { mean, std } = this.#lstm.forward(x);
      try {
        return { mean: Float32Array.from(mean.dataSync()), std: Float32Array.from(std.dataSync()) };
      } finally {
        mean.dispose();
        std.dispose();
      }
    } finally {
      x.dispose();
    }
  }

  dispose(): void {
    this.#lstm.dispose();
  }
}

/** FNV-1a over the row's float32 bits and the request seed: a row's own sampling seed. */
function rowSeed(seed: number, row: Float32Array): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  const bytes = new Uint8Array(row.buffer, row.byteOffset, row.byteLength);
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}
