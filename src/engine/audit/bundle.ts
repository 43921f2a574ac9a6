/**
 * Compliance bundles: a stretch of the audit chain as one `tar.gz` an examiner can check offline, with nothing
 * but this file (or any SHA-256 tool and the format below).
 *
 * - `events.ndjson`: the entries, one JSON object a line, in chain order: seq, eventId, type, tsEvent, tsInit,
 *   causationIds, payload, prevHash, hash.
 * - `checkpoints.json`: the Merkle root (merkle.ts) of every complete checkpoint block the stretch touches, with
 *   the hashes of the block's entries that fall outside the stretch, so each root can be recomputed.
 * - `manifest.json`: the format, the stretch (seq and time), the anchor (the hash the first entry links to), the
 *   head (the last entry's hash), and the SHA-256 of the two other files.
 *
 * `verifyBundle` recomputes every entry's hash from its content, every link, the anchor and head, the file
 * hashes and the checkpoint roots, and names the first entry that fails.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create, list } from 'tar';
import { auditHash, GENESIS_HASH } from '../store/audit-chain.js';
import type { AuditEntry, AuditRepository } from '../store/ports.js';
import { blockOf, CHECKPOINT_SIZE, merkleRoot } from './merkle.js';

export const BUNDLE_FORMAT = 'vanta-audit-bundle/1';
const PAGE = 5_000;

export interface BundleManifest {
  readonly format: string;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly fromTs: number;
  readonly toTs: number;
  readonly entries: number;
  readonly anchor: { readonly seq: number; readonly hash: string };
  readonly head: { readonly seq: number; readonly hash: string };
  readonly checkpointSize: number;
  readonly files: Readonly<Record<string, string>>;
}

export interface BundleCheckpoint {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly root: string;
  /** seq → hash of the block's entries outside the bundle's stretch. */
  readonly outside: Readonly<Record<string, string>>;
}

