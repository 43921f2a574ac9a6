/**
 * Tradier Brokerage API answers read into the Broker contract's types, and order forms written from it.
 * Field names and statuses follow https://documentation.tradier.com/brokerage-api (reference/response/
 * orders, trading/place-equity-order); the recorded answers the tests replay are in `recorded/tradier/`.
 *
 * Tradier's JSON has two quirks handled here: a collection of one is sent as the object itself, and an
 * empty one as `null` or the string `"null"` (`{"orders": "null"}`). Quantities and prices are JSON
 * numbers (`50.00000000`), converted through their text (`http-fields.ts`).
 */
import type { BrokerFill, BrokerOrder, BrokerOrderRequest, BrokerOrderStatus, BrokerPosition, OrderSide, TimeInForce } from '../broker.js';
import { AnswerReader, BrokerDecimal, decimalText, refuse, requirePositive, type SymbolMap } from './http-fields.js';

/** Tradier's order statuses; `working` ones are live (accepted, or partially filled once something filled). */
export const TRADIER_STATUS: Readonly<Record<string, BrokerOrderStatus | 'working'>> = {
  open: 'working',
  pending: 'working',
  submitted: 'working',
  accepted: 'working',
  calculated: 'working',
  accepted_for_bidding: 'working',
  held: 'working',
  partially_filled: 'partially_filled',
  filled: 'filled',
  pending_cancel: 'pending_cancel',
  canceled: 'canceled',
  expired: 'expired',
  rejected: 'rejected',
  error: 'rejected',
};

const SIDES: Readonly<Record<string, OrderSide>> = {
  buy: 'BUY',
  buy_to_cover: 'BUY',
  buy_to_open: 'BUY',
  buy_to_close: 'BUY',
  sell: 'SELL',
  sell_short: 'SELL',
  sell_to_open: 'SELL',
  sell_to_close: 'SELL',
};

/** Tradier has no immediate-or-cancel duration for equities. */
const DURATION: Readonly<Partial<Record<TimeInForce, string>>> = { DAY: 'day', GTC: 'gtc' };

/** Tradier's rule for an order tag: letters, digits and `-`, at most 255 characters. */
export const TRADIER_TAG = /^[A-Za-z0-9-]{1,255}$/;

/**
 * The form of `POST /v1/accounts/{account}/orders` for an equity order. The client order id travels as
 * the order's `tag`. A sell is sent as `sell`: the adapter does not know whether it opens a short, and
 * Tradier refuses a `sell` it cannot cover rather than shorting by surprise.
 */
export function tradierOrderForm(venue: string, req: BrokerOrderRequest, symbols: SymbolMap): Record<string, string> {
  if (!TRADIER_TAG.test(req.clientOrderId)) {
    refuse(venue, `client order id ${JSON.stringify(req.clientOrderId)} cannot be a Tradier tag (letters, digits and "-", at most 255)`);
  }
  const duration = DURATION[req.timeInForce];
  if (!duration) refuse(venue, `time in force ${req.timeInForce} is not offered for equities (day or gtc)`);
  const form: Record<string, string> = {
    class: 'equity',
    symbol: symbols.venueSymbol(req.instrument),
    side: req.side === 'BUY' ? 'buy' : 'sell',
    quantity: decimalText(requirePositive(venue, 'quantity', req.quantity)),
    type: req.type === 'LIMIT' ? 'limit' : 'market',
    duration,
    tag: req.clientOrderId,
  };
  if (req.type === 'LIMIT') form.price = decimalText(requirePositive(venue, 'limitPrice', req.limitPrice));
  return form;
}

