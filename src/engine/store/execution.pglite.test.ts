/** The execution engine's ports on in-memory PGlite: the contract suites of `execution/` and the SQL extras. */
import { afterAll } from 'vitest';
import { executionStoreContract } from './execution.sql-contract.js';
import { createStore, type DrizzleStore } from './repositories.js';

// One database for the file: every test starts from emptied tables, and opening PGlite is what takes time.
let shared: Promise<DrizzleStore> | undefined;
afterAll(async () => {
  await (await shared)?.close();
});

executionStoreContract('pglite (memory)', async () => {
  shared ??= createStore('memory://');
  return { store: await shared, cleanup: async () => {} };
});
