/**
 * Alpaca Trading API v2 answers read into the Broker contract's types, and requests written from it.
 * Field names and statuses follow https://docs.alpaca.markets/reference (orders, positions, account
 * activities); the recorded answers the tests replay are in `recorded/alpaca/`.
 */
import type { BrokerFill, BrokerOrder, BrokerOrderRequest, BrokerOrderStatus, BrokerPosition, OrderSide, TimeInForce } from '../broker.js';
import { AnswerReader, BrokerDecimal, decimalText, refuse, requirePositive, type SymbolMap } from './http-fields.js';

/**
 * Alpaca's order statuses. `working` ones are live at the venue: accepted, or partially filled when
 * something already filled. `replaced` is final for this order (its replacement is a new order), so it
 * reads as canceled, with the reason saying so.
 */
export const ALPACA_STATUS: Readonly<Record<string, BrokerOrderStatus | 'working'>> = {
  new: 'working',
  accepted: 'working',
  pending_new: 'working',
  accepted_for_bidding: 'working',
  calculated: 'working',
  held: 'working',
  stopped: 'working',
  suspended: 'working',
  pending_replace: 'working',
  done_for_day: 'working',
  partially_filled: 'partially_filled',
  filled: 'filled',
  pending_cancel: 'pending_cancel',
  canceled: 'canceled',
  replaced: 'canceled',
  expired: 'expired',
  rejected: 'rejected',
};

const SIDES: Readonly<Record<string, OrderSide>> = { buy: 'BUY', sell: 'SELL' };
const TIME_IN_FORCE: Readonly<Record<TimeInForce, string>> = { DAY: 'day', GTC: 'gtc', IOC: 'ioc' };

/** Alpaca's limit on `client_order_id`. */
export const ALPACA_CLIENT_ORDER_ID_MAX = 128;

/** The JSON body of `POST /v2/orders`; decimals travel as strings, as Alpaca accepts them. */
export function alpacaOrderBody(venue: string, req: BrokerOrderRequest, symbols: SymbolMap): Record<string, string> {
  if (req.clientOrderId.length === 0 || req.clientOrderId.length > ALPACA_CLIENT_ORDER_ID_MAX) {
    refuse(venue, `client order id must be 1 to ${ALPACA_CLIENT_ORDER_ID_MAX} characters, got ${req.clientOrderId.length}`);
  }
  const body: Record<string, string> = {
    symbol: symbols.venueSymbol(req.instrument),
    qty: decimalText(requirePositive(venue, 'quantity', req.quantity)),
    side: req.side === 'BUY' ? 'buy' : 'sell',
    type: req.type === 'LIMIT' ? 'limit' : 'market',
    time_in_force: TIME_IN_FORCE[req.timeInForce],
    client_order_id: req.clientOrderId,
  };
  if (req.type === 'LIMIT') body.limit_price = decimalText(requirePositive(venue, 'limitPrice', req.limitPrice));
  return body;
}

export function readAlpacaOrder(r: AnswerReader, value: unknown, path: string, symbols: SymbolMap): BrokerOrder {
  const o = r.obj(value, path);
  const raw = typeof o.status === 'string' ? ALPACA_STATUS[o.status] : undefined;
  if (!raw) r.fail(`${path}.status`, `unknown order status ${JSON.stringify(o.status)}`);
  const filled = r.optDec(o.filled_qty, `${path}.filled_qty`);
  const filledQuantity = filled ?? new BrokerDecimal(0);
  const status: BrokerOrderStatus = raw === 'working' ? (filledQuantity.gt(0) ? 'partially_filled' : 'accepted') : raw;
  // A limit-type order carries a limit price; stop and trailing orders have none and read as market.
  const kind = typeof o.type === 'string' ? o.type : r.fail(`${path}.type`, 'missing');
  const type = kind === 'limit' || kind === 'stop_limit' ? 'LIMIT' : 'MARKET';
  // A notional order has no quantity until it fills; its filled quantity is what it became.
  const quantity = r.optDec(o.qty, `${path}.qty`) ?? filledQuantity;
  const avg = r.optDec(o.filled_avg_price, `${path}.filled_avg_price`);
  const limit = type === 'LIMIT' ? r.optDec(o.limit_price, `${path}.limit_price`) : null;
  return {
    brokerOrderId: r.str(o.id, `${path}.id`),
    clientOrderId: r.optStr(o.client_order_id) ?? '',
    instrument: symbols.instrument(r.str(o.symbol, `${path}.symbol`)),
    side: r.side(o.side, `${path}.side`, SIDES),
    type,
    quantity: decimalText(quantity),
    limitPrice: limit ? decimalText(limit) : null,
    filledQuantity: decimalText(filledQuantity),
    avgFillPrice: avg && filledQuantity.gt(0) ? decimalText(avg) : null,
    status,
    reason: o.status === 'replaced' ? `replaced by ${r.optStr(o.replaced_by) ?? 'another order'}` : null,
    updatedAt: r.ms(o.updated_at ?? o.submitted_at ?? o.created_at, `${path}.updated_at`),
  };
}

/** One `FILL` account activity; the client order id comes from the order it belongs to. */
export function readAlpacaFill(r: AnswerReader, value: unknown, path: string, symbols: SymbolMap, clientOrderIdOf: (orderId: string) => string): BrokerFill {
  const a = r.obj(value, path);
  const brokerOrderId = r.str(a.order_id, `${path}.order_id`);
  return {
    brokerFillId: r.str(a.id, `${path}.id`),
    brokerOrderId,
    clientOrderId: clientOrderIdOf(brokerOrderId),
    instrument: symbols.instrument(r.str(a.symbol, `${path}.symbol`)),
    side: r.side(a.side, `${path}.side`, { ...SIDES, sell_short: 'SELL' }),
    quantity: decimalText(r.dec(a.qty, `${path}.qty`)),
    price: decimalText(r.dec(a.price, `${path}.price`)),
    // Alpaca charges no commission on these fills; regulatory fees arrive as separate activities.
    fee: '0',
    feeCurrency: 'USD',
    ts: r.ms(a.transaction_time, `${path}.transaction_time`),
  };
}

export function readAlpacaPosition(r: AnswerReader, value: unknown, path: string, symbols: SymbolMap): BrokerPosition {
  const p = r.obj(value, path);
  const qty = r.dec(p.qty, `${path}.qty`);
  // Alpaca signs short quantities; the side says so too, and is trusted when the sign is missing.
  const signed = p.side === 'short' && qty.gt(0) ? qty.neg() : qty;
  return {
    instrument: symbols.instrument(r.str(p.symbol, `${path}.symbol`)),
    quantity: decimalText(signed),
    avgPrice: decimalText(r.dec(p.avg_entry_price, `${path}.avg_entry_price`)),
  };
}

/** Alpaca's refusal of a second order with a client order id it already holds (HTTP 422). */
export function isDuplicateClientOrderId(message: string | null): boolean {
  return message !== null && /client[\s_-]?order[\s_-]?id must be unique/i.test(message);
}

/**
 * Alpaca answers 403 both for refused credentials and for business refusals such as "insufficient
 * buying power" (code 40310000). Only the former is an authentication failure.
 */
export function isBusinessRefusal(body: unknown): boolean {
  const code = body && typeof body === 'object' ? (body as Record<string, unknown>).code : undefined;
  return typeof code === 'number' && String(code).startsWith('403');
}
