/**
 * Which TensorFlow.js backend runs the models, chosen once at start from a preference list.
 *
 * - `tensorflow`: `@tensorflow/tfjs-node` (libtensorflow, native). An optional dependency: on machines where its
 *   install could not fetch libtensorflow the import fails, and the next backend is tried.
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (XNNPACK with SIMD, single-threaded in Node).
 * - `cpu`: plain JavaScript kernels, always present.
 *
 * The choice says which backend is in use and why each one before it was skipped, so `health` and the logs can
 * report it. The backend is a process-wide (per worker thread) setting of TF.js; nothing here runs at import.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Fastest first: native, then WebAssembly (about 4× the cpu backend for batched dense layers), then JS. */
export const DEFAULT_BACKENDS: readonly BackendName[] = BACKENDS;

export interface SkippedBackend {
  readonly backend: BackendName;
  readonly reason: string;
}

export interface BackendChoice {
  readonly backend: BackendName;
  /** The backends tried before it, in preference order, with the reason each was not used. */
  readonly skipped: readonly SkippedBackend[];
}

export type BackendErrorCode = 'TFJS_BACKEND_UNKNOWN' | 'TFJS_NO_BACKEND';

export class BackendError extends Error {
  constructor(
    readonly code: BackendErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

// A variable, not a literal, so that the type checker does not require the optional package to be installed.
const TFJS_NODE: string = '@tensorflow/tfjs-node';

/** Importing a backend package registers it with TF.js; `cpu` ships with `@tensorflow/tfjs`. */
const IMPORTS: Record<BackendName, () => Promise<unknown>> = {
  tensorflow: () => import(TFJS_NODE),
  wasm: async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // The .wasm binaries ship in the package's dist folder; naming it keeps TF.js from looking anywhere else.
    wasm.setWasmPaths(wasmDirectory());
    return wasm;
  },
  cpu: async () => undefined,
};

/** The installed `@tensorflow/tfjs-backend-wasm`'s `dist/` folder, with a trailing separator as TF.js wants. */
export function wasmDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
}

/** One import attempt per package and thread: a failed native import fails the same way every time. */
const imports = new Map<BackendName, Promise<unknown>>();

/** Switches TF.js to the first backend of `preference` that loads and initialises. */
export async function chooseBackend(preference: readonly BackendName[] = DEFAULT_BACKENDS): Promise<BackendChoice> {
  for (const name of preference) {
    if (!BACKENDS.includes(name)) throw new BackendError('TFJS_BACKEND_UNKNOWN', `unknown TF.js backend ${JSON.stringify(name)} (known: ${BACKENDS.join(', ')})`);
  }
  const skipped: SkippedBackend[] = [];
  for (const backend of preference) {
    const reason = await tryBackend(backend);
    if (reason === null) return { backend, skipped };
    skipped.push({ backend, reason });
  }
  throw new BackendError('TFJS_NO_BACKEND', `no TF.js backend could be used: ${describeSkipped(skipped) || 'the preference list is empty'}`);
}

/** One line for logs and health: `wasm (skipped tensorflow: could not be loaded: ...)`. */
export function describeBackend(choice: BackendChoice): string {
  return choice.skipped.length === 0 ? choice.backend : `${choice.backend} (skipped ${describeSkipped(choice.skipped)})`;
}

function describeSkipped(skipped: readonly SkippedBackend[]): string {
  return skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
}

/** Null when `name` is now the active backend, else why it is not. */
async function tryBackend(name: BackendName): Promise<string | null> {
  let loading = imports.get(name);
  if (!loading) imports.set(name, (loading = IMPORTS[name]()));
  try {
    await loading;
  } catch (error) {
    return `could not be loaded: ${firstLine(error)}`;
  }
  try {
    return (await tf.setBackend(name)) ? null : 'failed to initialise';
  } catch (error) {
    return `failed to initialise: ${firstLine(error)}`;
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().split('\n')[0] ?? text;
}
