/**
 * Orders and fills: listings, lookup with events, cancelling, and the live `orderUpdated` feed.
 *
 * The order repository lists without paging (every matching order, oldest first), so `orders` pages its list
 * here, newest first, with the store's keyset cursors `(createdAt, clientOrderId)`: when the repository pages
 * itself, the same cursors move down to it and clients see no change.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import { SubscriptionTopic } from '../api/pubsub.js';
import type { OrderEvent, OrderInitialized } from '../engine/execution/events.js';
import type { Order } from '../engine/execution/order.js';
import type { OrderRepository } from '../engine/execution/repository.js';
import { applyOrderEvent } from '../engine/execution/state-machine.js';
import type { Page, PageRequest } from '../engine/store/ports.js';
import { decodeCursor, encodeCursor } from '../engine/store/pagination.js';
import { toConnection } from '../schema/connection.js';
import { FillFilter, OrderFilter } from '../schema/order.input.js';
import {
  CancelOrderPayload,
  FillType,
  OrderConnection,
  OrderEventType,
  OrderType,
  OrderUpdateType,
  toFillType,
  toOrderEventType,
  toOrderType,
  toOrderUpdateType,
} from '../schema/order.type.js';
import { checkId, checkPage, DEFAULT_PAGE_SIZE } from './args.js';
import type { ApiContext } from './context.js';
import { TranslateErrors } from './errors.js';
import { checkCount } from './filing-args.js';
import { attempt } from './mutation.js';
import { checkFillFilter, checkOrderFilter, checkReason } from './trading-args.js';

const DEFAULT_CANCEL_REASON = 'cancel requested';

/** `(createdAt desc, clientOrderId desc)`, the order the cursors follow. */
function newestFirst(a: Order, b: Order): number {
  return b.createdAt - a.createdAt || (a.clientOrderId < b.clientOrderId ? 1 : a.clientOrderId > b.clientOrderId ? -1 : 0);
}

export function pageOrders(orders: readonly Order[], page: PageRequest): Page<Order> {
  const sorted = [...orders].sort(newestFirst);
  const after = page.after ? decodeCursor(page.after) : null;
  const start = after
    ? sorted.findIndex((o) => o.createdAt < after.key || (o.createdAt === after.key && o.clientOrderId < after.id))
    : 0;
  const rest = start < 0 ? [] : sorted.slice(start);
  const items = rest.slice(0, page.first);
  return {
    items,
    cursors: items.map((o) => encodeCursor({ key: o.createdAt, id: o.clientOrderId })),
    hasNextPage: rest.length > items.length,
    totalCount: sorted.length,
  };
}

/** The order before its first event, rebuilt from what OrderInitialized recorded of it. */
function initialOrder(e: OrderInitialized): Order {
  const p = e.payload;
  return {
    clientOrderId: p.clientOrderId,
    vaultId: p.vaultId,
    instrument: p.instrument,
    venue: p.venue,
    side: p.side,
    type: p.type,
    quantity: p.quantity,
    limitPrice: p.limitPrice,
    timeInForce: p.timeInForce,
    convictionId: p.convictionId,
    reason: p.reason,
    leg: p.leg,
    referencePrice: p.referencePrice,
    status: 'INITIALIZED',
    filledQuantity: '0',
    filledNotional: '0',
    avgFillPrice: null,
    fees: '0',
    brokerOrderId: null,
    statusReason: null,
    causationIds: e.causationIds,
    createdAt: e.tsEvent,
    submittedAt: null,
    updatedAt: e.tsEvent,
    version: 0,
    lastEventId: null,
  };
}

/**
 * The order as it was right after `event`. Events reach subscribers after the order may have moved on (a
 * submit, its acceptance and its fill come in one go), so a later order is replayed through the state machine
 * from its stored events up to this one. An event that is not one of its stored events (the denial of a
 * duplicate intent stands beside the order) gets the order as it is.
 */
export async function orderAfter(orders: OrderRepository, event: OrderEvent): Promise<Order | null> {
  const id = event.payload.clientOrderId;
  const current = await orders.get(id);
  if (current === null || current.lastEventId === event.id) return current;
  const events = await orders.events(id);
  const upTo = events.findIndex((e) => e.id === event.id);
  const first = events[0];
  if (upTo < 0 || first?.type !== 'OrderInitialized') return current;
  return events.slice(0, upTo + 1).reduce(applyOrderEvent, initialOrder(first));
}

interface VaultIdArgs {
  readonly vaultId?: string | null;
}

