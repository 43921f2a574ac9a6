/**
 * TF.js inference off the main thread: a pool of worker threads (piscina) that run the networks of registry
 * artifacts, with requests micro-batched.
 *
 * Why workers: a TF.js call runs where it is made and holds its thread for as long as the kernels run; on the
 * main thread that would stall the pipeline and the API. Why micro-batching: one tensor call on 64 rows costs
 * little more than one on a single row (the per-call overhead of TF.js dominates small inputs), so requests
 * for the same model that arrive within `batchWindowMs` of each other (or `maxBatch` of them) go to the worker
 * as one batch, and each caller gets its own row of the result.
 *
 * A worker that exits while it holds a batch (a crash, an out-of-memory kill) fails that batch's requests with
 * `ML_WORKER_CRASHED`; piscina starts a new worker, which loads each model again from its artifact on first use
 * (see worker-tasks.ts). An artifact that does not match its hash, or whose architecture or weights are not
 * what its type needs, fails with `MODEL_ARTIFACT_INVALID` naming the model.
 */
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { canonicalJson } from '../canonical.js';
import { ModelError, type ModelErrorCode, type SerializedModel } from '../models/model.js';
import { type BackendChoice, type BackendName, DEFAULT_BACKENDS } from '../models/tfjs/backend.js';
import type { InferenceOptions } from '../models/tfjs/network.js';
import { clearMlBackend, reportMlBackend } from './backend.js';
import type { WorkerConfig, WorkerReply, WorkerTask } from './protocol.js';

/** A model as the registry stores it: its name, its artifact and the artifact's SHA-256 (see bundle.ts). */
export interface TfjsArtifact {
  readonly name: string;
  readonly artifactHash: string;
  readonly artifact: SerializedModel;
}

export interface TfjsPoolOptions {
  /** Worker threads; 1 by default (the machines this runs on have few cores, and TF.js wasm is single-threaded). */
  readonly threads?: number;
  readonly backends?: readonly BackendName[];
  /**
   * How long the first request of a batch waits for others, in ms. 0: only for the requests made in the same
   * turn of the event loop (the batch leaves on `setImmediate`), so a lone request waits for nothing.
   */
  readonly batchWindowMs?: number;
  /** A batch is sent as soon as it holds this many rows. */
  readonly maxBatch?: number;
}

export type MlPoolErrorCode = 'ML_WORKER_CRASHED' | 'ML_WORKER_FAILED' | 'ML_POOL_CLOSED' | 'ML_POOL_START_FAILED';

export class MlPoolError extends Error {
  constructor(
    readonly code: MlPoolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MlPoolError';
  }
}

interface Pending {
  readonly row: Float32Array;
  resolve(output: Float32Array): void;
  reject(error: Error): void;
}

interface Batch {
  readonly model: TfjsArtifact;
  readonly options: InferenceOptions;
  readonly width: number;
  readonly pending: Pending[];
  /** Cancels the pending flush; null while none is scheduled. */
  cancel: (() => void) | null;
}

const MODEL_ERROR_CODES: readonly string[] = ['MODEL_NOT_FITTED', 'MODEL_INPUT_INVALID', 'MODEL_ARTIFACT_INVALID'] satisfies ModelErrorCode[];

export class TfjsPool {
  readonly #piscina: Piscina<WorkerTask, WorkerReply>;
  readonly #batchWindowMs: number;
  readonly #maxBatch: number;
  readonly #batches = new Map<string, Batch>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #backend: BackendChoice;
  #closed = false;
  #batchesSent = 0;
  #rowsSent = 0;

  private constructor(piscina: Piscina<WorkerTask, WorkerReply>, backend: BackendChoice, options: TfjsPoolOptions) {
    this.#piscina = piscina;
    this.#backend = backend;
    this.#batchWindowMs = options.batchWindowMs ?? 2;
    this.#maxBatch = options.maxBatch ?? 64;
  }

  /** Starts the workers and waits for one to report the backend it chose. */
  static async start(options: TfjsPoolOptions = {}): Promise<TfjsPool> {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new MlPoolError('ML_POOL_START_FAILED', `threads must be a positive integer, got ${threads}`);
    if (options.maxBatch !== undefined && !(Number.isInteger(options.maxBatch) && options.maxBatch >= 1)) {
      throw new MlPoolError('ML_POOL_START_FAILED', `maxBatch must be a positive integer, got ${options.maxBatch}`);
    }
    if (options.batchWindowMs !== undefined && !(options.batchWindowMs >= 0)) {
      throw new MlPoolError('ML_POOL_START_FAILED', `batchWindowMs must be 0 or more, got ${options.batchWindowMs}`);
    }
    const workerData: WorkerConfig = { backends: [...(options.backends ?? DEFAULT_BACKENDS)] };
    const piscina = new Piscina<WorkerTask, WorkerReply>({
      filename: fileURLToPath(new URL('./worker.js', import.meta.url)),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData,
    });
    let reply: WorkerReply;
    try {
      reply = await piscina.run({ op: 'backend' });
    } catch (error) {
      await piscina.destroy();
      throw new MlPoolError('ML_POOL_START_FAILED', `the TF.js worker did not start: ${messageOf(error)}`);
    }
    if (!reply.ok || !('backend' in reply)) {
      await piscina.destroy();
      throw new MlPoolError('ML_POOL_START_FAILED', `the TF.js worker did not start: ${'message' in reply ? reply.message : 'no backend reported'}`);
    }
    reportMlBackend(reply.backend);
    return new TfjsPool(piscina, reply.backend, options);
  }

