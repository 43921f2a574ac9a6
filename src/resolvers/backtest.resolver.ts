/** Stored backtest runs. */
import { Arg, Authorized, Ctx, ID, Int, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import { BacktestType, toBacktestType } from '../schema/backtest.type.js';
import { checkId } from './args.js';
import type { ApiContext } from './context.js';
import { badUserInput, TranslateErrors } from './errors.js';

@Resolver()
@UseMiddleware(TranslateErrors)
export class BacktestResolver {
  @Authorized(Role.Alpha, Role.Markets, Role.Executor, Role.Viewer)
  @Query(() => [BacktestType], { description: 'Backtest runs, newest first, without trades, attribution and curves (ask `backtest(id)`).' })
  async backtests(@Ctx() ctx: ApiContext, @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number): Promise<BacktestType[]> {
    if (!Number.isInteger(first) || first < 1 || first > 500) throw badUserInput('first', 'must be an integer from 1 to 500');
    return (await ctx.deps.store.backtests.list(first)).map(toBacktestType);
  }

  @Authorized(Role.Alpha, Role.Markets, Role.Executor, Role.Viewer)
  @Query(() => BacktestType, { nullable: true, description: 'One backtest run with its equity curves, trades, PnL attribution and risk report; null when unknown.' })
  async backtest(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string): Promise<BacktestType | null> {
    const run = await ctx.deps.store.backtests.get(checkId('id', id));
    return run ? toBacktestType(run) : null;
  }
}
