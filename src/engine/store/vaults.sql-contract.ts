/**
 * The vault repository on SQL, run on both drivers: the contract suite of `vaults/` (the same one the in-memory
 * repository passes) and what only a database can get wrong: a refused change must leave nothing behind (its
 * version row, its fill, its positions), and money must come back digit for digit, whatever its scale.
 */
import { describe, expect, it } from 'vitest';
import { CTX, LOAN, T0, vaultInput } from '../vaults/fixtures.js';
import { RISK_AVERSE } from '../vaults/personas.js';
import type { ChangeMeta } from '../vaults/ports.js';
import { vaultRepositoryContract } from '../vaults/repository.contract.js';
import { initialState, type VaultState } from '../vaults/state.js';
import { parseVaultConfig } from '../vaults/validate.js';
import { type ContractStoreHandle, useTruncatedStore } from './contract-store.js';
import type { DrizzleStore } from './repositories.js';
import { codeOf } from '../testing/error-code.js';

/** The tables the vault repository writes; emptied before every test so that each starts from nothing. */
const TABLES = 'positions, vault_fills, vault_growth, vault_states, vault_versions, vaults, persona_versions, personas';

const change = (n: number): ChangeMeta => ({ actor: 'admin@vanta', reason: `change ${n}`, at: T0 + n, eventId: `vlt_${n}` });

export function vaultStoreContract(name: string, open: () => Promise<ContractStoreHandle>): void {
  describe(`${name}: VaultRepository`, () => {
    const fresh = useTruncatedStore(open, TABLES);
    vaultRepositoryContract(name, async () => (await fresh()).vaults);
  });

  describe(`${name}: what SQL adds to the vault repository`, () => {
    const fresh = useTruncatedStore(open, TABLES);

    async function seeded(): Promise<{ store: DrizzleStore; state: VaultState }> {
      const store = await fresh();
      const config = parseVaultConfig(vaultInput({ loan: LOAN }), CTX);
      await store.vaults.createVault(config, initialState(config, T0), change(1));
      return { store, state: (await store.vaults.getState(config.id))! };
    }

    it('keeps every digit of money and quantities, at any scale, in canonical text', async () => {
      const { store, state } = await seeded();
      const digits: VaultState = {
        ...state,
        cash: '123456789012345678901234567890.123456789012345678901234567',
        fees: '0.000000000000000000000000000001',
        realizedPnl: '-98765.4321',
        positions: [
          {
            instrument: 'AAPL',
            quantity: '-0.000000000000000000001',
            costBasis: '1e-3',
            avgPrice: '185.000',
            realizedPnl: '0',
            openedAt: T0,
            convictionId: null,
            convictionExpiresAt: null,
            nextLeg: 0,
            expiryHandled: false,
          },
        ],
        loan: { ...state.loan!, highWaterMark: '100000.100000', interestOwed: '0.00' },
      };
      const saved = await store.vaults.saveState(digits, 0);
      const read = await store.vaults.getState(state.vaultId);
      expect(read).toEqual(saved);
      expect(read).toMatchObject({
        cash: '123456789012345678901234567890.123456789012345678901234567',
        fees: '0.000000000000000000000000000001',
        realizedPnl: '-98765.4321',
        positions: [{ quantity: '-0.000000000000000000001', costBasis: '0.001', avgPrice: '185' }],
        loan: { highWaterMark: '100000.1', interestOwed: '0' },
      });
      // Stored as numbers, not as text: the database can sum them.
      const rows = await store.database.query<{ total: string }>(`select (cash + fees)::text as total from vault_states`);
      expect(rows[0]?.total).toBe('123456789012345678901234567890.123456789012345678901234567001');
    });

    it('a refused save leaves the state, its positions and its fill as they were', async () => {
      const { store, state } = await seeded();
      const held = { ...state, positions: [{ ...position('MSFT'), quantity: '3' }] };
      const first = await store.vaults.saveState(held, 0, 'fill-1');
      const other = { ...first, cash: '1', positions: [position('AAPL'), position('TSLA')] };
      expect(await codeOf(store.vaults.saveState(other, 1, 'fill-1'))).toBe('FILL_DUPLICATE');
      expect(await codeOf(store.vaults.saveState(other, 0, 'fill-2'))).toBe('VAULT_STATE_CONFLICT');
      expect(await store.vaults.getState(state.vaultId)).toEqual(first);
      expect(await store.vaults.hasFill(state.vaultId, 'fill-2')).toBe(false);
      const rows = await store.database.query<{ instrument: string }>(`select instrument from positions`);
      expect(rows.map((r) => r.instrument)).toEqual(['MSFT']);
    });

    it('a refused vault update writes no version row', async () => {
      const { store, state } = await seeded();
      const vault = (await store.vaults.getVault(state.vaultId))!;
      expect(await codeOf(store.vaults.updateVault(vault.id, 7, { config: vault.config, overlay: null }, 'config_replaced', change(2)))).toBe(
        'VAULT_VERSION_CONFLICT',
      );
      const rows = await store.database.query<{ n: number }>(`select count(*)::int as n from vault_versions`);
      expect(rows[0]?.n).toBe(1);
    });

    it('keeps each version of a custom persona', async () => {
      const store = await fresh();
      const mine = { ...RISK_AVERSE, id: 'mine', kind: 'custom' as const, name: 'Mine' };
      await store.vaults.savePersona(mine, null, change(1));
      await store.vaults.savePersona({ ...mine, stopLoss: 0.2 }, 1, change(2));
      const rows = await store.database.query<{ version: number; stop: string; event_id: string }>(
        `select version, persona->>'stopLoss' as stop, event_id from persona_versions where persona_id = 'mine' order by version`,
      );
      expect(rows).toEqual([
        { version: 1, stop: String(mine.stopLoss), event_id: 'vlt_1' },
        { version: 2, stop: '0.2', event_id: 'vlt_2' },
      ]);
    });
  });
}

function position(instrument: string) {
  return {
    instrument,
    quantity: '1',
    costBasis: '100',
    avgPrice: '100',
    realizedPnl: '0',
    openedAt: T0,
    convictionId: 'cnv_1',
    convictionExpiresAt: T0 + 1,
    nextLeg: 1,
    expiryHandled: false,
  };
}
