/**
 * Tradier's Brokerage API played by a replay server from the recorded answers in `recorded/tradier/`
 * (see PROVENANCE.md there). An accepted order is the recorded equity order with the form's fields
 * written into it; the placement answer is the recorded one with the new id. Listings come back in
 * Tradier's shapes: one order as an object, none as `"null"`, several as a list. Tradier does not refuse
 * a second order with a tag it holds, and neither does this server: idempotency is the adapter's.
 */
import type { ContractVenue, FaultKind } from '../../src/engine/execution/brokers/broker.contract.js';
import { recordedJson, recordedText, ReplayServer, type Fault, type ReplayReply, type ReplayRequest, type Route } from './replay-server.js';

export const TRADIER_TOKEN = 'tradierSandboxToken0123456789';
export const TRADIER_ACCOUNT = 'VA000000';

type TradierOrder = Record<string, unknown>;

/** The recorded equity order, filled, so the venue has a fill to report (see PROVENANCE.md). */
export const RECORDED_ORDER_ID = 228175;
export const RECORDED_TAG = 'vt0recorded0aapl0fill';

const WORKING = new Set(['open', 'pending', 'partially_filled', 'submitted']);

export class TradierVenue implements ContractVenue {
  readonly orders = new Map<number, TradierOrder>();
  readonly timeoutDelayMs: number;
  #nextId = 1086137;
  #server!: ReplayServer;

  private constructor(timeoutDelayMs: number) {
    this.timeoutDelayMs = timeoutDelayMs;
    const { order } = recordedJson<{ order: TradierOrder }>('tradier/order-equity.json');
    Object.assign(order, { status: 'filled', exec_quantity: 50, avg_fill_price: 22.0, last_fill_price: 22.0, last_fill_quantity: 50, tag: RECORDED_TAG });
    this.orders.set(RECORDED_ORDER_ID, order);
  }

  static async start(options: { timeoutDelayMs?: number } = {}): Promise<TradierVenue> {
    const venue = new TradierVenue(options.timeoutDelayMs ?? 1_500);
    venue.#server = await ReplayServer.start(venue.#routes());
    return venue;
  }

  get url(): string {
    return this.#server.url;
  }

  get server(): ReplayServer {
    return this.#server;
  }

  count(tag: string): number {
    return [...this.orders.values()].filter((o) => o.tag === tag).length;
  }

  inject(op: 'submit' | 'positions', fault: FaultKind): void {
    const base = `^/v1/accounts/${TRADIER_ACCOUNT}`;
    const [method, path] = op === 'submit' ? ['POST', new RegExp(`${base}/orders$`)] : ['GET', new RegExp(`${base}/positions$`)];
    this.#server.inject(method as string, path as RegExp, this.#fault(fault));
  }

  #fault(kind: FaultKind): Fault {
    switch (kind) {
      case 'drop':
        return { kind: 'drop' };
      case 'timeout':
        return { kind: 'delay', ms: this.timeoutDelayMs };
      case 'unavailable':
        return { kind: 'status', status: 502 };
      case 'unauthorized':
        // Tradier's documentation defines the 401 but not its body.
        return { kind: 'status', status: 401 };
      case 'garbage':
        return { kind: 'garbage' };
    }
  }

  close(): Promise<void> {
    return this.#server.close();
  }

  #routes(): Route[] {
    const guard = (handle: (req: ReplayRequest, m: RegExpExecArray) => ReplayReply) => (req: ReplayRequest, m: RegExpExecArray): ReplayReply =>
      req.headers.authorization === `Bearer ${TRADIER_TOKEN}` ? handle(req, m) : { status: 401 };
    const acct = `/v1/accounts/${TRADIER_ACCOUNT}`;
    return [
      { method: 'POST', path: new RegExp(`^${acct}/orders$`), handle: guard((req) => this.#place(req)) },
      { method: 'GET', path: new RegExp(`^${acct}/orders$`), handle: guard((req) => this.#list(req)) },
      { method: 'GET', path: new RegExp(`^${acct}/orders/(\\d+)$`), handle: guard((req, m) => this.#get(Number(m[1]), req)) },
      { method: 'DELETE', path: new RegExp(`^${acct}/orders/(\\d+)$`), handle: guard((_req, m) => this.#cancel(Number(m[1]))) },
      { method: 'GET', path: new RegExp(`^${acct}/positions$`), handle: guard(() => ({ body: recordedText('tradier/positions.json') })) },
    ];
  }

  #place(req: ReplayRequest): ReplayReply {
    const p = req.params;
    const { order } = recordedJson<{ order: TradierOrder }>('tradier/order-equity.json');
    const id = this.#nextId++;
    const now = new Date().toISOString();
    const quantity = Number(p.get('quantity'));
    Object.assign(order, {
      id,
      type: p.get('type'),
      symbol: p.get('symbol'),
      side: p.get('side'),
      quantity,
      status: 'open',
      duration: p.get('duration'),
      price: p.get('price') === null ? undefined : Number(p.get('price')),
      avg_fill_price: 0,
      exec_quantity: 0,
      last_fill_price: 0,
      last_fill_quantity: 0,
      remaining_quantity: quantity,
      create_date: now,
      transaction_date: now,
      class: p.get('class'),
      ...(p.get('tag') ? { tag: p.get('tag') } : {}),
    });
    this.orders.set(id, order);
    const placed = recordedJson<{ order: Record<string, unknown> }>('tradier/order-placed.json');
    placed.order.id = id;
    return { json: placed };
  }

  /** Tags are shown only when asked for (`includeTags=true`), as Tradier does. */
  #view(order: TradierOrder, req: ReplayRequest): TradierOrder {
    if (req.params.get('includeTags') === 'true') return order;
    const { tag: _tag, ...rest } = order;
    return rest;
  }

  #list(req: ReplayRequest): ReplayReply {
    const limit = Number(req.params.get('limit') ?? 25);
    const page = Number(req.params.get('page') ?? 1);
    const rows = [...this.orders.values()].slice((page - 1) * limit, page * limit).map((o) => this.#view(o, req));
    if (rows.length === 0) return { body: recordedText('tradier/orders-null.json') };
    return { json: { orders: { order: rows.length === 1 ? rows[0] : rows } } };
  }

  #get(id: number, req: ReplayRequest): ReplayReply {
    const order = this.orders.get(id);
    return order ? { json: { order: this.#view(order, req) } } : { status: 404 };
  }

  #cancel(id: number): ReplayReply {
    const order = this.orders.get(id);
    if (!order) return { status: 404 };
    if (WORKING.has(order.status as string)) Object.assign(order, { status: 'canceled', transaction_date: new Date().toISOString() });
    const answer = recordedJson<{ order: Record<string, unknown> }>('tradier/order-canceled.json');
    answer.order.id = id;
    return { json: answer };
  }
}
