/**
 * Stored Merkle checkpoints of the audit chain. As the chain grows, the root (merkle.ts) of every complete block of
 * `CHECKPOINT_SIZE` entries is written once to an append-only table; `vanta audit verify` recomputes each stored root
 * from the entries and names the first block whose entries no longer give it. A root also published outside the
 * system (a ticket, an email) fixes its block even against someone who rewrites both the log and this table.
 *
 * The writer runs on a schedule (`audit.checkpointEvery`), one run at a time, and in several processes at once
 * safely: a block's checkpoint is keyed by its first seq, and a second writer of the same block writes nothing.
 */
import type { AuditRepository } from '../store/ports.js';
import { CHECKPOINT_SIZE, merkleRoot } from './merkle.js';

export interface AuditCheckpoint {
  readonly fromSeq: number;
  readonly toSeq: number;
  /** SHA-256 Merkle root over the hashes of the entries fromSeq..toSeq. */
  readonly root: string;
  readonly createdAt: number;
}

/** Where checkpoints are kept (SQL: store/audit-checkpoints.repo.ts). */
export interface AuditCheckpointStore {
  /** Stores the checkpoint unless one for its block is there already (then false). */
  append(checkpoint: AuditCheckpoint): Promise<boolean>;
  /** The checkpoint with the highest `fromSeq`, or null. */
  latest(): Promise<AuditCheckpoint | null>;
  /** Checkpoints with `fromSeq >= from`, in chain order, at most `limit`. */
  list(from: number, limit: number): Promise<readonly AuditCheckpoint[]>;
}

export interface CheckpointLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * Writes the checkpoint of every complete block after the last one stored; returns how many it wrote. A block
 * whose entries are not all there (the chain was cut) is not checkpointed: `verify` reports the chain first.
 */
export async function writeCheckpoints(audit: AuditRepository, store: AuditCheckpointStore, now: () => number = Date.now): Promise<number> {
  const head = await audit.head();
  if (!head) return 0;
  const last = await store.latest();
  let written = 0;
  for (let fromSeq = (last?.toSeq ?? 0) + 1; fromSeq + CHECKPOINT_SIZE - 1 <= head.seq; fromSeq += CHECKPOINT_SIZE) {
    const toSeq = fromSeq + CHECKPOINT_SIZE - 1;
    const block = await audit.range(fromSeq, toSeq, CHECKPOINT_SIZE);
    if (block.length !== CHECKPOINT_SIZE) break;
    if (await store.append({ fromSeq, toSeq, root: merkleRoot(block.map((e) => e.hash)), createdAt: now() })) written++;
  }
  return written;
}

export interface CheckpointVerification {
  readonly ok: boolean;
  /** How many stored checkpoints were recomputed. */
  readonly checked: number;
  /** The first stored checkpoint whose block no longer gives its root, when there is one. */
  readonly broken?: { readonly fromSeq: number; readonly toSeq: number; readonly stored: string; readonly recomputed: string | null };
}

const PAGE = 100;

/** Recomputes the root of every stored checkpoint from the entries; stops at the first that differs. */
export async function verifyCheckpoints(audit: AuditRepository, store: AuditCheckpointStore): Promise<CheckpointVerification> {
  let checked = 0;
  for (let from = 1; ; ) {
    const page = await store.list(from, PAGE);
    for (const c of page) {
      const block = await audit.range(c.fromSeq, c.toSeq, c.toSeq - c.fromSeq + 1);
      // Entries missing from the block: nothing to recompute; the checkpoint no longer holds.
      const complete = block.length === c.toSeq - c.fromSeq + 1;
      const recomputed = complete ? merkleRoot(block.map((e) => e.hash)) : null;
      checked++;
      if (recomputed !== c.root) return { ok: false, checked, broken: { fromSeq: c.fromSeq, toSeq: c.toSeq, stored: c.root, recomputed } };
    }
    if (page.length < PAGE) return { ok: true, checked };
    from = page[page.length - 1]!.fromSeq + 1;
  }
}

/** One line for a person: what was checked, and where it failed. */
export function describeCheckpoints(v: CheckpointVerification): string {
  if (v.ok) return `audit checkpoints intact: ${v.checked} stored Merkle roots recomputed`;
  const b = v.broken!;
  const why = b.recomputed === null ? 'entries of the block are missing' : `recomputed root ${b.recomputed}`;
  return `audit checkpoint BROKEN for entries ${b.fromSeq}–${b.toSeq}: stored root ${b.stored}, ${why}`;
}

/**
 * Runs `writeCheckpoints` every `everyMs` (0: never), one run at a time; returns what stops it (after the run in
 * progress). A failed run is logged and the next one retries.
 */
export function startCheckpointJob(
  audit: AuditRepository,
  store: AuditCheckpointStore,
  everyMs: number,
  log: CheckpointLogger,
): () => Promise<void> {
  if (everyMs <= 0) return async () => {};
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = writeCheckpoints(audit, store)
      .then((n) => {
        if (n > 0) log.info({ checkpoints: n }, 'audit: Merkle checkpoints stored');
      })
      .catch((err: unknown) => log.warn({ err }, 'audit: writing checkpoints failed; the next run retries'))
      .finally(() => (running = null));
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
