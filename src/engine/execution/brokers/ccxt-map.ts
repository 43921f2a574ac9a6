/**
 * ccxt's unified structures (orders, trades, balances) and errors, read into the Broker contract's
 * types. ccxt gives prices and amounts as JS numbers; they are converted through their text
 * (`http-fields.ts`), which recovers the venue's decimal for anything of at most 15 significant digits.
 */
import { AuthenticationError, BadResponse, BadSymbol, BaseError, ExchangeError, NetworkError, OrderNotFound, RequestTimeout } from 'ccxt';
import { BrokerError, type BrokerErrorCode, type BrokerFill, type BrokerOrder, type BrokerOrderStatus, type OrderSide } from '../broker.js';
import { AnswerReader, BrokerDecimal, decimalText, type Dec } from './http-fields.js';

/** ccxt's unified order statuses; `open` is accepted, or partially filled once something filled. */
const CCXT_STATUS: Readonly<Record<string, BrokerOrderStatus | 'working'>> = {
  open: 'working',
  closed: 'filled',
  canceled: 'canceled',
  canceling: 'pending_cancel',
  expired: 'expired',
  rejected: 'rejected',
};

const SIDES: Readonly<Record<string, OrderSide>> = { buy: 'BUY', sell: 'SELL' };

export interface MarketNames {
  instrument(symbol: string): string;
}

export function readCcxtOrder(r: AnswerReader, value: unknown, path: string, names: MarketNames): BrokerOrder {
  const o = r.obj(value, path);
  const raw = typeof o.status === 'string' ? CCXT_STATUS[o.status] : undefined;
  if (!raw) r.fail(`${path}.status`, `unknown order status ${JSON.stringify(o.status)}`);
  const filled = r.optDec(o.filled, `${path}.filled`) ?? new BrokerDecimal(0);
  const status: BrokerOrderStatus = raw === 'working' ? (filled.gt(0) ? 'partially_filled' : 'accepted') : raw;
  const type = o.type === 'limit' ? 'LIMIT' : 'MARKET';
  const amount = r.optDec(o.amount, `${path}.amount`) ?? filled;
  const price = type === 'LIMIT' ? r.optDec(o.price, `${path}.price`) : null;
  const average = averageOf(r, o, path, filled);
  return {
    brokerOrderId: r.str(o.id, `${path}.id`),
    clientOrderId: r.optStr(o.clientOrderId) ?? '',
    instrument: names.instrument(r.str(o.symbol, `${path}.symbol`)),
    side: r.side(o.side, `${path}.side`, SIDES),
    type,
    quantity: decimalText(amount),
    limitPrice: price ? decimalText(price) : null,
    filledQuantity: decimalText(filled),
    avgFillPrice: average ? decimalText(average) : null,
    status,
    reason: null,
    updatedAt: r.ms(o.lastUpdateTimestamp ?? o.lastTradeTimestamp ?? o.timestamp, `${path}.timestamp`),
  };
}

/** ccxt's `average` when given; else cost ÷ filled (Binance omits `avgPrice` on spot orders). */
function averageOf(r: AnswerReader, o: Record<string, unknown>, path: string, filled: Dec): Dec | null {
  if (!filled.gt(0)) return null;
  const average = r.optDec(o.average, `${path}.average`);
  if (average) return average;
  const cost = r.optDec(o.cost, `${path}.cost`);
  return cost ? cost.div(filled).toDecimalPlaces(12, BrokerDecimal.ROUND_HALF_EVEN) : null;
}

/** One unified trade of ours (`fetchMyTrades`); the client order id comes from its order. */
export function readCcxtFill(r: AnswerReader, value: unknown, path: string, names: MarketNames, clientOrderIdOf: (orderId: string) => string): BrokerFill {
  const t = r.obj(value, path);
  const orderId = r.str(t.order, `${path}.order`);
  const fee = t.fee && typeof t.fee === 'object' ? (t.fee as Record<string, unknown>) : {};
  const feeCost = r.optDec(fee.cost, `${path}.fee.cost`);
  return {
    brokerFillId: r.str(t.id, `${path}.id`),
    brokerOrderId: orderId,
    clientOrderId: clientOrderIdOf(orderId),
    instrument: names.instrument(r.str(t.symbol, `${path}.symbol`)),
    side: r.side(t.side, `${path}.side`, SIDES),
    quantity: decimalText(r.dec(t.amount, `${path}.amount`)),
    price: decimalText(r.dec(t.price, `${path}.price`)),
    fee: feeCost ? decimalText(feeCost) : '0',
    feeCurrency: typeof fee.currency === 'string' ? fee.currency : null,
    ts: r.ms(t.timestamp, `${path}.timestamp`),
  };
}

/** A currency's total (free + used) in a unified balance; null when the venue lists none. */
export function balanceTotal(r: AnswerReader, balance: unknown, currency: string): Dec | null {
  const b = r.obj(balance, '$');
  const totals = b.total && typeof b.total === 'object' ? (b.total as Record<string, unknown>) : {};
  return r.optDec(totals[currency], `$.total.${currency}`);
}

/** ccxt's error classes → the contract's codes; the most specific class wins. */
export function codeOfCcxtError(error: BaseError): BrokerErrorCode {
  if (error instanceof RequestTimeout) return 'BROKER_TIMEOUT';
  if (error instanceof NetworkError) return 'BROKER_UNAVAILABLE';
  if (error instanceof BadResponse) return 'BROKER_PROTOCOL';
  if (error instanceof AuthenticationError) return 'BROKER_AUTH';
  if (error instanceof OrderNotFound || error instanceof BadSymbol) return 'BROKER_NOT_FOUND';
  if (error instanceof ExchangeError) return 'BROKER_REJECTED';
  // OperationFailed and the rest: ccxt could not complete the call and does not say why.
  return 'BROKER_UNAVAILABLE';
}

/**
 * Any failure of a ccxt call as a `BrokerError`. A `TypeError` or `SyntaxError` from ccxt's own parser
 * meeting an answer it did not expect is the answer's fault, so it is `BROKER_PROTOCOL`.
 */
export function brokerErrorOf(venue: string, error: unknown, redact: (text: string) => string): BrokerError {
  if (error instanceof BrokerError) return error;
  if (error instanceof BaseError) return new BrokerError(codeOfCcxtError(error), redact(`${venue}: ${error.message}`), venue, { cause: error });
  if (error instanceof TypeError || error instanceof SyntaxError) {
    return new BrokerError('BROKER_PROTOCOL', redact(`${venue}: unreadable answer: ${error.message}`), venue, { cause: error });
  }
  return new BrokerError('BROKER_UNAVAILABLE', redact(`${venue}: ${error instanceof Error ? error.message : String(error)}`), venue, { cause: error });
}
