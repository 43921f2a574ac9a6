/**
 * Order and fill storage as a port (OrderRepository), with the in-memory implementation. A SQL implementation
 * runs the same contract suite (repository.contract.ts). `save` is one transaction: the new order row (checked
 * against the version read), its events and its fills, or nothing.
 */
import type { OrderSide } from './broker.js';
import { ExecutionError } from './errors.js';
import type { OrderEvent, OrderInitialized } from './events.js';
import { isOpen, type Order, type OrderStatus } from './order.js';

/** A fill as stored: unique by (venue, brokerFillId). */
export interface FillRecord {
  readonly venue: string;
  readonly brokerFillId: string;
  readonly brokerOrderId: string;
  readonly clientOrderId: string;
  readonly vaultId: string;
  readonly instrument: string;
  readonly side: OrderSide;
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
  readonly feeCurrency: string | null;
  /** When it happened at the venue. */
  readonly ts: number;
  /** The OrderFilled event that recorded it. */
  readonly eventId: string;
}

export interface OrderFilter {
  readonly vaultId?: string;
  readonly venue?: string;
  readonly instrument?: string;
  /** Only orders that may still trade (see OPEN_STATUSES). */
  readonly open?: boolean;
  readonly statuses?: readonly OrderStatus[];
  /** createdAt ≥ this. */
  readonly createdSince?: number;
}

export interface FillFilter {
  readonly venue?: string;
  readonly clientOrderId?: string;
  readonly vaultId?: string;
  /** ts ≥ this. */
  readonly since?: number;
}

export interface OrderChange {
  /** The order after the events. */
  readonly order: Order;
  /** The version that was read; the save fails if the stored one differs. */
  readonly expectedVersion: number;
  readonly events: readonly OrderEvent[];
  readonly fills: readonly FillRecord[];
}

export interface OrderRepository {
  /** Stores a new order with its OrderInitialized event; false, storing nothing, when the id is taken. */
  create(order: Order, event: OrderInitialized): Promise<boolean>;
  get(clientOrderId: string): Promise<Order | null>;
  /** Throws ORDER_NOT_FOUND, ORDER_VERSION_CONFLICT or FILL_EXISTS, and then stores nothing. */
  save(change: OrderChange): Promise<void>;
  /** Oldest first (createdAt, then clientOrderId). */
  list(filter?: OrderFilter): Promise<readonly Order[]>;
  /** The order's events in the order they were applied. */
  events(clientOrderId: string): Promise<readonly OrderEvent[]>;
  hasFill(venue: string, brokerFillId: string): Promise<boolean>;
  /** Oldest first (ts, then the order they were stored in). */
  fills(filter?: FillFilter): Promise<readonly FillRecord[]>;
  /** The time of the newest fill stored for the venue, or null. */
  lastFillTs(venue: string): Promise<number | null>;
}

const fillKey = (venue: string, brokerFillId: string): string => `${venue}\u0000${brokerFillId}`;

export function matchesOrder(order: Order, f: OrderFilter): boolean {
  if (f.vaultId !== undefined && order.vaultId !== f.vaultId) return false;
  if (f.venue !== undefined && order.venue !== f.venue) return false;
  if (f.instrument !== undefined && order.instrument !== f.instrument) return false;
  if (f.open !== undefined && isOpen(order.status) !== f.open) return false;
  if (f.statuses !== undefined && !f.statuses.includes(order.status)) return false;
  if (f.createdSince !== undefined && order.createdAt < f.createdSince) return false;
  return true;
}

export class MemoryOrderRepository implements OrderRepository {
  readonly #orders = new Map<string, Order>();
  readonly #events = new Map<string, OrderEvent[]>();
  readonly #fills: FillRecord[] = [];
  readonly #fillKeys = new Set<string>();

  async create(order: Order, event: OrderInitialized): Promise<boolean> {
    if (this.#orders.has(order.clientOrderId)) return false;
    this.#orders.set(order.clientOrderId, Object.freeze({ ...order }));
    this.#events.set(order.clientOrderId, [event]);
    return true;
  }

  async get(clientOrderId: string): Promise<Order | null> {
    return this.#orders.get(clientOrderId) ?? null;
  }

  async save(change: OrderChange): Promise<void> {
    const id = change.order.clientOrderId;
    const stored = this.#orders.get(id);
    if (!stored) throw new ExecutionError('ORDER_NOT_FOUND', `no order ${id}`);
    if (stored.version !== change.expectedVersion) {
      throw new ExecutionError('ORDER_VERSION_CONFLICT', `order ${id} is at version ${stored.version}, not ${change.expectedVersion}`);
    }
    const keys = change.fills.map((f) => fillKey(f.venue, f.brokerFillId));
    if (new Set(keys).size !== keys.length || keys.some((k) => this.#fillKeys.has(k))) {
      throw new ExecutionError('FILL_EXISTS', `order ${id}: a fill in this change is already stored`);
    }
    this.#orders.set(id, Object.freeze({ ...change.order }));
    this.#events.get(id)?.push(...change.events);
    for (const [i, f] of change.fills.entries()) {
      this.#fills.push(Object.freeze({ ...f }));
      this.#fillKeys.add(keys[i] as string);
    }
  }

  async list(filter: OrderFilter = {}): Promise<readonly Order[]> {
    return [...this.#orders.values()]
      .filter((o) => matchesOrder(o, filter))
      .sort((a, b) => a.createdAt - b.createdAt || (a.clientOrderId < b.clientOrderId ? -1 : a.clientOrderId > b.clientOrderId ? 1 : 0));
  }

  async events(clientOrderId: string): Promise<readonly OrderEvent[]> {
    return [...(this.#events.get(clientOrderId) ?? [])];
  }

  async hasFill(venue: string, brokerFillId: string): Promise<boolean> {
    return this.#fillKeys.has(fillKey(venue, brokerFillId));
  }

  async fills(filter: FillFilter = {}): Promise<readonly FillRecord[]> {
    return this.#fills
      .map((f, seq) => ({ f, seq }))
      .filter(({ f }) => {
        if (filter.venue !== undefined && f.venue !== filter.venue) return false;
        if (filter.clientOrderId !== undefined && f.clientOrderId !== filter.clientOrderId) return false;
        if (filter.vaultId !== undefined && f.vaultId !== filter.vaultId) return false;
        if (filter.since !== undefined && f.ts < filter.since) return false;
        return true;
      })
      .sort((a, b) => a.f.ts - b.f.ts || a.seq - b.seq)
      .map(({ f }) => f);
  }

  async lastFillTs(venue: string): Promise<number | null> {
    let last: number | null = null;
    for (const f of this.#fills) if (f.venue === venue && (last === null || f.ts > last)) last = f.ts;
    return last;
  }
}
