/**
 * The messages between the TF.js pool (pool.ts) and its workers (worker-tasks.ts). Plain data only: each crosses
 * a thread by structured clone. Errors travel as `{ code, message }` rather than thrown, because a thrown error
 * loses its `code` on the way.
 */
import type { BackendChoice, BackendName } from '../models/tfjs/backend.js';
import type { SerializedModel } from '../models/model.js';
import type { InferenceOptions } from '../models/tfjs/network.js';

/** What each worker is started with. */
export interface WorkerConfig {
  /** Backends to try, fastest first. */
  readonly backends: readonly BackendName[];
}

export type WorkerTask =
  | { readonly op: 'backend' }
  | {
      readonly op: 'infer';
      /** The model's name, for errors. */
      readonly model: string;
      readonly artifactHash: string;
      /** Sent when the worker said it does not hold the model yet (a new or restarted worker). */
      readonly artifact?: SerializedModel;
      readonly options: InferenceOptions;
      readonly rows: number;
      readonly input: Float32Array;
    };

export type WorkerReply =
  | { readonly ok: true; readonly threadId: number; readonly backend: BackendChoice }
  | { readonly ok: true; readonly threadId: number; readonly output: Float32Array }
  | { readonly ok: false; readonly missing: true }
  | { readonly ok: false; readonly code: string; readonly message: string };
