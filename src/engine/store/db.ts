/**
 * Opens the database behind the store: embedded PGlite (on disk or in memory) or a PostgreSQL server through
 * postgres.js. Both are wrapped in the same drizzle `PgDatabase` type so repositories are written once.
 * Nothing happens at import time; clients are built when `openDatabase` is called.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { PGliteClient } from './pglite-thread.js';
import { ramDirectory } from './ram-directory.js';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';
import { StoreError } from './ports.js';

export type Schema = typeof schema;
/** The drizzle database both drivers are seen through. */
export type VantaDb = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: VantaDb;
  /** Applies the committed migrations in `migrations/`; safe to call from several processes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** True when the database answers `select 1`. */
  ping(): Promise<boolean>;
  /** Runs one raw SQL statement with `$1`-style parameters and returns its rows. For tooling and tests. */
  query<T extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<T[]>;
}

export interface OpenOptions {
  /** Pool size for PostgreSQL (default 10). Ignored by PGlite, which has one connection. */
  readonly max?: number;
  /** Where the on-disk PGlite lives when no URL is given (default `./data/pglite`). */
  readonly pgliteDir?: string;
}

export const DEFAULT_PGLITE_DIR = './data/pglite';
/** Key of the session advisory lock that serializes migrations across processes. */
const MIGRATION_LOCK_KEY = 7_413_296_001;

/**
 * Opens the database named by `url`:
 * - undefined or empty: PGlite persisted under `./data/pglite` (created if missing);
 * - `memory://`: in-memory PGlite;
 * - `postgres://` or `postgresql://`: a PostgreSQL server.
 */
export async function openDatabase(url: string | undefined, options: OpenOptions = {}): Promise<Database> {
  const u = url?.trim() ?? '';
  if (u === '') return openPglite(options.pgliteDir ?? DEFAULT_PGLITE_DIR);
  if (u === 'memory://' || u.startsWith('memory://')) return openPglite(undefined);
  if (u.startsWith('postgres://') || u.startsWith('postgresql://')) return openPostgres(u, options);
  throw new StoreError(`Unsupported database URL ${redactUrl(u)}: use postgres://…, memory:// or leave it empty`);
}

/** The URL with its password removed, safe for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1@');
  }
}

/** The `migrations/` folder, found by walking up from this file (works from `src/` and from `dist/src/`). */
export function migrationsFolder(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'migrations');
    if (existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new StoreError(`Cannot find the migrations folder above ${fileURLToPath(import.meta.url)}`);
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const { PGliteThread } = await import('./pglite-thread.js');
  const { drizzle } = await import('drizzle-orm/pglite');
  const where = dataDir === undefined ? 'memory://' : path.resolve(dataDir);
  // In memory: on the RAM file system where there is one (see ram-directory.ts), else in PGlite's memory.
  const ram = dataDir === undefined ? ramDirectory() : undefined;
  let client: PGliteClient;
  try {
    if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
    // On a thread of its own, so that the database and the pipeline use a core each (see pglite-thread.ts).
    client = await PGliteThread.start(ram?.path ?? (dataDir === undefined ? undefined : path.resolve(dataDir)));
  } catch (cause) {
    ram?.remove();
    throw new StoreError(`Cannot open PGlite at ${where}: ${message(cause)}`, { cause });
  }
  // drizzle's pglite driver uses only the part of PGlite's interface the thread client offers.
  const db = drizzle({ client: client as unknown as PGlite, schema });
  let closed = false;
  return {
    kind: 'pglite',
    db: db as unknown as VantaDb,
    async migrate() {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      try {
        await migrate(db, { migrationsFolder: migrationsFolder() });
      } catch (cause) {
        throw new StoreError(`Migrating PGlite at ${where} failed: ${message(cause)}`, { cause });
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        ram?.remove();
      }
    },
    async ping() {
      try {
        await client.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async query<T extends Record<string, unknown>>(text: string, params: readonly unknown[] = []) {
      const result = await client.query<T>(text, [...params]);
      return result.rows;
    },
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const shown = redactUrl(url);
  // At least two connections: migrate() holds one reserved for its advisory lock while it runs on another.
  const sql = postgres(url, { max: Math.max(2, options.max ?? 10), onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql`select 1`;
  } catch (cause) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw new StoreError(`Cannot connect to PostgreSQL at ${shown}: ${message(cause)}`, { cause });
  }
  const db = drizzle({ client: sql, schema });
  return {
    kind: 'postgres',
    db: db as unknown as VantaDb,
    async migrate() {
      const { migrate } = await import('drizzle-orm/postgres-js/migrator');
      // drizzle's migrator takes no lock: hold a session advisory lock on a reserved connection so that
      // servers starting together apply the migrations once, one after the other.
      const lock = await sql.reserve();
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migrate(db, { migrationsFolder: migrationsFolder() });
      } catch (cause) {
        throw new StoreError(`Migrating PostgreSQL at ${shown} failed: ${message(cause)}`, { cause });
      } finally {
        await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
        lock.release();
      }
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
    async ping() {
      try {
        await sql`select 1`;
        return true;
      } catch {
        return false;
      }
    },
    async query<T extends Record<string, unknown>>(text: string, params: readonly unknown[] = []) {
      const rows = await sql.unsafe(text, [...params] as never[]);
      return [...rows] as unknown as T[];
    },
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
