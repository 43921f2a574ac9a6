/**
 * Alpaca's Trading API v2 played by a replay server from the recorded answers in
 * `recorded/alpaca/` (see PROVENANCE.md there). An accepted order is the recorded order body with the
 * request's fields written into it (id, client order id, symbol, quantities, times); positions and fill
 * activities are served as recorded. The orders it accepted are kept, and counted per client order id.
 */
import { randomUUID } from 'node:crypto';
import type { ContractVenue, FaultKind } from '../../src/engine/execution/brokers/broker.contract.js';
import { recordedJson, recordedText, ReplayServer, type Fault, type ReplayReply, type ReplayRequest, type Route } from './replay-server.js';

export const ALPACA_KEY = 'PKTEST0000000000KEYID';
export const ALPACA_SECRET = 'alpacaSecretKey0123456789abcdefghijklmnop';

type AlpacaOrder = Record<string, unknown>;

/** The recorded fill activity's order, so its client order id can be resolved (see PROVENANCE.md). */
export const RECORDED_FILL_ORDER_ID = 'b677e464-c2d0-4fdd-a4b1-8830b386aa50';
export const RECORDED_FILL_CLIENT_ID = 'vt0recorded0googl0fill';

const WORKING = new Set(['new', 'accepted', 'pending_new', 'partially_filled', 'accepted_for_bidding', 'held', 'calculated', 'pending_replace', 'done_for_day']);
const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };

export class AlpacaVenue implements ContractVenue {
  readonly orders = new Map<string, AlpacaOrder>();
  readonly timeoutDelayMs: number;
  #server!: ReplayServer;

  private constructor(timeoutDelayMs: number) {
    this.timeoutDelayMs = timeoutDelayMs;
    const filled = recordedJson<AlpacaOrder>('alpaca/order-market.json');
    Object.assign(filled, {
      id: RECORDED_FILL_ORDER_ID,
      client_order_id: RECORDED_FILL_CLIENT_ID,
      symbol: 'GOOGL',
      qty: '10.177047834',
      filled_qty: '10.177047834',
      filled_avg_price: '2630.95',
      status: 'filled',
      filled_at: '2022-03-04T14:53:18.500245Z',
      updated_at: '2022-03-04T14:53:18.500245Z',
    });
    this.orders.set(RECORDED_FILL_ORDER_ID, filled);
  }

  static async start(options: { timeoutDelayMs?: number } = {}): Promise<AlpacaVenue> {
    const venue = new AlpacaVenue(options.timeoutDelayMs ?? 1_500);
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
    return [...this.orders.values()].filter((o) => o.client_order_id === clientOrderId).length;
  }

  inject(op: 'submit' | 'positions', fault: FaultKind): void {
    const [method, path] = op === 'submit' ? ['POST', /^\/v2\/orders$/] : ['GET', /^\/v2\/positions$/];
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
        return { kind: 'status', status: 401, body: recordedText('alpaca/error-unauthorized.json'), headers: JSON_HEADERS };
      case 'garbage':
        return { kind: 'garbage' };
    }
  }

  close(): Promise<void> {
    return this.#server.close();
  }

  #authorized(req: ReplayRequest): boolean {
    return req.headers['apca-api-key-id'] === ALPACA_KEY && req.headers['apca-api-secret-key'] === ALPACA_SECRET;
  }

  #routes(): Route[] {
    const guard = (handle: (req: ReplayRequest, m: RegExpExecArray) => ReplayReply) => (req: ReplayRequest, m: RegExpExecArray): ReplayReply =>
      this.#authorized(req) ? handle(req, m) : { status: 401, body: recordedText('alpaca/error-unauthorized.json'), headers: JSON_HEADERS };
    return [
      { method: 'POST', path: /^\/v2\/orders$/, handle: guard((req) => this.#place(req)) },
      { method: 'GET', path: /^\/v2\/orders:by_client_order_id$/, handle: guard((req) => this.#byClientId(req.url.searchParams.get('client_order_id'))) },
      { method: 'GET', path: /^\/v2\/orders\/([^/]+)$/, handle: guard((_req, m) => this.#byId(decodeURIComponent(m[1]!))) },
      { method: 'DELETE', path: /^\/v2\/orders\/([^/]+)$/, handle: guard((_req, m) => this.#cancel(decodeURIComponent(m[1]!))) },
      { method: 'GET', path: /^\/v2\/orders$/, handle: guard((req) => this.#list(req)) },
      { method: 'GET', path: /^\/v2\/positions$/, handle: guard(() => ({ body: recordedText('alpaca/positions.json') })) },
      { method: 'GET', path: /^\/v2\/account\/activities\/FILL$/, handle: guard((req) => this.#fills(req)) },
    ];
  }

  #place(req: ReplayRequest): ReplayReply {
    const body = (req.json ?? {}) as Record<string, string | undefined>;
    const cid = body.client_order_id;
    if (cid && this.count(cid) > 0) return { status: 422, body: recordedText('alpaca/error-duplicate-client-order-id.json') };
    const limit = body.type === 'limit';
    const order = recordedJson<AlpacaOrder>(limit ? 'alpaca/order-limit.json' : 'alpaca/order-market.json');
    const now = new Date().toISOString().replace('Z', '123Z');
    Object.assign(order, {
      id: randomUUID(),
      client_order_id: cid ?? randomUUID(),
      symbol: body.symbol,
      qty: body.qty,
      side: body.side,
      type: body.type,
      order_type: body.type,
      time_in_force: body.time_in_force,
      limit_price: limit ? body.limit_price : null,
      created_at: now,
      updated_at: now,
      submitted_at: now,
    });
    this.orders.set(order.id as string, order);
    return { json: order };
  }

  #byClientId(cid: string | null): ReplayReply {
    const order = [...this.orders.values()].find((o) => o.client_order_id === cid);
    return order ? { json: order } : { status: 404, body: recordedText('alpaca/error-not-found.json') };
  }

  #byId(id: string): ReplayReply {
    const order = this.orders.get(id);
    return order ? { json: order } : { status: 404, body: recordedText('alpaca/error-not-found.json') };
  }

  #cancel(id: string): ReplayReply {
    const order = this.orders.get(id);
    if (!order) return { status: 404, body: recordedText('alpaca/error-not-found.json') };
    // Alpaca answers 422 for an order that can no longer be canceled and 204 when it takes the request.
    if (!WORKING.has(order.status as string)) return { status: 422 };
    const now = new Date().toISOString();
    Object.assign(order, { status: 'canceled', canceled_at: now, updated_at: now });
    return { status: 204 };
  }

  #list(req: ReplayRequest): ReplayReply {
    if (req.url.searchParams.get('status') !== 'open') return { json: [...this.orders.values()] };
    return { json: [...this.orders.values()].filter((o) => WORKING.has(o.status as string)) };
  }

  #fills(req: ReplayRequest): ReplayReply {
    const after = req.url.searchParams.get('after');
    const text = recordedText('alpaca/activities-fill.json');
    if (!after) return { body: text };
    const rows = (JSON.parse(text) as { transaction_time: string }[]).filter((a) => Date.parse(a.transaction_time) > Date.parse(after));
    // All of them: the recorded bytes; fewer: the same rows, re-serialized.
    return rows.length === (JSON.parse(text) as unknown[]).length ? { body: text } : { json: rows };
  }
}
