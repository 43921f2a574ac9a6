/**
 * Binance's spot REST API, as ccxt's `binance` calls it, played by a replay server from the recorded
 * answers in `recorded/ccxt-binance/` (see PROVENANCE.md there). Signed requests are checked as Binance
 * checks them: the `X-MBX-APIKEY` header and an HMAC-SHA256 of the query (or form body) with the secret,
 * so ccxt's own signing runs. An accepted order is kept in Binance's fields and rendered through the
 * recorded answer of each endpoint (placement, query, open orders, cancel).
 */
import { createHmac } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { ContractVenue, FaultKind } from '../../src/engine/execution/brokers/broker.contract.js';
import { recordedJson, recordedText, ReplayServer, type Fault, type ReplayReply, type ReplayRequest, type Route } from './replay-server.js';

export const BINANCE_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
export const BINANCE_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

/** The recorded trade's order, so its client order id can be resolved (see PROVENANCE.md). */
export const RECORDED_TRADE_ORDER_ID = '3784695242';
export const RECORDED_TRADE_CLIENT_ID = 'vt0recorded0ltc0trade';

interface BinanceOrder {
  symbol: string;
  orderId: string;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  time: string;
  updateTime: string;
}

const WORKING = new Set(['NEW', 'PARTIALLY_FILLED', 'PENDING_NEW']);
const eight = (value: string | null) => new Decimal(value ?? '0').toFixed(8);

export class BinanceVenue implements ContractVenue {
  readonly orders = new Map<string, BinanceOrder>();
  readonly timeoutDelayMs: number;
  #nextId = 3811057334;
  #server!: ReplayServer;

  private constructor(timeoutDelayMs: number) {
    this.timeoutDelayMs = timeoutDelayMs;
    const filled = recordedJson<BinanceOrder>('ccxt-binance/order-filled.json');
    Object.assign(filled, {
      orderId: RECORDED_TRADE_ORDER_ID,
      clientOrderId: RECORDED_TRADE_CLIENT_ID,
      origQty: '0.20000000',
      executedQty: '0.20000000',
      cummulativeQuoteQty: '13.92600000',
      time: '1698138992358',
      updateTime: '1698138992358',
    });
    this.orders.set(RECORDED_TRADE_ORDER_ID, filled);
  }

  static async start(options: { timeoutDelayMs?: number } = {}): Promise<BinanceVenue> {
    const venue = new BinanceVenue(options.timeoutDelayMs ?? 1_500);
    venue.#server = await ReplayServer.start(venue.#routes());
    return venue;
  }

  get url(): string {
    return this.#server.url;
  }

  get server(): ReplayServer {
    return this.#server;
  }

  count(clientOrderId: string): number {
    return [...this.orders.values()].filter((o) => o.clientOrderId === clientOrderId).length;
  }

  inject(op: 'submit' | 'positions', fault: FaultKind): void {
    const [method, path] = op === 'submit' ? ['POST', /^\/api\/v3\/order$/] : ['GET', /^\/api\/v3\/account$/];
    this.#server.inject(method as string, path as RegExp, this.#fault(fault));
  }

