/** The collectors' statuses, and the live `collectorStatusChanged` feed. */
import { Arg, Authorized, Ctx, Query, Resolver, Root, Subscription, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import { SubscriptionTopic } from '../api/pubsub.js';
import type { CollectorStatus } from '../engine/collectors/status.js';
import { CollectorStatusType, toCollectorStatusType } from '../schema/collector.type.js';
import { checkId } from './args.js';
import type { ApiContext } from './context.js';
import { TranslateErrors } from './errors.js';

interface NameArgs {
  readonly name?: string | null;
}

const nameOf = (args: NameArgs): string | null => (args.name == null ? null : checkId('name', args.name));

@Resolver(() => CollectorStatusType)
@UseMiddleware(TranslateErrors)
export class CollectorResolver {
  @Authorized(Role.Markets, Role.Viewer)
  @Query(() => [CollectorStatusType], {
    description:
      'The collector jobs this server runs (SEC EDGAR, news, social, market and chain sources), running or disabled, in config order. The simulator and replay sources feed the pipeline without a status and are not listed.',
  })
  collectors(@Ctx() ctx: ApiContext): CollectorStatusType[] {
    return (ctx.deps.collectors?.list() ?? []).map(toCollectorStatusType);
  }

  @Authorized(Role.Markets, Role.Viewer)
  @Subscription(() => CollectorStatusType, {
    description:
      "Each change of a collector job's status (state, failure, success), for one collector when `name` is given. With Redis pub/sub, changes from every server's collectors.",
    topics: ({ args }) => {
      nameOf(args as NameArgs);
      return SubscriptionTopic.CollectorStatusChanged;
    },
    filter: ({ payload, args }) => {
      const name = nameOf(args as NameArgs);
      return name === null || (payload as CollectorStatus).name === name;
    },
  })
  collectorStatusChanged(
    @Root() status: CollectorStatus,
    @Arg('name', () => String, { nullable: true, description: 'Only this collector, e.g. `sec`.' }) _name: string | null,
  ): CollectorStatusType {
    return toCollectorStatusType(status);
  }
}
