/**
 * The drizzle implementation of the store's ports, over either driver, and `createStore`, which the
 * composition root calls once. Signals, convictions and audit live in their own `*.repo.ts` files.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { AssetClass, Instrument } from '../types.js';
import { DrizzleApiKeyRepository } from './api-keys.repo.js';
import { DrizzleAuditRepository } from './audit.repo.js';
import { DrizzleAutotradeQueue } from './autotrade-queue.repo.js';
import { DrizzleBacktestRepository } from './backtests.repo.js';
import { DrizzleConvictionRepository } from './convictions.repo.js';
import { DrizzleEntityGraphRepository } from './entities.repo.js';
import { DrizzleFilingRepository } from './filings.repo.js';
import { type Database, openDatabase, type OpenOptions, type VantaDb } from './db.js';
import { DrizzleKillSwitchStore } from './kill-switches.repo.js';
import { DrizzleVaultRepository } from './vaults.repo.js';
import { DrizzleAuditCheckpointStore } from './audit-checkpoints.repo.js';
import { DrizzleModelRegistry } from './model-registry.repo.js';
import { DrizzleOrderRepository } from './orders.repo.js';
import type { CursorRepository, InstrumentRepository, Store } from './ports.js';
import { collectorCursors, instruments } from './schema.js';
import { DrizzleSignalRepository } from './signals.repo.js';

export { DrizzleAuditRepository, GENESIS_HASH, auditHash } from './audit.repo.js';
export { DrizzleAutotradeQueue } from './autotrade-queue.repo.js';
export { DrizzleApiKeyRepository } from './api-keys.repo.js';
export { DrizzleKillSwitchStore } from './kill-switches.repo.js';
export { DrizzleVaultRepository } from './vaults.repo.js';
export { DrizzleAuditCheckpointStore } from './audit-checkpoints.repo.js';
export { DrizzleModelRegistry } from './model-registry.repo.js';
export { DrizzleOrderRepository } from './orders.repo.js';
export { DrizzleConvictionRepository } from './convictions.repo.js';
export { DrizzleEntityGraphRepository } from './entities.repo.js';
export { DrizzleFilingRepository } from './filings.repo.js';
export { DrizzleSignalRepository } from './signals.repo.js';
export { decodeCursor, encodeCursor, MAX_PAGE_SIZE } from './pagination.js';

type InstrumentRow = typeof instruments.$inferSelect;

export class DrizzleInstrumentRepository implements InstrumentRepository {
  constructor(private readonly db: VantaDb) {}

  /** Inserts new instruments and overwrites the fields of known ones. */
  async upsertMany(list: readonly Instrument[]): Promise<void> {
    // One statement cannot touch the same row twice: the last occurrence of a symbol wins.
    const bySymbol = new Map(list.map((i) => [i.symbol, i] as const));
    if (bySymbol.size === 0) return;
    await this.db
      .insert(instruments)
      .values([...bySymbol.values()].map((i) => ({ ...i })))
      .onConflictDoUpdate({
        target: instruments.symbol,
        set: {
          name: sql`excluded.name`,
          assetClass: sql`excluded.asset_class`,
          sector: sql`excluded.sector`,
          venue: sql`excluded.venue`,
        },
      });
  }

  async list(): Promise<readonly Instrument[]> {
    const rows = await this.db.select().from(instruments).orderBy(asc(instruments.symbol));
    return rows.map(toInstrument);
  }

  async get(symbol: string): Promise<Instrument | null> {
    const rows = await this.db.select().from(instruments).where(eq(instruments.symbol, symbol)).limit(1);
    return rows[0] ? toInstrument(rows[0]) : null;
  }
}

function toInstrument(row: InstrumentRow): Instrument {
  return {
    symbol: row.symbol,
    name: row.name,
    assetClass: row.assetClass as AssetClass,
    sector: row.sector,
    venue: row.venue,
  };
}

export class DrizzleCursorRepository implements CursorRepository {
  constructor(
    private readonly db: VantaDb,
    private readonly now: () => number = Date.now,
  ) {}

  async get(collector: string): Promise<string | null> {
    const rows = await this.db
      .select({ cursor: collectorCursors.cursor })
      .from(collectorCursors)
      .where(eq(collectorCursors.collector, collector))
      .limit(1);
    return rows[0]?.cursor ?? null;
  }

  async set(collector: string, cursor: string): Promise<void> {
    const updatedAt = this.now();
    await this.db
      .insert(collectorCursors)
      .values({ collector, cursor, updatedAt })
      .onConflictDoUpdate({ target: collectorCursors.collector, set: { cursor, updatedAt } });
  }
}

/** The store, with the database it runs on (for migrations, tooling and tests). */
export interface DrizzleStore extends Store {
  readonly database: Database;
}

/** Builds the store's repositories over an open (and migrated) database. */
export function storeOn(database: Database): DrizzleStore {
  const { db, kind } = database;
  return {
    kind,
    database,
    signals: new DrizzleSignalRepository(db),
    convictions: new DrizzleConvictionRepository(db),
    instruments: new DrizzleInstrumentRepository(db),
    audit: new DrizzleAuditRepository(db),
    cursors: new DrizzleCursorRepository(db),
    entities: new DrizzleEntityGraphRepository(db),
    filings: new DrizzleFilingRepository(db),
    orders: new DrizzleOrderRepository(db),
    autotradeQueue: new DrizzleAutotradeQueue(db),
    killSwitches: new DrizzleKillSwitchStore(db),
    vaults: new DrizzleVaultRepository(db),
    auditCheckpoints: new DrizzleAuditCheckpointStore(db),
    modelRegistry: new DrizzleModelRegistry(db),
    apiKeys: new DrizzleApiKeyRepository(db),
    backtests: new DrizzleBacktestRepository(db),
    ping: () => database.ping(),
    close: () => database.close(),
  };
}

/**
 * Opens the database named by `url` (see {@link openDatabase}), applies the migrations and returns the store.
 * The database is closed again when migrating fails.
 */
export async function createStore(url: string | undefined, options?: OpenOptions): Promise<DrizzleStore> {
  const database = await openDatabase(url, options);
  try {
    await database.migrate();
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  return storeOn(database);
}
