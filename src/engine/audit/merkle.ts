/**
 * Merkle checkpoints over the audit chain. The chain is cut into blocks of `CHECKPOINT_SIZE` consecutive
 * entries (seq 1–1024, 1025–2048, ...); a block's checkpoint is the Merkle root of its entries' hashes
 * (SHA-256, leaves and nodes domain-separated as in RFC 6962, an odd node carried up unpaired). A root published
 * outside the system (a ticket, an email, a notary) fixes the block: no entry of it can change without the root
 * changing, and one entry's membership is proven by the sibling hashes on its path (an inclusion proof),
 * without the rest of the block.
 */
import { createHash } from 'node:crypto';

export const CHECKPOINT_SIZE = 1024;

const sha = (prefix: number, ...parts: readonly string[]): string => {
  const h = createHash('sha256').update(Buffer.from([prefix]));
  for (const p of parts) h.update(Buffer.from(p, 'hex'));
  return h.digest('hex');
};
export const leafHash = (entryHash: string): string => sha(0, entryHash);
const nodeHash = (left: string, right: string): string => sha(1, left, right);

/** The root over the entries' hashes, in order. */
export function merkleRoot(entryHashes: readonly string[]): string {
  if (entryHashes.length === 0) throw new RangeError('a Merkle root needs at least one leaf');
  let level = entryHashes.map(leafHash);
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? nodeHash(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

export interface ProofStep {
  readonly side: 'left' | 'right';
  readonly hash: string;
}

/** The sibling hashes from the leaf at `index` up to the root. */
export function inclusionProof(entryHashes: readonly string[], index: number): ProofStep[] {
  if (!(index >= 0 && index < entryHashes.length)) throw new RangeError(`no leaf ${index} among ${entryHashes.length}`);
  const proof: ProofStep[] = [];
  let level = entryHashes.map(leafHash);
  let i = index;
  while (level.length > 1) {
    const sibling = i % 2 === 0 ? i + 1 : i - 1;
    if (sibling < level.length) proof.push({ side: i % 2 === 0 ? 'right' : 'left', hash: level[sibling]! });
    const next: string[] = [];
    for (let j = 0; j < level.length; j += 2) next.push(j + 1 < level.length ? nodeHash(level[j]!, level[j + 1]!) : level[j]!);
    level = next;
    i = Math.floor(i / 2);
  }
  return proof;
}

export function verifyInclusion(entryHash: string, proof: readonly ProofStep[], root: string): boolean {
  let h = leafHash(entryHash);
  for (const step of proof) h = step.side === 'right' ? nodeHash(h, step.hash) : nodeHash(step.hash, h);
  return h === root;
}

/** The block a seq belongs to: its first and last seq. */
export function blockOf(seq: number, size = CHECKPOINT_SIZE): { readonly fromSeq: number; readonly toSeq: number } {
  const fromSeq = Math.floor((seq - 1) / size) * size + 1;
  return { fromSeq, toSeq: fromSeq + size - 1 };
}
