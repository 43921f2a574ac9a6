/**
 * Checks on the order itself and the market it goes to: well-formed, not stopped by a kill switch, tradable,
 * not a duplicate, priced within a collar of the last trade.
 */
import { ExecutionError } from '../errors.js';
import { covers } from '../kill-switch-store.js';
import { dec, isPositiveDecimal, text } from '../money.js';
import type { Order } from '../order.js';
import { deny, PASS, type RiskCheck, type RiskSnapshot, type RiskVerdict } from './types.js';

/** Quantity positive; a LIMIT order has a positive limit price, a MARKET order none. */
export class ValidOrderCheck implements RiskCheck {
  readonly name = 'ValidOrder';
  readonly lookbackMs = 0;
  check(order: Order): RiskVerdict {
    if (!isPositiveDecimal(order.quantity)) return deny(this.name, 'INVALID_ORDER', `quantity ${order.quantity} is not a positive decimal`);
    if (order.type === 'LIMIT' && !isPositiveDecimal(order.limitPrice)) {
      return deny(this.name, 'INVALID_ORDER', `a LIMIT order needs a positive limit price, got ${order.limitPrice}`);
    }
    if (order.type === 'MARKET' && order.limitPrice !== null) {
      return deny(this.name, 'INVALID_ORDER', 'a MARKET order carries no limit price');
    }
    return PASS;
  }
}

/** No order goes out while a global, vault or venue kill switch covering it is engaged. */
export class KillSwitchCheck implements RiskCheck {
  readonly name = 'KillSwitch';
  readonly lookbackMs = 0;
  check(order: Order, s: RiskSnapshot): RiskVerdict {
    const hit = s.killSwitches.find((k) => k.engaged && covers(k.scope, order));
    if (!hit) return PASS;
    return deny(this.name, 'KILL_SWITCH', `kill switch ${hit.key} engaged by ${hit.actor}: ${hit.reason}`);
  }
}

/** The instrument is listed and not halted on a venue that is enabled and routed. */
export class TradableCheck implements RiskCheck {
  readonly name = 'Tradable';
  readonly lookbackMs = 0;
  check(order: Order, s: RiskSnapshot): RiskVerdict {
    if (s.tradability.tradable) return PASS;
    return deny(this.name, 'NOT_TRADABLE', s.tradability.reason ?? `${order.instrument} is not tradable on ${order.venue}`);
  }
}

/**
 * The same client order id twice, or the same vault, instrument, side and quantity again within a window
 * (a fat finger, a replayed conviction under a new id). Denied orders do not count: they never went out.
 * A window of 0 turns the second test off.
 */
export class DuplicateCheck implements RiskCheck {
  readonly name: string;
  readonly lookbackMs: number;
  constructor(readonly windowMs: number) {
    if (!(windowMs >= 0)) throw new ExecutionError('INVALID_CONFIG', `duplicate window must be ≥ 0, got ${windowMs}`);
    this.name = `Duplicate(window=${windowMs}ms)`;
    this.lookbackMs = windowMs;
  }
  check(order: Order, s: RiskSnapshot): RiskVerdict {
    if (s.clientOrderIdTaken) {
      return deny(this.name, 'DUPLICATE_CLIENT_ORDER_ID', `an order with client order id ${order.clientOrderId} exists`);
    }
    const qty = dec(order.quantity);
    const twin = s.recentOrders.find(
      (o) =>
        o.clientOrderId !== order.clientOrderId &&
        o.status !== 'DENIED' &&
        o.vaultId === order.vaultId &&
        o.instrument === order.instrument &&
        o.side === order.side &&
        s.now - o.createdAt < this.windowMs &&
        dec(o.quantity).eq(qty),
    );
    if (!twin) return PASS;
    return deny(
      this.name,
      'DUPLICATE_ORDER',
      `${order.side} ${order.quantity} ${order.instrument} for vault ${order.vaultId} repeats ${twin.clientOrderId} within ${this.windowMs}ms`,
    );
  }
}

/**
 * The order's price (the limit, or the last trade a market order expects to meet) lies within `maxPct` percent
 * of a last trade no older than `maxAgeMs`. Both directions are collared: a buy limit far above the market is
 * a fat finger that would trade at once; one far below is a stale or mistyped price.
 */
export class PriceCollarCheck implements RiskCheck {
  readonly name: string;
  readonly lookbackMs = 0;
  readonly #maxPct;
  constructor(
    maxPct: string,
    readonly maxAgeMs: number,
  ) {
    if (!isPositiveDecimal(maxPct)) throw new ExecutionError('INVALID_CONFIG', `price collar must be a positive decimal, got ${maxPct}`);
    this.#maxPct = dec(maxPct);
    this.name = `PriceCollar(${maxPct}%,maxAge=${maxAgeMs}ms)`;
  }
  check(order: Order, s: RiskSnapshot): RiskVerdict {
    const last = s.lastTrade;
    if (last === null || !isPositiveDecimal(last.price)) {
      return deny(this.name, 'NO_REFERENCE_PRICE', `no last trade for ${order.instrument}`);
    }
    if (s.now - last.ts > this.maxAgeMs) {
      return deny(this.name, 'STALE_REFERENCE_PRICE', `last trade of ${order.instrument} is ${s.now - last.ts}ms old`);
    }
    const price = order.type === 'LIMIT' ? order.limitPrice : order.referencePrice;
    if (price === null || !isPositiveDecimal(price)) {
      return deny(this.name, 'NO_REFERENCE_PRICE', `order ${order.clientOrderId} has no price to collar`);
    }
    const ref = dec(last.price);
    const deviationPct = dec(price).minus(ref).abs().div(ref).times(100);
    if (deviationPct.lte(this.#maxPct)) return PASS;
    return deny(
      this.name,
      'PRICE_COLLAR',
      `price ${price} is ${text(deviationPct.toDecimalPlaces(4))}% from last trade ${last.price} (limit ${text(this.#maxPct)}%)`,
    );
  }
}
