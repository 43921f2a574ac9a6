/** The server's health. */
import { Authorized, Ctx, Query, Resolver, UseMiddleware } from 'type-graphql';
import { HealthType, toHealthType } from '../schema/health.type.js';
import type { ApiContext } from './context.js';
import { TranslateErrors } from './errors.js';

@Resolver(() => HealthType)
@UseMiddleware(TranslateErrors)
export class HealthResolver {
  @Authorized()
  @Query(() => HealthType)
  async health(@Ctx() ctx: ApiContext): Promise<HealthType> {
    return toHealthType(await ctx.deps.health());
  }
}
