/**
 * Pre-trade risk in the spirit of SEC Rule 15c3-5: single checks, each a pure function of the order and a
 * snapshot of what it needs (the order rate check alone keeps state, a token bucket on the clock), composed
 * into one. A refusal is a verdict that becomes an `OrderDenied` event, never an exception (DESIGN rule 5).
 */
import type { DenyReason } from '../events.js';
import type { KillSwitchState } from '../kill-switch-store.js';
import type { Order } from '../order.js';
import type { LastTrade, TradabilityVerdict, VaultCredit } from '../ports.js';

export interface RiskSnapshot {
  readonly now: number;
  /** The last trade of the order's instrument, or null when none is known. */
  readonly lastTrade: LastTrade | null;
  /** Engaged kill switches. */
  readonly killSwitches: readonly KillSwitchState[];
  readonly tradability: TradabilityVerdict;
  /** True when another order already holds this client order id. */
  readonly clientOrderIdTaken: boolean;
  /** Orders of every vault created since the snapshot's lookback start, without the order checked. */
  readonly recentOrders: readonly Order[];
  /** The vault's open orders, whenever created, without the order checked. */
  readonly vaultOpenOrders: readonly Order[];
  /** The vault's credit as accounting reports it; null for an unknown vault. */
  readonly credit: VaultCredit | null;
}

export interface RiskDenial {
  readonly ok: false;
  /** The name of the check, with its parameters. */
  readonly check: string;
  readonly reason: DenyReason;
  readonly message: string;
}
export type RiskVerdict = { readonly ok: true } | RiskDenial;

export const PASS: RiskVerdict = Object.freeze({ ok: true });

export interface RiskCheck {
  /** The check's name with its parameters, as it appears in denials: `MaxOrderNotional(100000)`. */
  readonly name: string;
  /** How far back `recentOrders` must reach for this check (ms before now); 0 when it does not read them. */
  readonly lookbackMs: number;
  check(order: Order, snapshot: RiskSnapshot): RiskVerdict;
}

export function deny(check: string, reason: DenyReason, message: string): RiskDenial {
  return Object.freeze({ ok: false, check, reason, message });
}

/** A limit with a default and optional per-vault overrides; decimal strings. */
export interface VaultLimit {
  readonly default: string;
  readonly perVault?: Readonly<Record<string, string>>;
}

/** Start of the UTC day `now` falls in: daily limits reset at 00:00 UTC. */
export function utcDayStart(now: number): number {
  return Math.floor(now / 86_400_000) * 86_400_000;
}
