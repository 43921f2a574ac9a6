/**
 * The trading desk: conviction becomes capital. It composes the vault service (allocation, accounting,
 * compounding) with the execution engine (autotrade queue, risk checks, kill switches, router, brokers) and
 * gives the engine three stages:
 *
 *   conviction.scored ─► allocation ─► orders.intent ─► intake ─► autotrade queue ─► executor ─► brokers
 *   signals.enriched (bars) ─► bar feed ─► market book, last prices, paper broker fills
 *   fills ─► vault ledger ─► vaults.events          order, kill-switch, reconciliation events ─► their topics
 *
 * The executor itself is driven from outside (`tick`, by a job), so that a test or a backtest decides when it
 * runs. Every port it is handed (repositories, stores, brokers) can be in memory or in the database.
 */
import type { Bus } from './bus/bus.js';
import { Topics } from './bus/topics.js';
import type { Clock } from './clock.js';
import type { Broker } from './execution/broker.js';
import type { ExecutionEvent, OrderFilled } from './execution/events.js';
import { Executor } from './execution/executor.js';
import { KillSwitches } from './execution/kill-switch.js';
import type { KillSwitchStore } from './execution/kill-switch-store.js';
import { MemoryLastPrices, StaticTradability, type VaultCreditPort } from './execution/ports.js';
import type { AutotradeQueue } from './execution/queue.js';
import { Reconciler } from './execution/reconcile.js';
import type { OrderRepository } from './execution/repository.js';
import { RiskEngine } from './execution/risk/engine.js';
import { type RiskConfig, standardRiskChecks } from './execution/risk/composite.js';
import { BrokerRouter } from './execution/router.js';
import { BarStage, IntakeStage } from './execution/stages.js';
import type { PaperBroker } from './execution/brokers/paper.js';
import type { Stage } from './stage.js';
import type { Topic } from './bus/topics.js';
import type { Instrument } from './types.js';
import { AllocationStage } from './vaults/allocation-stage.js';
import { deadLetter } from './bus/dead-letter.js';
import { VaultError } from './vaults/errors.js';
import type { VaultEvent } from './vaults/events.js';
import { MarketBook } from './vaults/market-book.js';
import type { PersonaRecord, VaultRepository } from './vaults/ports.js';
import { VaultService } from './vaults/service.js';

export interface TradingDeskPorts {
  readonly bus: Bus;
  readonly clock: Clock;
  readonly instruments: readonly Instrument[];
  readonly vaults: VaultRepository;
  readonly orders: OrderRepository;
  readonly queue: AutotradeQueue;
  readonly killSwitches: KillSwitchStore;
  /** The paper broker (the default venue) and any real ones; one per venue. */
  readonly paper: PaperBroker;
  readonly brokers?: readonly Broker[];
  readonly risk: RiskConfig;
  readonly log: { warn(obj: object, msg?: string): void };
}

/** Clock time between two points of the vaults' growth curves (and compounding checks). */
const GROWTH_EVERY_MS = 15 * 60_000;

const EXECUTION_TOPIC: Record<ExecutionEvent['type'], Topic> = {
  OrderInitialized: Topics.orderEvents,
  OrderDenied: Topics.orderEvents,
  OrderSubmitted: Topics.orderEvents,
  OrderAccepted: Topics.orderEvents,
  OrderRejected: Topics.orderEvents,
  OrderFilled: Topics.orderEvents,
  OrderCancelRequested: Topics.orderEvents,
  OrderCancelRejected: Topics.orderEvents,
  OrderCanceled: Topics.orderEvents,
  OrderExpired: Topics.orderEvents,
  KillSwitchChanged: Topics.killSwitches,
  ReconciliationReported: Topics.reconciliation,
};

export class TradingDesk {
  readonly service: VaultService;
  readonly market: MarketBook;
  readonly prices = new MemoryLastPrices();
  readonly router: BrokerRouter;
  readonly executor: Executor;
  readonly killSwitches: KillSwitches;
  readonly reconciler: Reconciler;
  readonly allocation: AllocationStage;
  readonly #ports: TradingDeskPorts;
  #lastBooks = Number.NEGATIVE_INFINITY;

