/** The API key repository on a PostgreSQL server (a fresh database for the file). */
import { afterAll, beforeAll, describe } from 'vitest';
import { apiKeyRepositoryContract } from '../src/engine/store/api-keys.contract.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { createTestDatabase, postgresAvailable } from './services.js';

const available = await postgresAvailable();

describe.skipIf(!available)('on PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  let store: DrizzleStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = await createStore(db.url);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  apiKeyRepositoryContract('postgres', async () => store.apiKeys);
});
