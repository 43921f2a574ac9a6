/** Backtest runs: per-vault equity curves and drawdowns, trades, PnL attribution and what the risk layer did. */
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { BacktestResult, VaultResult } from '../engine/backtest/types.js';
import type { BacktestListing } from '../engine/store/backtests.repo.js';
import { DenialCountType, PnlAttributionType, PrecisionKpiType } from './kpi.type.js';
import { DateTimeScalar, toDate } from './scalars.js';

@ObjectType('BacktestEquityPoint')
export class BacktestEquityPointType {
  @Field(() => DateTimeScalar)
  ts!: Date;
  @Field(() => String, { description: 'Decimal string.' })
  equity!: string;
}

@ObjectType('BacktestVault')
export class BacktestVaultType {
  @Field(() => ID)
  vaultId!: string;
  @Field(() => String)
  name!: string;
  @Field(() => String)
  persona!: string;
  @Field(() => String)
  startEquity!: string;
  @Field(() => String)
  endEquity!: string;
  @Field(() => Float, { description: '(end − start) / start.' })
  returnPct!: number;
  @Field(() => Float, { description: 'Largest fall from a running peak, as a fraction of the peak.' })
  maxDrawdown!: number;
  @Field(() => Int)
  trades!: number;
  @Field(() => String)
  fees!: string;
  @Field(() => String)
  realizedPnl!: string;
  @Field(() => [BacktestEquityPointType], { description: 'The equity curve (at most 1,000 points; empty in `backtests`).' })
  equity!: BacktestEquityPointType[];
}

@ObjectType('BacktestTrade')
export class BacktestTradeType {
  @Field(() => DateTimeScalar)
  ts!: Date;
  @Field(() => String)
  vaultId!: string;
  @Field(() => String)
  clientOrderId!: string;
  @Field(() => String)
  instrument!: string;
  @Field(() => String)
  side!: string;
  @Field(() => String)
  quantity!: string;
  @Field(() => String)
  price!: string;
  @Field(() => String)
  fee!: string;
  @Field(() => String, { nullable: true })
  convictionId!: string | null;
}

@ObjectType('BacktestKillSwitch')
export class BacktestKillSwitchType {
  @Field(() => DateTimeScalar)
  ts!: Date;
  @Field(() => String)
  key!: string;
  @Field(() => Boolean)
  engaged!: boolean;
  @Field(() => String)
  reason!: string;
}

@ObjectType('BacktestRisk')
export class BacktestRiskType {
  @Field(() => [DenialCountType])
  denials!: DenialCountType[];
  @Field(() => Int)
  rejections!: number;
  @Field(() => [BacktestKillSwitchType])
  killSwitches!: BacktestKillSwitchType[];
  @Field(() => Int)
  brokerErrors!: number;
  @Field(() => Int)
  executorErrors!: number;
  @Field(() => Int, { description: 'Orders the venue created more than once for one client order id: zero.' })
  duplicateOrders!: number;
}

@ObjectType('BacktestScenarioDrawdown')
export class BacktestScenarioDrawdownType {
  @Field(() => String)
  vaultId!: string;
  @Field(() => Float)
  maxDrawdown!: number;
}

@ObjectType('BacktestScenario')
export class BacktestScenarioType {
  @Field(() => String)
  kind!: string;
  @Field(() => DateTimeScalar)
  from!: Date;
  @Field(() => DateTimeScalar)
  to!: Date;
  @Field(() => String, { nullable: true })
  instrument!: string | null;
  @Field(() => String)
  description!: string;
  @Field(() => [BacktestScenarioDrawdownType])
  drawdowns!: BacktestScenarioDrawdownType[];
}

@ObjectType('BacktestRetrain', { description: 'One walk-forward retrain of the direction classifier inside a backtest.' })
export class BacktestRetrainType {
  @Field(() => DateTimeScalar, { description: 'Test-clock time of the retrain.' })
  at!: Date;
  @Field(() => String, { nullable: true, description: '`<name>@<version>` of the model trained; null when too few rows were labelled and the model was kept.' })
  model!: string | null;
  @Field(() => Int)
  rows!: number;
  @Field(() => DateTimeScalar, { nullable: true, description: 'The latest snapshot trained on: its horizon ended at or before `at`.' })
  lastRowAt!: Date | null;
  @Field(() => Int)
  trees!: number;
  @Field(() => Float, { nullable: true, description: 'Log loss on the latest 20% of the rows, held out.' })
  validationLogLoss!: number | null;
  @Field(() => Float, { nullable: true, description: 'The base rate’s log loss on those rows.' })
  baselineLogLoss!: number | null;
}