  constructor(ports: TradingDeskPorts) {
    this.#ports = ports;
    const { clock, bus } = ports;
    const classes = new Map(ports.instruments.map((i) => [i.symbol, i.assetClass]));
    this.service = new VaultService({ repository: ports.vaults, clock, instruments: ports.instruments });
    this.market = new MarketBook((s) => classes.get(s));
    this.router = new BrokerRouter([ports.paper, ...(ports.brokers ?? [])]);
    const publish = (event: ExecutionEvent) => bus.publish(EXECUTION_TOPIC[event.type] as never, event as never);
    const credit: VaultCreditPort = {
      credit: async (vaultId) => {
        try {
          const [{ effective }, state] = await Promise.all([this.service.getVault(vaultId), this.service.state(vaultId)]);
          return { availableCash: state.cash, leverage: String(effective.caps.leverage) };
        } catch {
          return null;
        }
      },
    };
    const tradability = new StaticTradability({ venues: this.router.venues(), listed: ports.instruments.map((i) => i.symbol) });
    const risk = new RiskEngine({
      check: standardRiskChecks(ports.risk),
      clock,
      orders: ports.orders,
      prices: this.prices,
      credit,
      killSwitches: ports.killSwitches,
      tradability,
    });
    this.executor = new Executor({
      clock,
      queue: ports.queue,
      orders: ports.orders,
      brokers: this.router,
      risk,
      prices: this.prices,
      killSwitches: ports.killSwitches,
      publish,
      fillSink: { onFill: (event) => this.#book(event) },
    });
    this.killSwitches = new KillSwitches({
      store: ports.killSwitches,
      clock,
      publish,
      cancelCovered: (scope, actor, reason) => this.executor.cancelOpenOrders(scope, actor, reason),
    });
    this.reconciler = new Reconciler({ executor: this.executor, orders: ports.orders, brokers: this.router, clock, publish });
    this.allocation = new AllocationStage({
      service: this.service,
      market: this.market,
      clock,
      working: (vaultId) => this.#working(vaultId),
      publish: (events) => bus.publishMany(Topics.orderIntents, events),
      onError: (vaultId, err) => ports.log.warn({ vaultId, err }, 'allocation failed for a vault; the others still trade'),
    });
  }

  /** The stages the engine runs for the desk. */
  stages(): Stage<Topic>[] {
    const { clock, queue, paper } = this.#ports;
    return [
      this.allocation,
      new IntakeStage(queue, clock),
      new BarStage({ market: this.market, prices: this.prices, paper, executor: this.executor }),
    ] as Stage<Topic>[];
  }

  /** Reads back what each venue holds and reconciles it with the store, before the first order goes out. */
  async start(): Promise<void> {
    await this.reconciler.reconcileAll();
  }

  /**
   * Takes what the autotrade queue holds through risk to the brokers, and syncs every venue; then, at most once
   * per `GROWTH_EVERY_MS` of clock time, compounds the vaults that are due and records a point of each vault's
   * growth curve at the latest prices.
   */
  async tick(): Promise<void> {
    await this.executor.runOnce(64);
    for (const venue of this.router.venues()) await this.executor.syncVenue(venue);
    const now = this.#ports.clock.now();
    if (now - this.#lastBooks < GROWTH_EVERY_MS) return;
    this.#lastBooks = now;
    const { prices } = this.market.snapshot();
    for (const vault of await this.service.listVaults()) {
      const compounded = await this.service.compound(vault.id, now, prices);
      if (compounded.events.length > 0) await this.#ports.bus.publishMany(Topics.vaultEvents, compounded.events as VaultEvent[]);
      if (!compounded.due) await this.service.recordGrowth(vault.id, prices, now);
    }
  }

  /** The custom personas as stored, with their versions (the built-in ones are in vaults/personas.ts). */
  customPersonas(): Promise<readonly PersonaRecord[]> {
    return this.#ports.vaults.listPersonas();
  }

  /** Instruments with an order in flight for the vault: queued and not yet placed, or working at a venue. */
  async #working(vaultId: string): Promise<ReadonlySet<string>> {
    const [open, pending, taken] = await Promise.all([
      this.#ports.orders.list({ vaultId, open: true }),
      this.#ports.queue.list({ state: 'pending' }),
      this.#ports.queue.list({ state: 'taken' }),
    ]);
    return new Set([
      ...open.map((o) => o.instrument),
      ...[...pending, ...taken].filter((q) => q.intent.vaultId === vaultId).map((q) => q.intent.instrument),
    ]);
  }

  /**
   * Books a fill in its vault. The fill happened at the venue whatever the ledger thinks of it: one the ledger
   * refuses (it would break a rule of the vault) is reported on the dead-letter topic with the fill, for a person
   * to look at, and does not hold up the fills after it.
   */
  async #book(event: OrderFilled): Promise<void> {
    try {
      await this.#applyFill(event);
    } catch (err) {
      if (!(err instanceof VaultError)) throw err;
      this.#ports.log.warn({ err, fill: event.id, vaultId: event.payload.vaultId }, 'vault ledger refused a fill; it is dead-lettered for review');
      await this.#ports.bus.publish(Topics.deadLetter, deadLetter('vault-ledger', err, event, this.#ports.clock.now()));
    }
  }

  async #applyFill(event: OrderFilled): Promise<void> {
    const f = event.payload;
    const order = await this.#ports.orders.get(f.clientOrderId);
    const result = await this.service.applyFill({
      fillId: event.id,
      vaultId: f.vaultId,
      instrument: f.instrument,
      side: f.side,
      quantity: f.quantity,
      price: f.price,
      fee: f.fee,
      ts: event.tsEvent,
      convictionId: f.convictionId,
      convictionExpiresAt: f.convictionId ? this.allocation.expiryOf(f.convictionId) : null,
      leg: order?.leg,
      reason: order?.reason,
      eventId: event.id,
    });
    if (result.events.length > 0) await this.#ports.bus.publishMany(Topics.vaultEvents, result.events as VaultEvent[]);
  }
}
