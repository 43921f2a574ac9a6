/** The entity graph contract on in-memory PGlite. */
import { entityGraphContract } from './entities.contract.js';
import { DrizzleEntityGraphRepository } from './entities.repo.js';
import { createStore } from './repositories.js';

entityGraphContract('pglite (memory)', async () => {
  const store = await createStore('memory://');
  return {
    graph: new DrizzleEntityGraphRepository(store.database.db),
    rawQuery: (text, params) => store.database.query(text, params),
    cleanup: () => store.close(),
  };
});
