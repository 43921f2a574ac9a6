/**
 * What every vault repository must do (in memory now, SQL later). Run with
 * `vaultRepositoryContract(name, make)`; `make` gives a fresh, empty repository per test.
 */
import { describe, expect, it } from 'vitest';
import { CTX, LOAN, T0, vaultInput } from './fixtures.js';
import type { GrowthPoint } from './ledger.js';
import { RISK_AVERSE } from './personas.js';
import type { ChangeMeta, VaultRepository } from './ports.js';
import { initialState, type VaultState } from './state.js';
import { parseOverlay, parseVaultConfig } from './validate.js';
import type { VaultConfigInput } from './vault-schema.js';
import { codeOf } from '../testing/error-code.js';

const change = (n: number, actor = 'admin@vanta'): ChangeMeta => ({ actor, reason: `change ${n}`, at: T0 + n, eventId: `vlt_${n}` });
const config = (overrides: Partial<VaultConfigInput> = {}) => parseVaultConfig(vaultInput(overrides), CTX);

const point = (vaultId: string, ts: number, equity: string): GrowthPoint => ({
  vaultId, ts, equity, nav: equity, cash: equity, reserve: '0', withdrawn: '0', realizedPnl: '0', unrealizedPnl: '0', totalValue: equity,
});

export function vaultRepositoryContract(name: string, make: () => VaultRepository | Promise<VaultRepository>): void {
  describe(`vault repository contract: ${name}`, () => {
    describe('vaults', () => {
      it('creates version 1 with its first state, and reads it back whole', async () => {
        const repo = await make();
        const c = config({ loan: LOAN });
        const created = await repo.createVault(c, initialState(c, T0), change(1));
        expect(created).toEqual({ id: c.id, version: 1, config: c, overlay: null, createdAt: T0 + 1, updatedAt: T0 + 1 });
        expect(await repo.getVault(c.id)).toEqual(created);
        expect(await repo.getState(c.id)).toEqual({ ...initialState(c, T0), revision: 0 });
        expect(await repo.getVault('nope')).toBeNull();
        expect(await repo.getState('nope')).toBeNull();
      });

      it('refuses a second vault with the same id and keeps the first', async () => {
        const repo = await make();
        const c = config();
        await repo.createVault(c, initialState(c, T0), change(1));
        const other = config({ name: 'Another' });
        expect(await codeOf(repo.createVault(other, initialState(other, T0), change(2)))).toBe('VAULT_EXISTS');
        expect((await repo.getVault(c.id))?.config.name).toBe('Test vault');
        expect(await repo.history(c.id)).toHaveLength(1);
      });

      it('lists vaults by id', async () => {
        const repo = await make();
        for (const id of ['zeta', 'alpha', 'mid']) {
          const c = config({ id });
          await repo.createVault(c, initialState(c, T0), change(1));
        }
        expect((await repo.listVaults()).map((v) => v.id)).toEqual(['alpha', 'mid', 'zeta']);
      });

      it('updates against the expected version, and records every version with actor, reason and event', async () => {
        const repo = await make();
        const c = config();
        await repo.createVault(c, initialState(c, T0), change(1));
        const overlay = parseOverlay({ deny: ['TSLA'], paused: true }, c, CTX).overlay;
        const v2 = await repo.updateVault(c.id, 1, { config: c, overlay }, 'overlay_set', change(2, 'ops@vanta'));
        expect(v2).toMatchObject({ version: 2, overlay, createdAt: T0 + 1, updatedAt: T0 + 2 });
        const switched = config({ personaId: 'risk-averse' });
        const v3 = await repo.updateVault(c.id, 2, { config: switched, overlay }, 'persona_set', change(3));
        expect(v3.config.personaId).toBe('risk-averse');
        const history = await repo.history(c.id);
        expect(history.map((h) => [h.version, h.kind, h.actor, h.reason, h.at, h.eventId])).toEqual([
          [1, 'created', 'admin@vanta', 'change 1', T0 + 1, 'vlt_1'],
          [2, 'overlay_set', 'ops@vanta', 'change 2', T0 + 2, 'vlt_2'],
          [3, 'persona_set', 'admin@vanta', 'change 3', T0 + 3, 'vlt_3'],
        ]);
        expect((await repo.versionOf(c.id, 2))?.overlay).toEqual(overlay);
        expect((await repo.versionOf(c.id, 1))?.overlay).toBeNull();
        expect(await repo.versionOf(c.id, 9)).toBeNull();
        expect(await repo.history('nope')).toEqual([]);
      });

      it('refuses a stale version and an unknown vault, changing nothing', async () => {
        const repo = await make();
        const c = config();
        await repo.createVault(c, initialState(c, T0), change(1));
        await repo.updateVault(c.id, 1, { config: c, overlay: null }, 'config_replaced', change(2));
        expect(await codeOf(repo.updateVault(c.id, 1, { config: config({ name: 'Stale' }), overlay: null }, 'config_replaced', change(3)))).toBe('VAULT_VERSION_CONFLICT');
        expect(await codeOf(repo.updateVault('nope', 1, { config: c, overlay: null }, 'config_replaced', change(3)))).toBe('VAULT_NOT_FOUND');
        expect(await repo.getVault(c.id)).toMatchObject({ version: 2, config: { name: 'Test vault' } });
        expect(await repo.history(c.id)).toHaveLength(2);
      });

      it('of two writers from the same version, exactly one wins', async () => {
        const repo = await make();
        const c = config();
        await repo.createVault(c, initialState(c, T0), change(1));
        const results = await Promise.allSettled(
          ['A', 'B', 'C'].map((name, i) => repo.updateVault(c.id, 1, { config: config({ name }), overlay: null }, 'config_replaced', change(10 + i))),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['VAULT_VERSION_CONFLICT', 'VAULT_VERSION_CONFLICT']);
        expect(await repo.history(c.id)).toHaveLength(2);
      });
    });

    describe('personas', () => {
      const mine = { ...RISK_AVERSE, id: 'mine', kind: 'custom' as const, name: 'Mine' };
      it('saves new, then updates against the version', async () => {
        const repo = await make();
        const first = await repo.savePersona(mine, null, change(1));
        expect(first).toEqual({ persona: mine, version: 1, actor: 'admin@vanta', createdAt: T0 + 1, updatedAt: T0 + 1 });
        const second = await repo.savePersona({ ...mine, stopLoss: 0.1 }, 1, change(2, 'quant@vanta'));
        expect(second).toMatchObject({ version: 2, actor: 'quant@vanta', createdAt: T0 + 1, updatedAt: T0 + 2 });
        expect((await repo.getPersona('mine'))?.persona.stopLoss).toBe(0.1);
        expect(await repo.getPersona('other')).toBeNull();
      });

      it('refuses a duplicate, a stale version and an unknown one, changing nothing', async () => {
        const repo = await make();
        await repo.savePersona(mine, null, change(1));
        expect(await codeOf(repo.savePersona({ ...mine, name: 'Dup' }, null, change(2)))).toBe('PERSONA_EXISTS');
        expect(await codeOf(repo.savePersona({ ...mine, name: 'Stale' }, 5, change(2)))).toBe('PERSONA_VERSION_CONFLICT');
        expect(await codeOf(repo.savePersona({ ...mine, id: 'ghost' }, 1, change(2)))).toBe('PERSONA_NOT_FOUND');
        expect(await repo.listPersonas()).toEqual([expect.objectContaining({ persona: mine, version: 1 })]);
      });

      it('lists personas by id', async () => {
        const repo = await make();
        for (const id of ['b', 'a', 'c']) await repo.savePersona({ ...mine, id }, null, change(1));
        expect((await repo.listPersonas()).map((p) => p.persona.id)).toEqual(['a', 'b', 'c']);
      });
    });

    describe('state', () => {
      async function seeded(): Promise<{ repo: VaultRepository; state: VaultState }> {
        const repo = await make();
        const c = config({ loan: LOAN });
        await repo.createVault(c, initialState(c, T0), change(1));
        return { repo, state: (await repo.getState(c.id))! };
      }
      const next = (s: VaultState): VaultState => ({
        ...s,
        cash: '98149.5',
        realizedPnl: '-0.5',
        uncompoundedPnl: '-0.5',
        fees: '0.5',
        stoppedConvictions: ['cnv_1'],
        lastCompoundedAt: T0 + 5,
        positions: [
          { instrument: 'AAPL', quantity: '10', costBasis: '1850', avgPrice: '185', realizedPnl: '-0.5', openedAt: T0, convictionId: 'cnv_2', convictionExpiresAt: T0 + 3_600_000, nextLeg: 1, expiryHandled: false },
          { instrument: 'BTC-USD', quantity: '-0.000123', costBasis: '5.289', avgPrice: '43000', realizedPnl: '0', openedAt: T0, convictionId: null, convictionExpiresAt: null, nextLeg: 0, expiryHandled: true },
        ],
        loan: { ...s.loan!, interestOwed: '13.7', lenderOwed: '0.01', highWaterMark: '100123.456' },
        updatedAt: T0 + 5,
      });

      it('saves against the revision, returning it bumped, every field intact', async () => {
        const { repo, state } = await seeded();
        const saved = await repo.saveState(next(state), 0);
        expect(saved).toEqual({ ...next(state), revision: 1 });
        expect(await repo.getState(state.vaultId)).toEqual(saved);
      });

      it('refuses a stale revision and an unknown vault, changing nothing', async () => {
        const { repo, state } = await seeded();
        await repo.saveState(next(state), 0);
        expect(await codeOf(repo.saveState({ ...state, cash: '1' }, 0))).toBe('VAULT_STATE_CONFLICT');
        expect(await codeOf(repo.saveState({ ...state, vaultId: 'nope' }, 0))).toBe('VAULT_NOT_FOUND');
        expect((await repo.getState(state.vaultId))?.cash).toBe('98149.5');
      });

      it('records a fill with the state it produced, once', async () => {
        const { repo, state } = await seeded();
        expect(await repo.hasFill(state.vaultId, 'fill-1')).toBe(false);
        const saved = await repo.saveState(next(state), 0, 'fill-1');
        expect(await repo.hasFill(state.vaultId, 'fill-1')).toBe(true);
        expect(await repo.hasFill('other', 'fill-1')).toBe(false);
        expect(await codeOf(repo.saveState({ ...saved, cash: '0' }, 1, 'fill-1'))).toBe('FILL_DUPLICATE');
        expect(await repo.getState(state.vaultId)).toEqual(saved);
      });

      it('a refused save does not record its fill', async () => {
        const { repo, state } = await seeded();
        await repo.saveState(next(state), 0);
        expect(await codeOf(repo.saveState(next(state), 0, 'fill-2'))).toBe('VAULT_STATE_CONFLICT');
        expect(await repo.hasFill(state.vaultId, 'fill-2')).toBe(false);
      });

      it('of two writers from the same revision, exactly one wins', async () => {
        const { repo, state } = await seeded();
        const results = await Promise.allSettled([repo.saveState({ ...state, cash: '1' }, 0, 'a'), repo.saveState({ ...state, cash: '2' }, 0, 'b')]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect((await repo.getState(state.vaultId))?.revision).toBe(1);
      });
    });

    describe('growth curve', () => {
      it('appends points once per time, reads them oldest first within a range, per vault', async () => {
        const repo = await make();
        for (const id of ['a', 'b']) {
          const c = config({ id });
          await repo.createVault(c, initialState(c, T0), change(1));
        }
        expect(await repo.appendGrowthPoint(point('a', T0 + 2, '101'))).toBe(true);
        expect(await repo.appendGrowthPoint(point('a', T0, '100'))).toBe(true);
        expect(await repo.appendGrowthPoint(point('a', T0 + 1, '100.5'))).toBe(true);
        expect(await repo.appendGrowthPoint(point('a', T0 + 1, '999'))).toBe(false);
        expect(await repo.appendGrowthPoint(point('b', T0, '50'))).toBe(true);
        expect((await repo.growthCurve('a')).map((p) => p.equity)).toEqual(['100', '100.5', '101']);
        expect((await repo.growthCurve('a', { from: T0 + 1 })).map((p) => p.ts)).toEqual([T0 + 1, T0 + 2]);
        expect((await repo.growthCurve('a', { to: T0 + 1 })).map((p) => p.ts)).toEqual([T0, T0 + 1]);
        expect(await repo.growthCurve('b')).toEqual([point('b', T0, '50')]);
        expect(await repo.growthCurve('nope')).toEqual([]);
        expect(await codeOf(repo.appendGrowthPoint(point('nope', T0, '1')))).toBe('VAULT_NOT_FOUND');
      });
    });

    it('what callers hold afterwards cannot change what is stored', async () => {
      const repo = await make();
      const c = config();
      const state = initialState(c, T0);
      const mutable = structuredClone(state) as { cash: string };
      await repo.createVault(c, mutable as unknown as VaultState, change(1));
      mutable.cash = '0';
      const read = (await repo.getState(c.id)) as { cash: string };
      expect(read.cash).toBe('100000');
      try {
        read.cash = '1';
      } catch {
        // frozen: fine
      }
      expect((await repo.getState(c.id))?.cash).toBe('100000');
    });
  });
}