const vaultIdOf = (args: VaultIdArgs): string | null => (args.vaultId == null ? null : checkId('vaultId', args.vaultId));

@Resolver(() => OrderType)
@UseMiddleware(TranslateErrors)
export class OrderResolver {
  @Authorized(Role.Executor, Role.Viewer)
  @Query(() => OrderConnection, { description: 'Orders, newest first. Empty when trading is off.' })
  async orders(
    @Ctx() ctx: ApiContext,
    @Arg('filter', () => OrderFilter, { nullable: true }) filter: OrderFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: '1..500' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<OrderConnection> {
    const page = checkPage(first, after);
    const engineFilter = checkOrderFilter(filter);
    const orders = (await ctx.deps.trading?.executor.journal.orders.list(engineFilter)) ?? [];
    return toConnection(pageOrders(orders, page), toOrderType);
  }

  @Authorized(Role.Executor, Role.Viewer)
  @Query(() => OrderType, { nullable: true, description: 'Null when no order has this client order id.' })
  async order(@Ctx() ctx: ApiContext, @Arg('clientOrderId', () => ID) clientOrderId: string): Promise<OrderType | null> {
    const id = checkId('clientOrderId', clientOrderId);
    const order = await ctx.deps.trading?.executor.journal.orders.get(id);
    return order ? toOrderType(order) : null;
  }

  @Authorized(Role.Executor)
  @Query(() => [FillType], { description: 'Fills, newest first, at most `first`. Empty when trading is off.' })
  async fills(
    @Ctx() ctx: ApiContext,
    @Arg('filter', () => FillFilter, { nullable: true }) filter: FillFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: '1..500' }) first: number | null,
  ): Promise<FillType[]> {
    const limit = checkCount('first', first, DEFAULT_PAGE_SIZE, 500);
    const engineFilter = checkFillFilter(filter);
    const fills = (await ctx.deps.trading?.executor.journal.orders.fills(engineFilter)) ?? [];
    return fills.slice(-limit).reverse().map(toFillType);
  }

  @FieldResolver(() => [OrderEventType], { description: 'Its events in the order they were applied.' })
  async events(@Root() order: OrderType, @Ctx() ctx: ApiContext): Promise<OrderEventType[]> {
    const events = (await ctx.deps.trading?.executor.journal.orders.events(order.clientOrderId)) ?? [];
    return events.map(toOrderEventType);
  }

  @Authorized(Role.Executor)
  @Mutation(() => CancelOrderPayload, {
    description:
      'Asks for an order to be cancelled: recorded first (`PENDING_CANCEL`), then sent to its venue. An order that is no longer open, or not yet past risk (`INITIALIZED`), comes back unchanged.',
  })
  async cancelOrder(
    @Ctx() ctx: ApiContext,
    @Arg('clientOrderId', () => ID) clientOrderId: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
  ): Promise<CancelOrderPayload> {
    const id = checkId('clientOrderId', clientOrderId);
    const why = checkReason(reason) ?? DEFAULT_CANCEL_REASON;
    // The executor publishes the order's events itself.
    const { result, errors } = await attempt(ctx, (desk, actor) => desk.executor.cancel(id, actor, why));
    return { order: result ? toOrderType(result) : null, errors };
  }

  @Authorized(Role.Executor, Role.Viewer)
  @Subscription(() => OrderUpdateType, {
    description: "Each order event as it happens, for one vault's orders when `vaultId` is given.",
    topics: ({ args }) => {
      vaultIdOf(args as VaultIdArgs);
      return SubscriptionTopic.OrderUpdated;
    },
    filter: ({ payload, args }) => {
      const vaultId = vaultIdOf(args as VaultIdArgs);
      return vaultId === null || (payload as OrderEvent).payload.vaultId === vaultId;
    },
  })
  orderUpdated(@Root() event: OrderEvent, @Arg('vaultId', () => ID, { nullable: true }) _vaultId: string | null): OrderUpdateType {
    return toOrderUpdateType(event);
  }
}

@Resolver(() => OrderUpdateType)
@UseMiddleware(TranslateErrors)
export class OrderUpdateResolver {
  @FieldResolver(() => OrderType, { nullable: true, description: 'The order as it was right after the event.' })
  async order(@Root() update: OrderUpdateType, @Ctx() ctx: ApiContext): Promise<OrderType | null> {
    const orders = ctx.deps.trading?.executor.journal.orders;
    const order = orders ? await orderAfter(orders, update.source) : null;
    return order ? toOrderType(order) : null;
  }
}
