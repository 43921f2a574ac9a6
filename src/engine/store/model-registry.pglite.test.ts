/** The model registry on in-memory PGlite: the registry contract and the SQL extras. */
import { afterAll } from 'vitest';
import { modelRegistrySqlContract } from './model-registry.sql-contract.js';
import { createStore, type DrizzleStore } from './repositories.js';

// One database for the file: every test starts from emptied tables, and opening PGlite is what takes time.
let shared: Promise<DrizzleStore> | undefined;
afterAll(async () => {
  await (await shared)?.close();
});

modelRegistrySqlContract('pglite (memory)', () => (shared ??= createStore('memory://')));
