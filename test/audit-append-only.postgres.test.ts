/**
 * The audit log's append-only rules on a PostgreSQL server, and what only a server has: roles. A role that is not
 * the table's owner and was granted SELECT and INSERT alone can read and append, and is refused UPDATE, DELETE and
 * TRUNCATE by privilege, before any trigger runs; nor may it switch triggers off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAppendOnlyContract } from '../src/engine/store/audit-append-only.contract.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { deadLettered } from '../src/engine/store/store.fixtures.js';
import { freshPostgresStore } from './postgres-store.js';
import { createTestDatabase, postgresAvailable, uniqueName } from './services.js';

const available = await postgresAvailable();

describe.skipIf(!available)('audit log append-only on PostgreSQL', () => {
  auditAppendOnlyContract('postgres', async () => {
    const { store, cleanup } = await freshPostgresStore();
    return {
      store,
      rawQuery: (text, params) => store.database.query(text, params),
      cleanup,
    };
  });

  describe('a role granted only SELECT and INSERT', () => {
    const role = uniqueName('vanta_appender');
    let url = '';
    let drop: () => Promise<void> = async () => {};
    let store: DrizzleStore;
    beforeAll(async () => {
      ({ url, drop } = await createTestDatabase());
      store = await createStore(url);
      await store.audit.append(deadLettered('role_1', { n: 1 }));
      await store.database.query(`create role ${role} nologin`);
      await store.database.query(`grant select, insert on audit_log to ${role}`);
    });
    afterAll(async () => {
      // Roles belong to the server, not to the database: revoke and drop it before the database goes.
      await store.database.query(`revoke all on audit_log from ${role}`).catch(() => undefined);
      await store.database.query(`drop role if exists ${role}`).catch(() => undefined);
      await store.close();
      await drop();
    });

    it('reads and appends, and is denied UPDATE, DELETE, TRUNCATE and switching triggers off', async () => {
      const { default: postgres } = await import('postgres');
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      const failure = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof Error ? e.message : String(e)));
      try {
        await sql.unsafe(`set role ${role}`);
        expect((await sql.unsafe(`select current_user as who`))[0]?.who).toBe(role);
        expect((await sql.unsafe(`select count(*)::int as n from audit_log`))[0]?.n).toBe(1);
        await sql.unsafe(
          `insert into audit_log (seq, event_id, type, ts_event, ts_init, payload, prev_hash, hash)
           values (2, 'role_2', 'DeadLettered', 0, 0, '{}'::jsonb, repeat('0', 64), repeat('1', 64))`,
        );
        expect(await failure(sql.unsafe(`update audit_log set payload = '{}'::jsonb where seq = 1`))).toBe('permission denied for table audit_log');
        expect(await failure(sql.unsafe(`delete from audit_log where seq = 1`))).toBe('permission denied for table audit_log');
        expect(await failure(sql.unsafe(`truncate audit_log`))).toBe('permission denied for table audit_log');
        expect(await failure(sql.unsafe(`set session_replication_role = replica`))).toMatch(/permission denied to set parameter "session_replication_role"/);
        expect(await failure(sql.unsafe(`alter table audit_log disable trigger audit_log_append_only`))).toMatch(/must be owner of table audit_log/);
      } finally {
        await sql.end({ timeout: 5 });
      }
      expect(await store.audit.count()).toBe(2);
    });
  });
});