@ObjectType('Backtest')
export class BacktestType {
  @Field(() => ID)
  id!: string;
  @Field(() => DateTimeScalar)
  createdAt!: Date;
  @Field(() => String, { description: '`completed` or `failed`.' })
  status!: string;
  @Field(() => DateTimeScalar)
  from!: Date;
  @Field(() => DateTimeScalar)
  to!: Date;
  @Field(() => Int)
  seed!: number;
  @Field(() => String, { nullable: true, description: 'The CSV file the bars came from; null with the simulator.' })
  dataPath!: string | null;
  @Field(() => Int)
  bars!: number;
  @Field(() => Int)
  events!: number;
  @Field(() => Int)
  convictions!: number;
  @Field(() => Int)
  orders!: number;
  @Field(() => Int)
  fills!: number;
  @Field(() => Int)
  wallMs!: number;
  @Field(() => PrecisionKpiType)
  precisionAt5!: PrecisionKpiType;
  @Field(() => Float, { description: 'The largest drawdown of any vault.' })
  maxDrawdown!: number;
  @Field(() => [BacktestVaultType])
  vaults!: BacktestVaultType[];
  @Field(() => [BacktestTradeType], { description: 'Every fill; empty in `backtests`.' })
  trades!: BacktestTradeType[];
  @Field(() => [PnlAttributionType], { description: 'Realized PnL by day and band, vault, model, source; empty in `backtests`.' })
  attribution!: PnlAttributionType[];
  @Field(() => BacktestRiskType, { nullable: true, description: 'Null in `backtests`.' })
  risk!: BacktestRiskType | null;
  @Field(() => [BacktestScenarioType])
  scenarios!: BacktestScenarioType[];
  @Field(() => [BacktestRetrainType], { description: 'The walk-forward retrains, in order; empty when the run did not retrain.' })
  retrains!: BacktestRetrainType[];
  @Field(() => String, { nullable: true })
  reportPath!: string | null;
  @Field(() => String, { nullable: true })
  error!: string | null;
}

function toVault(v: VaultResult): BacktestVaultType {
  return { ...v, equity: v.equity.map((p) => ({ ts: toDate(p.ts), equity: p.equity })) };
}

export function toBacktestType(r: BacktestResult | BacktestListing): BacktestType {
  const full = 'trades' in r ? r : null;
  const s = r.summary;
  return {
    id: r.id,
    createdAt: toDate(r.createdAt),
    status: r.status,
    from: toDate(r.spec.from),
    to: toDate(r.spec.to),
    seed: r.spec.seed,
    dataPath: r.spec.dataPath ?? null,
    bars: s.bars,
    events: s.events,
    convictions: s.convictions,
    orders: s.orders,
    fills: s.fills,
    wallMs: s.wallMs,
    precisionAt5: { ...s.precisionAt5, days: s.precisionAt5.days.map((d) => ({ ...d })) },
    maxDrawdown: Math.max(0, ...r.vaults.map((v) => v.maxDrawdown)),
    retrains: (s.retrains ?? []).map((x) => ({
      at: toDate(x.at),
      model: x.model,
      rows: x.rows,
      lastRowAt: x.lastRowAt === null ? null : toDate(x.lastRowAt),
      trees: x.trees,
      validationLogLoss: x.validationLogLoss,
      baselineLogLoss: x.baselineLogLoss,
    })),
    vaults: r.vaults.map(toVault),
    trades: full ? full.trades.map((t) => ({ ...t, ts: toDate(t.ts) })) : [],
    attribution: full ? full.attribution.map((a) => ({ ...a })) : [],
    risk: full
      ? {
          ...full.risk,
          denials: full.risk.denials.map((d) => ({ ...d })),
          killSwitches: full.risk.killSwitches.map((k) => ({ ...k, ts: toDate(k.ts) })),
        }
      : null,
    scenarios: s.scenarios.map((sc) => ({
      kind: sc.kind,
      from: toDate(sc.fromTs),
      to: toDate(sc.toTs),
      instrument: sc.instrument,
      description: sc.description,
      drawdowns: sc.drawdowns.map((d) => ({ ...d })),
    })),
    reportPath: r.reportPath,
    error: r.error,
  };
}
