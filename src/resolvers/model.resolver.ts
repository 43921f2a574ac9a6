/** Models and their versions, an entity's features now or as of a time, and the explanation of a conviction. */
import { Arg, Authorized, Ctx, ID, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import { explainConviction } from '../engine/conviction/explanation.js';
import {
  ConvictionExplanationType,
  ConvictionReplayType,
  toReplayType,
  FeatureValueType,
  ModelVersionType,
  toExplanationType,
  toModelVersionType,
} from '../schema/model.type.js';
import { DateTimeScalar, toDate } from '../schema/scalars.js';
import { checkId } from './args.js';
import type { ApiContext } from './context.js';
import { badUserInput, TranslateErrors } from './errors.js';

@Resolver()
@UseMiddleware(TranslateErrors)
export class ModelResolver {
  @Authorized(Role.Alpha, Role.Viewer)
  @Query(() => [ModelVersionType], { description: 'Every model version that scores, live ones first.' })
  async models(@Ctx() ctx: ApiContext): Promise<ModelVersionType[]> {
    const list = (await ctx.deps.models?.list()) ?? [];
    const rank = { live: 0, shadow: 1, retired: 2 } as const;
    return [...list].sort((a, b) => rank[a.status] - rank[b.status] || a.id.localeCompare(b.id)).map(toModelVersionType);
  }

  @Authorized(Role.Alpha, Role.Viewer)
  @Query(() => ModelVersionType, { nullable: true, description: 'One model version by id (`<name>@<version>`); null when unknown.' })
  async modelVersion(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string): Promise<ModelVersionType | null> {
    const v = await ctx.deps.models?.get(checkId('id', id));
    return v ? toModelVersionType(v) : null;
  }

  @Authorized(Role.Markets)
  @Query(() => [FeatureValueType], {
    description:
      "An instrument's features: as the online store serves them now, or, with `asOf`, as they were known then " +
      '(point in time: a value computed later, even about an earlier time, is not used).',
  })
  async features(
    @Ctx() ctx: ApiContext,
    @Arg('entity', () => String, { description: 'An instrument symbol, e.g. `AAPL`.' }) entity: string,
    @Arg('asOf', () => DateTimeScalar, { nullable: true }) asOf: Date | null,
  ): Promise<FeatureValueType[]> {
    const access = ctx.deps.features;
    if (!access) return [];
    const symbol = entity.trim();
    if (symbol === '' || symbol.length > 64) throw badUserInput('entity', 'must be an instrument symbol of 1 to 64 characters');
    const features = access.featureSet.features;
    if (asOf === null || asOf === undefined) {
      const values = await access.online.read({ entityType: 'instrument', entity: symbol }, access.featureSet.names, ctx.deps.now());
      return values.map((v, i) => ({
        feature: v.feature,
        version: features[i]!.versionId,
        value: v.value,
        asOf: v.asOf === null ? null : toDate(v.asOf),
        missing: v.missing,
      }));
    }
    const time = asOf.getTime();
    if (!Number.isSafeInteger(time)) throw badUserInput('asOf', 'must be a date-time');
    const [row] = await access.offline.asOfJoin({ labels: [{ entity: symbol, labelTime: time, label: 0 }], features: access.featureSet.refs() });
    return features.map((f, i) => ({
      feature: f.name,
      version: f.versionId,
      value: row?.values[i] ?? null,
      asOf: row?.asOf[i] == null ? null : toDate(row.asOf[i]!),
      missing: row?.asOf[i] == null ? 'absent' : row.values[i] === null ? 'undefined' : null,
    }));
  }

  @Authorized(Role.Markets)
  @Query(() => ConvictionExplanationType, {
    nullable: true,
    description: 'A conviction with every model output it was scored from, their attributions and the feature values they read. Null when unknown.',
  })
  async explainConviction(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string): Promise<ConvictionExplanationType | null> {
    const explanation = await explainConviction(ctx.deps.store, checkId('id', id));
    return explanation ? toExplanationType(explanation) : null;
  }

  @Authorized(Role.Markets)
  @Query(() => ConvictionReplayType, {
    description:
      'Recomputes a conviction from the model outputs and the combiner version the audit log recorded, through the same scoring code, and says whether it comes out identical or where it differs.',
  })
  async replayConviction(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string): Promise<ConvictionReplayType> {
    const replay = ctx.deps.replay;
    if (!replay) return { status: 'UNAVAILABLE', reason: 'replay is not offered by this server', differences: [], replayed: null };
    return toReplayType(await replay(checkId('id', id)));
  }
}
