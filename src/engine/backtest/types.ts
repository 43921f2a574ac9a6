/**
 * What a backtest is asked and what it gives back. A run is a pure function of its spec (and the model
 * bundle): the same spec gives the same decisions, fills and curves, byte for byte.
 */
import type { AttributionRow } from '../kpis/attribution.js';
import type { PrecisionReport } from '../kpis/precision.js';

export type ScenarioKind = 'pump-and-dump' | 'insider-surge' | 'flash-crash' | 'exchange-outage' | 'persona-flip';
export const SCENARIO_KINDS: readonly ScenarioKind[] = ['pump-and-dump', 'insider-surge', 'flash-crash', 'exchange-outage', 'persona-flip'];

import type { RetrainRecord } from './walk-forward.js';

export interface ScenarioSpec {
  readonly kind: ScenarioKind;
  /** When it starts, as a fraction of the run (0..1). Default per kind. */
  readonly at?: number;
  /** How long it lasts, in bars. Default per kind. */
  readonly bars?: number;
  /** The instrument it targets (pump-and-dump, insider surge, flash crash). Default per kind. */
  readonly instrument?: string;
  /** Persona flip: the persona every vault flips to. Default `contrarian`. */
  readonly persona?: string;
  /** Flash crash: the fall from the last close (0..1). Default 0.15. */
  readonly depth?: number;
}

export interface BacktestSpec {
  /** Epoch ms: the first bar ends after `from`, the last at or before `to`. */
  readonly from: number;
  readonly to: number;
  /** Vault ids to run, or `all` for every bundled vault. */
  readonly vaults: readonly string[] | 'all';
  /** The simulator's seed (ignored with `data`). */
  readonly seed: number;
  /** Bar length with the simulator. Default one minute. */
  readonly barMs?: number;
  /** User bars (a CSV file's path, for the record) instead of the simulator. */
  readonly dataPath?: string | null;
  readonly scenarios?: readonly ScenarioSpec[];
  /**
   * A vault whose drawdown from its peak equity passes this percentage gets its kill switch engaged (the risk
   * layer's halt); none when absent.
   */
  readonly haltDrawdownPct?: number | null;
  /**
   * Walk-forward retraining (walk-forward.ts): every this many simulated hours the direction classifier is
   * refitted on the run's own labelled snapshots and replaces the one scoring; off when absent.
   */
  readonly retrainEveryHours?: number | null;
}

export interface EquityPoint {
  readonly ts: number;
  /** Decimal string. */
  readonly equity: string;
}

export interface VaultResult {
  readonly vaultId: string;
  readonly name: string;
  readonly persona: string;
  readonly startEquity: string;
  readonly endEquity: string;
  /** (end − start) / start, as a fraction. */
  readonly returnPct: number;
  /** Largest fall from a running peak of the equity curve, as a fraction (0..1). */
  readonly maxDrawdown: number;
  readonly trades: number;
  readonly fees: string;
  readonly realizedPnl: string;
  readonly equity: readonly EquityPoint[];
}

export interface TradeRecord {
  readonly ts: number;
  readonly vaultId: string;
  readonly clientOrderId: string;
  readonly instrument: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
  readonly convictionId: string | null;
}

export interface RiskReport {
  readonly denials: readonly { readonly reason: string; readonly count: number }[];
  readonly rejections: number;
  readonly killSwitches: readonly { readonly ts: number; readonly key: string; readonly engaged: boolean; readonly reason: string }[];
  /** Broker calls that failed during the run (an exchange outage). */
  readonly brokerErrors: number;
  /** Executor runs that failed (a venue sync during an outage); the next run retries. */
  readonly executorErrors: number;
  /** Orders at the venue per client order id above one: must be zero. */
  readonly duplicateOrders: number;
}

export interface ScenarioReport {
  readonly kind: ScenarioKind;
  readonly fromTs: number;
  readonly toTs: number;
  readonly instrument: string | null;
  /** What was injected, in a sentence. */
  readonly description: string;
  /** Each vault's drawdown within the scenario's window (to the end of the run). */
  readonly drawdowns: readonly { readonly vaultId: string; readonly maxDrawdown: number }[];
}

export interface BacktestSummary {
  readonly bars: number;
  readonly events: number;
  readonly convictions: number;
  readonly intents: number;
  readonly orders: number;
  readonly fills: number;
  readonly wallMs: number;
  readonly precisionAt5: PrecisionReport;
  readonly scenarios: readonly ScenarioReport[];
  /** Each walk-forward retrain, in order (absent on runs stored before retraining existed). */
  readonly retrains?: readonly RetrainRecord[];
}

export interface BacktestResult {
  readonly id: string;
  readonly createdAt: number;
  readonly status: 'completed' | 'failed';
  readonly spec: BacktestSpec;
  readonly summary: BacktestSummary;
  readonly vaults: readonly VaultResult[];
  readonly trades: readonly TradeRecord[];
  readonly attribution: readonly AttributionRow[];
  readonly risk: RiskReport;
  readonly reportPath: string | null;
  readonly error: string | null;
}

/** - `INVALID_BACKTEST`: a bad spec (window, vault id, scenario) or data file; the message names what. */
export class BacktestError extends Error {
  readonly code = 'INVALID_BACKTEST' as const;
  constructor(message: string) {
    super(message);
    this.name = 'BacktestError';
  }
}
