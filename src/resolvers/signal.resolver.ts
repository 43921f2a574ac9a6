/** Signals: listing, lookup and the live `signalIngested` feed. */
import { Arg, Authorized, Ctx, ID, Int, Query, Resolver, Root, Subscription, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import { SubscriptionTopic } from '../api/pubsub.js';
import type { SignalRecord } from '../engine/store/ports.js';
import { toConnection } from '../schema/connection.js';
import { SignalFilter } from '../schema/signal.input.js';
import { SignalConnection, SignalType, toSignalType } from '../schema/signal.type.js';
import { checkId, checkPage, checkSignalFilter, DEFAULT_PAGE_SIZE } from './args.js';
import type { ApiContext } from './context.js';
import { TranslateErrors } from './errors.js';
import { matchesSignal } from './matches.js';

interface FilterArgs {
  readonly filter?: SignalFilter | null;
}

@Resolver(() => SignalType)
@UseMiddleware(TranslateErrors)
export class SignalResolver {
  @Authorized(Role.Markets, Role.Viewer)
  @Query(() => SignalConnection, { description: 'Enriched signals, newest first.' })
  async signals(
    @Ctx() ctx: ApiContext,
    @Arg('filter', () => SignalFilter, { nullable: true }) filter: SignalFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: '1..500' })
    first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<SignalConnection> {
    const page = checkPage(first, after);
    return toConnection(await ctx.deps.store.signals.list(checkSignalFilter(filter), page), toSignalType);
  }

  @Authorized(Role.Markets, Role.Viewer)
  @Query(() => SignalType, { nullable: true, description: 'Null when no signal has this id.' })
  async signal(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string): Promise<SignalType | null> {
    const record = await ctx.loadSignal(checkId('id', id));
    return record ? toSignalType(record) : null;
  }

  @Authorized(Role.Markets, Role.Viewer)
  @Subscription(() => SignalType, {
    description: 'Each signal as it is enriched, if it matches the filter.',
    topics: ({ args }) => {
      checkSignalFilter((args as FilterArgs).filter);
      return SubscriptionTopic.SignalIngested;
    },
    filter: ({ payload, args }) =>
      matchesSignal(payload as SignalRecord, checkSignalFilter((args as FilterArgs).filter)),
  })
  signalIngested(
    @Root() record: SignalRecord,
    @Arg('filter', () => SignalFilter, { nullable: true }) _filter: SignalFilter | null,
  ): SignalType {
    return toSignalType(record);
  }
}
