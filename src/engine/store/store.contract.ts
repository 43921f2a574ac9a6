/**
 * The store's contract suite, run against every driver (in-memory PGlite and PostgreSQL). Each group gets a
 * store of its own from `makeStore`; tests inside a group keep to their own ids, sources and instruments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical.js';
import type { ConvictionVector, VantaEvent } from '../types.js';
import { auditHash, GENESIS_HASH } from './audit.repo.js';
import { encodeCursor } from './pagination.js';
import { InvalidCursorError, type Page, type Store, StoreError } from './ports.js';
import { convictionScored, convictionVector, deadLettered, instrument, signalEvent } from './store.fixtures.js';

export type RawQuery = (text: string, params?: readonly unknown[]) => Promise<Record<string, unknown>[]>;

export interface ContractStore {
  readonly store: Store;
  /** Raw SQL on the same database, for what the ports do not offer (tampering with the audit log). */
  readonly rawQuery: RawQuery;
  readonly cleanup: () => Promise<void>;
}

/**
 * Runs `statement` against the audit log the way an attacker with superuser rights would have to. The database
 * refuses UPDATE, DELETE and TRUNCATE on `audit_log` (migration 0006: a statement trigger, and no such privilege
 * for anyone but the owner), so the statement runs in a DO block that first sets `session_replication_role =
 * replica` for its transaction: ordinary triggers do not fire then, and only a superuser may set it. One
 * statement, so it works the same on PGlite and through a PostgreSQL connection pool (a `SET LOCAL` sent on its
 * own could land on another connection than the UPDATE). `statement` takes no parameters: inline the values.
 */
export async function tamperAuditLog(rawQuery: RawQuery, statement: string): Promise<void> {
  if (statement.includes('$tamper$')) throw new Error('the statement may not contain the $tamper$ quote');
  await rawQuery(`do $tamper$ begin set local session_replication_role = replica; ${statement}; end $tamper$`);
}

/** Every page of a listing, following cursors. */
async function allPages<T>(fetch: (after: string | null) => Promise<Page<T>>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const page = await fetch(after);
    expect(page.cursors).toHaveLength(page.items.length);
    items.push(...page.items);
    if (!page.hasNextPage) return { items, pages };
    after = page.cursors[page.cursors.length - 1] ?? null;
  }
}

/** What an entry's hash covers, taken from the event as appended (payload as plain JSON). */
const contentOf = (e: VantaEvent) => ({
  eventId: e.id,
  type: e.type,
  tsEvent: e.tsEvent,
  tsInit: e.tsInit,
  causationIds: e.causationIds,
  payload: JSON.parse(canonicalJson(e.payload)) as unknown,
});

const byKeyDesc = <T>(key: (x: T) => number, id: (x: T) => string) => (a: T, b: T) =>
  key(b) - key(a) || (id(a) < id(b) ? 1 : id(a) > id(b) ? -1 : 0);

/** A fresh store for the enclosing describe block. */
export function useContractStore(makeStore: () => Promise<ContractStore>): () => ContractStore {
  let current: ContractStore | undefined;
  beforeAll(async () => {
    current = await makeStore();
  });
  afterAll(async () => {
    await current?.cleanup();
  });
  return () => {
    if (!current) throw new Error('store not ready');
    return current;
  };
}