export class AuditBundleError extends Error {
  override readonly name = 'AuditBundleError';
  constructor(
    readonly code: 'AUDIT_BUNDLE_EMPTY' | 'AUDIT_BUNDLE_UNREADABLE',
    message: string,
  ) {
    super(message);
  }
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Writes the entries recorded between `fromTs` and `toTs` (tsInit, inclusive) to `file`; returns the manifest. */
export async function exportBundle(audit: AuditRepository, fromTs: number, toTs: number, file: string): Promise<BundleManifest> {
  const span = await audit.seqSpan(fromTs, toTs);
  if (!span) throw new AuditBundleError('AUDIT_BUNDLE_EMPTY', `no audit entries were recorded between ${new Date(fromTs).toISOString()} and ${new Date(toTs).toISOString()}`);
  const entries: AuditEntry[] = [];
  for (let seq = span.fromSeq; seq <= span.toSeq; ) {
    const page = await audit.range(seq, span.toSeq, PAGE);
    if (page.length === 0) break;
    entries.push(...page);
    seq = page[page.length - 1]!.seq + 1;
  }
  const before = span.fromSeq > 1 ? await audit.range(span.fromSeq - 1, span.fromSeq - 1, 1) : [];
  const anchor = { seq: span.fromSeq - 1, hash: before[0]?.hash ?? GENESIS_HASH };
  const last = entries[entries.length - 1]!;
  const head = await audit.head();
  const checkpoints: BundleCheckpoint[] = [];
  for (let b = blockOf(span.fromSeq); b.fromSeq <= span.toSeq; b = blockOf(b.toSeq + 1)) {
    if (!head || b.toSeq > head.seq) break; // the open block has no checkpoint yet
    const block = await audit.range(b.fromSeq, b.toSeq, CHECKPOINT_SIZE);
    const outside: Record<string, string> = {};
    for (const e of block) if (e.seq < span.fromSeq || e.seq > span.toSeq) outside[String(e.seq)] = e.hash;
    checkpoints.push({ ...b, root: merkleRoot(block.map((e) => e.hash)), outside });
  }
  const events = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
  const checkpointsJson = JSON.stringify(checkpoints, null, 1);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    fromSeq: span.fromSeq,
    toSeq: last.seq,
    fromTs,
    toTs,
    entries: entries.length,
    anchor,
    head: { seq: last.seq, hash: last.hash },
    checkpointSize: CHECKPOINT_SIZE,
    files: { 'events.ndjson': sha256(events), 'checkpoints.json': sha256(checkpointsJson) },
  };
  const dir = await mkdtemp(path.join(tmpdir(), 'vanta-bundle-'));
  try {
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
    await writeFile(path.join(dir, 'events.ndjson'), events);
    await writeFile(path.join(dir, 'checkpoints.json'), checkpointsJson);
    // Fixed mtimes and ownership: the same stretch gives the same archive contents.
    await create({ gzip: true, file, cwd: dir, portable: true, mtime: new Date(0) }, ['manifest.json', 'events.ndjson', 'checkpoints.json']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return manifest;
}

export interface BundleVerification {
  readonly ok: boolean;
  readonly entries: number;
  /** Every problem found, first the one that breaks the chain earliest. */
  readonly problems: readonly string[];
  readonly manifest: BundleManifest | null;
}

async function readArchive(file: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  try {
    await readFile(file); // a missing file fails here with its own message
    await list({
      file,
      onReadEntry: (entry) => {
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => files.set(entry.path, Buffer.concat(chunks)));
      },
    });
  } catch (cause) {
    throw new AuditBundleError('AUDIT_BUNDLE_UNREADABLE', `${file} is not a readable tar.gz: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (files.size === 0) throw new AuditBundleError('AUDIT_BUNDLE_UNREADABLE', `${file} is not a tar.gz bundle: it holds no files`);
  return files;
}

export async function verifyBundle(file: string): Promise<BundleVerification> {
  const files = await readArchive(file);
  const problems: string[] = [];
  const text = (name: string) => files.get(name)?.toString('utf8') ?? null;
  const manifestText = text('manifest.json');
  if (manifestText === null) return { ok: false, entries: 0, problems: ['manifest.json is missing'], manifest: null };
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(manifestText) as BundleManifest;
  } catch {
    return { ok: false, entries: 0, problems: ['manifest.json is not JSON'], manifest: null };
  }
  if (manifest.format !== BUNDLE_FORMAT) problems.push(`unknown format ${JSON.stringify(manifest.format)}`);
  for (const [name, hash] of Object.entries(manifest.files ?? {})) {
    const body = files.get(name);
    if (!body) problems.push(`${name} is missing`);
    else if (sha256(body) !== hash) problems.push(`${name} does not match its hash in the manifest`);
  }
  const lines = (text('events.ndjson') ?? '').split('\n').filter((l) => l.length > 0);
  const entries: AuditEntry[] = [];
  for (const [i, line] of lines.entries()) {
    try {
      entries.push(JSON.parse(line) as AuditEntry);
    } catch {
      problems.push(`events.ndjson line ${i + 1} is not JSON`);
    }
  }
  let prev = manifest.anchor?.hash;
  let seq = manifest.fromSeq;
  for (const e of entries) {
    if (e.seq !== seq) problems.push(`entry ${seq} is missing (found ${e.seq} in its place)`);
    else if (auditHash(e.prevHash, e) !== e.hash) problems.push(`entry ${e.seq} (event ${e.eventId}) was altered: its content does not match its hash`);
    else if (e.prevHash !== prev) problems.push(`entry ${e.seq} (event ${e.eventId}) does not follow the entry before it`);
    prev = e.hash;
    seq = e.seq + 1;
  }
  if (entries.length !== manifest.entries) problems.push(`the manifest says ${manifest.entries} entries, the bundle holds ${entries.length}`);
  if (entries.length > 0 && entries[entries.length - 1]!.hash !== manifest.head?.hash) problems.push('the last entry is not the head the manifest names');
  const bySeq = new Map(entries.map((e) => [e.seq, e.hash]));
  let checkpoints: BundleCheckpoint[] = [];
  try {
    checkpoints = JSON.parse(text('checkpoints.json') ?? '[]') as BundleCheckpoint[];
  } catch {
    problems.push('checkpoints.json is not JSON');
  }
  for (const c of checkpoints) {
    const hashes: string[] = [];
    for (let s = c.fromSeq; s <= c.toSeq; s++) hashes.push(bySeq.get(s) ?? c.outside[String(s)] ?? '');
    if (hashes.some((h) => h === '') || merkleRoot(hashes) !== c.root) problems.push(`checkpoint ${c.fromSeq}–${c.toSeq} does not match its Merkle root`);
  }
  return { ok: problems.length === 0, entries: entries.length, problems, manifest };
}
