/** The filing views' contract on in-memory PGlite. */
import { filingsContract } from './filings.contract.js';
import { createStore } from './repositories.js';

filingsContract('pglite (memory)', async () => {
  const store = await createStore('memory://');
  return { store, rawQuery: (text, params) => store.database.query(text, params), cleanup: () => store.close() };
});
