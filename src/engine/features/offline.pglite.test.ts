/** The offline feature store contract on in-memory PGlite (the PostgreSQL run is test/features.postgres.test.ts). */
import { DrizzleFeatureRepository } from '../store/features.repo.js';
import { createStore } from '../store/repositories.js';
import { offlineStoreContract } from './offline.contract.js';

offlineStoreContract('pglite (memory)', async () => {
  const store = await createStore('memory://');
  return { features: new DrizzleFeatureRepository(store.database.db), cleanup: () => store.close() };
});
