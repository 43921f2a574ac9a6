/**
 * API keys over drizzle, on both drivers. The store keeps what a key is (id, name, roles, timestamps) and the
 * SHA-256 of its secret; making keys and checking presented ones is the API's job (src/api/auth/api-keys.ts).
 * Roles are plain strings here: the engine does not know the API's role names, the table's check constraint does.
 */
import { and, asc, count, eq, isNull, lt, or } from 'drizzle-orm';
import type { VantaDb } from './db.js';
import { StoreError } from './ports.js';
import { apiKeys } from './schema.js';

export interface ApiKeyRecord {
  /** The public part of the key (`vk_<id>_<secret>`). */
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  /** Hex SHA-256 of the secret. */
  readonly secretHash: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

export type NewApiKey = Pick<ApiKeyRecord, 'id' | 'name' | 'roles' | 'secretHash' | 'createdAt'>;

export interface ApiKeyRepository {
  /** Stores a new key; an id already taken is a {@link StoreError}. */
  create(key: NewApiKey): Promise<ApiKeyRecord>;
  get(id: string): Promise<ApiKeyRecord | null>;
  /** Every key, revoked ones too, oldest first. */
  list(): Promise<readonly ApiKeyRecord[]>;
  /** Keys not revoked. */
  countActive(): Promise<number>;
  /** Marks the key revoked at `at`; false when no key has this id. Revoking twice keeps the first time. */
  revoke(id: string, at: number): Promise<boolean>;
  /**
   * Records a use at `at`, unless one was recorded less than `minIntervalMs` before: a busy key then costs one
   * write a minute, not one per request.
   */
  touch(id: string, at: number, minIntervalMs?: number): Promise<void>;
}

type ApiKeyRow = typeof apiKeys.$inferSelect;

export class DrizzleApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly db: VantaDb) {}

  async create(key: NewApiKey): Promise<ApiKeyRecord> {
    const row = { ...key, roles: [...key.roles], lastUsedAt: null, revokedAt: null };
    const inserted = await this.db.insert(apiKeys).values(row).onConflictDoNothing().returning();
    if (!inserted[0]) throw new StoreError(`an API key with id ${key.id} already exists`);
    return toRecord(inserted[0]);
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const rows = await this.db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(): Promise<readonly ApiKeyRecord[]> {
    const rows = await this.db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
    return rows.map(toRecord);
  }

  async countActive(): Promise<number> {
    const rows = await this.db.select({ n: count() }).from(apiKeys).where(isNull(apiKeys.revokedAt));
    return Number(rows[0]?.n ?? 0);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    await this.db
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
    return (await this.get(id)) !== null;
  }

  async touch(id: string, at: number, minIntervalMs = 60_000): Promise<void> {
    await this.db
      .update(apiKeys)
      .set({ lastUsedAt: at })
      .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, at - minIntervalMs))));
  }
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return Object.freeze({
    id: row.id,
    name: row.name,
    roles: Object.freeze([...row.roles]),
    secretHash: row.secretHash,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  });
}
