/** Lineage: the audited events behind any event. */
import { Arg, Authorized, Ctx, ID, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import { LineageType, toLineageType } from '../schema/lineage.type.js';
import { checkId } from './args.js';
import type { ApiContext } from './context.js';
import { TranslateErrors } from './errors.js';

@Resolver(() => LineageType)
@UseMiddleware(TranslateErrors)
export class LineageResolver {
  @Authorized(Role.Markets)
  @Query(() => LineageType, {
    nullable: true,
    description: 'The events that caused this one, back to the raw signals. Null when the audit log lacks the id.',
  })
  async lineage(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string): Promise<LineageType | null> {
    const graph = await ctx.deps.lineage(checkId('id', id));
    return graph ? toLineageType(graph) : null;
  }
}
