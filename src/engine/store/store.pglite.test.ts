/** The store contract on in-memory PGlite, plus what only the embedded driver does. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';
import { StoreError } from './ports.js';
import { createStore } from './repositories.js';
import { batchWritesContract } from './store.batch.contract.js';
import { type ContractStore, storeContract } from './store.contract.js';
import { deadLettered } from './store.fixtures.js';

const inMemory = async (): Promise<ContractStore> => {
  const store = await createStore('memory://');
  return { store, rawQuery: (text, params) => store.database.query(text, params), cleanup: () => store.close() };
};

storeContract('pglite (memory)', inMemory);
batchWritesContract('pglite (memory)', inMemory);

describe('openDatabase (pglite)', () => {
  it('persists on disk across reopenings, and migrating twice is harmless', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanta-pglite-'));
    try {
      const first = await createStore('', { pgliteDir: path.join(dir, 'db') });
      expect(first.kind).toBe('pglite');
      const entry = await first.audit.append(deadLettered('disk_1', { ok: true }));
      await first.close();
      const second = await createStore(undefined, { pgliteDir: path.join(dir, 'db') });
      await second.database.migrate();
      expect(await second.audit.getByEventId('disk_1')).toEqual(entry);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown URL scheme with a StoreError that hides the password', async () => {
    const error = await openDatabase('mysql://root:hunter2@db/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain('mysql://root@db/x');
    expect((error as Error).message).not.toContain('hunter2');
  });
});