  #fault(kind: FaultKind): Fault {
    switch (kind) {
      case 'drop':
        return { kind: 'drop' };
      case 'timeout':
        return { kind: 'delay', ms: this.timeoutDelayMs };
      case 'unavailable':
        return { kind: 'status', status: 503 };
      case 'unauthorized':
        return { kind: 'status', status: 401, body: recordedText('ccxt-binance/error-invalid-key.json') };
      case 'garbage':
        return { kind: 'garbage' };
    }
  }

  close(): Promise<void> {
    return this.#server.close();
  }

  /** Binance's check of a signed request: the key header, and the signature over what precedes it. */
  #signed(req: ReplayRequest): boolean {
    if (req.headers['x-mbx-apikey'] !== BINANCE_KEY) return false;
    const payload = req.method === 'POST' && req.body ? req.body : req.url.search.slice(1);
    const m = /^(.*)&signature=([0-9a-f]+)$/.exec(payload);
    if (!m) return false;
    return createHmac('sha256', BINANCE_SECRET).update(m[1]!).digest('hex') === m[2];
  }

  #routes(): Route[] {
    const signed = (handle: (req: ReplayRequest) => ReplayReply) => (req: ReplayRequest): ReplayReply =>
      this.#signed(req) ? handle(req) : { status: 401, body: recordedText('ccxt-binance/error-invalid-key.json') };
    return [
      { method: 'GET', path: /^\/api\/v3\/exchangeInfo$/, handle: () => ({ body: recordedText('ccxt-binance/exchange-info.json') }) },
      { method: 'POST', path: /^\/api\/v3\/order$/, handle: signed((req) => this.#place(req)) },
      { method: 'GET', path: /^\/api\/v3\/order$/, handle: signed((req) => this.#query(req)) },
      { method: 'DELETE', path: /^\/api\/v3\/order$/, handle: signed((req) => this.#cancel(req)) },
      { method: 'GET', path: /^\/api\/v3\/openOrders$/, handle: signed((req) => this.#open(req)) },
      { method: 'GET', path: /^\/api\/v3\/myTrades$/, handle: signed((req) => this.#trades(req)) },
      { method: 'GET', path: /^\/api\/v3\/account$/, handle: signed(() => ({ body: recordedText('ccxt-binance/account.json') })) },
    ];
  }

  #find(req: ReplayRequest): BinanceOrder | undefined {
    const cid = req.params.get('origClientOrderId');
    const id = req.params.get('orderId');
    return [...this.orders.values()].find((o) => o.symbol === req.params.get('symbol') && (cid ? o.clientOrderId === cid : o.orderId === id));
  }

  #place(req: ReplayRequest): ReplayReply {
    const p = req.params;
    const cid = p.get('newClientOrderId') ?? `x-generated-${this.#nextId}`;
    if (this.count(cid) > 0) return { status: 400, body: recordedText('ccxt-binance/error-duplicate-order.json') };
    const now = String(Date.now());
    const order: BinanceOrder = {
      symbol: p.get('symbol') ?? '',
      orderId: String(this.#nextId++),
      clientOrderId: cid,
      price: eight(p.get('price')),
      origQty: eight(p.get('quantity')),
      executedQty: '0.00000000',
      cummulativeQuoteQty: '0.00000000',
      status: 'NEW',
      timeInForce: p.get('timeInForce') ?? 'GTC',
      type: p.get('type') ?? 'LIMIT',
      side: p.get('side') ?? 'BUY',
      time: now,
      updateTime: now,
    };
    this.orders.set(order.orderId, order);
    const answer = recordedJson('ccxt-binance/create-order.json');
    Object.assign(answer, { ...this.#fields(order), transactTime: now, workingTime: now, icebergQty: '0.00000000', origQuoteOrderQty: '0.00000000' });
    delete answer.time;
    delete answer.updateTime;
    return { json: answer };
  }

  #fields(o: BinanceOrder): Record<string, string> {
    return { ...o };
  }

  /** An order as `GET /api/v3/order` and `openOrders` show it: the recorded query answer's shape. */
  #render(o: BinanceOrder, template: string): Record<string, unknown> {
    const answer = recordedJson(template);
    return Object.assign(answer, this.#fields(o), { workingTime: o.time, isWorking: true });
  }

  #query(req: ReplayRequest): ReplayReply {
    const order = this.#find(req);
    return order ? { json: this.#render(order, 'ccxt-binance/order-filled.json') } : { status: 400, body: recordedText('ccxt-binance/error-no-such-order.json') };
  }

  #cancel(req: ReplayRequest): ReplayReply {
    const order = this.#find(req);
    if (!order || !WORKING.has(order.status)) return { status: 400, body: recordedText('ccxt-binance/error-no-such-order.json') };
    Object.assign(order, { status: 'CANCELED', updateTime: String(Date.now()) });
    return { json: this.#render(order, 'ccxt-binance/order-canceled.json') };
  }

  #open(req: ReplayRequest): ReplayReply {
    const symbol = req.params.get('symbol');
    const rows = [...this.orders.values()].filter((o) => WORKING.has(o.status) && (!symbol || o.symbol === symbol));
    const [template] = recordedJson<Record<string, unknown>[]>('ccxt-binance/open-orders.json');
    return { json: rows.map((o) => Object.assign({ ...template }, this.#fields(o), { workingTime: o.time })) };
  }

  #trades(req: ReplayRequest): ReplayReply {
    const start = Number(req.params.get('startTime') ?? 0);
    const text = recordedText('ccxt-binance/my-trades.json');
    const all = JSON.parse(text) as { symbol: string; time: string }[];
    const rows = all.filter((t) => t.symbol === req.params.get('symbol') && Number(t.time) >= start);
    return rows.length === all.length ? { body: text } : { json: rows };
  }
}
