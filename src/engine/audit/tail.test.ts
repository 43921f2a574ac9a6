import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLettered } from '../store/store.fixtures.js';
import { createStore, type DrizzleStore } from '../store/repositories.js';
import { tamperAuditLog } from '../store/store.contract.js';
import { describeVerification, verifyAuditTail } from './tail.js';

let store: DrizzleStore;

beforeAll(async () => {
  store = await createStore('memory://');
  for (let i = 1; i <= 30; i++) await store.audit.append(deadLettered(`e_${i}`, { n: i }));
});
afterAll(async () => {
  await store?.close();
});

describe('the audit tail checked at start', () => {
  it('re-hashes the last entries, from the one before them as the anchor', async () => {
    const tail = await verifyAuditTail(store.audit, 10);
    expect(tail).toMatchObject({ ok: true, entries: 10, fromSeq: 21 });
    expect(describeVerification(tail)).toBe('audit chain intact: 10 entries checked');
  });

  it('names the first altered entry in the tail, and leaves older ones to the full check', async () => {
    // The log is append-only in the database: tamper as a superuser would (see tamperAuditLog).
    const raw = (text: string) => store.database.query(text);
    await tamperAuditLog(raw, `update audit_log set payload = '{"x":1}'::jsonb where seq = 25`);
    await tamperAuditLog(raw, `update audit_log set payload = '{"x":2}'::jsonb where seq = 3`);
    const tail = await verifyAuditTail(store.audit, 10);
    expect(tail).toMatchObject({ ok: false, brokenAtSeq: 25, problem: 'altered', eventId: 'e_25' });
    expect(describeVerification(tail)).toBe('audit chain BROKEN at entry 25: altered (event e_25); 5 entries checked');
    expect(await store.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });
});
