/** The API key repository on in-memory PGlite. */
import { afterAll } from 'vitest';
import { apiKeyRepositoryContract } from './api-keys.contract.js';
import { createStore, type DrizzleStore } from './repositories.js';

let shared: Promise<DrizzleStore> | undefined;
afterAll(async () => {
  await (await shared)?.close();
});

apiKeyRepositoryContract('pglite (memory)', async () => {
  shared ??= createStore('memory://');
  return (await shared).apiKeys;
});
