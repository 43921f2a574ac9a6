/**
 * The execution engine's OrderRepository over drizzle, on both drivers (it runs repository.contract.ts).
 *
 * `save` is one transaction: `UPDATE orders … WHERE version = <the version read>` first, which also locks the
 * row, so concurrent saves of one order run one after the other and all but the first find the version moved
 * on; then the fills, then the events. A fill already stored fails its insert, and the transaction takes the
 * order row and the events back with it.
 */
import { and, asc, eq, gte, inArray, max, notInArray, sql, type SQL } from 'drizzle-orm';
import { ExecutionError } from '../execution/errors.js';
import type { OrderEvent, OrderInitialized } from '../execution/events.js';
import { OPEN_STATUSES, type Order } from '../execution/order.js';
import type { FillFilter, FillRecord, OrderChange, OrderFilter, OrderRepository } from '../execution/repository.js';
import type { VantaDb } from './db.js';
import { eventRow, fillRow, orderRow, toEvent, toFill, toOrder } from './orders.rows.js';
import { fills, orderEvents, orders } from './schema.js';

const OPEN = [...OPEN_STATUSES];

export class DrizzleOrderRepository implements OrderRepository {
  constructor(private readonly db: VantaDb) {}

  async create(order: Order, event: OrderInitialized): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(orders)
        .values(orderRow(order))
        .onConflictDoNothing({ target: orders.clientOrderId })
        .returning({ id: orders.clientOrderId });
      if (inserted.length === 0) return false;
      await tx.insert(orderEvents).values(eventRow(event, order.clientOrderId, 1));
      return true;
    });
  }

  async get(clientOrderId: string): Promise<Order | null> {
    const rows = await this.db.select().from(orders).where(eq(orders.clientOrderId, clientOrderId)).limit(1);
    return rows[0] ? toOrder(rows[0]) : null;
  }

  async save(change: OrderChange): Promise<void> {
    const id = change.order.clientOrderId;
    const { clientOrderId: _key, ...columns } = orderRow(change.order);
    try {
      await this.db.transaction(async (tx) => {
        const updated = await tx
          .update(orders)
          .set(columns)
          .where(and(eq(orders.clientOrderId, id), eq(orders.version, change.expectedVersion)))
          .returning({ id: orders.clientOrderId });
        if (updated.length === 0) {
          const stored = await tx.select({ version: orders.version }).from(orders).where(eq(orders.clientOrderId, id));
          if (!stored[0]) throw new ExecutionError('ORDER_NOT_FOUND', `no order ${id}`);
          throw new ExecutionError(
            'ORDER_VERSION_CONFLICT',
            `order ${id} is at version ${stored[0].version}, not ${change.expectedVersion}`,
          );
        }
        if (change.fills.length > 0) await tx.insert(fills).values(change.fills.map(fillRow));
        if (change.events.length > 0) {
          // Numbered after the events stored: the row lock taken above keeps anyone else from adding one meanwhile.
          const stored = sql`(select coalesce(max(${orderEvents.seq}), 0) from ${orderEvents} where ${orderEvents.clientOrderId} = ${id})`;
          await tx.insert(orderEvents).values(change.events.map((e, i) => eventRow(e, id, sql`${stored} + ${i + 1}`)));
        }
      });
    } catch (error) {
      throw translate(error, id);
    }
  }

  async list(filter: OrderFilter = {}): Promise<readonly Order[]> {
    const rows = await this.db
      .select()
      .from(orders)
      .where(orderWhere(filter))
      .orderBy(asc(orders.createdAt), bytewise(orders.clientOrderId));
    return rows.map(toOrder);
  }

  async events(clientOrderId: string): Promise<readonly OrderEvent[]> {
    const rows = await this.db
      .select()
      .from(orderEvents)
      .where(eq(orderEvents.clientOrderId, clientOrderId))
      .orderBy(asc(orderEvents.seq));
    return rows.map(toEvent);
  }

  async hasFill(venue: string, brokerFillId: string): Promise<boolean> {
    const rows = await this.db
      .select({ venue: fills.venue })
      .from(fills)
      .where(and(eq(fills.venue, venue), eq(fills.brokerFillId, brokerFillId)))
      .limit(1);
    return rows.length > 0;
  }

  async fills(filter: FillFilter = {}): Promise<readonly FillRecord[]> {
    const conditions: SQL[] = [];
    if (filter.venue !== undefined) conditions.push(eq(fills.venue, filter.venue));
    if (filter.clientOrderId !== undefined) conditions.push(eq(fills.clientOrderId, filter.clientOrderId));
    if (filter.vaultId !== undefined) conditions.push(eq(fills.vaultId, filter.vaultId));
    if (filter.since !== undefined) conditions.push(gte(fills.ts, filter.since));
    const rows = await this.db
      .select()
      .from(fills)
      .where(and(...conditions))
      .orderBy(asc(fills.ts), asc(fills.seq));
    return rows.map(toFill);
  }

  async lastFillTs(venue: string): Promise<number | null> {
    const rows = await this.db.select({ ts: max(fills.ts) }).from(fills).where(eq(fills.venue, venue));
    const ts = rows[0]?.ts;
    return ts === null || ts === undefined ? null : Number(ts);
  }
}

