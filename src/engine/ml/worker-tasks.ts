/**
 * What a worker of the TF.js pool does: chooses its backend once when it starts, restores networks from
 * registry artifacts (checking each artifact's hash, then its architecture and weight shapes) and keeps them by
 * hash, and runs each batch the pool sends in one tensor call.
 *
 * A worker that does not hold a model replies `missing`, and the pool sends the batch again with the artifact:
 * a worker started to replace a crashed one thus loads what it is asked for, without the pool tracking which
 * worker holds what.
 */
import { threadId, workerData } from 'node:worker_threads';
import { canonicalJson, sha256Hex } from '../canonical.js';
import { ModelError } from '../models/model.js';
import { chooseBackend } from '../models/tfjs/backend.js';
import type { TfjsNetwork } from '../models/tfjs/network.js';
import { restoreNetwork } from '../models/tfjs/restore.js';
import type { WorkerConfig, WorkerReply, WorkerTask } from './protocol.js';

const config = workerData as WorkerConfig;
const backend = chooseBackend(config.backends);
// A failed choice is reported to each task that awaits it; marked handled so it does not end the thread first.
backend.catch(() => undefined);
const networks = new Map<string, TfjsNetwork>();

export default async function run(task: WorkerTask): Promise<WorkerReply> {
  try {
    if (task.op === 'backend') return { ok: true, threadId, backend: await backend };
    await backend;
    let network = networks.get(task.artifactHash);
    if (!network) {
      if (!task.artifact) return { ok: false, missing: true };
      network = load(task.model, task.artifactHash, task);
    }
    return { ok: true, threadId, output: network.infer(task.input, task.rows, task.options) };
  } catch (error) {
    const code = error instanceof ModelError ? error.code : 'ML_WORKER_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, code, message: task.op === 'infer' ? `${task.model}: ${message}` : message };
  }
}

function load(model: string, hash: string, task: Extract<WorkerTask, { op: 'infer' }>): TfjsNetwork {
  const actual = sha256Hex(canonicalJson(task.artifact));
  if (actual !== hash) throw new ModelError('MODEL_ARTIFACT_INVALID', `the artifact does not match its hash ${hash} (it hashes to ${actual})`);
  const network = restoreNetwork(task.artifact!);
  networks.set(hash, network);
  return network;
}
