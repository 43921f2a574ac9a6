/** Kill switches: their states, engaging and releasing them, and the live `killSwitchChanged` feed. */
import { Arg, Authorized, Ctx, Mutation, Query, Resolver, Root, Subscription, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import { SubscriptionTopic } from '../api/pubsub.js';
import { ExecutionError } from '../engine/execution/errors.js';
import type { KillSwitchChanged } from '../engine/execution/events.js';
import type { KillSwitchScope } from '../engine/execution/kill-switch-store.js';
import type { TradingDesk } from '../engine/trading-desk.js';
import {
  KillSwitchScopeInput,
  KillSwitchType,
  killSwitchOfEvent,
  SetKillSwitchPayload,
  toCancelSweepType,
  toKillSwitchType,
} from '../schema/kill-switch.type.js';
import type { ApiContext } from './context.js';
import { TranslateErrors } from './errors.js';
import { attempt } from './mutation.js';
import { checkReason, checkScope } from './trading-args.js';

/**
 * A switch for a vault or venue that does not exist would protect nothing while looking engaged: refuse to
 * engage one. Releasing is always allowed, so a switch outlives the vault or venue it was for.
 */
async function checkTarget(desk: TradingDesk, scope: KillSwitchScope): Promise<void> {
  if (scope.kind === 'vault') await desk.service.getVault(scope.id);
  if (scope.kind === 'venue' && !desk.router.has(scope.id)) {
    throw new ExecutionError('VENUE_NOT_ROUTED', `no broker for venue ${scope.id}`);
  }
}

@Resolver(() => KillSwitchType)
@UseMiddleware(TranslateErrors)
export class KillSwitchResolver {
  @Authorized(Role.Alpha, Role.Executor, Role.Viewer)
  @Query(() => [KillSwitchType], { description: 'Every kill switch ever set, engaged or released, by key. Empty when trading is off.' })
  async killSwitches(@Ctx() ctx: ApiContext): Promise<KillSwitchType[]> {
    return ((await ctx.deps.trading?.killSwitches.list()) ?? []).map(toKillSwitchType);
  }

  @Authorized(Role.Alpha, Role.Executor)
  @Mutation(() => SetKillSwitchPayload, {
    description:
      'Engages or releases a kill switch. Engaging stores it first (new orders it covers are denied with `KILL_SWITCH` from then on, in every process), announces it, then cancels the open orders it covers.',
  })
  async setKillSwitch(
    @Ctx() ctx: ApiContext,
    @Arg('scope', () => KillSwitchScopeInput) scope: KillSwitchScopeInput,
    @Arg('engaged', () => Boolean) engaged: boolean,
    @Arg('reason', () => String, { description: 'Recorded with the switch and on every order it cancels.' }) reason: string,
  ): Promise<SetKillSwitchPayload> {
    const target = checkScope(scope);
    const why = checkReason(reason, true) as string;
    // The kill switch publishes its own KillSwitchChanged event, and the cancels their order events.
    const { result, errors } = await attempt(ctx, async (desk, actor) => {
      if (!engaged) return desk.killSwitches.release(target, actor, why);
      await checkTarget(desk, target);
      return desk.killSwitches.engage(target, actor, why);
    });
    return {
      killSwitch: result ? toKillSwitchType(result.state) : null,
      changed: result?.event != null,
      sweep: result?.sweep ? toCancelSweepType(result.sweep) : null,
      errors,
    };
  }

  @Authorized(Role.Alpha, Role.Executor, Role.Viewer)
  @Subscription(() => KillSwitchType, {
    description: 'Each kill switch engaged or released, as it happens.',
    topics: SubscriptionTopic.KillSwitchChanged,
  })
  killSwitchChanged(@Root() event: KillSwitchChanged): KillSwitchType {
    return killSwitchOfEvent(event);
  }
}
