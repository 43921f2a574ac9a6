/**
 * The entity graph and the SEC filing views over the real API: the fixtures' Form 4s and 13Fs parsed by the SEC
 * collector's parsers, stored as the pipeline stores them and run through the real entity stage (graph and insider
 * clusters), then queried over HTTP with the typed documents in test/gql. The server runs as in production, so
 * the errors clients see are the ones a deployment shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, createApiServer } from '../src/api/http.js';
import { buildLineage } from '../src/engine/audit/lineage.js';
import { MemoryBus } from '../src/engine/bus/memory.js';
import {
  PANW_AMENDMENT,
  PANW_ORIGINAL,
  SNOW_ACCESSION,
  SNOWFLAKE_BUYERS,
  SNOWFLAKE_CIK,
  type SeededFilings,
  seedSecFilings,
} from '../src/engine/store/filings.fixtures.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import { HEALTH, NOW } from './api-fixtures.js';
import { type HttpResult, post } from './api-client.js';
import {
  EntitiesDocument,
  EntityDocument,
  InsiderClustersDocument,
  InsiderTransactionsDocument,
  type InsiderTransactionsQuery,
  type InsiderTransactionsQueryVariables,
  InstitutionalHoldingsDocument,
  SignalDocument,
} from './gql/graphql.js';

let store: DrizzleStore;
let bus: MemoryBus;
let api: ApiServer;
let seeded: SeededFilings;
const unexpected: unknown[] = [];

beforeAll(async () => {
  store = await createStore('memory://');
  bus = new MemoryBus();
  seeded = await seedSecFilings(store);
  api = await createApiServer(
    { store, bus, health: async () => HEALTH, lineage: (id) => buildLineage(store.audit, id), now: () => NOW },
    { port: 0, host: '127.0.0.1', production: true, onError: (e) => unexpected.push(e) },
  );
});

afterAll(async () => {
  await api?.close();
  await bus?.close();
  await store?.close();
});

const SNOWFLAKE = `cik:${SNOWFLAKE_CIK}`;
const transactions = (r: HttpResult<InsiderTransactionsQuery>) => r.data?.insiderTransactions.edges.map((e) => e.node) ?? [];

describe('the entity graph', () => {
  it('finds an entity by id, with its provenance and its neighbours by direction and kind', async () => {
    const r = await post(api.url, EntityDocument, { id: SNOWFLAKE, direction: 'IN', kinds: ['INSIDER_OF'] });
    expect(r.errors).toBeUndefined();
    const entity = r.data?.entity;
    const forms = seeded.filings.filter((e) => e.payload.body.issuerCik === SNOWFLAKE_CIK);
    const earliest = [...forms].sort((a, b) => a.tsEvent - b.tsEvent || (a.id < b.id ? -1 : 1))[0]!;
    expect(entity).toMatchObject({
      id: SNOWFLAKE,
      kind: 'FILER',
      name: 'Snowflake Inc.',
      firstSeen: new Date(earliest.tsEvent).toISOString(),
      provenance: { createdBy: earliest.id },
    });
    expect(seeded.filings.map((e) => e.id)).toContain(entity?.provenance.updatedBy);

    const insiders = entity?.neighbours ?? [];
    expect(insiders.map((n) => n.entity.name).sort()).toEqual(['Scarpelli Michael', ...SNOWFLAKE_BUYERS.map((b) => b.name)].sort());
    expect(insiders.every((n) => n.direction === 'IN' && n.edge.kind === 'INSIDER_OF' && n.edge.dst === SNOWFLAKE)).toBe(true);
    const cfo = insiders.find((n) => n.entity.id === 'cik:0001402349');
    expect(cfo?.edge.attrs).toEqual({ relationship: 'officer (Chief Financial Officer)' });
    expect(cfo?.entity.kind).toBe('FILER');

    const out = await post(api.url, EntityDocument, { id: SNOWFLAKE, direction: 'OUT' });
    expect(out.data?.entity?.neighbours.map((n) => [n.edge.kind, n.entity.id, n.entity.attrs])).toEqual([
      ['ISSUER_OF', 'ins:SNOW', { symbol: 'SNOW' }],
    ]);
    expect((await post(api.url, EntityDocument, { id: SNOWFLAKE, first: 2 })).data?.entity?.neighbours).toHaveLength(2);
    expect((await post(api.url, EntityDocument, { id: 'cik:0000000042' })).data).toEqual({ entity: null });
  });

  it('searches names and ids, exact identifiers first, optionally by kind', async () => {
    const ids = async (search: string, kind?: 'INSTRUMENT' | 'FILER') => {
      const r = await post(api.url, EntitiesDocument, { search, ...(kind ? { kind } : {}) });
      expect(r.errors).toBeUndefined();
      return r.data?.entities.map((e) => e.id);
    };
    expect(await ids('snowflake')).toEqual([SNOWFLAKE, 'ins:SNOW']);
    expect(await ids('SnowFlake', 'INSTRUMENT')).toEqual(['ins:SNOW']);
    expect((await ids('1640147'))?.[0]).toBe(SNOWFLAKE);
    // Berkshire's 13F holds Apple under this CUSIP: the instrument is found by it.
    expect((await ids('037833100'))?.[0]).toBe('ins:AAPL');
    const [berkshire] = (await post(api.url, EntitiesDocument, { search: 'berkshire hathaway', kind: 'FILER', first: 1 })).data
      ?.entities ?? [];
    expect(berkshire).toMatchObject({ id: 'cik:0001067983', kind: 'FILER' });
  });
});

describe('insider transactions', () => {
  it('lists the current rows of the Form 4s, typed, newest first', async () => {
    const r = await post(api.url, InsiderTransactionsDocument, { first: 100 });
    expect(r.errors).toBeUndefined();
    const current = seeded.filings.filter(
      (e) => e.payload.kind === 'insider_filing' && !e.payload.body.retracts && e.payload.body.accessionNumber !== PANW_ORIGINAL,
    );
    expect(r.data?.insiderTransactions.totalCount).toBe(current.length);
    const rows = transactions(r);
    expect(rows.map((t) => t.tsEvent)).toEqual([...rows.map((t) => t.tsEvent)].sort().reverse());
    expect(rows.every((t) => t.status === 'CURRENT' && t.retractedBy === null)).toBe(true);

    const sale = rows.find((t) => t.externalId === `${SNOW_ACCESSION}:nonDerivative:1`);
    expect(sale).toMatchObject({
      instrument: 'SNOW',
      tsEvent: '2022-12-14T23:04:05.000Z',
      accessionNumber: SNOW_ACCESSION,
      documentType: '4',
      filedDate: '2022-12-14',
      table: 'NON_DERIVATIVE',
      rowIndex: 1,
      issuer: { cik: SNOWFLAKE_CIK, name: 'Snowflake Inc.', tradingSymbol: 'SNOW' },
      owner: { cik: '0001402349', name: 'Scarpelli Michael', isOfficer: true, officerTitle: 'Chief Financial Officer' },
      transactionDate: '2022-12-13',
      transactionCode: 'S',
      discretionary: true,
      acquiredDisposed: 'DISPOSED',
      shares: '73170',
      price: '150.841',
      value: '11037035.97',
      ownership: 'DIRECT',
      tenb5One: null,
      derivative: null,
    });
    expect(sale?.footnotes.map((f) => f.id)).toEqual(['F2', 'F3']);
    const signal = await post(api.url, SignalDocument, { id: sale!.signalId });
    expect(signal.data?.signal).toMatchObject({ kind: 'INSIDER_FILING', externalId: sale!.externalId });
  });

  it.each<[string, InsiderTransactionsQueryVariables['filter'], number]>([
    ['issuer CIK without its zeros', { issuerCik: '1640147' }, 11],
    ['a lower-case symbol', { instrument: 'snow' }, 11],
    ['a joint filer', { ownerCik: '1212121212' }, 3],
    ['codes in any case', { codes: ['p', 'M'] }, 6],
    ['discretionary trades of one issuer', { issuerCik: SNOWFLAKE_CIK, discretionaryOnly: true }, 9],
    ['a range of transaction dates', { transactedFrom: '2022-12-15', transactedTo: '2022-12-19' }, 3],
  ])('filters by %s', async (_what, filter, count) => {
    const r = await post(api.url, InsiderTransactionsDocument, { filter, first: 100 });
    expect(r.errors).toBeUndefined();
    expect(r.data?.insiderTransactions.totalCount).toBe(count);
    expect(transactions(r)).toHaveLength(count);
  });

  it('shows only the amended row of a 4/A, and the rows it replaced only when asked, marked and traceable', async () => {
    const current = await post(api.url, InsiderTransactionsDocument, { filter: { instrument: 'PANW' } });
    expect(transactions(current).map((t) => [t.accessionNumber, t.documentType, t.shares, t.status])).toEqual([
      [PANW_AMENDMENT, '4/A', '661', 'CURRENT'],
    ]);
    expect(transactions(current)[0]?.amends).toEqual({ accessionNumber: PANW_ORIGINAL, dateOfOriginalSubmission: '2021-12-15' });

    const all = await post(api.url, InsiderTransactionsDocument, { filter: { instrument: 'PANW', includeRetracted: true } });
    const replaced = transactions(all).filter((t) => t.status === 'RETRACTED');
    expect(replaced.map((t) => [t.accessionNumber, t.retractedBy?.amendedBy, t.retractedBy?.reason])).toEqual([
      [PANW_ORIGINAL, PANW_AMENDMENT, 'amended'],
      [PANW_ORIGINAL, PANW_AMENDMENT, 'amended'],
    ]);
    expect(replaced.map((t) => t.shares).sort()).toEqual(['616', '661']);
    for (const t of replaced) {
      const retraction = await post(api.url, SignalDocument, { id: t.retractedBy!.signalId });
      expect(retraction.data?.signal?.body).toMatchObject({ retracts: true, retractsExternalId: t.externalId, amendedBy: PANW_AMENDMENT });
    }
  });

  it('pages with cursors, without overlap', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    const more: boolean[] = [];
    for (;;) {
      const r: HttpResult<InsiderTransactionsQuery> = await post(api.url, InsiderTransactionsDocument, {
        filter: { instrument: 'SNOW' },
        first: 5,
        after,
      });
      expect(r.errors).toBeUndefined();
      seen.push(...transactions(r).map((t) => t.signalId));
      const info = r.data?.insiderTransactions.pageInfo;
      more.push(info?.hasNextPage ?? false);
      if (!info?.hasNextPage) break;
      after = info.endCursor ?? null;
    }
    expect(more).toEqual([true, true, false]);
    expect(new Set(seen).size).toBe(11);
  });
});

describe('institutional holdings', () => {
  it("lists a manager's 13F positions by a CIK without zeros, with exact values", async () => {
    const r = await post(api.url, InstitutionalHoldingsDocument, { filter: { managerCik: '1067983' }, first: 500 });
    expect(r.errors).toBeUndefined();
    expect(r.data?.institutionalHoldings).toMatchObject({ totalCount: 165, pageInfo: { hasNextPage: false } });
    const row = r.data?.institutionalHoldings.edges.find((e) => e.node.rowIndex === 1)?.node;
    expect(row).toMatchObject({
      manager: { cik: '0001067983', name: 'Berkshire Hathaway Inc' },
      periodOfReport: '2023-03-31',
      filedDate: '2023-05-15',
      formType: '13F-HR',
      cusip: '00507V109',
      amountType: 'SHARES',
      otherManagers: [4, 8, 11],
    });
    expect(row?.valueUsd).toMatch(/^\d+(\.\d+)?$/);
  });

  it('finds the positions in an instrument through the CUSIPs resolved to it', async () => {
    const byInstrument = await post(api.url, InstitutionalHoldingsDocument, { filter: { instrument: 'AAPL' }, first: 100 });
    const byCusip = await post(api.url, InstitutionalHoldingsDocument, { filter: { cusip: '037833100' }, first: 100 });
    const nodes = byInstrument.data?.institutionalHoldings.edges.map((e) => e.node) ?? [];
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((h) => h.instrument === 'AAPL' && h.cusip === '037833100' && h.issuerName === 'APPLE INC')).toBe(true);
    expect(byCusip.data?.institutionalHoldings.totalCount).toBe(nodes.length);
    const quarter = await post(api.url, InstitutionalHoldingsDocument, { filter: { reportPeriod: '2023-09-30' } });
    expect(quarter.data?.institutionalHoldings.totalCount).toBe(14);
  });
});

describe('insider clusters', () => {
  it('lists the cluster the entity stage found, as it opened and as it grew', async () => {
    const r = await post(api.url, InsiderClustersDocument, {});
    expect(r.errors).toBeUndefined();
    const [grew, opened] = r.data?.insiderClusters.edges.map((e) => e.node) ?? [];
    expect([grew?.status, opened?.status]).toEqual(['GREW', 'OPENED']);
    expect(grew?.clusterId).toBe(opened?.clusterId);
    expect(grew).toMatchObject({
      instrument: 'SNOW',
      issuerId: SNOWFLAKE,
      windowStart: '2022-12-15T00:00:00.000Z',
      windowEnd: '2022-12-20T00:00:00.000Z',
      insiders: 4,
      purchases: 4,
      totalShares: 5200,
    });
    expect(opened?.members.map((m) => m.insiderId).sort()).toEqual(SNOWFLAKE_BUYERS.slice(0, 3).map((b) => `cik:${b.cik}`));
    expect(grew?.members[0]).toMatchObject({ name: 'Poe Alex', relationship: 'officer (Chief Product Officer)', shares: 2500 });
    const signal = await post(api.url, SignalDocument, { id: grew!.signalId });
    expect(signal.data?.signal).toMatchObject({ kind: 'INSIDER_CLUSTER', source: 'entities.insider-cluster' });
  });

  it.each([
    ['status', { status: 'OPENED' as const }, ['OPENED']],
    ['issuer CIK', { issuerCik: '1640147' }, ['GREW', 'OPENED']],
    ['the window', { from: '2022-12-20T00:00:00Z' }, ['GREW']],
    ['another instrument', { instrument: 'MSFT' }, []],
  ])('filters by %s', async (_what, filter, statuses) => {
    const r = await post(api.url, InsiderClustersDocument, { filter });
    expect(r.errors).toBeUndefined();
    expect(r.data?.insiderClusters.edges.map((e) => e.node.status)).toEqual(statuses);
  });
});

describe('invalid arguments', () => {
  it.each([
    ['a CIK with letters', InsiderTransactionsDocument, { filter: { issuerCik: '12ab' } }, 'filter.issuerCik'],
    ['an eleven-digit CIK', InstitutionalHoldingsDocument, { filter: { managerCik: '12345678901' } }, 'filter.managerCik'],
    ['an all-zero CIK', InsiderClustersDocument, { filter: { issuerCik: '0000' } }, 'filter.issuerCik'],
    ['first below 1', InsiderTransactionsDocument, { first: 0 }, 'first'],
    ['first above 500', InstitutionalHoldingsDocument, { first: 501 }, 'first'],
    ['an unknown transaction code', InsiderTransactionsDocument, { filter: { codes: ['P', 'Q'] } }, 'filter.codes'],
    [
      'a date range the wrong way round',
      InsiderTransactionsDocument,
      { filter: { transactedFrom: '2022-12-20', transactedTo: '2022-12-01' } },
      'filter.transactedTo',
    ],
    ['a CUSIP with a wrong check digit', InstitutionalHoldingsDocument, { filter: { cusip: '037833101' } }, 'filter.cusip'],
    ['a symbol that is not one', InsiderClustersDocument, { filter: { instrument: 'not a symbol!' } }, 'filter.instrument'],
    ['a cursor this server did not issue', InsiderTransactionsDocument, { after: 'bm9wZQ' }, 'after'],
    ['an empty search', EntitiesDocument, { search: ' ' }, 'search'],
    ['too many entities', EntitiesDocument, { search: 'snow', first: 101 }, 'first'],
    ['too many neighbours', EntityDocument, { id: SNOWFLAKE, first: 0 }, 'first'],
  ] as const)('refuses %s as BAD_USER_INPUT naming the argument, without a stack trace', async (_what, doc, variables, argumentName) => {
    const r = await post(api.url, doc as typeof InsiderTransactionsDocument, variables as InsiderTransactionsQueryVariables);
    expect(r.errors).toHaveLength(1);
    const [error] = r.errors ?? [];
    expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName });
    expect(error?.message).toContain(`"${argumentName}"`);
    expect(unexpected).toEqual([]);
  });

  it.each([
    ['an unknown entity kind', EntitiesDocument, { search: 'snow', kind: 'PLANET' }, /PLANET/],
    ['an unknown edge kind', EntityDocument, { id: SNOWFLAKE, kinds: ['LIKES'] }, /LIKES/],
    ['a date that is not one', InsiderTransactionsDocument, { filter: { transactedFrom: '2022-02-30' } }, /LocalDate/],
  ] as const)('refuses %s before running anything', async (_what, doc, variables, message) => {
    const r = await post(api.url, doc as typeof InsiderTransactionsDocument, variables as InsiderTransactionsQueryVariables);
    expect(r.status).toBe(400);
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.message).toMatch(message);
    expect(r.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });
});
