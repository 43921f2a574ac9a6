/**
 * Checks composed into one, in order; the first refusal wins. `standardRiskChecks` builds the usual set from
 * a frozen config, cheapest and most decisive first, the order rate last (see OrderRateCheck).
 */
import type { Order } from '../order.js';
import { CreditCheck, GlobalDailyNotionalCheck, MaxOrderNotionalCheck, OrderRateCheck, VaultDailyNotionalCheck } from './checks-limits.js';
import { DuplicateCheck, KillSwitchCheck, PriceCollarCheck, TradableCheck, ValidOrderCheck } from './checks-order.js';
import { PASS, type RiskCheck, type RiskSnapshot, type RiskVerdict, type VaultLimit } from './types.js';

export class CompositeRiskCheck implements RiskCheck {
  readonly name: string;
  readonly lookbackMs: number;
  constructor(readonly checks: readonly RiskCheck[]) {
    this.name = `Composite(${checks.map((c) => c.name).join(',')})`;
    this.lookbackMs = Math.max(0, ...checks.map((c) => c.lookbackMs));
  }
  check(order: Order, snapshot: RiskSnapshot): RiskVerdict {
    for (const c of this.checks) {
      const verdict = c.check(order, snapshot);
      if (!verdict.ok) return verdict;
    }
    return PASS;
  }
}

/** Lets everything through: for backtests that study signals, not limits. */
export class NullRiskCheck implements RiskCheck {
  readonly name = 'Null';
  readonly lookbackMs = 0;
  check(): RiskVerdict {
    return PASS;
  }
}

export interface RiskConfig {
  readonly maxOrderNotional: VaultLimit;
  readonly maxDailyNotionalPerVault: VaultLimit;
  readonly maxDailyNotionalGlobal: string;
  /** Percent, a decimal string (`"5"` for 5%). */
  readonly priceCollarPct: string;
  readonly maxPriceAgeMs: number;
  readonly ordersPerSecond: number;
  readonly orderBurst: number;
  readonly vaultOrdersPerSecond?: { readonly perSecond: number; readonly burst: number } | null;
  readonly duplicateWindowMs: number;
}

export function standardRiskChecks(config: RiskConfig): CompositeRiskCheck {
  return new CompositeRiskCheck([
    new ValidOrderCheck(),
    new KillSwitchCheck(),
    new TradableCheck(),
    new DuplicateCheck(config.duplicateWindowMs),
    new PriceCollarCheck(config.priceCollarPct, config.maxPriceAgeMs),
    new MaxOrderNotionalCheck(config.maxOrderNotional),
    new VaultDailyNotionalCheck(config.maxDailyNotionalPerVault),
    new GlobalDailyNotionalCheck(config.maxDailyNotionalGlobal),
    new CreditCheck(),
    new OrderRateCheck(config.ordersPerSecond, config.orderBurst, config.vaultOrdersPerSecond ?? null),
  ]);
}
