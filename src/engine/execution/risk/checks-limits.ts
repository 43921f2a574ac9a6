/**
 * Checks on how much: notional per order and per day (per vault and across vaults), the vault's credit,
 * and the rate of orders.
 */
import { ExecutionError } from '../errors.js';
import { dec, isPositiveDecimal, sum, text, type Dec } from '../money.js';
import { exposureOf, isOpen, leavesQuantity, type Order } from '../order.js';
import { TokenBucket } from './token-bucket.js';
import { deny, PASS, utcDayStart, type RiskCheck, type RiskDenial, type RiskSnapshot, type RiskVerdict, type VaultLimit } from './types.js';

function limitOf(limit: VaultLimit, vaultId: string): Dec {
  return dec(limit.perVault?.[vaultId] ?? limit.default);
}

function validLimit(what: string, limit: VaultLimit): VaultLimit {
  for (const v of [limit.default, ...Object.values(limit.perVault ?? {})]) {
    if (!isPositiveDecimal(v)) throw new ExecutionError('INVALID_CONFIG', `${what} must be a positive decimal, got ${v}`);
  }
  return limit;
}

const describe = (limit: VaultLimit): string =>
  limit.perVault && Object.keys(limit.perVault).length > 0 ? `${limit.default},overrides=${Object.keys(limit.perVault).length}` : limit.default;

/** The order's notional (quantity × reference price), or a denial when it has no price to value it at. */
function notionalOf(check: string, order: Order): Dec | RiskDenial {
  if (order.referencePrice === null || !isPositiveDecimal(order.referencePrice)) {
    return deny(check, 'NO_REFERENCE_PRICE', `order ${order.clientOrderId} has no price to value it at`);
  }
  return dec(order.quantity).times(dec(order.referencePrice));
}

const isDenial = (x: Dec | RiskDenial): x is RiskDenial => typeof (x as RiskDenial).ok === 'boolean';

/** Notional per order, with per-vault overrides. */
export class MaxOrderNotionalCheck implements RiskCheck {
  readonly name: string;
  readonly lookbackMs = 0;
  constructor(readonly limit: VaultLimit) {
    validLimit('max order notional', limit);
    this.name = `MaxOrderNotional(${describe(limit)})`;
  }
  check(order: Order): RiskVerdict {
    const notional = notionalOf(this.name, order);
    if (isDenial(notional)) return notional;
    const max = limitOf(this.limit, order.vaultId);
    if (notional.lte(max)) return PASS;
    return deny(this.name, 'MAX_ORDER_NOTIONAL', `notional ${text(notional)} exceeds ${text(max)} per order`);
  }
}

/** What counts against a daily limit: today's orders that went out (filled part, plus what is still open). */
function usedToday(orders: readonly Order[], now: number, vaultId: string | null): Dec {
  const start = utcDayStart(now);
  return sum(
    orders
      .filter((o) => o.createdAt >= start && o.status !== 'DENIED' && (vaultId === null || o.vaultId === vaultId))
      .map(exposureOf),
  );
}

/** Notional per vault per UTC day. */
export class VaultDailyNotionalCheck implements RiskCheck {
  readonly name: string;
  readonly lookbackMs = 86_400_000;
  constructor(readonly limit: VaultLimit) {
    validLimit('max daily notional per vault', limit);
    this.name = `VaultDailyNotional(${describe(limit)})`;
  }
  check(order: Order, s: RiskSnapshot): RiskVerdict {
    const notional = notionalOf(this.name, order);
    if (isDenial(notional)) return notional;
    const used = usedToday(s.recentOrders, s.now, order.vaultId);
    const max = limitOf(this.limit, order.vaultId);
    if (used.plus(notional).lte(max)) return PASS;
    return deny(
      this.name,
      'MAX_DAILY_NOTIONAL_VAULT',
      `vault ${order.vaultId} used ${text(used)} today; ${text(notional)} more exceeds ${text(max)}`,
    );
  }
}

