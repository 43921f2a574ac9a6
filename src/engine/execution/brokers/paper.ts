/**
 * The paper broker, the default venue: a Broker that fills market and limit orders from the bars it is fed
 * (from the simulator or a replayed series), with spread, slippage, size impact, fees, partial fills and
 * latency (see paper-fill-model.ts). Deterministic: time comes from the Clock, randomness from the seeded
 * Random, and orders are filled in the order they were submitted. Idempotent on clientOrderId, as the Broker
 * contract requires. Keeps positions, not cash: buying power is the vault's business, checked by risk.
 */
import { createHash } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Clock } from '../../clock.js';
import type { Random } from '../../random.js';
import type { Bar } from '../../types.js';
import {
  BrokerError,
  type Broker,
  type BrokerFill,
  type BrokerOrder,
  type BrokerOrderRequest,
  type BrokerOrderStatus,
  type BrokerPosition,
} from '../broker.js';
import { ExecutionError } from '../errors.js';
import { AVG_PRICE_PLACES, dec, isPositiveDecimal, text, ZERO, type Dec } from '../money.js';
import { fillOnBar, paperBar, type PaperCosts } from './paper-fill-model.js';

export interface PaperBrokerOptions {
  readonly clock: Clock;
  readonly random: Random;
  /** Defaults to `paper`. */
  readonly venue?: string;
  /** Full quoted spread in bps (a market order pays half). Default 2. */
  readonly spreadBps?: number;
  /** Default 1. */
  readonly slippageBps?: number;
  /** Up to this many bps more per market fill, from the seeded source. Default 1. */
  readonly randomSlippageBps?: number;
  /** Bps for an order taking a whole bar's volume, prorated. Default 10. */
  readonly impactBps?: number;
  /** Default 1. */
  readonly feeBps?: number;
  /** Decimal string. Default "0". */
  readonly minFee?: string;
  /** Default `USD`. */
  readonly feeCurrency?: string;
  /** Share of a bar's volume one order may take per bar, in (0, 1]. Default 0.1. */
  readonly participation?: number;
  /** Submit to book, in ms. Default 0. */
  readonly latencyMs?: number;
  /** Default 4. */
  readonly priceDecimals?: number;
  /** Quantity step as decimal places. Default 8. */
  readonly quantityDecimals?: number;
  /** Default 2. */
  readonly feeDecimals?: number;
  /** Positions held before the first order. */
  readonly positions?: readonly BrokerPosition[];
}

interface Working {
  readonly order: BrokerOrder;
  /** Kept beside the order, since BrokerOrder does not carry it. */
  readonly timeInForce: BrokerOrderRequest['timeInForce'];
  readonly seq: number;
  readonly arrivalTs: number;
  readonly filledNotional: Dec;
  readonly fillCount: number;
}

const FINAL: ReadonlySet<BrokerOrderStatus> = new Set(['filled', 'canceled', 'rejected', 'expired']);
const utcDay = (ms: number): number => Math.floor(ms / 86_400_000);

export class PaperBroker implements Broker {
  readonly venue: string;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #costs: PaperCosts;
  readonly #latencyMs: number;
  readonly #feeCurrency: string;
  readonly #orders = new Map<string, Working>();
  readonly #fills: BrokerFill[] = [];
  readonly #positions = new Map<string, { readonly quantity: Dec; readonly avgPrice: Dec }>();
  #seq = 0;
  #closed = false;

