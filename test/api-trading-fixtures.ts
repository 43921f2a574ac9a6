/**
 * A real engine with the trading desk for the trading API tests: in-memory PGlite, the memory bus, a test
 * clock, the paper broker and the shipped example vaults, driven bar by bar on simulated market data.
 */
import { readFile } from 'node:fs/promises';
import type { ApiDeps } from '../src/api/deps.js';
import { buildLineage } from '../src/engine/audit/lineage.js';
import { MemoryBus } from '../src/engine/bus/memory.js';
import { Topics } from '../src/engine/bus/topics.js';
import { TestClock } from '../src/engine/clock.js';
import { SimulatorCore } from '../src/engine/collectors/simulator/core.js';
import { UNIVERSE } from '../src/engine/collectors/universe.js';
import { MemoryContentIndex } from '../src/engine/enrich/content-index.js';
import { Engine } from '../src/engine/engine.js';
import { PaperBroker } from '../src/engine/execution/brokers/paper.js';
import { MemoryKillSwitchStore } from '../src/engine/execution/kill-switch-store.js';
import { MemoryAutotradeQueue } from '../src/engine/execution/queue.js';
import { MemoryOrderRepository } from '../src/engine/execution/repository.js';
import { Random } from '../src/engine/random.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { TradingDesk } from '../src/engine/trading-desk.js';
import { MemoryVaultRepository } from '../src/engine/vaults/memory-repository.js';
import { HEALTH } from './api-fixtures.js';

export const START = Date.UTC(2024, 0, 2, 14, 30);
export const MIN = 60_000;
export const SHIPPED_VAULTS = ['aggressive-tech-loan', 'contrarian-crypto', 'risk-averse-core'] as const;

export interface TradingRig {
  readonly store: DrizzleStore;
  readonly bus: MemoryBus;
  readonly clock: TestClock;
  readonly orders: MemoryOrderRepository;
  readonly desk: TradingDesk;
  readonly engine: Engine;
  /** Bars run so far. */
  bars(): number;
  /** Runs `n` more one-minute bars: the pipeline, then the executor, each drained. */
  runBars(n: number): Promise<void>;
  /** What the API server needs to serve this rig: its store, bus, lineage, test clock and trading desk. */
  apiDependencies(): ApiDeps;
  close(): Promise<void>;
}

export async function shippedVault(id: string): Promise<unknown> {
  return JSON.parse(await readFile(new URL(`../data/vaults/${id}.vault.json`, import.meta.url), 'utf8'));
}

export async function startTradingRig(seed = 11): Promise<TradingRig> {
  const store = await createStore('memory://');
  const bus = new MemoryBus();
  const clock = new TestClock(START);
  const orders = new MemoryOrderRepository();
  const desk = new TradingDesk({
    bus,
    clock,
    instruments: UNIVERSE,
    vaults: new MemoryVaultRepository(),
    orders,
    queue: new MemoryAutotradeQueue(),
    killSwitches: new MemoryKillSwitchStore(),
    paper: new PaperBroker({ clock, random: new Random(5) }),
    risk: {
      maxOrderNotional: { default: '50000' },
      maxDailyNotionalPerVault: { default: '2000000' },
      maxDailyNotionalGlobal: '10000000',
      priceCollarPct: '5',
      maxPriceAgeMs: 10 * MIN,
      ordersPerSecond: 100,
      orderBurst: 200,
      duplicateWindowMs: MIN,
    },
    log: { warn() {} },
  });
  for (const id of SHIPPED_VAULTS) await desk.service.createVault('test', await shippedVault(id));
  const engine = new Engine({
    bus,
    store,
    clock,
    contentIndex: new MemoryContentIndex(),
    instruments: UNIVERSE,
    collectors: [],
    log: { info() {}, warn() {}, error() {} },
    desk,
  });
  await engine.start();
  const simulator = new SimulatorCore({ seed });
  let done = 0;
  return {
    store,
    bus,
    clock,
    orders,
    desk,
    engine,
    bars: () => done,
    apiDependencies: () => ({
      store,
      bus,
      health: async () => HEALTH,
      lineage: (id) => buildLineage(store.audit, id),
      now: () => clock.now(),
      trading: desk,
    }),
    runBars: async (n) => {
      for (let k = 0; k < n; k++, done++) {
        const ts = START + done * MIN;
        clock.set(ts);
        await bus.publishMany(Topics.signalsRaw, simulator.step(ts));
        await engine.drain(60_000);
        await desk.tick();
        await engine.drain(60_000);
      }
    },
    close: async () => {
      await engine.stop();
      await bus.close();
      await store.close();
    },
  };
}
