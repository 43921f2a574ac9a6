/** The instruments Vanta follows. */
import { Authorized, Ctx, Query, Resolver, UseMiddleware } from 'type-graphql';
import { InstrumentType, toInstrumentType } from '../schema/instrument.type.js';
import type { ApiContext } from './context.js';
import { TranslateErrors } from './errors.js';

@Resolver(() => InstrumentType)
@UseMiddleware(TranslateErrors)
export class InstrumentResolver {
  @Authorized()
  @Query(() => [InstrumentType], { description: 'Every instrument, by symbol.' })
  async instruments(@Ctx() ctx: ApiContext): Promise<InstrumentType[]> {
    return (await ctx.deps.store.instruments.list()).map(toInstrumentType);
  }
}
