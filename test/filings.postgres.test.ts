/** The filing views' contract on a PostgreSQL server (a fresh database per suite). */
import { describe } from 'vitest';
import { filingsContract } from '../src/engine/store/filings.contract.js';
import { createStore } from '../src/engine/store/repositories.js';
import { createTestDatabase, postgresAvailable } from './services.js';

const available = await postgresAvailable();

describe.skipIf(!available)('filing views on PostgreSQL', () => {
  filingsContract('postgres', async () => {
    const { url, drop } = await createTestDatabase();
    const store = await createStore(url);
    return {
      store,
      rawQuery: (text, params) => store.database.query(text, params),
      cleanup: async () => {
        await store.close();
        await drop();
      },
    };
  });
});
