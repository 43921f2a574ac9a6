import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create, extract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash } from '../store/audit-chain.js';
import { createStore, type DrizzleStore } from '../store/repositories.js';
import type { DeadLettered } from '../types.js';
import { exportBundle, verifyBundle } from './bundle.js';
import { blockOf, inclusionProof, merkleRoot, verifyInclusion } from './merkle.js';

const T = 1_700_000_000_000;
let store: DrizzleStore;
let dir: string;

const event = (i: number): DeadLettered => ({
  id: `ev_${String(i).padStart(5, '0')}`,
  type: 'DeadLettered',
  tsEvent: T + i,
  tsInit: T + i * 1000,
  causationIds: i > 1 ? [`ev_${String(i - 1).padStart(5, '0')}`] : [],
  payload: { stage: 'test', error: `e${i}`, source: { i } },
});

beforeAll(async () => {
  store = await createStore('memory://');
  dir = await mkdtemp(path.join(tmpdir(), 'bundle-test-'));
  await store.audit.appendMany(Array.from({ length: 2500 }, (_, i) => event(i + 1)));
}, 60_000);
afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Rewrites one file of a bundle, optionally fixing its hash in the manifest, as a forger would. */
async function tamper(file: string, name: string, edit: (text: string) => string, fixHash: boolean): Promise<string> {
  const work = await mkdtemp(path.join(dir, 'work-'));
  await extract({ file, cwd: work });
  const edited = edit(await readFile(path.join(work, name), 'utf8'));
  await writeFile(path.join(work, name), edited);
  if (fixHash) {
    const manifest = JSON.parse(await readFile(path.join(work, 'manifest.json'), 'utf8'));
    manifest.files[name] = createHash('sha256').update(edited).digest('hex');
    await writeFile(path.join(work, 'manifest.json'), JSON.stringify(manifest));
  }
  const out = path.join(dir, `tampered-${path.basename(work)}.tar.gz`);
  await create({ gzip: true, file: out, cwd: work }, ['manifest.json', 'events.ndjson', 'checkpoints.json']);
  return out;
}

describe('Merkle checkpoints', () => {
  it('every leaf of trees of 1 to 9 leaves proves its inclusion, and a changed leaf does not', () => {
    for (let n = 1; n <= 9; n++) {
      const leaves = Array.from({ length: n }, (_, i) => createHash('sha256').update(`leaf${i}`).digest('hex'));
      const root = merkleRoot(leaves);
      leaves.forEach((leaf, i) => {
        expect(verifyInclusion(leaf, inclusionProof(leaves, i), root)).toBe(true);
        expect(verifyInclusion('0'.repeat(64), inclusionProof(leaves, i), root)).toBe(false);
      });
    }
    expect(blockOf(1)).toEqual({ fromSeq: 1, toSeq: 1024 });
    expect(blockOf(1025)).toEqual({ fromSeq: 1025, toSeq: 2048 });
  });
});

describe('compliance bundles', () => {
  let file: string;
  beforeAll(async () => {
    file = path.join(dir, 'bundle.tar.gz');
    // Entries 1000..2100 by their recording time: a stretch that cuts two checkpoint blocks.
    await exportBundle(store.audit, T + 1000 * 1000, T + 2100 * 1000, file);
  });

  it('exports a stretch with its anchor, head and the checkpoints it touches, and verifies offline', async () => {
    const v = await verifyBundle(file);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.manifest).toMatchObject({ fromSeq: 1000, toSeq: 2100, entries: 1101 });
    expect(v.manifest!.anchor.seq).toBe(999);
    expect(v.manifest!.anchor.hash).toBe((await store.audit.range(999, 999, 1))[0]!.hash);
  });

  it('names an altered entry even when the forger fixed the file hash', async () => {
    const forged = await tamper(file, 'events.ndjson', (t) => t.replace('"error":"e1500"', '"error":"fine"'), true);
    const v = await verifyBundle(forged);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual(['entry 1500 (event ev_01500) was altered: its content does not match its hash']);
  });

  it('a forger who also recomputes the entry hash breaks the link to the next entry and the checkpoint root', async () => {
    const forged = await tamper(
      file,
      'events.ndjson',
      (t) =>
        t
          .split('\n')
          .map((line) => {
            if (!line.includes('"eventId":"ev_01500"')) return line;
            const e = JSON.parse(line);
            e.payload.error = 'fine';
            e.hash = auditHash(e.prevHash, e);
            return JSON.stringify(e);
          })
          .join('\n'),
      true,
    );
    const v = await verifyBundle(forged);
    expect(v.problems).toEqual(['entry 1501 (event ev_01501) does not follow the entry before it', 'checkpoint 1025–2048 does not match its Merkle root']);
  });

  it('names a removed entry, and a file that no longer matches the manifest', async () => {
    const removed = await tamper(file, 'events.ndjson', (t) => t.split('\n').filter((l) => !l.includes('"eventId":"ev_01200"')).join('\n'), false);
    const v = await verifyBundle(removed);
    expect(v.problems.slice(0, 2)).toEqual(['events.ndjson does not match its hash in the manifest', 'entry 1200 is missing (found 1201 in its place)']);
  });

  it('refuses an empty stretch and an unreadable file with typed errors', async () => {
    await expect(exportBundle(store.audit, 0, 1, path.join(dir, 'x.tar.gz'))).rejects.toMatchObject({ code: 'AUDIT_BUNDLE_EMPTY' });
    await writeFile(path.join(dir, 'junk.tar.gz'), 'not a tarball');
    await expect(verifyBundle(path.join(dir, 'junk.tar.gz'))).rejects.toMatchObject({ code: 'AUDIT_BUNDLE_UNREADABLE' });
  });
});
