/**
 * The vault repository on a PostgreSQL server (a fresh database per suite), and what only a server adds: two
 * processes, each with its own connection pool, changing the same vault and applying fills to the same books.
 */
import { describe, expect, it } from 'vitest';
import type { DrizzleStore } from '../src/engine/store/repositories.js';
import { vaultStoreContract } from '../src/engine/store/vaults.sql-contract.js';
import { CTX, T0, vaultInput } from '../src/engine/vaults/fixtures.js';
import { initialState } from '../src/engine/vaults/state.js';
import { parseVaultConfig } from '../src/engine/vaults/validate.js';
import { freshPostgresStore, storesOnOneDatabase } from './postgres-store.js';
import { postgresAvailable } from './services.js';

const available = await postgresAvailable();

describe.skipIf(!available)('vault repository on PostgreSQL', () => {
  vaultStoreContract('postgres', freshPostgresStore);

  describe('two processes on one database', () => {
    const stores = storesOnOneDatabase(2);

    it('lets one of two updates from the same version win, and keeps one version row for it', async () => {
      const [a, b] = stores as [DrizzleStore, DrizzleStore];
      const config = parseVaultConfig(vaultInput({ id: 'race-config' }), CTX);
      await a.vaults.createVault(config, initialState(config, T0), { actor: 'a', reason: 'r', at: T0, eventId: 'e0' });
      for (let round = 1; round <= 10; round++) {
        const results = await Promise.allSettled(
          [a, b].map((s, i) =>
            s.vaults.updateVault(config.id, round, { config: { ...config, name: `round ${round} by ${i}` }, overlay: null }, 'config_replaced', {
              actor: `p${i}`,
              reason: 'race',
              at: T0 + round,
              eventId: `e${round}_${i}`,
            }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'VAULT_VERSION_CONFLICT' });
      }
      const history = await b.vaults.history(config.id);
      expect(history.map((h) => h.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect((await a.vaults.getVault(config.id))?.config.name).toBe(history.at(-1)?.config.name);
    });

    it('applies a fill delivered to both processes at once to the books once', async () => {
      const [a, b] = stores as [DrizzleStore, DrizzleStore];
      const config = parseVaultConfig(vaultInput({ id: 'race-fill' }), CTX);
      await a.vaults.createVault(config, initialState(config, T0), { actor: 'a', reason: 'r', at: T0, eventId: 'f0' });
      for (let round = 0; round < 10; round++) {
        const current = (await a.vaults.getState(config.id))!;
        const results = await Promise.allSettled(
          [a, b].map((s, i) => s.vaults.saveState({ ...current, cash: `${round}.${i}` }, current.revision, `fill-${round}`)),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(['VAULT_STATE_CONFLICT', 'FILL_DUPLICATE']).toContain((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.code);
      }
      const final = (await b.vaults.getState(config.id))!;
      expect(final.revision).toBe(10);
      const fills = await b.database.query<{ n: number }>(`select count(*)::int as n from vault_fills where vault_id = 'race-fill'`);
      expect(fills[0]?.n).toBe(10);
    });
  });
});
