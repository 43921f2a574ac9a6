/**
 * The risk engine: gathers the snapshot a check needs from its ports, then asks the check. The snapshot is
 * read fresh for every order, so several executor processes over one store see each other's orders and the
 * kill switches the moment they are stored.
 */
import type { Clock } from '../../clock.js';
import type { KillSwitchStore } from '../kill-switch-store.js';
import type { Order } from '../order.js';
import type { LastPrices, Tradability, TradabilityVerdict, VaultCreditPort } from '../ports.js';
import type { OrderRepository } from '../repository.js';
import { utcDayStart, type RiskCheck, type RiskSnapshot, type RiskVerdict } from './types.js';

export interface RiskEngineOptions {
  readonly check: RiskCheck;
  readonly clock: Clock;
  readonly orders: OrderRepository;
  readonly prices: LastPrices;
  readonly credit: VaultCreditPort;
  readonly killSwitches: KillSwitchStore;
  readonly tradability: Tradability;
}

export class RiskEngine {
  constructor(private readonly o: RiskEngineOptions) {}

  get name(): string {
    return this.o.check.name;
  }

  async snapshot(order: Order, options: { readonly clientOrderIdTaken: boolean; readonly routed: boolean }): Promise<RiskSnapshot> {
    const now = this.o.clock.now();
    const since = Math.min(utcDayStart(now), now - this.o.check.lookbackMs);
    const [lastTrade, killSwitches, tradability, recent, open, credit] = await Promise.all([
      this.o.prices.lastTrade(order.instrument),
      this.o.killSwitches.engaged(),
      options.routed
        ? this.o.tradability.check(order.instrument, order.venue)
        : ({ tradable: false, reason: `no broker is routed for venue ${order.venue}` } satisfies TradabilityVerdict),
      this.o.orders.list({ createdSince: since }),
      this.o.orders.list({ vaultId: order.vaultId, open: true }),
      this.o.credit.credit(order.vaultId),
    ]);
    const others = (list: readonly Order[]) => list.filter((x) => x.clientOrderId !== order.clientOrderId);
    return Object.freeze({
      now,
      lastTrade,
      killSwitches,
      tradability,
      clientOrderIdTaken: options.clientOrderIdTaken,
      recentOrders: others(recent),
      vaultOpenOrders: others(open),
      credit,
    });
  }

  async evaluate(order: Order, options: { readonly clientOrderIdTaken: boolean; readonly routed: boolean }): Promise<RiskVerdict> {
    return this.o.check.check(order, await this.snapshot(order, options));
  }
}