  /** The backend the workers run on, and why faster ones were skipped. */
  get backend(): BackendChoice {
    return this.#backend;
  }

  /** The worker threads (piscina's), for drills that end one. */
  get threads(): readonly Worker[] {
    return this.#piscina.threads;
  }

  /** Batches and rows sent to the workers so far: rows / batches is the batching achieved. */
  get stats(): { readonly batches: number; readonly rows: number } {
    return { batches: this.#batchesSent, rows: this.#rowsSent };
  }

  /** Asks a worker which backend it runs on and which thread it is (a restarted worker has a new id). */
  async probe(): Promise<{ backend: BackendChoice; threadId: number }> {
    const reply = await this.#piscina.run({ op: 'backend' });
    if (!reply.ok || !('backend' in reply)) throw new MlPoolError('ML_WORKER_FAILED', 'the TF.js worker did not report its backend');
    this.#backend = reply.backend;
    reportMlBackend(reply.backend);
    return { backend: reply.backend, threadId: reply.threadId };
  }

  /**
   * Runs `model` on one input row, batched with other requests for the same model, row width and options;
   * resolves with this row's output.
   */
  infer(model: TfjsArtifact, row: Float32Array, options: InferenceOptions = {}): Promise<Float32Array> {
    if (this.#closed) return Promise.reject(new MlPoolError('ML_POOL_CLOSED', `the TF.js pool is closed; cannot score ${model.name}`));
    const key = `${model.artifactHash}|${row.length}|${canonicalJson(options)}`;
    let batch = this.#batches.get(key);
    if (!batch) {
      batch = { model, options, width: row.length, pending: [], cancel: null };
      this.#batches.set(key, batch);
    }
    const open = batch;
    const result = new Promise<Float32Array>((resolve, reject) => open.pending.push({ row, resolve, reject }));
    if (open.pending.length >= this.#maxBatch) this.#flush(key, open);
    else if (!open.cancel) {
      if (this.#batchWindowMs === 0) {
        const immediate = setImmediate(() => this.#flush(key, open));
        open.cancel = () => clearImmediate(immediate);
      } else {
        const timeout = setTimeout(() => this.#flush(key, open), this.#batchWindowMs);
        open.cancel = () => clearTimeout(timeout);
      }
    }
    return result;
  }

  /** Sends every open batch now and waits for all in flight; rejects whatever arrives after. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const [key, batch] of this.#batches) this.#flush(key, batch);
    await Promise.allSettled([...this.#inFlight]);
    await this.#piscina.destroy();
    clearMlBackend(this.#backend);
  }

  #flush(key: string, batch: Batch): void {
    if (this.#batches.get(key) === batch) this.#batches.delete(key);
    batch.cancel?.();
    batch.cancel = null;
    const pending = batch.pending.splice(0);
    if (pending.length === 0) return;
    this.#batchesSent++;
    this.#rowsSent += pending.length;
    const input = new Float32Array(pending.length * batch.width);
    pending.forEach((p, i) => input.set(p.row, i * batch.width));
    const sent = this.#send(batch, input, pending.length).then(
      (output) => {
        const width = output.length / pending.length;
        pending.forEach((p, i) => p.resolve(output.slice(i * width, (i + 1) * width)));
      },
      (error: Error) => pending.forEach((p) => p.reject(error)),
    );
    this.#inFlight.add(sent);
    void sent.finally(() => this.#inFlight.delete(sent));
  }

  async #send(batch: Batch, input: Float32Array, rows: number): Promise<Float32Array> {
    const { name, artifactHash, artifact } = batch.model;
    const task = { op: 'infer' as const, model: name, artifactHash, options: batch.options, rows, input };
    let reply = await this.#run(task, name, rows);
    if (!reply.ok && 'missing' in reply) reply = await this.#run({ ...task, artifact }, name, rows);
    if (reply.ok && 'output' in reply) return reply.output;
    if (!reply.ok && 'code' in reply) {
      throw MODEL_ERROR_CODES.includes(reply.code) ? new ModelError(reply.code as ModelErrorCode, reply.message) : new MlPoolError('ML_WORKER_FAILED', reply.message);
    }
    throw new MlPoolError('ML_WORKER_FAILED', `${name}: the TF.js worker gave no output`);
  }

  async #run(task: WorkerTask, name: string, rows: number): Promise<WorkerReply> {
    try {
      return await this.#piscina.run(task);
    } catch (error) {
      throw new MlPoolError(
        'ML_WORKER_CRASHED',
        `the TF.js worker stopped while scoring ${name} (${rows} ${rows === 1 ? 'request' : 'requests'} failed): ${messageOf(error)}; a new worker takes the next requests`,
      );
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