export function storeContract(name: string, makeStore: () => Promise<ContractStore>): void {
  const useStore = () => useContractStore(makeStore);

  describe(`store contract: ${name}`, () => {
    describe('basics', () => {
      const ctx = useStore();
      it('answers ping and starts empty', async () => {
        const { store } = ctx();
        expect(await store.ping()).toBe(true);
        expect(await store.signals.count()).toBe(0);
        expect(await store.convictions.count()).toBe(0);
        expect(await store.audit.count()).toBe(0);
        expect(await store.audit.head()).toBeNull();
        expect(await store.audit.verify()).toEqual({ ok: true, entries: 0, brokenAtSeq: null });
      });

      it('collector cursors: get, set, overwrite', async () => {
        const { cursors } = ctx().store;
        expect(await cursors.get('sec-form4')).toBeNull();
        await cursors.set('sec-form4', '2024-01-01T00:00:00Z');
        await cursors.set('reddit', 't3_abc');
        await cursors.set('sec-form4', '2024-02-01T00:00:00Z');
        expect(await cursors.get('sec-form4')).toBe('2024-02-01T00:00:00Z');
        expect(await cursors.get('reddit')).toBe('t3_abc');
      });

      it('instruments: upsert inserts, then overwrites; list is sorted by symbol', async () => {
        const { instruments } = ctx().store;
        await instruments.upsertMany([]);
        await instruments.upsertMany([instrument('MSFT'), instrument('AAPL'), instrument('BTC', { assetClass: 'crypto' })]);
        await instruments.upsertMany([
          instrument('AAPL', { name: 'Apple Inc.', sector: 'Tech' }),
          instrument('ETH', { assetClass: 'crypto', venue: 'binance' }),
          instrument('ETH', { assetClass: 'crypto', venue: 'coinbase' }),
        ]);
        const list = await instruments.list();
        expect(list.map((i) => i.symbol)).toEqual(['AAPL', 'BTC', 'ETH', 'MSFT']);
        expect(await instruments.get('AAPL')).toEqual(instrument('AAPL', { name: 'Apple Inc.', sector: 'Tech' }));
        expect((await instruments.get('ETH'))?.venue).toBe('coinbase');
        expect(await instruments.get('NOPE')).toBeNull();
      });
    });

    describe('signals', () => {
      const ctx = useStore();
      it('insert is idempotent by id and round-trips every field', async () => {
        const { signals } = ctx().store;
        const e = signalEvent(1, { prefix: 'idem', source: 'idem', kind: 'social_mention' });
        expect(await signals.insert(e)).toBe(true);
        expect(await signals.insert(e)).toBe(false);
        const { flags, weight, nearDuplicateOf, swarm, lateness, clockSkewMs, ...signal } = e.payload;
        expect(await signals.get(e.id)).toEqual({
          id: e.id,
          ...signal,
          flags,
          weight,
          evidence: null,
          tsEvent: e.tsEvent,
          tsInit: e.tsInit,
          causationIds: e.causationIds,
        });
        expect([nearDuplicateOf, swarm, lateness, clockSkewMs]).toEqual([null, null, null, null]);
        expect(await signals.get('missing')).toBeNull();
      });

      it("keeps enrichment's flags, weight and evidence, and filters on a flag", async () => {
        const { signals } = ctx().store;
        const swarm = {
          score: 0.82,
          instrument: 'GME',
          clusterId: 'enr_first',
          posts: 9,
          accounts: 8,
          suspiciousAccounts: 7,
          suspicion: 0.8,
          similarity: 0.91,
          windowStart: 1_700_000_000_000,
          windowEnd: 1_700_000_120_000,
          sampleAccounts: ['gem1', 'gem2'],
        };
        const flagged = signalEvent(1, {
          prefix: 'flag',
          source: 'flags',
          kind: 'social_mention',
          annotations: {
            flags: ['near_duplicate', 'bot_swarm', 'late'],
            weight: 0.2,
            nearDuplicateOf: { eventId: 'enr_prev', clusterId: 'enr_first', distance: 0.125 },
            swarm,
            lateness: { stream: 'flags', watermark: 1_700_000_000_000, lateByMs: 90_000 },
            clockSkewMs: null,
          },
        });
        const clean = signalEvent(2, { prefix: 'flag', source: 'flags', kind: 'social_mention' });
        await signals.insertMany([flagged, clean]);
        expect(await signals.get(flagged.id)).toMatchObject({
          flags: ['near_duplicate', 'bot_swarm', 'late'],
          weight: 0.2,
          evidence: {
            nearDuplicateOf: { eventId: 'enr_prev', clusterId: 'enr_first', distance: 0.125 },
            swarm,
            lateness: { stream: 'flags', watermark: 1_700_000_000_000, lateByMs: 90_000 },
            clockSkewMs: null,
          },
        });
        const page = (flag: 'bot_swarm' | 'late' | 'clock_skew') =>
          signals.list({ source: 'flags', flag }, { first: 10 }).then((p) => p.items.map((i) => i.id));
        expect(await page('bot_swarm')).toEqual([flagged.id]);
        expect(await page('late')).toEqual([flagged.id]);
        expect(await page('clock_skew')).toEqual([]);
        expect((await signals.list({ source: 'flags' }, { first: 10 })).totalCount).toBe(2);
      });

      it('a second signal with the same content hash is not written', async () => {
        const { signals } = ctx().store;
        const first = signalEvent(1, { prefix: 'dup', source: 'dup', contentHash: 'same-hash' });
        const second = signalEvent(2, { prefix: 'dup', source: 'dup', contentHash: 'same-hash' });
        expect(await signals.insert(first)).toBe(true);
        expect(await signals.insert(second)).toBe(false);
        expect(await signals.get(second.id)).toBeNull();
      });

      it('filters by instrument, kind and source, and counts within the filter', async () => {
        const { signals } = ctx().store;
        const before = await signals.count();
        const events = [
          signalEvent(1, { prefix: 'flt', source: 'flt', instrument: 'AAPL', kind: 'bar' }),
          signalEvent(2, { prefix: 'flt', source: 'flt', instrument: 'AAPL', kind: 'news' }),
          signalEvent(3, { prefix: 'flt', source: 'flt', instrument: 'MSFT', kind: 'news' }),
          signalEvent(4, { prefix: 'flt', source: 'flt', instrument: null, kind: 'news' }),
          signalEvent(5, { prefix: 'flt', source: 'flt-other', instrument: 'AAPL', kind: 'bar' }),
        ];
        for (const e of events) expect(await signals.insert(e)).toBe(true);
        expect(await signals.count()).toBe(before + 5);
        const ids = async (filter: Parameters<typeof signals.list>[0]) => {
          const page = await signals.list(filter, { first: 50 });
          return { ids: page.items.map((s) => s.id), total: page.totalCount };
        };
        expect(await ids({ source: 'flt' })).toEqual({ ids: ['flt_0004', 'flt_0003', 'flt_0002', 'flt_0001'], total: 4 });
        expect(await ids({ source: 'flt', instrument: 'AAPL' })).toEqual({ ids: ['flt_0002', 'flt_0001'], total: 2 });
        expect(await ids({ source: 'flt', kind: 'news', instrument: null })).toEqual({
          ids: ['flt_0004', 'flt_0003', 'flt_0002'],
          total: 3,
        });
        expect(await ids({ source: 'flt-other', kind: 'bar', instrument: 'AAPL' })).toEqual({ ids: ['flt_0005'], total: 1 });
        expect(await ids({ source: 'nobody' })).toEqual({ ids: [], total: 0 });
      });

      it('paginates newest first (ts_init desc, id desc) with no gap or overlap, ties included', async () => {
        const { signals } = ctx().store;
        // 23 signals over 8 distinct instants, so many pages split a run of equal ts_init.
        const events = Array.from({ length: 23 }, (_, i) =>
          signalEvent(i, { prefix: 'pg', source: 'pg', tsInit: 1_700_000_000_000 + (i % 8) * 10 }),
        );
        for (const e of [...events].reverse()) await signals.insert(e);
        const expected = [...events].sort(byKeyDesc((e) => e.tsInit, (e) => e.id)).map((e) => e.id);
        for (const first of [1, 4, 5, 23, 100]) {
          const { items, pages } = await allPages((after) => signals.list({ source: 'pg' }, { first, after }));
          expect(items.map((s) => s.id)).toEqual(expected);
          expect(pages).toBe(Math.max(1, Math.ceil(23 / first)));
        }
        const page = await signals.list({ source: 'pg' }, { first: 5 });
        expect(page.totalCount).toBe(23);
        expect(page.hasNextPage).toBe(true);
      });

      it('rejects a cursor it did not issue', async () => {
        const { signals } = ctx().store;
        const bad = [
          'not a cursor!',
          'Zm9v', // "foo"
          Buffer.from('{"a":1}').toString('base64url'),
          Buffer.from('[1.5,"x"]').toString('base64url'),
          Buffer.from('["1","x"]').toString('base64url'),
        ];
        for (const after of bad) {
          const error = await signals.list({}, { first: 5, after }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(InvalidCursorError);
          expect(error).toBeInstanceOf(StoreError);
          expect((error as StoreError).code).toBe('INVALID_CURSOR');
          expect((error as Error).message).toMatch(/invalid cursor/i);
        }
      });
    });

    describe('convictions', () => {
      const ctx = useStore();
      const list = async (filter: Parameters<Store['convictions']['list']>[0], first = 100) => {
        const page = await ctx().store.convictions.list(filter, { first });
        return { ids: page.items.map((v) => v.id), total: page.totalCount };
      };

      it('insert is idempotent by id and round-trips the vector', async () => {
        const { convictions } = ctx().store;
        const v = convictionVector(1, { prefix: 'idem', instrument: 'IDEM', convictionScore: -0.8125 });
        expect(await convictions.insert(v, ['sig_0001', 'ms_0001'])).toBe(true);
        expect(await convictions.insert({ ...v, explanation: 'changed' }, [])).toBe(false);
        expect(await convictions.get(v.id)).toEqual(v);
        expect(await convictions.get('missing')).toBeNull();
        expect(await convictions.count()).toBeGreaterThanOrEqual(1);
      });

      it('filters by instrument, |score|, band, routing tag and activeAt', async () => {
        const { convictions } = ctx().store;
        const t = 1_800_000_000_000;
        const vs: ConvictionVector[] = [
          convictionVector(1, { prefix: 'f', instrument: 'FA', convictionScore: 0.9, band: 'EXTREME', routingTags: ['equity', 'insider'], createdAt: t + 1, expiresAt: t + 100 }),
          convictionVector(2, { prefix: 'f', instrument: 'FA', convictionScore: -0.7, band: 'STRONG', routingTags: ['equity'], createdAt: t + 2, expiresAt: t + 200 }),
          convictionVector(3, { prefix: 'f', instrument: 'FA', convictionScore: 0.2, band: 'WEAK', routingTags: [], createdAt: t + 3, expiresAt: t + 300 }),
          convictionVector(4, { prefix: 'f', instrument: 'FB', convictionScore: -0.95, band: 'EXTREME', routingTags: ['crypto', 'whale'], createdAt: t + 4, expiresAt: t + 400 }),
        ];
        for (const v of vs) expect(await convictions.insert(v, [v.signalId])).toBe(true);
        expect(await list({ instrument: 'FA' })).toEqual({ ids: ['f_0003', 'f_0002', 'f_0001'], total: 3 });
        expect(await list({ instrument: 'FA', minAbsScore: 0.7 })).toEqual({ ids: ['f_0002', 'f_0001'], total: 2 });
        expect(await list({ instrument: 'FB', minAbsScore: 0.95 })).toEqual({ ids: ['f_0004'], total: 1 });
        expect(await list({ instrument: 'FA', band: 'WEAK' })).toEqual({ ids: ['f_0003'], total: 1 });
        expect(await list({ routingTag: 'insider' })).toEqual({ ids: ['f_0001'], total: 1 });
        expect(await list({ routingTag: 'whale', band: 'EXTREME' })).toEqual({ ids: ['f_0004'], total: 1 });
        // activeAt: expires strictly after the instant.
        expect(await list({ instrument: 'FA', activeAt: t + 200 })).toEqual({ ids: ['f_0003'], total: 1 });
        expect(await list({ instrument: 'FA', activeAt: t + 199 })).toEqual({ ids: ['f_0003', 'f_0002'], total: 2 });
        expect(await list({ activeAt: t + 400 })).toEqual({ ids: [], total: 0 });
        expect(await list({ instrument: 'FA', minAbsScore: null, band: null, routingTag: null, activeAt: null })).toEqual({
          ids: ['f_0003', 'f_0002', 'f_0001'],
          total: 3,
        });
      });

      it('paginates by (createdAt desc, id desc) across pages, with and without a filter', async () => {
        const { convictions } = ctx().store;
        const vs = Array.from({ length: 31 }, (_, i) =>
          convictionVector(i, {
            prefix: 'p',
            instrument: i % 3 === 0 ? 'PX' : 'PY',
            createdAt: 1_900_000_000_000 + (i % 7),
            routingTags: ['paged'],
          }),
        );
        for (const v of vs) await convictions.insert(v, []);
        const expected = (pred: (v: ConvictionVector) => boolean) =>
          vs.filter(pred).sort(byKeyDesc((v) => v.createdAt, (v) => v.id)).map((v) => v.id);
        for (const first of [1, 3, 10, 31]) {
          const all = await allPages((after) => convictions.list({ routingTag: 'paged' }, { first, after }));
          expect(all.items.map((v) => v.id)).toEqual(expected(() => true));
          const px = await allPages((after) => convictions.list({ routingTag: 'paged', instrument: 'PX' }, { first, after }));
          expect(px.items.map((v) => v.id)).toEqual(expected((v) => v.instrument === 'PX'));
        }
        // A cursor from one page is stable: the same request gives the same next page.
        const p1 = await convictions.list({ routingTag: 'paged' }, { first: 4 });
        const after = p1.cursors[3]!;
        const a = await convictions.list({ routingTag: 'paged' }, { first: 4, after });
        const b = await convictions.list({ routingTag: 'paged' }, { first: 4, after });
        expect(a.items.map((v) => v.id)).toEqual(b.items.map((v) => v.id));
        expect(a.totalCount).toBe(31);
        // A well-formed cursor past the end gives an empty page.
        const end = await convictions.list({ routingTag: 'paged' }, { first: 4, after: encodeCursor({ key: 0, id: '' }) });
        expect(end).toMatchObject({ items: [], cursors: [], hasNextPage: false, totalCount: 31 });
      });

      it('clamps first to 1..500', async () => {
        const { rawQuery, store } = ctx();
        await rawQuery(
          `insert into conviction_vectors (id, signal_id, instrument, score, direction, band, reason_vector,
             contributing_models, routing_tags, ttl_seconds, expires_at, explanation, created_at)
           select 'bulk_' || lpad(g::text, 4, '0'), 'sig', 'BULK', 0.5, 'LONG', 'MODERATE', '[]'::jsonb, '[]'::jsonb,
             '{}', 60, 2000000000000 + g, '', 2000000000000 + g
           from generate_series(1, 510) as g`,
        );
        const big = await store.convictions.list({ instrument: 'BULK' }, { first: 10_000 });
        expect(big.items).toHaveLength(500);
        expect(big.hasNextPage).toBe(true);
        expect(big.totalCount).toBe(510);
        expect(big.items[0]?.id).toBe('bulk_0510');
        for (const first of [0, -3, Number.NaN]) {
          expect((await store.convictions.list({ instrument: 'BULK' }, { first })).items).toHaveLength(1);
        }
      });

      it('rejects an invalid cursor with INVALID_CURSOR', async () => {
        const error = await ctx()
          .store.convictions.list({}, { first: 5, after: '%%%' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidCursorError);
        expect((error as StoreError).code).toBe('INVALID_CURSOR');
      });
    });

    describe('audit log', () => {
      const ctx = useStore();

      it('chains entries from the genesis hash and is idempotent by event id', async () => {
        const { audit } = ctx().store;
        const e1 = deadLettered('a_0001', { raw: 'x' });
        const first = await audit.append(e1);
        expect(first).toMatchObject({ seq: 1, eventId: 'a_0001', type: 'DeadLettered', prevHash: GENESIS_HASH });
        expect(first.hash).toBe(auditHash(GENESIS_HASH, contentOf(e1)));
        const v = convictionVector(2, { prefix: 'a' });
        const second = await audit.append(convictionScored(v, ['a_0001']));
        expect(second).toMatchObject({ seq: 2, prevHash: first.hash, causationIds: ['a_0001'] });
        // Re-appending returns the stored entry unchanged, even if the payload differs.
        expect(await audit.append(deadLettered('a_0001', { raw: 'different' }))).toEqual(first);
        expect(await audit.count()).toBe(2);
        expect(await audit.head()).toEqual(second);
        expect(await audit.getByEventId('a_0001')).toEqual(first);
        expect(await audit.getByEventId('nope')).toBeNull();
        expect(await audit.verify()).toEqual({ ok: true, entries: 2, brokenAtSeq: null });
      });

      it('serializes concurrent appends into one unforked chain', async () => {
        const { audit } = ctx().store;
        const before = (await audit.head())?.seq ?? 0;
        const ids = Array.from({ length: 25 }, (_, i) => `conc_${String(i).padStart(4, '0')}`);
        const entries = await Promise.all([...ids, ...ids.slice(0, 5)].map((id) => audit.append(deadLettered(id, { i: id }))));
        const seqs = [...new Set(entries.map((e) => e.seq))].sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => before + i + 1));
        expect((await audit.verify()).ok).toBe(true);
      });

      it('round-trips payloads through jsonb exactly as canonical JSON sees them', async () => {
        const { audit } = ctx().store;
        const tricky = {
          floats: [0.1 + 0.2, 1.0, -0, 1e21, 1.5e-7, 5e-324, 1.7976931348623157e308, -123.456, 2 ** 53 + 2],
          nested: { z: { y: [1, { b: 2, a: [true, false, null] }] }, a: 'first' },
          strings: ['123', '"quoted"', 'unicode ✓ 日本 😀', 'tab\there', '\\backslash', ''],
          empty: { obj: {}, arr: [] },
          undef: undefined,
          arrayWithUndef: [1, undefined, 3],
          date: new Date(0),
        };
        const e = deadLettered('rt_0001', tricky, ['cause,with"odd{chars}', 'plain']);
        const appended = await audit.append(e);
        expect(appended.hash).toBe(auditHash(appended.prevHash, contentOf(e)));
        const read = await audit.getByEventId('rt_0001');
        expect(canonicalJson(read?.payload)).toBe(canonicalJson(appended.payload));
        expect(read?.causationIds).toEqual(['cause,with"odd{chars}', 'plain']);
        expect(auditHash(read!.prevHash, read!)).toBe(read!.hash);
        expect(await audit.verify()).toMatchObject({ ok: true, brokenAtSeq: null });
      });

      it('refuses a payload jsonb cannot store, with a StoreError, and keeps the chain intact', async () => {
        const { audit } = ctx().store;
        const count = await audit.count();
        await expect(audit.append(deadLettered('nul_0001', 'a\u0000b'))).rejects.toBeInstanceOf(StoreError);
        expect(await audit.count()).toBe(count);
        expect((await audit.append(deadLettered('nul_0002', 'fine'))).seq).toBe(count + 1);
      });

      it('getManyByEventIds returns the stored ones, in chain order', async () => {
        const { audit } = ctx().store;
        const many = await audit.getManyByEventIds(['conc_0003', 'missing', 'a_0001', 'conc_0003', 'rt_0001']);
        expect(many.map((e) => e.eventId)).toEqual(['a_0001', 'conc_0003', 'rt_0001']);
        expect(await audit.getManyByEventIds([])).toEqual([]);
      });

      it('latestOfType finds the newest entry of a type, matching top-level payload fields', async () => {
        const { audit } = ctx().store;
        await audit.append({ ...deadLettered('lot_1', 1), payload: { stage: 'features', error: 'e1', source: 1 } });
        await audit.append({ ...deadLettered('lot_2', 2), payload: { stage: 'enrich', error: 'e2', source: 2 } });
        await audit.append({ ...deadLettered('lot_3', 3), payload: { stage: 'features', error: 'e3', source: 3 } });
        expect((await audit.latestOfType('DeadLettered'))?.eventId).toBe('lot_3');
        expect((await audit.latestOfType('DeadLettered', { stage: 'enrich' }))?.eventId).toBe('lot_2');
        expect((await audit.latestOfType('DeadLettered', { stage: 'enrich', error: 'e1' }))).toBeNull();
        expect(await audit.latestOfType('NoSuchType')).toBeNull();
      });

      it('verify(fromSeq) checks from that entry on, batching past 1000 entries', async () => {
        const { audit } = ctx().store;
        const head = (await audit.head())!;
        for (let i = 0; i < 1020; i++) await audit.append(deadLettered(`bulk_${String(i).padStart(5, '0')}`, { i }));
        const all = await audit.verify();
        expect(all).toEqual({ ok: true, entries: head.seq + 1020, brokenAtSeq: null });
        expect(await audit.verify(head.seq + 1)).toEqual({ ok: true, entries: 1020, brokenAtSeq: null });
      }, 120_000);
    });

    describe('audit tamper detection', () => {
      const ctx = useStore();
      beforeAll(async () => {
        for (let i = 1; i <= 6; i++) await ctx().store.audit.append(deadLettered(`t_${i}`, { n: i, nested: { f: i / 3 } }));
      });

      it('reports the first entry whose payload was altered in place', async () => {
        const { store, rawQuery } = ctx();
        expect(await store.audit.verify()).toEqual({ ok: true, entries: 6, brokenAtSeq: null });
        await tamperAuditLog(rawQuery, `update audit_log set payload = jsonb_set(payload, '{stage}', '"tampered"') where seq = 4`);
        expect(await store.audit.verify()).toEqual({ ok: false, entries: 4, brokenAtSeq: 4, problem: 'altered', eventId: 't_4' });
        expect((await store.audit.verify(5)).ok).toBe(true);
      });

      it('reports a removed entry at its position', async () => {
        const { store, rawQuery } = ctx();
        await tamperAuditLog(rawQuery, `delete from audit_log where seq = 5`);
        expect(await store.audit.verify(5)).toMatchObject({ ok: false, brokenAtSeq: 5, problem: 'removed' });
      });

      it('reports a rewritten hash through the broken link to the next entry', async () => {
        const { store, rawQuery } = ctx();
        await tamperAuditLog(rawQuery, `update audit_log set hash = repeat('f', 64) where seq = 2`);
        expect(await store.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 2, problem: 'altered' });
      });

      it('reports two entries swapped as out of order at the first of them', async () => {
        const { store, rawQuery } = ctx();
        await tamperAuditLog(rawQuery, `update audit_log set seq = 999999 where seq = 6`);
        await tamperAuditLog(rawQuery, `update audit_log set seq = 6 where seq = 3`);
        await tamperAuditLog(rawQuery, `update audit_log set seq = 3 where seq = 999999`);
        // Entry 2 was rewritten above; start after it. The entry now at 3 is intact but follows entry 5.
        expect(await store.audit.verify(3)).toMatchObject({ ok: false, brokenAtSeq: 3, problem: 'reordered', eventId: 't_6' });
      });
    });
  });
}
