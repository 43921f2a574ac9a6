/**
 * Model operations: comparing two versions, promoting and demoting one (audited with the caller as actor), a
 * model's alias history, drift reports, and the live `driftAlarm` feed.
 */
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription, UseMiddleware } from 'type-graphql';
import { SubscriptionTopic } from '../api/pubsub.js';
import { Role } from '../api/roles.js';
import { RegistryModelCatalog } from '../engine/modelops/catalog.js';
import { ModelOpsError, type ModelOpsErrorCode } from '../engine/modelops/errors.js';
import type { DriftEvent } from '../engine/modelops/events.js';
import type { ManualChange, ModelOps } from '../engine/modelops/service.js';
import { toModelVersionType } from '../schema/model.type.js';
import {
  DriftAlarmType,
  DriftReportType,
  ModelAliasHistoryType,
  ModelAliasPayload,
  ModelComparisonType,
  ModelDriftStatusType,
  StackerInputWeightType,
  toAliasChangeType,
  toComparisonType,
  toDriftAlarmType,
  toDriftReportType,
  toModelDriftStatusType,
  toLiveIntervalType,
} from '../schema/modelops.type.js';
import { DateTimeScalar } from '../schema/scalars.js';
import { checkId } from './args.js';
import type { ApiContext } from './context.js';
import { badUserInput, TranslateErrors } from './errors.js';
import { actorOf, failure, type MutationFailure } from './mutation.js';

const MAX_REASON = 500;
const MAX_REPORTS = 500;
/** Registry refusals a caller can cause and fix; anything else is the server's trouble. */
const EXPECTED: ReadonlySet<ModelOpsErrorCode> = new Set(['MODEL_VERSION_NOT_FOUND', 'ALIAS_TRANSITION_INVALID', 'ALIAS_TIME_INVALID', 'MODEL_VERSION_INVALID']);

function opsOf(ctx: ApiContext): ModelOps | null {
  const catalog = ctx.deps.models;
  return catalog instanceof RegistryModelCatalog ? catalog.ops : null;
}

function requireOps(ctx: ApiContext): ModelOps {
  const ops = opsOf(ctx);
  if (!ops) throw badUserInput('model', 'model operations are off on this server (modelops.enabled, or no trained ensemble is loaded)');
  return ops;
}

function checkReason(reason: string): string {
  const r = reason.trim();
  if (r.length === 0) throw badUserInput('reason', 'a reason is required: it is recorded with the change in the audit log');
  if (r.length > MAX_REASON) throw badUserInput('reason', `at most ${MAX_REASON} characters, got ${r.length}`);
  return r;
}

function emptyPayload(errors: MutationFailure[]): ModelAliasPayload {
  return { version: null, changes: [], comparison: null, errors };
}

async function payloadOf(ctx: ApiContext, ops: ModelOps, versionId: string, run: () => Promise<ManualChange>): Promise<ModelAliasPayload> {
  let outcome: ManualChange;
  try {
    outcome = await run();
  } catch (err) {
    if (err instanceof ModelOpsError && EXPECTED.has(err.code)) return emptyPayload([failure(err.code, err.message, err.code === 'MODEL_VERSION_NOT_FOUND' ? 'versionId' : null)]);
    throw err;
  }
  const d = outcome.decision;
  const liveId = d ? `${d.live.model}@${d.live.version}` : null;
  const comparison = d && liveId ? toComparisonType(liveId, versionId, d, ops.compare(versionId, liveId)) : null;
  if (!outcome.ok) return { version: null, changes: [], comparison, errors: [failure(outcome.code, outcome.message)] };
  const version = await ctx.deps.models?.get(versionId);
  return { version: version ? toModelVersionType(version) : null, changes: outcome.events.map((e) => toAliasChangeType(e.payload.change)), comparison, errors: [] };
}

@Resolver()
@UseMiddleware(TranslateErrors)
export class ModelOpsResolver {
  @Authorized(Role.Alpha, Role.Markets, Role.Viewer)
  @Query(() => ModelComparisonType, {
    description:
      'Two versions side by side on their recorded live (or shadow) calls: Precision@k and IC per day, the paired-bootstrap test of `b − a`, and which one wins significantly, if either does.',
  })
  async modelComparison(
    @Ctx() ctx: ApiContext,
    @Arg('a', () => ID, { description: 'The incumbent, usually the live version.' }) a: string,
    @Arg('b', () => ID, { description: 'The challenger, usually a shadow version.' }) b: string,
  ): Promise<ModelComparisonType> {
    const ops = requireOps(ctx);
    const [ia, ib] = [checkId('a', a), checkId('b', b)];
    for (const [name, id] of [['a', ia], ['b', ib]] as const) {
      if (!(await ops.store.get(id))) throw badUserInput(name, `no model version ${id}`);
    }
    return toComparisonType(ia, ib, ops.compare(ia, ib), ops.compare(ib, ia));
  }

