/**
 * Stored Merkle checkpoints on PGlite: written once per complete block, recomputed by `verifyCheckpoints`, and by
 * `vanta audit verify`, which exits 2 when a stored root no longer matches its block even though the chain does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type DrizzleStore } from '../store/repositories.js';
import { tamperAuditLog } from '../store/store.contract.js';
import { deadLettered } from '../store/store.fixtures.js';
import { describeCheckpoints, startCheckpointJob, verifyCheckpoints, writeCheckpoints } from './checkpoints.js';
import { CHECKPOINT_SIZE, merkleRoot } from './merkle.js';

const BIN = fileURLToPath(new URL('../../../bin/vanta.js', import.meta.url));
const ENTRIES = 2 * CHECKPOINT_SIZE + 50;

let dir: string;
let store: DrizzleStore;
const raw = (text: string, params?: readonly unknown[]) => store.database.query(text, params);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vanta-checkpoints-'));
  store = await createStore('', { pgliteDir: path.join(dir, 'data', 'pglite') });
  const events = Array.from({ length: ENTRIES }, (_, i) => deadLettered(`cp_${String(i + 1).padStart(5, '0')}`, { i }));
  for (let i = 0; i < events.length; i += 500) await store.audit.appendMany(events.slice(i, i + 500));
}, 120_000);

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('stored audit checkpoints', () => {
  it('writes the root of each complete block once, and none for the open block', async () => {
    expect(await writeCheckpoints(store.audit, store.auditCheckpoints, () => 7)).toBe(2);
    expect(await writeCheckpoints(store.audit, store.auditCheckpoints)).toBe(0);
    const stored = await store.auditCheckpoints.list(1, 10);
    expect(stored.map((c) => [c.fromSeq, c.toSeq, c.createdAt])).toEqual([
      [1, 1024, 7],
      [1025, 2048, 7],
    ]);
    const block = await store.audit.range(1025, 2048, CHECKPOINT_SIZE);
    expect(stored[1]!.root).toBe(merkleRoot(block.map((e) => e.hash)));
    expect(await verifyCheckpoints(store.audit, store.auditCheckpoints)).toEqual({ ok: true, checked: 2 });
  });

  it('the job writes them on its schedule, and stops', async () => {
    await store.audit.appendMany(Array.from({ length: CHECKPOINT_SIZE }, (_, i) => deadLettered(`job_${i}`, { i })));
    const stop = startCheckpointJob(store.audit, store.auditCheckpoints, 20, { info() {}, warn() {} });
    try {
      for (let i = 0; i < 500 && (await store.auditCheckpoints.latest())?.toSeq !== 3072; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await stop();
    }
    expect((await store.auditCheckpoints.latest())?.fromSeq).toBe(2049);
  });

  it('vanta audit verify exits 0 with the chain and its checkpoints intact, 2 once a stored root is forged', async () => {
    await store.close();
    const verify = () => spawnSync(process.execPath, [BIN, 'audit', 'verify'], { cwd: dir, env: { ...process.env, DATABASE_URL: '' }, encoding: 'utf8' });
    const intact = verify();
    expect(intact.stdout).toContain('audit checkpoints intact: 3 stored Merkle roots recomputed');
    expect(intact.status).toBe(0);

    store = await createStore('', { pgliteDir: path.join(dir, 'data', 'pglite') });
    // The checkpoints table is append-only too: forge a root as a superuser would.
    await tamperAuditLog(raw, `update audit_checkpoints set root = repeat('e', 64) where from_seq = 1025`);
    const result = await verifyCheckpoints(store.audit, store.auditCheckpoints);
    expect(result).toMatchObject({ ok: false, checked: 2, broken: { fromSeq: 1025, toSeq: 2048, stored: 'e'.repeat(64) } });
    expect(describeCheckpoints(result)).toMatch(/^audit checkpoint BROKEN for entries 1025–2048: stored root e{64}, recomputed root [0-9a-f]{64}$/);
    await store.close();
    const broken = verify();
    expect(broken.stdout).toContain('audit chain intact');
    expect(broken.stdout).toContain('audit checkpoint BROKEN for entries 1025–2048');
    expect(broken.status).toBe(2);
    store = await createStore('', { pgliteDir: path.join(dir, 'data', 'pglite') });
  }, 120_000);

  it('names a block whose entries were removed', async () => {
    await tamperAuditLog(raw, `delete from audit_log where seq = 10`);
    const result = await verifyCheckpoints(store.audit, store.auditCheckpoints);
    expect(result).toMatchObject({ ok: false, checked: 1, broken: { fromSeq: 1, recomputed: null } });
    expect(describeCheckpoints(result)).toContain('entries of the block are missing');
  });
});
