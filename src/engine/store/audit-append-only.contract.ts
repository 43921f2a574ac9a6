/**
 * The audit log is append-only in the database itself (migration 0006), on both drivers: UPDATE, DELETE and
 * TRUNCATE on `audit_log` and `audit_checkpoints` fail with a message that says so, appends go on, no role but
 * the owner holds those privileges, and only a superuser switching triggers off (as tamperAuditLog does) gets past.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from './ports.js';
import { type RawQuery, tamperAuditLog, useContractStore } from './store.contract.js';
import { deadLettered } from './store.fixtures.js';

export interface AppendOnlyStore {
  readonly store: Store;
  readonly rawQuery: RawQuery;
  readonly cleanup: () => Promise<void>;
}

/** The error a statement fails with (its message), or 'resolved'. */
async function failureOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return 'resolved';
}

export function auditAppendOnlyContract(name: string, open: () => Promise<AppendOnlyStore>): void {
  describe(`audit log append-only in the database: ${name}`, () => {
    const ctx = useContractStore(open);

    it('refuses UPDATE, DELETE and TRUNCATE on audit_log with a message naming the table and the statement', async () => {
      const { store, rawQuery } = ctx();
      for (let i = 1; i <= 3; i++) await store.audit.append(deadLettered(`ao_${i}`, { i }));
      expect(await failureOf(rawQuery(`update audit_log set payload = '{}'::jsonb where seq = 2`))).toBe('audit_log is append-only: UPDATE is refused');
      expect(await failureOf(rawQuery(`delete from audit_log where seq = 3`))).toBe('audit_log is append-only: DELETE is refused');
      expect(await failureOf(rawQuery(`truncate audit_log`))).toBe('audit_log is append-only: TRUNCATE is refused');
      // A statement trigger: refused even when it would touch no row.
      expect(await failureOf(rawQuery(`delete from audit_log where seq < 0`))).toBe('audit_log is append-only: DELETE is refused');
      expect(await store.audit.count()).toBe(3);
      expect(await store.audit.verify()).toEqual({ ok: true, entries: 3, brokenAtSeq: null });
    });

    it('goes on appending, and refuses an upsert that would rewrite an entry', async () => {
      const { store, rawQuery } = ctx();
      const before = await store.audit.count();
      expect((await store.audit.append(deadLettered('ao_next', { ok: true }))).seq).toBe(before + 1);
      const upsert = `insert into audit_log (seq, event_id, type, ts_event, ts_init, payload, prev_hash, hash)
        select seq, event_id, type, ts_event, ts_init, payload, prev_hash, hash from audit_log where seq = 1
        on conflict (seq) do update set payload = '{}'::jsonb`;
      expect(await failureOf(rawQuery(upsert))).toBe('audit_log is append-only: UPDATE is refused');
      expect(await store.audit.verify()).toMatchObject({ ok: true });
    });

    it('refuses the same on the stored checkpoints', async () => {
      const { rawQuery } = ctx();
      await rawQuery(`insert into audit_checkpoints (from_seq, to_seq, root, created_at) values (1, 1024, repeat('a', 64), 0)`);
      expect(await failureOf(rawQuery(`update audit_checkpoints set root = repeat('b', 64)`))).toBe('audit_checkpoints is append-only: UPDATE is refused');
      expect(await failureOf(rawQuery(`delete from audit_checkpoints`))).toBe('audit_checkpoints is append-only: DELETE is refused');
      expect(await failureOf(rawQuery(`truncate audit_checkpoints`))).toBe('audit_checkpoints is append-only: TRUNCATE is refused');
    });

    it('grants no one but the owner UPDATE, DELETE or TRUNCATE', async () => {
      const { rawQuery } = ctx();
      const rows = await rawQuery(
        `select has_table_privilege('public', t, 'UPDATE') as u, has_table_privilege('public', t, 'DELETE') as d,
           has_table_privilege('public', t, 'TRUNCATE') as tr from unnest(array['audit_log', 'audit_checkpoints']) as t`,
      );
      expect(rows).toEqual([
        { u: false, d: false, tr: false },
        { u: false, d: false, tr: false },
      ]);
    });

    it('lets a superuser past only by switching triggers off for one transaction, and verify catches it', async () => {
      const { store, rawQuery } = ctx();
      await tamperAuditLog(rawQuery, `update audit_log set payload = '{"x":1}'::jsonb where seq = 2`);
      expect(await store.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 2, problem: 'altered', eventId: 'ao_2' });
      // The trigger is on again once that transaction is over.
      expect(await failureOf(rawQuery(`delete from audit_log where seq = 2`))).toBe('audit_log is append-only: DELETE is refused');
    });
  });
}