  @Authorized(Role.Alpha)
  @Mutation(() => ModelAliasPayload, {
    description:
      "Makes a version live, moving the model's previous live version to shadow. The promotion rule must say it beats the live version on Precision@k and IC over the window (`PROMOTION_REFUSED` otherwise, and nothing changes); `override` makes the change anyway, recorded as an override. Audited with the caller as actor.",
  })
  async promoteModel(
    @Ctx() ctx: ApiContext,
    @Arg('versionId', () => ID) versionId: string,
    @Arg('reason', () => String) reason: string,
    @Arg('override', () => Boolean, { defaultValue: false, description: 'Promote even if the rule refuses.' }) override: boolean,
  ): Promise<ModelAliasPayload> {
    const ops = opsOf(ctx);
    if (!ops) return emptyPayload([failure('MODELOPS_DISABLED', 'model operations are off on this server')]);
    const id = checkId('versionId', versionId);
    const why = checkReason(reason);
    return payloadOf(ctx, ops, id, () => ops.promote(id, { actor: actorOf(ctx), reason: why, override }));
  }

  @Authorized(Role.Alpha)
  @Mutation(() => ModelAliasPayload, { description: 'Takes a version out of live (to shadow, or retired with `retire`). Audited with the caller as actor.' })
  async demoteModel(
    @Ctx() ctx: ApiContext,
    @Arg('versionId', () => ID) versionId: string,
    @Arg('reason', () => String) reason: string,
    @Arg('retire', () => Boolean, { defaultValue: false, description: 'Retire it rather than keep it in shadow.' }) retire: boolean,
  ): Promise<ModelAliasPayload> {
    const ops = opsOf(ctx);
    if (!ops) return emptyPayload([failure('MODELOPS_DISABLED', 'model operations are off on this server')]);
    const id = checkId('versionId', versionId);
    const why = checkReason(reason);
    return payloadOf(ctx, ops, id, () => ops.demote(id, { actor: actorOf(ctx), reason: why, to: retire ? 'retired' : 'shadow' }));
  }

  @Authorized(Role.Alpha, Role.Markets, Role.Viewer)
  @Query(() => ModelAliasHistoryType, { description: "A model's alias changes in order (who, why, when) and which version was live when." })
  async modelAliasHistory(@Ctx() ctx: ApiContext, @Arg('model', () => String, { description: 'The model name with its parameters.' }) model: string): Promise<ModelAliasHistoryType> {
    const ops = requireOps(ctx);
    const name = checkId('model', model);
    const [changes, intervals] = await Promise.all([ops.store.history(name), ops.store.liveIntervals(name)]);
    return { model: name, changes: changes.map(toAliasChangeType), liveIntervals: intervals.map(toLiveIntervalType) };
  }

  @Authorized(Role.Alpha, Role.Markets, Role.Viewer)
  @Query(() => [DriftReportType], { description: "A model's drift reports with `from ≤ asOf ≤ to` (event time), oldest first." })
  async driftReports(
    @Ctx() ctx: ApiContext,
    @Arg('model', () => String) model: string,
    @Arg('from', () => DateTimeScalar) from: Date,
    @Arg('to', () => DateTimeScalar) to: Date,
    @Arg('first', () => Int, { defaultValue: 50, description: `At most this many (1..${MAX_REPORTS}).` }) first: number,
  ): Promise<DriftReportType[]> {
    const ops = requireOps(ctx);
    const name = checkId('model', model);
    if (!(from.getTime() <= to.getTime())) throw badUserInput('to', '`to` must not be before `from`');
    if (!(Number.isInteger(first) && first >= 1 && first <= MAX_REPORTS)) throw badUserInput('first', `must be in 1..${MAX_REPORTS}, got ${first}`);
    return (await ops.store.driftReports(name, from.getTime(), to.getTime(), first)).map(toDriftReportType);
  }

  @Authorized(Role.Alpha, Role.Markets, Role.Viewer)
  @Query(() => [ModelDriftStatusType], { description: 'The drift of every watched model version as of its latest evaluation; empty when model operations are off.' })
  driftStatus(@Ctx() ctx: ApiContext): ModelDriftStatusType[] {
    const ops = opsOf(ctx);
    if (!ops) return [];
    return [...ops.driftStatuses()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, s]) => toModelDriftStatusType(id, s));
  }

  @Authorized(Role.Alpha, Role.Markets, Role.Viewer)
  @Query(() => [StackerInputWeightType], {
    nullable: true,
    description: "The reinforcement bias on a stacker version (`<name>@<version>`): each input's hit rate and weight multiplier; null when the version is not reinforced here.",
  })
  stackerWeights(@Ctx() ctx: ApiContext, @Arg('versionId', () => ID) versionId: string): StackerInputWeightType[] | null {
    return requireOps(ctx).reinforcement(checkId('versionId', versionId));
  }

  @Authorized(Role.Alpha, Role.Markets, Role.Viewer)
  @Subscription(() => DriftAlarmType, { description: 'Each drift alarm raised or cleared, as it happens.', topics: SubscriptionTopic.DriftAlarm })
  driftAlarm(@Root() event: DriftEvent): DriftAlarmType {
    return toDriftAlarmType(event);
  }
}