  constructor(options: PaperBrokerOptions) {
    this.venue = options.venue ?? 'paper';
    this.#clock = options.clock;
    this.#random = options.random;
    this.#latencyMs = options.latencyMs ?? 0;
    this.#feeCurrency = options.feeCurrency ?? 'USD';
    const participation = dec(options.participation ?? 0.1);
    if (participation.lte(0) || participation.gt(1)) throw new ExecutionError('INVALID_CONFIG', `participation must be in (0, 1], got ${options.participation}`);
    this.#costs = Object.freeze({
      spreadBps: dec(options.spreadBps ?? 2),
      slippageBps: dec(options.slippageBps ?? 1),
      randomSlippageBps: dec(options.randomSlippageBps ?? 1),
      impactBps: dec(options.impactBps ?? 10),
      feeBps: dec(options.feeBps ?? 1),
      minFee: dec(options.minFee ?? '0'),
      participation,
      priceDecimals: options.priceDecimals ?? 4,
      quantityDecimals: options.quantityDecimals ?? 8,
      feeDecimals: options.feeDecimals ?? 2,
    });
    for (const p of options.positions ?? []) this.#positions.set(p.instrument, { quantity: dec(p.quantity), avgPrice: dec(p.avgPrice) });
  }

  #open(): void {
    if (this.#closed) throw new BrokerError('BROKER_UNAVAILABLE', 'paper broker is closed', this.venue);
  }

  async submit(request: BrokerOrderRequest): Promise<BrokerOrder> {
    this.#open();
    const known = this.#orders.get(request.clientOrderId);
    if (known) return known.order;
    const refuse = (why: string) => new BrokerError('BROKER_REJECTED', `${request.clientOrderId}: ${why}`, this.venue);
    if (!isPositiveDecimal(request.quantity)) throw refuse(`quantity ${request.quantity} is not positive`);
    if (dec(request.quantity).decimalPlaces() > this.#costs.quantityDecimals) throw refuse(`quantity ${request.quantity} is finer than the step`);
    if (request.type === 'LIMIT' && !isPositiveDecimal(request.limitPrice)) throw refuse('a limit order needs a positive limit price');
    if (request.type === 'MARKET' && request.limitPrice !== null) throw refuse('a market order takes no limit price');
    const now = this.#clock.now();
    const order: BrokerOrder = Object.freeze({
      brokerOrderId: `paper-${createHash('sha256').update(request.clientOrderId).digest('hex').slice(0, 16)}`,
      clientOrderId: request.clientOrderId,
      instrument: request.instrument,
      side: request.side,
      type: request.type,
      quantity: text(dec(request.quantity)),
      limitPrice: request.limitPrice === null ? null : text(dec(request.limitPrice)),
      filledQuantity: '0',
      avgFillPrice: null,
      status: 'accepted',
      reason: null,
      updatedAt: now,
    });
    this.#orders.set(request.clientOrderId, { order, timeInForce: request.timeInForce, seq: this.#seq++, arrivalTs: now + this.#latencyMs, filledNotional: ZERO, fillCount: 0 });
    return order;
  }

  async cancel(clientOrderId: string): Promise<BrokerOrder> {
    this.#open();
    const w = this.#orders.get(clientOrderId);
    if (!w) throw new BrokerError('BROKER_NOT_FOUND', `no order ${clientOrderId}`, this.venue);
    if (FINAL.has(w.order.status)) throw new BrokerError('BROKER_REJECTED', `order ${clientOrderId} is ${w.order.status}`, this.venue);
    return this.#set(w, { status: 'canceled', reason: 'canceled on request', updatedAt: this.#clock.now() }).order;
  }

  async getOrder(clientOrderId: string): Promise<BrokerOrder | null> {
    this.#open();
    return this.#orders.get(clientOrderId)?.order ?? null;
  }

  async openOrders(): Promise<readonly BrokerOrder[]> {
    this.#open();
    return this.#working().map((w) => w.order);
  }

  async fills(since: number): Promise<readonly BrokerFill[]> {
    this.#open();
    return this.#fills.filter((f) => f.ts >= since);
  }

  async positions(): Promise<readonly BrokerPosition[]> {
    this.#open();
    return [...this.#positions.entries()]
      .filter(([, p]) => !p.quantity.isZero())
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([instrument, p]) => Object.freeze({ instrument, quantity: text(p.quantity), avgPrice: text(p.avgPrice) }));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  /**
   * Feeds a bar that ended at `ts`: expires DAY orders from an earlier day, fills what the bar allows, in
   * submission order, and cancels what an IOC order could not fill. Returns the fills it made.
   */
  onBar(instrument: string, bar: Bar, ts: number): readonly BrokerFill[] {
    const b = paperBar(bar, ts);
    const made: BrokerFill[] = [];
    for (const w0 of this.#working().filter((w) => w.order.instrument === instrument)) {
      if (w0.arrivalTs > ts) continue;
      if (w0.timeInForce === 'DAY' && utcDay(b.start) > utcDay(w0.arrivalTs)) {
        this.#set(w0, { status: 'expired', reason: 'DAY order past its day', updatedAt: ts });
        continue;
      }
      const o = w0.order;
      const remaining = dec(o.quantity).minus(dec(o.filledQuantity));
      // One draw per market order per bar, whether it fills or not, so one order's luck does not shift another's.
      const draw = o.type === 'MARKET' ? this.#random.next() : 0;
      const quote = fillOnBar(
        { side: o.side, type: o.type, limitPrice: o.limitPrice === null ? null : dec(o.limitPrice), remaining, arrivalTs: w0.arrivalTs },
        b,
        this.#costs,
        draw,
      );
      let w = w0;
      if (quote) {
        const fill: BrokerFill = Object.freeze({
          brokerFillId: `${o.brokerOrderId}-${w.fillCount + 1}`,
          brokerOrderId: o.brokerOrderId,
          clientOrderId: o.clientOrderId,
          instrument,
          side: o.side,
          quantity: text(quote.quantity),
          price: text(quote.price),
          fee: text(quote.fee),
          feeCurrency: this.#feeCurrency,
          ts,
        });
        this.#fills.push(fill);
        made.push(fill);
        this.#book(instrument, o.side, quote.quantity, quote.price);
        const filled = dec(o.filledQuantity).plus(quote.quantity);
        const notional = w.filledNotional.plus(quote.quantity.times(quote.price));
        w = this.#set(
          w,
          {
            filledQuantity: text(filled),
            avgFillPrice: text(notional.div(filled).toDecimalPlaces(AVG_PRICE_PLACES)),
            status: filled.eq(dec(o.quantity)) ? 'filled' : 'partially_filled',
            updatedAt: ts,
          },
          { filledNotional: notional, fillCount: w.fillCount + 1 },
        );
      }
      if (w.timeInForce === 'IOC' && !FINAL.has(w.order.status)) {
        this.#set(w, { status: 'canceled', reason: 'IOC remainder', updatedAt: ts });
      }
    }
    return made;
  }

  #working(): Working[] {
    return [...this.#orders.values()].filter((w) => !FINAL.has(w.order.status)).sort((a, b) => a.seq - b.seq);
  }

  #set(w: Working, change: Partial<BrokerOrder>, extra: Partial<Pick<Working, 'filledNotional' | 'fillCount'>> = {}): Working {
    const next: Working = { ...w, ...extra, order: Object.freeze({ ...w.order, ...change }) };
    this.#orders.set(w.order.clientOrderId, next);
    return next;
  }

  /** Signed position and average price: adding keeps a weighted average, reducing keeps it, flipping resets it. */
  #book(instrument: string, side: 'BUY' | 'SELL', quantity: Dec, price: Dec): void {
    const prev = this.#positions.get(instrument) ?? { quantity: ZERO, avgPrice: ZERO };
    const signed = side === 'BUY' ? quantity : quantity.neg();
    const next = prev.quantity.plus(signed);
    let avg: Dec;
    if (prev.quantity.isZero() || prev.quantity.isNeg() === signed.isNeg()) {
      avg = prev.quantity.abs().times(prev.avgPrice).plus(quantity.times(price)).div(prev.quantity.abs().plus(quantity));
    } else if (next.isZero()) {
      avg = ZERO;
    } else if (next.isNeg() === prev.quantity.isNeg()) {
      avg = prev.avgPrice;
    } else {
      avg = price;
    }
    this.#positions.set(instrument, { quantity: next, avgPrice: avg.toDecimalPlaces(AVG_PRICE_PLACES, Decimal.ROUND_HALF_EVEN) });
  }
}
