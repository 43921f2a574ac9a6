/**
 * The entity graph's contract suite, run against every driver (in-memory PGlite and PostgreSQL). The suite shares
 * one graph from `makeGraph` (opening and migrating a database costs seconds); each test keeps to ids of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_KINDS, type EdgeKind, ENTITY_KINDS } from '../entities/ids.js';
import {
  type EdgeUpsert,
  EntityGraphError,
  type EntityGraphRepository,
  type EntityUpsert,
  type GraphDelta,
} from '../entities/ports.js';
import type { RawQuery } from './store.contract.js';

export interface ContractGraph {
  readonly graph: EntityGraphRepository;
  readonly rawQuery: RawQuery;
  readonly cleanup: () => Promise<void>;
}

const T = Date.UTC(2024, 0, 2);
const H = 3_600_000;

const entity = (
  id: string,
  kind: EntityUpsert['kind'],
  ts: number,
  eventId: string,
  over: Partial<EntityUpsert> = {},
): EntityUpsert => ({ id, kind, ts, eventId, ...over });
const edge = (src: string, kind: EdgeKind, dst: string, ts: number, eventId: string, attrs?: Record<string, unknown>) =>
  ({ src, kind, dst, ts, eventId, ...(attrs ? { attrs } : {}) }) satisfies EdgeUpsert;

export function entityGraphContract(name: string, makeGraph: () => Promise<ContractGraph>): void {
  describe(`entity graph contract: ${name}`, () => {
    let current: ContractGraph | undefined;
    beforeAll(async () => {
      current = await makeGraph();
    });
    afterAll(async () => {
      await current?.cleanup();
    });
    const ctx = (): ContractGraph => {
      if (!current) throw new Error('graph not ready');
      return current;
    };

    describe('entities', () => {

      it('starts empty, and stores an entity as observed', async () => {
        const { graph } = ctx();
        expect(await graph.countEntities()).toBe(0);
        const apple = entity('ins:AAPL', 'instrument', T, 'e1', { name: 'Apple Inc.', attrs: { symbol: 'AAPL' } });
        await graph.upsertEntities([apple]);
        expect(await graph.getEntity('ins:AAPL')).toEqual({
          id: 'ins:AAPL',
          kind: 'instrument',
          name: 'Apple Inc.',
          attrs: { symbol: 'AAPL' },
          firstSeen: T,
          lastSeen: T,
          createdBy: 'e1',
          updatedBy: 'e1',
        });
        expect(await graph.getEntity('ins:NONE')).toBeNull();
      });

      it('accepts every entity kind', async () => {
        const { graph } = ctx();
        const ids: Record<(typeof ENTITY_KINDS)[number], string> = {
          instrument: 'ins:KINDS',
          filer: 'cik:0000000001',
          person: 'per:cik:0000000001:kinds',
          wallet: 'wal:eth:0xkinds',
          token: 'tok:eth:0xkinds',
          label: 'lbl:kinds',
          author: 'aut:reddit:kinds',
        };
        await graph.upsertEntities(ENTITY_KINDS.map((k) => entity(ids[k], k, T, 'kinds')));
        for (const k of ENTITY_KINDS) expect((await graph.getEntity(ids[k]))?.kind).toBe(k);
      });

      it('is idempotent: the same observations twice leave the same rows', async () => {
        const { graph } = ctx();
        const delta: GraphDelta = {
          entities: [entity('aut:reddit:idem', 'author', T, 'e2', { name: 'Idem', attrs: { followers: 10 } })],
          edges: [edge('aut:reddit:idem', 'mentions', 'ins:IDEM', T, 'e2')],
        };
        await graph.record(delta);
        const rows = async () => [
          await graph.getEntity('aut:reddit:idem'),
          await graph.getEntity('ins:IDEM'),
          await graph.getEdge('aut:reddit:idem', 'mentions', 'ins:IDEM'),
        ];
        const before = await rows();
        const counts = [await graph.countEntities(), await graph.countEdges()];
        await graph.record(delta);
        const twice = { entities: [...delta.entities, ...delta.entities], edges: [...delta.edges, ...delta.edges] };
        await graph.record(twice);
        expect(await rows()).toEqual(before);
        expect([await graph.countEntities(), await graph.countEdges()]).toEqual(counts);
      });

      it('merges observations the same way whatever their order, in one batch or several', async () => {
        const { graph } = ctx();
        const older = (id: string) =>
          entity(id, 'label', T, 'ev_a', { name: 'Old name', attrs: { a: 1, shared: 'old', nested: { x: [1, 2] } } });
        const newer = (id: string) =>
          entity(id, 'label', T + H, 'ev_b', { name: null, attrs: { b: 2, shared: 'new' } });
        const tie = (id: string) => entity(id, 'label', T + H, 'ev_c', { attrs: { shared: 'tie' } });
        await graph.upsertEntities([older('lbl:order1')]);
        await graph.upsertEntities([newer('lbl:order1')]);
        await graph.upsertEntities([tie('lbl:order1')]);
        await graph.upsertEntities([tie('lbl:order2')]);
        await graph.upsertEntities([newer('lbl:order2')]);
        await graph.upsertEntities([older('lbl:order2')]);
        await graph.upsertEntities([newer('lbl:order3'), tie('lbl:order3'), older('lbl:order3')]);
        const rows = await Promise.all(['lbl:order1', 'lbl:order2', 'lbl:order3'].map((id) => graph.getEntity(id)));
        for (const row of rows) {
          expect({ ...row, id: 'x' }).toEqual({
            id: 'x',
            kind: 'label',
            // An observation without a name does not erase one.
            name: 'Old name',
            // The latest observation's attributes, whole (ties: the larger event id).
            attrs: { shared: 'tie' },
            firstSeen: T,
            lastSeen: T + H,
            createdBy: 'ev_a',
            updatedBy: 'ev_c',
          });
        }
      });

      it('keeps name and attributes when an observation gives neither (an edge endpoint), in any order', async () => {
        const { graph } = ctx();
        const named = entity('ins:KEEP', 'instrument', T, 'k1', { name: 'Keep Corp', attrs: { symbol: 'KEEP' } });
        const bare = edge('aut:reddit:keeper', 'mentions', 'ins:KEEP', T + H, 'k2');
        await graph.record({ entities: [], edges: [bare] });
        await graph.upsertEntities([named]);
        await graph.upsertEdges([bare]);
        expect(await graph.getEntity('ins:KEEP')).toMatchObject({
          name: 'Keep Corp',
          attrs: { symbol: 'KEEP' },
          firstSeen: T,
          lastSeen: T + H,
          createdBy: 'k1',
          updatedBy: 'k2',
        });
      });

      it('refuses an id whose prefix does not match its kind, and the database refuses unknown kinds', async () => {
        const { graph, rawQuery } = ctx();
        for (const bad of [entity('ins:X', 'wallet', T, 'e'), entity('ins:X', 'instrument', 1.5, 'e')]) {
          await expect(graph.upsertEntities([bad])).rejects.toBeInstanceOf(EntityGraphError);
        }
        await expect(
          rawQuery(
            `insert into entities (id, kind, attrs, first_seen, last_seen, created_by, updated_by)
             values ('q:1', 'planet', '{}', 1, 1, 'e', 'e')`,
          ),
        ).rejects.toThrow();
        expect(await graph.getEntity('ins:X')).toBeNull();
      });
    });

    describe('edges', () => {

      it('creates their endpoints, of the kind their ids name', async () => {
        const { graph } = ctx();
        const ceo = edge('cik:0001214156', 'insider_of', 'cik:0000320193', T, 'f1', { relationship: 'CEO' });
        await graph.upsertEdges([ceo]);
        expect((await graph.getEntity('cik:0001214156'))?.kind).toBe('filer');
        expect(await graph.getEdge('cik:0001214156', 'insider_of', 'cik:0000320193')).toEqual({
          src: 'cik:0001214156',
          kind: 'insider_of',
          dst: 'cik:0000320193',
          attrs: { relationship: 'CEO' },
          firstSeen: T,
          lastSeen: T,
          createdBy: 'f1',
          updatedBy: 'f1',
        });
      });

      it('keep as provenance the event that created them, even when an earlier one arrives late', async () => {
        const { graph } = ctx();
        const e = (ts: number, id: string, role: string) =>
          edge('per:ins:MSFT:jane-doe', 'insider_of', 'ins:MSFT', ts, id, { relationship: role });
        await graph.upsertEdges([e(T + 2 * H, 'f3', 'CFO')]);
        await graph.upsertEdges([e(T + 3 * H, 'f4', 'CEO')]);
        expect(await graph.getEdge('per:ins:MSFT:jane-doe', 'insider_of', 'ins:MSFT')).toMatchObject({
          createdBy: 'f3',
          updatedBy: 'f4',
          attrs: { relationship: 'CEO' },
        });
        await graph.upsertEdges([e(T + H, 'f2', 'Director')]);
        const now = await graph.getEdge('per:ins:MSFT:jane-doe', 'insider_of', 'ins:MSFT');
        expect(now).toMatchObject({ createdBy: 'f2', updatedBy: 'f4', firstSeen: T + H, lastSeen: T + 3 * H });
        expect(now?.attrs).toEqual({ relationship: 'CEO' });
        expect((await graph.edgesCreatedBy('f2')).map((x) => x.dst)).toEqual(['ins:MSFT']);
        expect(await graph.edgesCreatedBy('f3')).toEqual([]);
      });

      it('refuse unknown kinds and endpoints that are not entity ids', async () => {
        const { graph } = ctx();
        const unknownKind = edge('ins:A', 'likes' as EdgeKind, 'ins:B', T, 'x');
        for (const bad of [unknownKind, edge('AAPL', 'mentions', 'ins:B', T, 'x')]) {
          await expect(graph.upsertEdges([bad])).rejects.toBeInstanceOf(EntityGraphError);
        }
        expect(await graph.getEntity('ins:B')).toBeNull();
        expect(EDGE_KINDS.length).toBeGreaterThan(0);
      });
    });

    describe('neighbours', () => {
      const hub = 'wal:eth:0xhub';
      beforeAll(async () => {
        await ctx().graph.record({
          entities: [entity('lbl:binance', 'label', T, 'n0', { name: 'Binance' })],
          edges: [
            edge(hub, 'labelled_as', 'lbl:binance', T, 'n1'),
            edge(hub, 'transfers_to', 'wal:eth:0xb', T + H, 'n2'),
            edge(hub, 'transfers_to', 'wal:eth:0xa', T + 2 * H, 'n3'),
            edge('wal:eth:0xc', 'transfers_to', hub, T + 3 * H, 'n4'),
            edge('wal:eth:0xa', 'transfers_to', hub, T + 4 * H, 'n5'),
          ],
        });
      });

      it('lists both directions, outgoing first, by kind then id, with the entity at the other end', async () => {
        const all = await ctx().graph.neighbours(hub);
        expect(all.map((n) => [n.direction, n.edge.kind, n.entity.id])).toEqual([
          ['out', 'labelled_as', 'lbl:binance'],
          ['out', 'transfers_to', 'wal:eth:0xa'],
          ['out', 'transfers_to', 'wal:eth:0xb'],
          ['in', 'transfers_to', 'wal:eth:0xa'],
          ['in', 'transfers_to', 'wal:eth:0xc'],
        ]);
        expect(all[0]!.entity.name).toBe('Binance');
        expect(all[0]!.edge.createdBy).toBe('n1');
      });

      it('filters by direction, kind and time, and honours the limit', async () => {
        const { graph } = ctx();
        const ids = async (q: Parameters<EntityGraphRepository['neighbours']>[1]) =>
          (await graph.neighbours(hub, q)).map((n) => `${n.direction}:${n.entity.id}`);
        expect(await ids({ direction: 'in' })).toEqual(['in:wal:eth:0xa', 'in:wal:eth:0xc']);
        expect(await ids({ direction: 'out', kinds: ['labelled_as'] })).toEqual(['out:lbl:binance']);
        expect(await ids({ kinds: [] })).toEqual([]);
        expect(await ids({ since: T + 2 * H })).toEqual(['out:wal:eth:0xa', 'in:wal:eth:0xa', 'in:wal:eth:0xc']);
        expect(await ids({ limit: 2 })).toEqual(['out:lbl:binance', 'out:wal:eth:0xa']);
        expect(await graph.neighbours('wal:eth:0xnobody')).toEqual([]);
      });
    });

    describe('search', () => {
      const CUSIP = '81234R106';
      beforeAll(async () => {
        await ctx().graph.record({
          entities: [
            entity('ins:SRCH', 'instrument', T, 's1', { name: 'Search Labs Inc.', attrs: { symbol: 'SRCH' } }),
            entity('cik:0000777001', 'filer', T, 's1', { name: 'Search Labs Inc.' }),
            entity('per:cik:0000777001:jane-searcher', 'person', T, 's1', { name: 'Jane Searcher' }),
            entity('aut:reddit:searchfan', 'author', T, 's2', { name: 'SearchFan' }),
            entity('cik:0000777002', 'filer', T, 's3', { name: 'Big Search Capital LP' }),
            entity('lbl:hundred', 'label', T, 's4', { name: '100% Search_Co' }),
          ],
          edges: [edge('cik:0000777002', 'holds', 'ins:SRCH', T, 's3', { cusip: CUSIP })],
        });
      });
      const ids = async (text: string, q?: Parameters<EntityGraphRepository['search']>[1]) =>
        (await ctx().graph.search(text, q)).map((e) => e.id);

      it('finds a part of a name or id in any case, ordered by name then id', async () => {
        expect(await ids('sEaRcH')).toEqual([
          'lbl:hundred',
          'cik:0000777002',
          'per:cik:0000777001:jane-searcher',
          'cik:0000777001',
          'ins:SRCH',
          'aut:reddit:searchfan',
        ]);
        expect((await ctx().graph.search('searchfan'))[0]).toMatchObject({ kind: 'author', name: 'SearchFan', createdBy: 's2' });
      });

      it('puts exact identifiers first: a CIK with or without padding, a symbol, a CUSIP held in a 13F', async () => {
        expect(await ids('777001')).toEqual(['cik:0000777001', 'per:cik:0000777001:jane-searcher']);
        expect(await ids('0000777001')).toEqual(['cik:0000777001', 'per:cik:0000777001:jane-searcher']);
        expect(await ids('srch')).toEqual(['ins:SRCH']);
        expect(await ids(CUSIP.toLowerCase())).toEqual(['ins:SRCH']);
        expect(await ids('per:cik:0000777001:JANE-SEARCHER')).toEqual(['per:cik:0000777001:jane-searcher']);
      });

      it('filters by kind, honours the limit, and takes LIKE wildcards literally', async () => {
        expect(await ids('search', { kind: 'filer' })).toEqual(['cik:0000777002', 'cik:0000777001']);
        expect(await ids('search', { limit: 2 })).toEqual(['lbl:hundred', 'cik:0000777002']);
        expect(await ids('100%')).toEqual(['lbl:hundred']);
        expect(await ids('h_c')).toEqual(['lbl:hundred']);
        expect(await ids('%')).toEqual(['lbl:hundred']);
        expect(await ids('nothing like it')).toEqual([]);
        expect(await ids('   ')).toEqual([]);
      });
    });

    describe('concurrent writers', () => {
      it('agree with one writer applying the same observations', async () => {
        const { graph } = ctx();
        const edgesBefore = await graph.countEdges();
        const wallets = Array.from({ length: 8 }, (_, i) => `wal:eth:0xc0ncurrent${i}`);
        const deltas: GraphDelta[] = Array.from({ length: 24 }, (_, k) => {
          const order = k % 2 === 0 ? wallets : [...wallets].reverse();
          const by = `c${String(k).padStart(2, '0')}`;
          return {
            entities: order.map((id) => entity(id, 'wallet', T + k, by, { attrs: { [`k${k}`]: k } })),
            edges: order.slice(1).map((id, i) => edge(order[i]!, 'transfers_to', id, T + k, by)),
          };
        });
        await Promise.all(deltas.map((d) => graph.record(d)));
        const first = await graph.getEntity(wallets[0]!);
        expect(first).toMatchObject({ firstSeen: T, lastSeen: T + 23, createdBy: 'c00', updatedBy: 'c23' });
        expect(first!.attrs).toEqual({ k23: 23 });
        expect((await graph.countEdges()) - edgesBefore).toBe(2 * (wallets.length - 1));
      });
    });
  });
}