/** Notional across all vaults per UTC day. */
export class GlobalDailyNotionalCheck implements RiskCheck {
  readonly name: string;
  readonly lookbackMs = 86_400_000;
  readonly #max: Dec;
  constructor(max: string) {
    if (!isPositiveDecimal(max)) throw new ExecutionError('INVALID_CONFIG', `max daily notional must be a positive decimal, got ${max}`);
    this.#max = dec(max);
    this.name = `GlobalDailyNotional(${max})`;
  }
  check(order: Order, s: RiskSnapshot): RiskVerdict {
    const notional = notionalOf(this.name, order);
    if (isDenial(notional)) return notional;
    const used = usedToday(s.recentOrders, s.now, null);
    if (used.plus(notional).lte(this.#max)) return PASS;
    return deny(this.name, 'MAX_DAILY_NOTIONAL_GLOBAL', `all vaults used ${text(used)} today; ${text(notional)} more exceeds ${text(this.#max)}`);
  }
}

/**
 * A buy must fit the vault's credit: open buy notional + this order ≤ available cash × leverage. Sells reduce
 * exposure and are not limited here.
 */
export class CreditCheck implements RiskCheck {
  readonly name = 'Credit';
  readonly lookbackMs = 0;
  check(order: Order, s: RiskSnapshot): RiskVerdict {
    if (order.side !== 'BUY') return PASS;
    if (s.credit === null) return deny(this.name, 'NO_CREDIT', `vault ${order.vaultId} has no credit on record`);
    const notional = notionalOf(this.name, order);
    if (isDenial(notional)) return notional;
    const open = sum(
      s.vaultOpenOrders
        .filter((o) => o.side === 'BUY' && isOpen(o.status) && o.referencePrice !== null)
        .map((o) => dec(leavesQuantity(o)).times(dec(o.referencePrice as string))),
    );
    const capacity = dec(s.credit.availableCash).times(dec(s.credit.leverage));
    if (open.plus(notional).lte(capacity)) return PASS;
    return deny(
      this.name,
      'CREDIT_LIMIT',
      `open buys ${text(open)} + ${text(notional)} exceed cash ${s.credit.availableCash} × leverage ${s.credit.leverage}`,
    );
  }
}

/**
 * Orders per second, as a token bucket on the snapshot's clock: globally, and per vault when `perVault` is
 * given. Place it last in a composite, so that only orders every other check passed spend a token.
 */
export class OrderRateCheck implements RiskCheck {
  readonly name: string;
  readonly lookbackMs = 0;
  #global: TokenBucket | null = null;
  readonly #vaults = new Map<string, TokenBucket>();

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    readonly perVault: { readonly perSecond: number; readonly burst: number } | null = null,
  ) {
    // Validate now rather than at the first order.
    new TokenBucket(perSecond, burst, 0);
    if (perVault) new TokenBucket(perVault.perSecond, perVault.burst, 0);
    this.name = `OrderRate(${perSecond}/s,burst=${burst}${perVault ? `,vault=${perVault.perSecond}/s` : ''})`;
  }

  check(order: Order, s: RiskSnapshot): RiskVerdict {
    this.#global ??= new TokenBucket(this.perSecond, this.burst, s.now);
    let vault: TokenBucket | null = null;
    if (this.perVault) {
      vault = this.#vaults.get(order.vaultId) ?? new TokenBucket(this.perVault.perSecond, this.perVault.burst, s.now);
      this.#vaults.set(order.vaultId, vault);
      // Look before taking, so a vault over its own rate does not spend a global token.
      if (vault.available(s.now) < 1) {
        return deny(this.name, 'ORDER_RATE', `vault ${order.vaultId} is over ${this.perVault.perSecond} orders/s`);
      }
    }
    if (!this.#global.tryTake(s.now)) return deny(this.name, 'ORDER_RATE', `over ${this.perSecond} orders/s`);
    vault?.tryTake(s.now);
    return PASS;
  }
}
