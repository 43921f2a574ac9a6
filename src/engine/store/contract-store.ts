/**
 * The store a repository contract runs against: opened once for the enclosing describe block, with the
 * contract's own tables emptied before each test so that each starts from nothing.
 */
import { afterAll, beforeAll } from 'vitest';
import type { DrizzleStore } from './repositories.js';

export interface ContractStoreHandle {
  readonly store: DrizzleStore;
  readonly cleanup: () => Promise<void>;
}

/** Opens the store before the block's tests and cleans it up after them; the returned `make` empties `tables`. */
export function useTruncatedStore(open: () => Promise<ContractStoreHandle>, tables: string): () => Promise<DrizzleStore> {
  let handle: ContractStoreHandle | undefined;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.cleanup();
  });
  return async () => {
    if (!handle) throw new Error('store not ready');
    await handle.store.database.query(`truncate table ${tables} restart identity`);
    return handle.store;
  };
}
