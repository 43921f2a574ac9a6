/**
 * Stores on a fresh PostgreSQL database, for the suites that run a repository contract on a server or put
 * several processes (each its own store and connection pool) on one database.
 */
import { afterAll, beforeAll } from 'vitest';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { createTestDatabase } from './services.js';

/** A store on its own new database, and a cleanup that closes it and drops the database: a contract factory. */
export async function freshPostgresStore(): Promise<{ store: DrizzleStore; cleanup: () => Promise<void> }> {
  const { url, drop } = await createTestDatabase();
  const store = await createStore(url);
  return {
    store,
    cleanup: async () => {
      await store.close();
      await drop();
    },
  };
}

/**
 * `count` stores on one new database, opened before the enclosing suite's tests and closed (the database
 * dropped) after them. The returned array fills in `beforeAll`.
 */
export function storesOnOneDatabase(count: number, options: { max?: number } = { max: 4 }): DrizzleStore[] {
  const stores: DrizzleStore[] = [];
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    let url: string;
    ({ url, drop } = await createTestDatabase());
    for (let i = 0; i < count; i++) stores.push(await createStore(url, options));
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await drop();
  });
  return stores;
}
