/**
 * Kill switch state over drizzle, on both drivers (it runs kill-switch-store.contract.ts): one row per scope,
 * overwritten by each change, so that an engaged switch survives a restart and the row says who changed it last.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { ExecutionError } from '../execution/errors.js';
import { scopeKey, type KillSwitchScope, type KillSwitchState, type KillSwitchStore } from '../execution/kill-switch-store.js';
import type { VantaDb } from './db.js';
import { killSwitches } from './schema.js';

type KillSwitchRow = typeof killSwitches.$inferSelect;

export class DrizzleKillSwitchStore implements KillSwitchStore {
  constructor(private readonly db: VantaDb) {}

  async get(key: string): Promise<KillSwitchState | null> {
    const rows = await this.db.select().from(killSwitches).where(eq(killSwitches.key, key)).limit(1);
    return rows[0] ? toState(rows[0]) : null;
  }

  async list(): Promise<readonly KillSwitchState[]> {
    const rows = await this.db.select().from(killSwitches).orderBy(asc(bytewiseKey));
    return rows.map(toState);
  }

  async engaged(): Promise<readonly KillSwitchState[]> {
    const rows = await this.db.select().from(killSwitches).where(eq(killSwitches.engaged, true)).orderBy(asc(bytewiseKey));
    return rows.map(toState);
  }

  async put(state: KillSwitchState): Promise<void> {
    if (state.key !== scopeKey(state.scope)) {
      throw new ExecutionError('INVALID_CONFIG', `kill switch key ${state.key} does not match its scope`);
    }
    const row = {
      key: state.key,
      scopeKind: state.scope.kind,
      scopeId: state.scope.kind === 'global' ? null : state.scope.id,
      engaged: state.engaged,
      actor: state.actor,
      reason: state.reason,
      changedAt: state.changedAt,
    };
    const { key: _key, ...changed } = row;
    await this.db.insert(killSwitches).values(row).onConflictDoUpdate({ target: killSwitches.key, set: changed });
  }
}

/** Keys in bytewise order, as the in-memory store sorts them, whatever the database collation. */
const bytewiseKey = sql`${killSwitches.key} collate "C"`;

function scopeOf(row: KillSwitchRow): KillSwitchScope {
  if (row.scopeKind === 'global') return Object.freeze({ kind: 'global' });
  if ((row.scopeKind === 'vault' || row.scopeKind === 'venue') && row.scopeId !== null) {
    return Object.freeze({ kind: row.scopeKind, id: row.scopeId });
  }
  // The table's check constraint keeps such a row out; reading one means the table was changed by hand.
  throw new ExecutionError('INVALID_CONFIG', `kill switch ${row.key} has an unknown scope ${row.scopeKind}`);
}

function toState(row: KillSwitchRow): KillSwitchState {
  return Object.freeze({
    key: row.key,
    scope: scopeOf(row),
    engaged: row.engaged,
    actor: row.actor,
    reason: row.reason,
    changedAt: row.changedAt,
  });
}
