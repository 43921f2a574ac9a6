/**
 * The filing views' contract suite, run against every driver (in-memory PGlite and PostgreSQL), over the SEC
 * fixtures as the pipeline stores them (`filings.fixtures.ts`). The suite shares one store: the tests that add
 * filings of their own come last and keep to reporting owners of their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalEnriched } from '../types.js';
import {
  BERKSHIRE_ACCESSION,
  enrichedOf,
  type OriginalKnown,
  PANW_AMENDMENT,
  PANW_ORIGINAL,
  panwAmendmentDrafts,
  SNOW_ACCESSION,
  SNOWFLAKE_BUYERS,
  SNOWFLAKE_CIK,
  type SeededFilings,
  seedSecFilings,
} from './filings.fixtures.js';
import type { InsiderClusterFilter, InsiderTransactionFilter } from './filings.ports.js';
import type { ContractStore } from './store.contract.js';

const newestFirst = (a: SignalEnriched, b: SignalEnriched) => b.tsEvent - a.tsEvent || (a.id < b.id ? 1 : -1);

export function filingsContract(name: string, makeStore: () => Promise<ContractStore>): void {
  describe(`filings contract: ${name}`, () => {
    let current: ContractStore | undefined;
    let seeded: SeededFilings;
    beforeAll(async () => {
      current = await makeStore();
      seeded = await seedSecFilings(current.store);
    });
    afterAll(async () => {
      await current?.cleanup();
    });
    const filings = () => {
      if (!current) throw new Error('store not ready');
      return current.store.filings;
    };
    const insider = (filter: InsiderTransactionFilter, first = 100) => filings().insiderTransactions(filter, { first });

    describe('insider transactions', () => {
      it('lists the current transaction rows of ownership forms, newest first, without retractions', async () => {
        const expected = seeded.filings
          .filter((e) => e.payload.kind === 'insider_filing' && !e.payload.body.retracts)
          .filter((e) => !e.payload.externalId!.startsWith(`${PANW_ORIGINAL}:`))
          .sort(newestFirst);
        const page = await insider({});
        expect(page.totalCount).toBe(expected.length);
        expect(page.items.map((t) => t.signalId)).toEqual(expected.map((e) => e.id));
        expect(page.hasNextPage).toBe(false);
      });

      it('reads every field of a row from the body, quantities and money as exact decimals', async () => {
        const { items } = await insider({ instrument: 'SNOW', codes: ['S'] });
        const sale = items.find((t) => t.externalId === `${SNOW_ACCESSION}:nonDerivative:1`);
        expect(sale).toMatchObject({
          source: 'sec-edgar',
          instrument: 'SNOW',
          tsEvent: Date.parse('2022-12-14T18:04:05-05:00'),
          accessionNumber: SNOW_ACCESSION,
          documentType: '4',
          amendment: false,
          amends: null,
          filedDate: '2022-12-14',
          periodOfReport: '2022-12-13',
          table: 'nonDerivative',
          index: 1,
          issuer: { cik: SNOWFLAKE_CIK, name: 'Snowflake Inc.', tradingSymbol: 'SNOW' },
          owners: [
            {
              cik: '0001402349',
              name: 'Scarpelli Michael',
              relationship: 'officer (Chief Financial Officer)',
              isDirector: false,
              isOfficer: true,
              officerTitle: 'Chief Financial Officer',
            },
          ],
          securityTitle: 'Class A Common Stock',
          transactionDate: '2022-12-13',
          transactionCode: 'S',
          discretionary: true,
          acquiredDisposed: 'D',
          shares: '73170',
          price: '150.841',
          value: '11037035.97',
          directOrIndirect: 'D',
          tenb5One: null,
          derivative: null,
          retraction: null,
        });
        expect(sale?.footnotes.map((f) => f.id)).toEqual(['F2', 'F3']);
        expect(sale?.footnotes[1]?.text).toMatch(/weighted-average price/);

        const [exercise] = (await insider({ instrument: 'SNOW', codes: ['M'] })).items.filter((t) => t.table === 'derivative');
        expect(exercise?.derivative).toMatchObject({ underlyingTitle: 'Class A Common Stock', underlyingShares: '200000' });
      });

      it('names every reporting owner of a joint filing, the designated filer first, with its 10b5-1 answer', async () => {
        const { items } = await insider({ ownerCik: '1212121212' });
        expect(items).toHaveLength(3);
        for (const t of items) {
          expect(t.owners.map((o) => o.cik)).toEqual(['0000343434', '1212121212']);
          expect(t.tenb5One).toBe(true);
        }
      });

      it.each<[string, InsiderTransactionFilter, string[]]>([
        ['instrument', { instrument: 'MSFT' }, ['A', 'A']],
        ['issuer CIK', { issuerCik: '0000789019' }, ['A', 'A']],
        ['owner CIK', { ownerCik: '0001402349' }, ['S', 'S', 'S', 'S', 'S', 'M', 'M']],
        ['codes', { codes: ['M', 'C'] }, ['M', 'M', 'C']],
        ['discretionary trades', { discretionaryOnly: true, instrument: 'SNOW' }, ['P', 'P', 'P', 'P', 'S', 'S', 'S', 'S', 'S']],
        ['transaction dates', { transactedFrom: '2022-12-15', transactedTo: '2022-12-19' }, ['P', 'P', 'P']],
        [
          'everything at once',
          { instrument: 'SNOW', discretionaryOnly: true, transactedTo: '2022-12-14', codes: ['P', 'S'] },
          ['S', 'S', 'S', 'S', 'S'],
        ],
        ['a filter nothing matches', { issuerCik: '0000000001' }, []],
      ])('filters by %s', async (_what, filter, codes) => {
        const page = await insider(filter);
        expect(page.items.map((t) => t.transactionCode).sort()).toEqual([...codes].sort());
        expect(page.totalCount).toBe(codes.length);
      });

      it('pages with cursors, without overlap, and refuses a cursor it did not issue', async () => {
        const all = (await insider({ instrument: 'SNOW' })).items.map((t) => t.signalId);
        const seen: string[] = [];
        let after: string | null = null;
        for (let guard = 0; guard < 10; guard++) {
          const page = await filings().insiderTransactions({ instrument: 'SNOW' }, { first: 4, after });
          expect(page.totalCount).toBe(all.length);
          seen.push(...page.items.map((t) => t.signalId));
          if (!page.hasNextPage) break;
          after = page.cursors.at(-1)!;
        }
        expect(seen).toEqual(all);
        await expect(filings().insiderTransactions({}, { first: 1, after: 'bm90IGEgY3Vyc29y' })).rejects.toMatchObject({
          code: 'INVALID_CURSOR',
        });
      });
    });

    describe('a 4/A', () => {
      it('replaces its original: only the amended row is current', async () => {
        const { items } = await insider({ instrument: 'PANW' });
        expect(items).toHaveLength(1);
        expect(items[0]).toMatchObject({
          accessionNumber: PANW_AMENDMENT,
          documentType: '4/A',
          amendment: true,
          amends: { accessionNumber: PANW_ORIGINAL, dateOfOriginalSubmission: '2021-12-15' },
          shares: '661',
          retraction: null,
        });
      });

      it('lists the original rows when asked, each with the retraction that withdrew it', async () => {
        const { items } = await insider({ instrument: 'PANW', includeRetracted: true });
        const retractions = seeded.filings.filter((e) => e.payload.body.retracts === true);
        const [amended, ...originals] = items;
        expect(amended).toMatchObject({ accessionNumber: PANW_AMENDMENT, retraction: null });
        expect(originals.map((t) => t.shares).sort()).toEqual(['616', '661']);
        for (const t of originals) {
          const by = retractions.find((r) => r.payload.body.retractsExternalId === t.externalId);
          expect(t).toMatchObject({ accessionNumber: PANW_ORIGINAL, amendment: false });
          expect(t.retraction).toEqual({ signalId: by?.id, amendedBy: PANW_AMENDMENT, reason: 'amended' });
        }
      });

      it('is not itself a transaction: retraction signals are never listed', async () => {
        const { items } = await insider({ includeRetracted: true });
        expect(items.some((t) => t.externalId?.includes(':retracts:'))).toBe(false);
      });
    });

    describe('institutional holdings', () => {
      it("lists a manager's 13F rows, typed, values in dollars", async () => {
        const page = await filings().institutionalHoldings({ managerCik: '0001067983' }, { first: 500 });
        expect(page.totalCount).toBe(165);
        expect(new Set(page.items.map((h) => `${h.accessionNumber} ${h.periodOfReport} ${h.manager.name}`))).toEqual(
          new Set([`${BERKSHIRE_ACCESSION} 2023-03-31 Berkshire Hathaway Inc`]),
        );
        expect(page.items.find((h) => h.index === 1)).toMatchObject({
          cusip: '00507V109',
          formType: '13F-HR',
          amendment: false,
          otherManagers: [4, 8, 11],
          amountType: 'SH',
          putCall: null,
          filedDate: '2023-05-15',
        });
      });

      it('ties CUSIPs to instruments through the entity graph, to filter and to show', async () => {
        const byCusip = await filings().institutionalHoldings({ cusip: '037833100' }, { first: 100 });
        const byInstrument = await filings().institutionalHoldings({ instrument: 'AAPL' }, { first: 100 });
        expect(byCusip.totalCount).toBeGreaterThan(0);
        expect(byInstrument.items.map((h) => h.signalId)).toEqual(byCusip.items.map((h) => h.signalId));
        expect(new Set(byInstrument.items.map((h) => `${h.instrument} ${h.issuerName}`))).toEqual(new Set(['AAPL APPLE INC']));
        const unknown = await filings().institutionalHoldings({ reportPeriod: '2023-09-30' }, { first: 100 });
        expect(unknown.totalCount).toBe(14);
        expect(unknown.items.some((h) => h.instrument === null)).toBe(true);
        expect((await filings().institutionalHoldings({ reportPeriod: '2020-01-01' }, { first: 1 })).totalCount).toBe(0);
      });
    });

    describe('insider clusters', () => {
      it('lists each emission of a cluster, newest first, with its members', async () => {
        const page = await filings().insiderClusters({}, { first: 10 });
        expect(page.items.map((c) => [c.status, c.insiders, c.signalId])).toEqual([
          ['grew', 4, seeded.clusters[1]!.id],
          ['opened', 3, seeded.clusters[0]!.id],
        ]);
        const [grew, opened] = page.items;
        expect(grew?.clusterId).toBe(opened?.clusterId);
        expect(grew).toMatchObject({
          instrument: 'SNOW',
          issuerId: `cik:${SNOWFLAKE_CIK}`,
          windowStart: Date.UTC(2022, 11, 15),
          windowEnd: Date.UTC(2022, 11, 20),
          purchases: 4,
          totalShares: 5200,
          model: 'InsiderCluster(window=14d,min=3)',
        });
        expect(grew?.members.map((m) => m.name).sort()).toEqual(SNOWFLAKE_BUYERS.map((b) => b.name).sort());
        expect(grew?.members[0]).toMatchObject({ insiderId: 'cik:0009000003', purchases: 1, shares: 2500 });
      });

      it.each<[string, InsiderClusterFilter, string[]]>([
        ['status', { status: 'opened' }, ['opened']],
        ['instrument', { instrument: 'SNOW' }, ['grew', 'opened']],
        ['another instrument', { instrument: 'MSFT' }, []],
        ['issuer', { issuerId: `cik:${SNOWFLAKE_CIK}` }, ['grew', 'opened']],
        ['a window ending after', { from: Date.UTC(2022, 11, 20) }, ['grew']],
        ['a window before', { to: Date.UTC(2022, 11, 14) }, []],
        ['a window overlapping', { from: Date.UTC(2022, 11, 16), to: Date.UTC(2022, 11, 17) }, ['grew', 'opened']],
      ])('filters by %s', async (_what, filter, statuses) => {
        const page = await filings().insiderClusters(filter, { first: 10 });
        expect(page.items.map((c) => c.status)).toEqual(statuses);
      });
    });

    describe('amendments arriving in any order', () => {
      it.each<[OriginalKnown, string]>([
        ['document', '0008000001'],
        ['accession', '0008000002'],
        ['nothing', '0008000003'],
      ])('the original known by %s: a second 4/A replaces the first and the original', async (known, ownerCik) => {
        const { accessions, original, amendment, second } = panwAmendmentDrafts(ownerCik, known);
        // Latest first: the retraction rules do not depend on the order signals are stored in.
        await current!.store.signals.insertMany([...second, ...amendment, ...original].map((d) => enrichedOf(d)));

        const now = await insider({ ownerCik });
        expect(now.items.map((t) => [t.accessionNumber, t.shares])).toEqual([[accessions.second, '662']]);

        const all = await insider({ ownerCik, includeRetracted: true });
        const [latest, first, ...originals] = all.items;
        expect(latest).toMatchObject({ accessionNumber: accessions.second, shares: '662', retraction: null });
        expect(first).toMatchObject({ accessionNumber: accessions.amendment, retraction: { amendedBy: accessions.second } });
        expect(originals.map((t) => [t.accessionNumber, t.retraction?.amendedBy])).toEqual([
          [accessions.original, accessions.amendment],
          [accessions.original, accessions.amendment],
        ]);
        expect(originals.map((t) => t.shares).sort()).toEqual(['616', '661']);
      });
    });
  });
}
