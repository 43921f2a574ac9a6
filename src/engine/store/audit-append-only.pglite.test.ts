/** The audit log's append-only rules on in-memory PGlite. */
import { auditAppendOnlyContract } from './audit-append-only.contract.js';
import { createStore } from './repositories.js';

auditAppendOnlyContract('pglite (memory)', async () => {
  const store = await createStore('memory://');
  return { store, rawQuery: (text, params) => store.database.query(text, params), cleanup: () => store.close() };
});
