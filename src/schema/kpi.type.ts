/** The KPIs: ingest → conviction latency, rolling Precision@5, uptime and PnL attribution. */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { KpiReport } from '../engine/kpis/tracker.js';
import { DateTimeScalar, toDate } from './scalars.js';

@ObjectType('LatencyKpi', { description: "From a conviction's newest cause being ingested to its scoring, on the engine's clock." })
export class LatencyKpiType {
  @Field(() => Int, { description: 'Convictions measured.' })
  count!: number;
  @Field(() => Float, { nullable: true })
  meanMs!: number | null;
  @Field(() => Float, { nullable: true })
  p50Ms!: number | null;
  @Field(() => Float, { nullable: true })
  p90Ms!: number | null;
  @Field(() => Float, { nullable: true })
  p99Ms!: number | null;
  @Field(() => Float, { nullable: true })
  maxMs!: number | null;
}

@ObjectType('DayPrecision')
export class DayPrecisionType {
  @Field(() => String, { description: 'UTC day, `YYYY-MM-DD`.' })
  day!: string;
  @Field(() => Int, { description: "The day's strongest calls (one per instrument, at most k) whose horizon has passed." })
  calls!: number;
  @Field(() => Int)
  hits!: number;
  @Field(() => Float, { nullable: true })
  precision!: number | null;
}

@ObjectType('PrecisionKpi')
export class PrecisionKpiType {
  @Field(() => Int)
  k!: number;
  @Field(() => Float, { nullable: true, description: 'Mean precision over the days that had k judged calls.' })
  rolling!: number | null;
  @Field(() => Int)
  daysWithK!: number;
  @Field(() => [DayPrecisionType])
  days!: DayPrecisionType[];
}

@ObjectType('PnlAttribution', { description: 'Realized PnL of one day, one dimension (`band`, `vault`, `model`, `source`) and one key.' })
export class PnlAttributionType {
  @Field(() => String)
  day!: string;
  @Field(() => String)
  dimension!: string;
  @Field(() => String)
  key!: string;
  @Field(() => String, { description: 'Decimal string.' })
  realizedPnl!: string;
  @Field(() => Int)
  fills!: number;
}

@ObjectType('DenialCount')
export class DenialCountType {
  @Field(() => String)
  reason!: string;
  @Field(() => Int)
  count!: number;
}

@ObjectType('Kpis')
export class KpisType {
  @Field(() => DateTimeScalar, { nullable: true })
  from!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true })
  to!: Date | null;
  @Field(() => Int)
  uptimeSeconds!: number;
  @Field(() => LatencyKpiType)
  latency!: LatencyKpiType;
  @Field(() => PrecisionKpiType)
  precisionAt5!: PrecisionKpiType;
  @Field(() => [PnlAttributionType])
  attribution!: PnlAttributionType[];
  @Field(() => Int)
  convictions!: number;
  @Field(() => Int)
  fills!: number;
  @Field(() => String, { description: 'Realized PnL of the fills in range (decimal string).' })
  realizedPnl!: string;
  @Field(() => [DenialCountType])
  denials!: DenialCountType[];
  @Field(() => Int)
  killSwitchChanges!: number;
}

export function toKpisType(r: KpiReport): KpisType {
  return {
    from: r.from === null ? null : toDate(r.from),
    to: r.to === null ? null : toDate(r.to),
    uptimeSeconds: r.uptimeSeconds,
    latency: { ...r.latency },
    precisionAt5: { k: r.precision.k, rolling: r.precision.rolling, daysWithK: r.precision.daysWithK, days: r.precision.days.map((d) => ({ ...d })) },
    attribution: r.attribution.map((a) => ({ ...a })),
    convictions: r.convictions,
    fills: r.fills,
    realizedPnl: r.realizedPnl,
    denials: r.denials.map((d) => ({ ...d })),
    killSwitchChanges: r.killSwitchChanges,
  };
}
