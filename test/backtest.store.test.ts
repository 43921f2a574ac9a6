/**
 * The backtest repository on both drivers: PGlite (embedded) and a PostgreSQL server. A run is written once
 * and read back whole; the listing is newest first and leaves the large documents out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestResult } from '../src/engine/backtest/types.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { createTestDatabase, postgresAvailable } from './services.js';

function result(id: string, createdAt: number): BacktestResult {
  return {
    id,
    createdAt,
    status: 'completed',
    spec: { from: 1_000, to: 61_000, vaults: ['v1'], seed: 3, scenarios: [{ kind: 'flash-crash', at: 0.5 }] },
    summary: {
      bars: 1, events: 10, convictions: 2, intents: 1, orders: 1, fills: 1, wallMs: 5,
      precisionAt5: { k: 5, days: [], rolling: null, daysWithK: 0 },
      scenarios: [{ kind: 'flash-crash', fromTs: 1_000, toTs: 61_000, instrument: null, description: 'crash', drawdowns: [{ vaultId: 'v1', maxDrawdown: 0.02 }] }],
    },
    vaults: [{ vaultId: 'v1', name: 'V', persona: 'aggressive', startEquity: '100', endEquity: '98.5', returnPct: -0.015, maxDrawdown: 0.02, trades: 1, fees: '0.01', realizedPnl: '-1.49', equity: [{ ts: 61_000, equity: '98.5' }] }],
    trades: [{ ts: 61_000, vaultId: 'v1', clientOrderId: 'c1', instrument: 'AAPL', side: 'BUY', quantity: '1', price: '100.0001', fee: '0.01', convictionId: 'cnv_1' }],
    attribution: [{ day: '1970-01-01', dimension: 'band', key: 'STRONG', realizedPnl: '-1.49', fills: 1 }],
    risk: { denials: [{ reason: 'KILL_SWITCH', count: 2 }], rejections: 0, killSwitches: [{ ts: 30_000, key: 'vault:v1', engaged: true, reason: 'drawdown' }], brokerErrors: 0, executorErrors: 0, duplicateOrders: 0 },
    reportPath: 'backtests/x.html',
    error: null,
  };
}

function contract(label: string, open: () => Promise<{ store: DrizzleStore; close: () => Promise<void> }>) {
  describe(`backtest repository on ${label}`, () => {
    let store: DrizzleStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    }, 60_000);
    afterAll(async () => {
      await close?.();
    });

    it('stores a run and reads it back whole, decimals as strings', async () => {
      await store.backtests.save(result('bt_a', 1));
      expect(await store.backtests.get('bt_a')).toEqual(result('bt_a', 1));
      expect(await store.backtests.get('bt_missing')).toBeNull();
    });

    it('lists newest first, without trades and curves', async () => {
      await store.backtests.save(result('bt_b', 2));
      const list = await store.backtests.list(10);
      expect(list.map((r) => r.id)).toEqual(['bt_b', 'bt_a']);
      expect(list[0]!.vaults[0]!.equity).toEqual([]);
      expect('trades' in list[0]!).toBe(false);
      expect((await store.backtests.list(1)).map((r) => r.id)).toEqual(['bt_b']);
    });

    it('refuses a run whose window is empty', async () => {
      const bad = { ...result('bt_bad', 3), spec: { ...result('bt_bad', 3).spec, to: 1_000 } };
      await expect(store.backtests.save(bad)).rejects.toThrow();
    });
  });
}

contract('PGlite', async () => {
  const store = await createStore('memory://');
  return { store, close: () => store.close() };
});

const pg = await postgresAvailable();
describe.skipIf(!pg)('on a PostgreSQL server', () => {
  contract('PostgreSQL', async () => {
    const db = await createTestDatabase();
    const store = await createStore(db.url);
    return {
      store,
      close: async () => {
        await store.close();
        await db.drop();
      },
    };
  });
});
