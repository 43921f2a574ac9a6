/**
 * Test wiring for the execution engine: real components (memory ports, the paper broker, the executor) on a
 * TestClock, with every published event captured. Only the venue is ever faked (FaultyBroker).
 */
import { TestClock } from '../../clock.js';
import { Random } from '../../random.js';
import type { Bar } from '../../types.js';
import type { Broker, OrderIntent } from '../broker.js';
import { PaperBroker, type PaperBrokerOptions } from '../brokers/paper.js';
import type { ExecutionEvent, OrderFilled } from '../events.js';
import { Executor, type ExecutorOptions } from '../executor.js';
import { KillSwitches } from '../kill-switch.js';
import { MemoryKillSwitchStore } from '../kill-switch-store.js';
import { draftOrder, type Order, type OrderStatus } from '../order.js';
import { MemoryLastPrices, StaticTradability, type FillSink, type VaultCredit, type VaultCreditPort } from '../ports.js';
import { MemoryAutotradeQueue } from '../queue.js';
import { Reconciler } from '../reconcile.js';
import { MemoryOrderRepository } from '../repository.js';
import { standardRiskChecks, type RiskConfig } from '../risk/composite.js';
import { RiskEngine } from '../risk/engine.js';
import type { RiskCheck } from '../risk/types.js';
import { BrokerRouter } from '../router.js';

export const T0 = Date.UTC(2024, 0, 2, 14, 30);

export function intent(over: Partial<OrderIntent> = {}): OrderIntent {
  return Object.freeze({
    vaultId: 'v1',
    convictionId: 'cv_1',
    instrument: 'AAPL',
    side: 'BUY',
    quantity: '10',
    type: 'MARKET',
    limitPrice: null,
    timeInForce: 'GTC',
    leg: 0,
    reason: 'open',
    venue: 'paper',
    createdAt: T0,
    ...over,
  });
}

/** An order in any state, as the state machine tests need: quantity 10, `filled` of it filled at 100. */
export function orderIn(status: OrderStatus, filled = '0'): Order {
  const base = draftOrder(intent(), { referencePrice: '100', causationIds: ['cv_1'], now: T0 });
  const f = Number(filled);
  return Object.freeze({
    ...base,
    status,
    filledQuantity: filled,
    filledNotional: String(f * 100),
    avgFillPrice: f > 0 ? '100' : null,
    brokerOrderId: status === 'INITIALIZED' || status === 'SUBMITTED' ? null : 'b-1',
    submittedAt: status === 'INITIALIZED' ? null : T0,
    version: 3,
    lastEventId: 'ord_prev',
  });
}

export function bar(close: number, over: Partial<Bar> = {}): Bar {
  return { open: close, high: close * 1.01, low: close * 0.99, close, volume: 1_000_000, intervalMs: 60_000, ...over };
}

export const LOOSE_RISK: RiskConfig = Object.freeze({
  maxOrderNotional: { default: '1000000' },
  maxDailyNotionalPerVault: { default: '10000000' },
  maxDailyNotionalGlobal: '100000000',
  priceCollarPct: '10',
  maxPriceAgeMs: 3_600_000,
  ordersPerSecond: 1000,
  orderBurst: 1000,
  duplicateWindowMs: 0,
  vaultOrdersPerSecond: null,
});

export class MemoryVaultCredit implements VaultCreditPort {
  readonly #credit = new Map<string, VaultCredit>();
  set(vaultId: string, availableCash: string, leverage = '1'): this {
    this.#credit.set(vaultId, { availableCash, leverage });
    return this;
  }
  async credit(vaultId: string): Promise<VaultCredit | null> {
    return this.#credit.get(vaultId) ?? null;
  }
}

export class RecordingFillSink implements FillSink {
  readonly fills: OrderFilled[] = [];
  readonly #seen = new Set<string>();
  async onFill(event: OrderFilled): Promise<void> {
    if (this.#seen.has(event.id)) return;
    this.#seen.add(event.id);
    this.fills.push(event);
  }
}

export interface HarnessOptions {
  readonly clock?: TestClock;
  readonly paper?: PaperBroker;
  /** Wraps the paper broker (a FaultyBroker); the paper broker still gets the bars. */
  readonly wrap?: (paper: PaperBroker) => Broker;
  readonly extraBrokers?: readonly Broker[];
  readonly risk?: RiskConfig;
  readonly check?: RiskCheck;
  readonly paperOptions?: Partial<PaperBrokerOptions>;
  readonly executor?: Partial<ExecutorOptions>;
  /** Share these with a second harness to model a restart over the same storage. */
  readonly shared?: SharedStorage;
}

/** What survives a restart: the stores, the queue, the captured events, the ledger's fills. */
export interface SharedStorage {
  readonly orders: MemoryOrderRepository;
  readonly queue: MemoryAutotradeQueue;
  readonly killStore: MemoryKillSwitchStore;
  readonly prices: MemoryLastPrices;
  readonly credit: MemoryVaultCredit;
  readonly events: ExecutionEvent[];
  readonly sink: RecordingFillSink;
}

export type Harness = ReturnType<typeof harness>;

export function harness(options: HarnessOptions = {}) {
  const clock = options.clock ?? new TestClock(T0);
  const paper = options.paper ?? new PaperBroker({ clock, random: new Random(7), ...options.paperOptions });
  const broker = options.wrap ? options.wrap(paper) : paper;
  const brokers = new BrokerRouter([broker, ...(options.extraBrokers ?? [])]);
  const orders = options.shared?.orders ?? new MemoryOrderRepository();
  const queue = options.shared?.queue ?? new MemoryAutotradeQueue();
  const killStore = options.shared?.killStore ?? new MemoryKillSwitchStore();
  const prices = options.shared?.prices ?? new MemoryLastPrices();
  const credit = options.shared?.credit ?? new MemoryVaultCredit().set('v1', '1000000').set('v2', '1000000');
  const events: ExecutionEvent[] = options.shared?.events ?? [];
  const sink = options.shared?.sink ?? new RecordingFillSink();
  const publish = async (e: ExecutionEvent) => {
    events.push(e);
  };
  const risk = new RiskEngine({
    check: options.check ?? standardRiskChecks(options.risk ?? LOOSE_RISK),
    clock,
    orders,
    prices,
    credit,
    killSwitches: killStore,
    tradability: new StaticTradability({ venues: brokers.venues() }),
  });
  const executor = new Executor({
    clock,
    queue,
    orders,
    brokers,
    risk,
    prices,
    killSwitches: killStore,
    publish,
    fillSink: sink,
    retry: { attempts: 5, backoffMs: 10 },
    sleep: async () => {},
    ...options.executor,
  });
  const killSwitches = new KillSwitches({
    store: killStore,
    clock,
    publish,
    cancelCovered: (scope, actor, reason) => executor.cancelOpenOrders(scope, actor, reason),
  });
  const reconciler = new Reconciler({ executor, orders, brokers, clock, publish });

  /** Sets the last trade and feeds the bar to the paper broker, as the pipeline does. */
  const feed = (instrument: string, b: Bar, ts = clock.now()) => {
    prices.update(instrument, String(b.close), ts);
    return paper.onBar(instrument, b, ts);
  };
  const submit = async (i: OrderIntent, causationIds: readonly string[] = [i.convictionId ?? 'manual']) => {
    await queue.enqueue(i, { causationIds, now: clock.now() });
    return executor.runOnce();
  };
  const types = () => events.map((e) => e.type);
  return { clock, paper, broker, brokers, orders, queue, killStore, prices, credit, events, sink, risk, executor, killSwitches, reconciler, feed, submit, types };
}
