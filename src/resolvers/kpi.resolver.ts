/** The KPIs over a time range. */
import { Arg, Authorized, Ctx, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import { KpisType, toKpisType } from '../schema/kpi.type.js';
import { DateTimeScalar } from '../schema/scalars.js';
import type { ApiContext } from './context.js';
import { badUserInput, TranslateErrors } from './errors.js';

@Resolver()
@UseMiddleware(TranslateErrors)
export class KpiResolver {
  @Authorized(Role.Alpha, Role.Markets, Role.Executor, Role.Viewer)
  @Query(() => KpisType, {
    nullable: true,
    description:
      'Ingest → conviction latency, rolling Precision@5, uptime and PnL attribution by day, band, vault, model and ' +
      'signal source, over [from, to) in engine time (open-ended when left out). Null when the server keeps no KPIs.',
  })
  kpis(
    @Ctx() ctx: ApiContext,
    @Arg('from', () => DateTimeScalar, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeScalar, { nullable: true }) to: Date | null,
  ): KpisType | null {
    const source = ctx.deps.kpis;
    if (!source) return null;
    const lo = from ? from.getTime() : null;
    const hi = to ? to.getTime() : null;
    if (lo !== null && !Number.isSafeInteger(lo)) throw badUserInput('from', 'must be a date-time');
    if (hi !== null && !Number.isSafeInteger(hi)) throw badUserInput('to', 'must be a date-time');
    if (lo !== null && hi !== null && hi <= lo) throw badUserInput('to', 'must be after `from`');
    return toKpisType(source.report(lo, hi));
  }
}