/** Orders ids bytewise, as the in-memory repository's string comparison does, whatever the database collation. */
const bytewise = (column: typeof orders.clientOrderId): SQL => sql`${column} collate "C"`;

function orderWhere(f: OrderFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (f.vaultId !== undefined) conditions.push(eq(orders.vaultId, f.vaultId));
  if (f.venue !== undefined) conditions.push(eq(orders.venue, f.venue));
  if (f.instrument !== undefined) conditions.push(eq(orders.instrument, f.instrument));
  if (f.open !== undefined) conditions.push(f.open ? inArray(orders.status, OPEN) : notInArray(orders.status, OPEN));
  // An empty list matches nothing, as it does in memory (`inArray` of nothing is `false`).
  if (f.statuses !== undefined) conditions.push(inArray(orders.status, [...f.statuses]));
  if (f.createdSince !== undefined) conditions.push(gte(orders.createdAt, f.createdSince));
  return conditions.length > 0 ? and(...conditions) : undefined;
}

/** The PostgreSQL fields of a database error, found under drizzle's wrapper; the two drivers name them apart. */
interface PgErrorFields {
  readonly code: string;
  readonly table: string | null;
  readonly constraint: string | null;
}

function pgErrorOf(error: unknown): PgErrorFields | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const fields = e as Error & Record<string, unknown>;
    if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) {
      const str = (v: unknown) => (typeof v === 'string' ? v : null);
      return {
        code: fields.code,
        table: str(fields.table_name) ?? str(fields.table),
        constraint: str(fields.constraint_name) ?? str(fields.constraint),
      };
    }
  }
  return null;
}

const UNIQUE_VIOLATION = '23505';

/**
 * A unique violation becomes the port's error: on `fills`, a fill stored before (FILL_EXISTS); on
 * `order_events`, an event id stored before, which (ids being per order, type and version) means this version
 * was written already (ORDER_VERSION_CONFLICT). Anything else is passed on as the driver reported it.
 */
function translate(error: unknown, clientOrderId: string): unknown {
  if (error instanceof ExecutionError) return error;
  const pg = pgErrorOf(error);
  if (pg?.code !== UNIQUE_VIOLATION) return error;
  const on = (table: string) => pg.table === table || (pg.constraint?.startsWith(`${table}_`) ?? false);
  if (on('fills')) {
    return new ExecutionError('FILL_EXISTS', `order ${clientOrderId}: a fill in this change is already stored`, { cause: error });
  }
  if (on('order_events')) {
    return new ExecutionError('ORDER_VERSION_CONFLICT', `order ${clientOrderId}: an event in this change is already stored`, {
      cause: error,
    });
  }
  return error;
}
