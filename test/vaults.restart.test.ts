/**
 * Vaults survive a restart: the real server (HTTP, GraphQL, the engine and the trading desk, PGlite persisted
 * under a data directory) gets a vault overlay changed over GraphQL and trades on simulated bars (a test clock,
 * the bars published on its bus) until fills are booked; a global kill switch then stops new orders, and the
 * server is stopped. Started again on the same data directory, it shows every vault at the same version, with the
 * same overlay, cash and positions, and the bundled vault files did not create them anew.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { Topics } from '../src/engine/bus/topics.js';
import { TestClock } from '../src/engine/clock.js';
import { SimulatorCore } from '../src/engine/collectors/simulator/core.js';
import { createStore } from '../src/engine/store/repositories.js';
import { createLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/server.js';
import { post, until } from './api-client.js';
import { OrdersDocument, SetKillSwitchDocument, SetVaultOverlayDocument, VaultHistoryDocument, VaultsDocument, type VaultsQuery } from './gql/graphql.js';

const START = Date.UTC(2024, 0, 2, 14, 30);
const MIN = 60_000;
const STARTING_CASH: Readonly<Record<string, string>> = { 'aggressive-tech-loan': '250000', 'contrarian-crypto': '50000', 'risk-averse-core': '100000' };

/** The server on embedded defaults in the working directory (PGlite under ./data/pglite), fed by the test, not by a collector. */
async function serve(clock: TestClock): Promise<RunningServer> {
  const config = loadConfig({ env: { PORT: '0', LOG_LEVEL: 'silent', VANTA_SOURCES: 'none', DATABASE_URL: '', REDIS_URL: '' } });
  return startServer(config, { log: createLogger('silent'), print: () => {}, clock, collectors: () => [] });
}

type VaultView = VaultsQuery['vaults'][number];

/** What must survive the restart, per vault: version, overlay, cash and positions. */
function books(vaults: readonly VaultView[]) {
  return vaults.map((v) => ({
    id: v.id,
    version: v.version,
    overlay: v.overlay,
    cash: v.cash,
    positions: v.positions.map((p) => ({ instrument: p.instrument, quantity: p.quantity, costBasis: p.costBasis, openedAt: p.openedAt })),
  }));
}

async function vaultsOf(url: string): Promise<readonly VaultView[]> {
  const result = await post(url, VaultsDocument, {});
  expect(result.errors).toBeUndefined();
  return result.data!.vaults;
}

describe('vaults across a restart of the server', () => {
  const cwd = process.cwd();
  let dir = '';
  const running: RunningServer[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vanta-vaults-restart-'));
    // The embedded database lives under the working directory, as it does for an operator (tests run in forks).
    process.chdir(dir);
  });
  afterAll(async () => {
    for (const s of running) await s.close().catch(() => undefined);
    process.chdir(cwd);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps versions, overlays, cash and positions in the database', async () => {
    const clock = new TestClock(START);
    const first = await serve(clock);
    running.push(first);
    const created = await vaultsOf(first.url);
    expect(created.map((v) => [v.id, v.version, v.cash])).toEqual(Object.entries(STARTING_CASH).map(([id, cash]) => [id, 1, cash]));
    const target = created.find((v) => v.id === 'risk-averse-core')!;
    const overlay = { tilts: { instruments: { MSFT: 0.5 } }, caps: { perInstrument: 0.04 } };
    const set = await post(first.url, SetVaultOverlayDocument, { vaultId: target.id, overlay, expectedVersion: 1, reason: 'restart drill' });
    expect(set.errors).toBeUndefined();
    expect(set.data!.setVaultOverlay.errors).toEqual([]);
    expect(set.data!.setVaultOverlay.vault?.version).toBe(2);

    // Trade a little: simulated bars through the pipeline until fills are booked in some vault.
    const simulator = new SimulatorCore({ seed: 11 });
    const traded = async () => (await vaultsOf(first.url)).some((v) => v.cash !== STARTING_CASH[v.id]);
    for (let bar = 0; bar < 400 && (bar % 10 !== 0 || !(await traded())); bar++) {
      const ts = START + bar * MIN;
      clock.set(ts);
      await first.bus.publishMany(Topics.signalsRaw, simulator.step(ts));
      await first.engine.drain(60_000);
      // The executor runs on its own timer (trading.tickMs): give it a turn on each bar.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await traded()).toBe(true);
    // Then no new orders, and nothing left open, so that the books stand still.
    const halt = await post(first.url, SetKillSwitchDocument, { scope: { kind: 'GLOBAL' }, engaged: true, reason: 'restart drill' });
    expect(halt.data!.setKillSwitch.errors).toEqual([]);
    await until(async () => ((await post(first.url, OrdersDocument, { filter: { openOnly: true } })).data?.orders.totalCount ?? 1) === 0, 30_000);
    await first.engine.drain(60_000);
    const before = books(await vaultsOf(first.url));
    const historyBefore = (await post(first.url, VaultHistoryDocument, { id: target.id })).data!.vaultHistory;
    await first.close();

    // What the database holds between the two runs is what the server showed.
    const store = await createStore('', { pgliteDir: path.join(dir, 'data', 'pglite') });
    try {
      const stored = await Promise.all(before.map(async (v) => ({ vault: await store.vaults.getVault(v.id), state: await store.vaults.getState(v.id) })));
      expect(stored.map((s) => s.vault?.version)).toEqual(before.map((v) => v.version));
      expect(stored.map((s) => s.vault?.overlay ?? null)).toEqual(before.map((v) => v.overlay ?? null));
      expect(stored.map((s) => s.state?.cash)).toEqual(before.map((v) => v.cash));
      expect(stored.map((s) => s.state?.positions.map((p) => p.quantity))).toEqual(before.map((v) => v.positions.map((p) => p.quantity)));
    } finally {
      await store.close();
    }

    const second = await serve(new TestClock(clock.now()));
    running.push(second);
    const after = books(await vaultsOf(second.url));
    expect(after).toEqual(before);
    expect(after.find((v) => v.id === target.id)).toMatchObject({ version: 2, overlay });
    expect(after.some((v) => v.cash !== STARTING_CASH[v.id])).toBe(true);
    // The vault files were not applied again: the history is the one from before the restart.
    expect((await post(second.url, VaultHistoryDocument, { id: target.id })).data!.vaultHistory).toEqual(historyBefore);
  }, 300_000);
});
