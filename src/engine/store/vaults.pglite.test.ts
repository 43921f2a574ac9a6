/** The vault repository on in-memory PGlite: the contract suite of `vaults/` and the SQL extras. */
import { afterAll } from 'vitest';
import { createStore, type DrizzleStore } from './repositories.js';
import { vaultStoreContract } from './vaults.sql-contract.js';

// One database for the file: every test starts from emptied tables, and opening PGlite is what takes time.
let shared: Promise<DrizzleStore> | undefined;
afterAll(async () => {
  await (await shared)?.close();
});

vaultStoreContract('pglite (memory)', async () => {
  shared ??= createStore('memory://');
  return { store: await shared, cleanup: async () => {} };
});
