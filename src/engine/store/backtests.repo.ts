/**
 * Backtest runs over drizzle, on both drivers: one row per run, written once when it ends, read whole or
 * listed newest first without the large documents.
 */
import { desc, eq } from 'drizzle-orm';
import type { BacktestResult, BacktestSpec, BacktestSummary, RiskReport, TradeRecord, VaultResult } from '../backtest/types.js';
import type { AttributionRow } from '../kpis/attribution.js';
import type { VantaDb } from './db.js';
import { backtests } from './schema.js';

export interface BacktestListing {
  readonly id: string;
  readonly createdAt: number;
  readonly status: BacktestResult['status'];
  readonly spec: BacktestSpec;
  readonly summary: BacktestSummary;
  readonly vaults: readonly VaultResult[];
  readonly reportPath: string | null;
  readonly error: string | null;
}

export interface BacktestRepository {
  save(result: BacktestResult): Promise<void>;
  get(id: string): Promise<BacktestResult | null>;
  /** Newest first, without trades and attribution; vaults without their curves. */
  list(limit: number): Promise<readonly BacktestListing[]>;
}

export class DrizzleBacktestRepository implements BacktestRepository {
  constructor(private readonly db: VantaDb) {}

  async save(r: BacktestResult): Promise<void> {
    const row = {
      id: r.id,
      createdAt: r.createdAt,
      status: r.status,
      fromTs: r.spec.from,
      toTs: r.spec.to,
      seed: r.spec.seed,
      spec: r.spec,
      summary: r.summary,
      vaults: r.vaults,
      trades: r.trades,
      attribution: r.attribution,
      risk: r.risk,
      reportPath: r.reportPath,
      error: r.error,
    };
    const { id: _id, ...set } = row;
    await this.db.insert(backtests).values(row).onConflictDoUpdate({ target: backtests.id, set });
  }

  async get(id: string): Promise<BacktestResult | null> {
    const rows = await this.db.select().from(backtests).where(eq(backtests.id, id)).limit(1);
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      createdAt: row.createdAt,
      status: row.status as BacktestResult['status'],
      spec: row.spec as BacktestSpec,
      summary: row.summary as BacktestSummary,
      vaults: row.vaults as VaultResult[],
      trades: row.trades as TradeRecord[],
      attribution: row.attribution as AttributionRow[],
      risk: row.risk as RiskReport,
      reportPath: row.reportPath,
      error: row.error,
    };
  }

  async list(limit: number): Promise<readonly BacktestListing[]> {
    const rows = await this.db
      .select({
        id: backtests.id,
        createdAt: backtests.createdAt,
        status: backtests.status,
        spec: backtests.spec,
        summary: backtests.summary,
        vaults: backtests.vaults,
        reportPath: backtests.reportPath,
        error: backtests.error,
      })
      .from(backtests)
      .orderBy(desc(backtests.createdAt), desc(backtests.id))
      .limit(Math.max(1, Math.min(500, Math.trunc(limit))));
    return rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt,
      status: row.status as BacktestResult['status'],
      spec: row.spec as BacktestSpec,
      summary: row.summary as BacktestSummary,
      vaults: (row.vaults as VaultResult[]).map((v) => ({ ...v, equity: [] })),
      reportPath: row.reportPath,
      error: row.error,
    }));
  }
}
