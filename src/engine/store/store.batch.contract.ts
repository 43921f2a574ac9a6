/**
 * The store's batched writes, run against every driver like the rest of the contract (store.contract.ts):
 * audit appends that share transactions (group commit) and multi-row inserts of signals and convictions.
 * What they must keep: the chain's order and continuity, each caller's own outcome when something fails,
 * nothing lost, and idempotency when events are delivered again.
 */
import { describe, expect, it } from 'vitest';
import { auditHash, DrizzleAuditRepository } from './audit.repo.js';
import { StoreError } from './ports.js';
import type { DrizzleStore } from './repositories.js';
import { signalRecordOf } from './signals.repo.js';
import { type ContractStore, useContractStore } from './store.contract.js';
import { convictionVector, deadLettered, signalEvent } from './store.fixtures.js';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}_${String(i).padStart(4, '0')}`);
const consecutive = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

export function batchWritesContract(name: string, makeStore: () => Promise<ContractStore>): void {
  describe(`store batched writes: ${name}`, () => {
    describe('audit group commit', () => {
      const ctx = useContractStore(makeStore);
      const headSeq = async () => (await ctx().store.audit.head())?.seq ?? 0;

      it('chains concurrent callers in call order, with no gap and no fork', async () => {
        const { audit } = ctx().store;
        const before = await headSeq();
        const a = ids('order_a', 40).map((id) => deadLettered(id, { id }));
        const b = ids('order_b', 40).map((id) => deadLettered(id, { id }));
        const single = deadLettered('order_single', {});
        const [entriesA, entriesB, entrySingle] = await Promise.all([
          audit.appendMany(a),
          audit.appendMany(b),
          audit.append(single),
        ]);
        // Calls made in one tick are chained in the order they were made.
        expect(entriesA.map((e) => e.seq)).toEqual(consecutive(before + 1, 40));
        expect(entriesB.map((e) => e.seq)).toEqual(consecutive(before + 41, 40));
        expect(entrySingle.seq).toBe(before + 81);
        expect(entriesA.map((e) => e.eventId)).toEqual(a.map((e) => e.id));
        const all = [...entriesA, ...entriesB, entrySingle];
        all.slice(1).forEach((entry, i) => expect(entry.prevHash).toBe(all[i]!.hash));
        expect(await audit.verify()).toMatchObject({ ok: true, brokenAtSeq: null });
      });

      it('keeps appending while writes are in flight: what arrives meanwhile joins the next write', async () => {
        const { audit } = ctx().store;
        const before = await headSeq();
        const waves = await Promise.all(
          [0, 1, 2, 3, 4].map(async (wave) => {
            await new Promise((r) => setTimeout(r, wave)); // arrive while the previous wave is being written
            return audit.appendMany(ids(`wave${wave}`, 30).map((id) => deadLettered(id, { wave })));
          }),
        );
        const seqs = waves.flat().map((e) => e.seq);
        expect(new Set(seqs).size).toBe(150);
        expect([...seqs].sort((x, y) => x - y)).toEqual(consecutive(before + 1, 150));
        for (const wave of waves) expect(wave.map((e) => e.seq)).toEqual([...wave.map((e) => e.seq)].sort((x, y) => x - y));
        expect(await audit.count()).toBe(before + 150);
        expect(await audit.verify()).toMatchObject({ ok: true, brokenAtSeq: null });
      });

      it('a bad event fails alone: every other caller is appended, in order, with no gap', async () => {
        const { audit } = ctx().store;
        const before = await headSeq();
        const events = ids('iso', 6).map((id) => deadLettered(id, { id }));
        // A fractional timestamp passes every check in the process; the database's bigint column refuses it.
        const bad = { ...deadLettered('iso_bad', {}), tsEvent: 1.5 };
        const outcomes = await Promise.allSettled([...events.slice(0, 3), bad, ...events.slice(3)].map((e) => audit.append(e)));
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
        const rejected = outcomes[3] as PromiseRejectedResult;
        expect(rejected.reason).toBeInstanceOf(StoreError);
        expect((rejected.reason as Error).message).toContain('iso_bad');
        const seqs = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.seq] : []));
        expect(seqs).toEqual(consecutive(before + 1, 6));
        expect(await audit.getByEventId('iso_bad')).toBeNull();
        expect(await audit.verify()).toMatchObject({ ok: true, brokenAtSeq: null });
      });

      it('a batch delivered again appends only what is new and returns the stored entries for the rest', async () => {
        const { audit } = ctx().store;
        const events = ids('redo', 15).map((id) => deadLettered(id, { id }));
        const first = await audit.appendMany(events.slice(0, 10));
        const count = await audit.count();
        const again = await audit.appendMany([...events.slice(5, 15), events[0]!, events[12]!]);
        expect(again.slice(0, 5)).toEqual(first.slice(5, 10));
        expect(again.slice(5, 10).map((e) => e.seq)).toEqual(consecutive(first[9]!.seq + 1, 5));
        expect(again[10]).toEqual(first[0]);
        expect(again[11]).toEqual(again[7]); // a repeat inside the batch is the same entry
        expect(await audit.count()).toBe(count + 5);
        expect(await audit.verify()).toMatchObject({ ok: true, brokenAtSeq: null });
      });

      it('two appenders on one database take turns: no fork, no gap, no caller failed', async () => {
        const { store } = ctx();
        const other = new DrizzleAuditRepository((store as DrizzleStore).database.db);
        const before = await headSeq();
        const rounds = await Promise.all(
          Array.from({ length: 8 }, async (_, round) => {
            await new Promise((r) => setTimeout(r, round % 3));
            const mine = store.audit.appendMany(ids(`turn_a${round}`, 20).map((id) => deadLettered(id, { round })));
            const theirs = other.appendMany(ids(`turn_b${round}`, 20).map((id) => deadLettered(id, { round })));
            return [...(await mine), ...(await theirs)];
          }),
        );
        const seqs = rounds.flat().map((e) => e.seq).sort((x, y) => x - y);
        expect(seqs).toEqual(consecutive(before + 1, 8 * 40));
        expect(await store.audit.verify()).toMatchObject({ ok: true, brokenAtSeq: null });
      });

      it('chains from the real head when another appender wrote in between', async () => {
        const { store, rawQuery } = ctx();
        await store.audit.append(deadLettered('other_before', {}));
        // Another writer (another repository on the same database) appends an entry behind this one's back.
        const head = (await store.audit.head())!;
        const content = { eventId: 'other_writer', type: 'DeadLettered', tsEvent: 1, tsInit: 2, causationIds: [], payload: { by: 'other' } };
        await rawQuery(
          `insert into audit_log (seq, event_id, type, ts_event, ts_init, causation_ids, payload, prev_hash, hash)
           values ($1, $2, $3, $4, $5, '{}', $6::jsonb, $7, $8)`,
          [head.seq + 1, content.eventId, content.type, content.tsEvent, content.tsInit, JSON.stringify(content.payload), head.hash, auditHash(head.hash, content)],
        );
        const next = await store.audit.append(deadLettered('other_after', {}));
        expect(next.seq).toBe(head.seq + 2);
        expect(await store.audit.verify()).toMatchObject({ ok: true, brokenAtSeq: null });
      });
    });

    describe('multi-row inserts', () => {
      const ctx = useContractStore(makeStore);

      it('signals: one call stores a batch and says, for each, whether it was written', async () => {
        const { signals } = ctx().store;
        const stored = signalEvent(1, { prefix: 'many' });
        expect(await signals.insertMany([stored])).toEqual([true]);
        const fresh = [2, 3, 4].map((n) => signalEvent(n, { prefix: 'many', kind: 'news', instrument: n === 3 ? null : 'MSFT' }));
        const sameContent = signalEvent(5, { prefix: 'many', contentHash: fresh[0]!.payload.contentHash });
        const unicode = signalEvent(6, { prefix: 'many', kind: 'social_mention', body: { text: 'ünïcødé ✓ 日本 😀 "q" \\ \t', n: 2 ** 53 - 1, f: 0.1 + 0.2, empty: {}, list: [null, true, 'x'] } });
        const written = await signals.insertMany([fresh[0]!, stored, fresh[1]!, fresh[0]!, sameContent, fresh[2]!, unicode]);
        expect(written).toEqual([true, false, true, false, false, true, true]);
        for (const e of [...fresh, unicode]) {
          expect(await signals.get(e.id)).toEqual(signalRecordOf(e));
        }
        expect(await signals.get(sameContent.id)).toBeNull();
        expect(await signals.insertMany([])).toEqual([]);
      });

      it('convictions: one call stores a batch and says, for each, whether it was written', async () => {
        const { convictions } = ctx().store;
        const vectors = [1, 2, 3].map((n) => convictionVector(n, { prefix: 'many', convictionScore: n === 2 ? -0.75 : 0.5 }));
        expect(await convictions.insertMany([{ vector: vectors[0]!, causationIds: ['a'] }])).toEqual([true]);
        const written = await convictions.insertMany([
          { vector: vectors[1]!, causationIds: ['b', 'c'] },
          { vector: vectors[0]!, causationIds: [] },
          { vector: vectors[2]!, causationIds: [] },
          { vector: vectors[2]!, causationIds: [] },
        ]);
        expect(written).toEqual([true, false, true, false]);
        for (const v of vectors) expect(await convictions.get(v.id)).toEqual(v);
        expect(await convictions.insertMany([])).toEqual([]);
      });
    });
  });
}
