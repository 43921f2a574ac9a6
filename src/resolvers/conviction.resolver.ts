/** Conviction vectors: listing, lookup, their signal, and the live `convictionUpdated` feed. */
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Subscription, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import { SubscriptionTopic } from '../api/pubsub.js';
import type { ConvictionVector } from '../engine/types.js';
import { ConvictionFilter } from '../schema/conviction.input.js';
import { ConvictionVectorConnection, ConvictionVectorType, toConvictionVectorType } from '../schema/conviction.type.js';
import { toConnection } from '../schema/connection.js';
import { SignalType, toSignalType } from '../schema/signal.type.js';
import { checkConvictionFilter, checkId, checkPage, DEFAULT_PAGE_SIZE, toStoreConvictionFilter } from './args.js';
import type { ApiContext } from './context.js';
import { TranslateErrors } from './errors.js';
import { matchesConviction } from './matches.js';

interface FilterArgs {
  readonly filter?: ConvictionFilter | null;
}

@Resolver(() => ConvictionVectorType)
@UseMiddleware(TranslateErrors)
export class ConvictionResolver {
  @Authorized(Role.Markets, Role.Viewer)
  @Query(() => ConvictionVectorConnection, { description: 'Conviction vectors, newest first.' })
  async convictionVectors(
    @Ctx() ctx: ApiContext,
    @Arg('filter', () => ConvictionFilter, { nullable: true }) filter: ConvictionFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: '1..500' })
    first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<ConvictionVectorConnection> {
    const page = checkPage(first, after);
    const storeFilter = toStoreConvictionFilter(checkConvictionFilter(filter), ctx.deps.now);
    return toConnection(await ctx.deps.store.convictions.list(storeFilter, page), toConvictionVectorType);
  }

  @Authorized(Role.Markets, Role.Viewer)
  @Query(() => ConvictionVectorType, { nullable: true, description: 'Null when no vector has this id.' })
  async conviction(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string): Promise<ConvictionVectorType | null> {
    const vector = await ctx.deps.store.convictions.get(checkId('id', id));
    return vector ? toConvictionVectorType(vector) : null;
  }

  @FieldResolver(() => SignalType, { nullable: true, description: 'The signal that triggered it, when stored.' })
  async signal(@Root() vector: ConvictionVectorType, @Ctx() ctx: ApiContext): Promise<SignalType | null> {
    const record = await ctx.loadSignal(vector.signalId);
    return record ? toSignalType(record) : null;
  }

  @Authorized(Role.Markets, Role.Viewer)
  @Subscription(() => ConvictionVectorType, {
    description: 'Each conviction vector as it is scored, if it matches the filter.',
    // Arguments are checked when the subscription starts (a bad one fails it at once, not at the first event).
    topics: ({ args }) => {
      checkConvictionFilter((args as FilterArgs).filter);
      return SubscriptionTopic.ConvictionUpdated;
    },
    filter: ({ payload, args, context }) =>
      matchesConviction(
        payload as ConvictionVector,
        checkConvictionFilter((args as FilterArgs).filter),
        (context as ApiContext).deps.now(),
      ),
  })
  convictionUpdated(
    @Root() vector: ConvictionVector,
    @Arg('filter', () => ConvictionFilter, { nullable: true }) _filter: ConvictionFilter | null,
  ): ConvictionVectorType {
    return toConvictionVectorType(vector);
  }
}
