/** `me`: the principal of the request, for any authenticated client. */
import { Authorized, Ctx, Query, Resolver, UseMiddleware } from 'type-graphql';
import { PrincipalType, toPrincipalType } from '../schema/principal.type.js';
import type { ApiContext } from './context.js';
import { TranslateErrors } from './errors.js';

@Resolver()
@UseMiddleware(TranslateErrors)
export class PrincipalResolver {
  @Authorized()
  @Query(() => PrincipalType, { description: 'Who this request is made as, with its roles. Any authenticated principal.' })
  me(@Ctx() ctx: ApiContext): PrincipalType {
    // The auth checker has let only a request with a principal through.
    return toPrincipalType(ctx.principal!);
  }
}
