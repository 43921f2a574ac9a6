/**
 * Which TensorFlow.js backend the models run on, as the process reports it (`health`, logs).
 *
 * The choice itself is made in each worker of the TF.js pool when it starts (`chooseBackend` of
 * ../models/tfjs/backend.ts: `tensorflow` when `@tensorflow/tfjs-node` loads, else `wasm`, else `cpu`), since
 * TF.js inference never runs on the main thread; the pool reports the worker's choice here when it starts.
 * Until a pool has started, no TF.js model is loaded and the backend is `none`.
 *
 * Type imports only: the composition root reads this for `health` whether or not TF.js is on, and loading
 * TF.js itself is left to the pool.
 */
import type { BackendChoice } from '../models/tfjs/backend.js';

let reported: BackendChoice | null = null;

/** Records the backend a pool's worker chose (pool.ts calls it on start and on each probe). */
export function reportMlBackend(choice: BackendChoice): void {
  reported = choice;
}

/** Forgets a report when the pool that made it closes (a report made since by another pool stays). */
export function clearMlBackend(choice: BackendChoice): void {
  if (reported === choice) reported = null;
}

/** The backend in use (`tensorflow`, `wasm`, `cpu`), or `none` when no TF.js pool runs: what `health` says. */
export function mlBackend(): string {
  return reported?.backend ?? 'none';
}

/** The backend with the reasons the faster ones were skipped, for logs: `wasm (skipped tensorflow: ...)`. */
export function mlBackendDetail(): string {
  if (!reported) return 'none (no TF.js model is loaded)';
  const skipped = reported.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  return skipped ? `${reported.backend} (skipped ${skipped})` : reported.backend;
}
