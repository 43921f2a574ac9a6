/**
 * Conviction becomes capital: a real engine (in-memory PGlite, memory bus, test clock) with the trading desk
 * runs simulated bars; the shipped example vaults allocate on the convictions, orders go through risk to the
 * paper broker, its fills are booked in the vault ledgers, and every step is in the audit log with its causes.
 * A kill switch then blocks new orders and cancels the open ones.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import type { AnyTopicEvent } from './trading-helpers.js';

const START = Date.UTC(2024, 0, 2, 14, 30);
const MIN = 60_000;
let store: DrizzleStore;
let bus: MemoryBus;
let engine: Engine;
let desk: TradingDesk;
let clock: TestClock;
let orders: MemoryOrderRepository;
const seen: AnyTopicEvent[] = [];
const simulator = new SimulatorCore({ seed: 11 });

async function runBars(from: number, bars: number): Promise<void> {
  for (let k = 0; k < bars; k++) {
    const ts = START + (from + k) * MIN;
    clock.set(ts);
    await bus.publishMany(Topics.signalsRaw, simulator.step(ts));
    await engine.drain(60_000);
    await desk.tick();
    await engine.drain(60_000);
  }
}

beforeAll(async () => {
  store = await createStore('memory://');
  bus = new MemoryBus();
  clock = new TestClock(START);
  orders = new MemoryOrderRepository();
  desk = new TradingDesk({
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
  for (const file of ['risk-averse-core', 'contrarian-crypto', 'aggressive-tech-loan']) {
    const config = JSON.parse(await readFile(new URL(`../data/vaults/${file}.vault.json`, import.meta.url), 'utf8'));
    await desk.service.createVault('test', config);
  }
  for (const topic of [Topics.orderEvents, Topics.vaultEvents, Topics.orderIntents, Topics.killSwitches]) {
    bus.subscribe(topic, async (e) => void seen.push(e as AnyTopicEvent), { group: `test-${topic}`, from: 'earliest' });
  }
  engine = new Engine({ bus, store, clock, contentIndex: new MemoryContentIndex(), instruments: UNIVERSE, collectors: [], log: { info() {}, warn() {}, error() {} }, desk });
  await engine.start();
  await runBars(0, 240);
}, 300_000);

afterAll(async () => {
  await engine?.stop();
  await bus?.close();
  await store?.close();
});

describe('the trading desk in the engine', () => {
  it('allocates on convictions, orders fill at the paper broker, and the fills are booked in the vaults', async () => {
    const intents = seen.filter((e) => e.type === 'OrderIntentCreated');
    const filled = seen.filter((e) => e.type === 'OrderFilled');
    const booked = seen.filter((e) => e.type === 'VaultFillApplied');
    expect(intents.length).toBeGreaterThan(0);
    expect(filled.length).toBeGreaterThan(0);
    expect(booked.length).toBe(filled.length);
    const all = await orders.list();
    expect(all.length).toBeGreaterThan(0);
    // Every order names the conviction that caused it.
    for (const o of all.filter((o) => o.convictionId)) expect(await store.convictions.get(o.convictionId!)).not.toBeNull();
    const states = await Promise.all((await desk.service.listVaults()).map((v) => desk.service.state(v.id)));
    expect(states.some((s) => Number(s.cash) < 100_000)).toBe(true);
    for (const s of states) expect(Number(s.cash)).toBeGreaterThanOrEqual(0);
  });

  it('records every intent, order event and booked fill in the audit log with its causes', async () => {
    const filled = seen.find((e) => e.type === 'OrderFilled')!;
    expect((await store.audit.getByEventId(filled.id))?.type).toBe('OrderFilled');
    const intent = seen.find((e) => e.type === 'OrderIntentCreated')!;
    const audited = await store.audit.getByEventId(intent.id);
    expect(audited?.causationIds.length).toBeGreaterThan(0);
    expect((await store.audit.verify()).ok).toBe(true);
  });

  it('a global kill switch blocks new orders and cancels the open ones', async () => {
    const change = await desk.killSwitches.engage({ kind: 'global' }, 'test', 'drill');
    expect(change.event?.type).toBe('KillSwitchChanged');
    await engine.drain(60_000);
    await runBars(240, 30);
    const open = (await orders.list({ open: true })).filter((o) => o.status !== 'PENDING_CANCEL');
    expect(open).toEqual([]);
    const after = seen.filter((e) => e.type === 'OrderSubmitted' && e.tsInit > change.state.changedAt);
    expect(after).toEqual([]);
    const denied = seen.filter((e) => e.type === 'OrderDenied' && e.tsInit > change.state.changedAt);
    for (const d of denied) expect((d.payload as { reason: string }).reason).toBe('KILL_SWITCH');
  });
});