export function readTradierOrder(r: AnswerReader, value: unknown, path: string, symbols: SymbolMap): BrokerOrder {
  const o = r.obj(value, path);
  const raw = typeof o.status === 'string' ? TRADIER_STATUS[o.status] : undefined;
  if (!raw) r.fail(`${path}.status`, `unknown order status ${JSON.stringify(o.status)}`);
  const executed = r.optDec(o.exec_quantity, `${path}.exec_quantity`) ?? new BrokerDecimal(0);
  const status: BrokerOrderStatus = raw === 'working' ? (executed.gt(0) ? 'partially_filled' : 'accepted') : raw;
  const type = o.type === 'limit' || o.type === 'stop_limit' ? 'LIMIT' : 'MARKET';
  const price = type === 'LIMIT' ? r.optDec(o.price, `${path}.price`) : null;
  const avg = r.optDec(o.avg_fill_price, `${path}.avg_fill_price`);
  // An option order's instrument is its OCC symbol; `symbol` is the underlying.
  const symbol = o.class === 'option' && typeof o.option_symbol === 'string' ? o.option_symbol : r.str(o.symbol, `${path}.symbol`);
  const reason = r.optStr(o.reason_description);
  return {
    brokerOrderId: r.str(o.id, `${path}.id`),
    clientOrderId: r.optStr(o.tag) ?? '',
    instrument: symbols.instrument(symbol),
    side: r.side(o.side, `${path}.side`, SIDES),
    type,
    quantity: decimalText(r.dec(o.quantity, `${path}.quantity`)),
    limitPrice: price ? decimalText(price) : null,
    filledQuantity: decimalText(executed),
    avgFillPrice: avg && executed.gt(0) ? decimalText(avg) : null,
    status,
    reason: status === 'rejected' ? reason : null,
    updatedAt: r.ms(o.transaction_date ?? o.create_date, `${path}.transaction_date`),
  };
}

/**
 * Tradier's REST API has no per-execution fills: an order carries its executed quantity and average
 * price. A fill is therefore reported once per order, when the order is final (filled, or canceled or
 * expired after filling part), for its whole executed quantity at its average price, with the order id
 * as the fill id. Reading it again yields the same fill, and no quantity is ever counted twice; the
 * price of the execution is exact, its time is the order's last update. A partially filled order that is
 * still working shows its progress in `filledQuantity` until then.
 */
export function tradierFillOf(order: BrokerOrder): BrokerFill | null {
  const final = order.status === 'filled' || order.status === 'canceled' || order.status === 'expired';
  if (!final || order.avgFillPrice === null || !new BrokerDecimal(order.filledQuantity).gt(0)) return null;
  return {
    brokerFillId: order.brokerOrderId,
    brokerOrderId: order.brokerOrderId,
    clientOrderId: order.clientOrderId,
    instrument: order.instrument,
    side: order.side,
    quantity: order.filledQuantity,
    price: order.avgFillPrice,
    // Commissions are not on the order; they appear in the account's history.
    fee: '0',
    feeCurrency: 'USD',
    ts: order.updatedAt,
  };
}

/** A position; Tradier gives the total cost basis, so the average price is cost ÷ quantity, exactly. */
export function readTradierPosition(r: AnswerReader, value: unknown, path: string, symbols: SymbolMap): BrokerPosition {
  const p = r.obj(value, path);
  const quantity = r.dec(p.quantity, `${path}.quantity`);
  const cost = r.dec(p.cost_basis, `${path}.cost_basis`);
  const avg = quantity.isZero() ? new BrokerDecimal(0) : cost.div(quantity).abs().toDecimalPlaces(10, BrokerDecimal.ROUND_HALF_EVEN);
  return { instrument: symbols.instrument(r.str(p.symbol, `${path}.symbol`)), quantity: decimalText(quantity), avgPrice: decimalText(avg) };
}

/** Tradier reports some refusals as 200 with an `errors` property (documented under "Error Responses"). */
export function tradierErrors(body: unknown): string | null {
  if (!body || typeof body !== 'object' || !('errors' in body)) return null;
  const e = (body as { errors: unknown }).errors;
  const inner = e && typeof e === 'object' ? (e as Record<string, unknown>).error : e;
  if (typeof inner === 'string') return inner;
  if (Array.isArray(inner)) return inner.map(String).join('; ');
  return JSON.stringify(e);
}
