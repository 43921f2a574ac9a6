/**
 * Entity resolution inside the running engine (embedded store, in-memory bus): real Form 4 documents go in on
 * `signals.raw`, and out come the insider graph, an `insider_cluster` signal stored like any other, and its
 * lineage back to the filings behind it.
 *
 * The documents are the 374Water Form 4 of the fixtures (a grant, code A), made into open-market purchases by
 * three different insiders on three days: EDGAR serves no sample with such a cluster, and the parser and signal
 * mapping under test are the ones the SEC collector runs.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildLineage } from '../src/engine/audit/lineage.js';
import { MemoryBus } from '../src/engine/bus/memory.js';
import { Topics } from '../src/engine/bus/topics.js';
import { TestClock } from '../src/engine/clock.js';
import type { SourceDocument } from '../src/engine/collectors/document.js';
import { signalEvent } from '../src/engine/collectors/publish.js';
import { parseOwnershipDocument } from '../src/engine/collectors/sec/ownership.js';
import { ownershipDrafts } from '../src/engine/collectors/sec/signals.js';
import { UNIVERSE } from '../src/engine/collectors/universe.js';
import { MemoryContentIndex } from '../src/engine/enrich/content-index.js';
import { Engine } from '../src/engine/engine.js';
import { ActivityWindow } from '../src/engine/entities/activity-window.js';
import { InsiderClusterDetector } from '../src/engine/entities/insider-clusters.js';
import { ReferenceData } from '../src/engine/entities/reference.js';
import { EntityResolver } from '../src/engine/entities/resolver.js';
import { createStore, type DrizzleStore } from '../src/engine/store/repositories.js';
import type { SignalIngested } from '../src/engine/types.js';

const FORM4 = readFileSync(new URL('./fixtures/sec_form4/edgartools_form4_374water_2025.xml', import.meta.url), 'latin1');
const DAY = 86_400_000;
const silent = { info: () => {}, warn: () => {}, error: () => {} };

const INSIDERS = [
  { cik: '0002064133', name: 'Melkote Rajesh Ramaswamy' },
  { cik: '0001000001', name: 'Doe Jane' },
  { cik: '0001000002', name: 'Roe Richard' },
] as const;

/** The day of the fixture's transactions. */
const TRADED = Date.parse('2025-04-30T00:00:00Z');

/**
 * The fixture's first transaction as an open-market purchase at $0.35 by `insider`, traded `day` days after the
 * original and filed two days later.
 */
function purchase(insider: (typeof INSIDERS)[number], day: number): SignalIngested[] {
  const traded = new Date(TRADED + day * DAY).toISOString().slice(0, 10);
  const xml = FORM4.replace(/(<transactionDate>\s*<value>)2025-04-30(<\/value>)/, `$1${traded}$2`)
    .replace(/<rptOwnerCik>[^<]*<\/rptOwnerCik>/, `<rptOwnerCik>${insider.cik}</rptOwnerCik>`)
    .replace(/<rptOwnerName>[^<]*<\/rptOwnerName>/, `<rptOwnerName>${insider.name}</rptOwnerName>`)
    .replace('<transactionCode>A</transactionCode>', '<transactionCode>P</transactionCode>')
    .replace(/(<transactionPricePerShare>\s*<value>)0(<\/value>)/, '$10.35$2');
  const document: SourceDocument = { origin: `form4-${insider.cik}.xml`, body: Buffer.from(xml, 'latin1') };
  const accession = `0002064133-25-00000${day}`;
  const accepted = TRADED + (day + 2) * DAY + 16 * 3_600_000;
  return ownershipDrafts(parseOwnershipDocument(document), {
    source: 'sec-edgar',
    accessionNumber: accession,
    acceptedAt: accepted,
    filedDate: new Date(accepted).toISOString().slice(0, 10),
  }).map((draft) => signalEvent(draft, accepted + 1000));
}

describe('entity resolution in the pipeline', () => {
  let store: DrizzleStore | undefined;
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await store?.close();
  });

  async function start() {
    store = await createStore('memory://');
    const bus = new MemoryBus();
    const clock = new TestClock(TRADED);
    const activities = new ActivityWindow({ spanMs: 30 * DAY, maxActivities: 1000 });
    engine = new Engine({
      bus,
      store,
      clock,
      contentIndex: new MemoryContentIndex(),
      instruments: UNIVERSE,
      collectors: [],
      log: silent,
      entities: {
        resolver: new EntityResolver(await ReferenceData.load()),
        clusters: new InsiderClusterDetector({ windowMs: 14 * DAY, minInsiders: 3 }),
        activities,
      },
    });
    await engine.start();
    return { bus, store, activities };
  }

  it('links each insider to the issuer, and turns three purchases into one stored, traceable cluster', async () => {
    const { bus, store, activities } = await start();
    const filings = INSIDERS.flatMap((insider, i) => purchase(insider, i * 3));
    expect(filings.filter((f) => f.payload.body.transactionCode === 'P')).toHaveLength(3);
    for (const f of filings) await bus.publish(Topics.signalsRaw, f);
    await engine!.drain();

    const insiders = await store.entities.neighbours('cik:0000933972', { direction: 'in', kinds: ['insider_of'] });
    expect(insiders.map((n) => n.entity.id).sort()).toEqual(INSIDERS.map((i) => `cik:${i.cik}`).sort());
    // Open-market trades are activities for co-trading; the grant rows (code A) are not.
    expect(activities.snapshot().map((a) => a.kind)).toEqual(['trade', 'trade', 'trade']);

    const clusters = await store.signals.list({ kind: 'insider_cluster' }, { first: 10 });
    expect(clusters.items).toHaveLength(1);
    const cluster = clusters.items[0]!;
    expect(cluster).toMatchObject({ instrument: 'SCWO', source: 'entities.insider-cluster', polarity: 1 });
    expect(cluster.body).toMatchObject({ insiders: 3, purchases: 3, issuerId: 'cik:0000933972' });
    // The cluster happened when its last purchase was made (not when it was filed).
    expect(cluster.tsEvent).toBe(TRADED + 6 * DAY);

    // Lineage: the cluster signal ← its raw event ← the three enriched purchases ← their raw filings.
    const lineage = await buildLineage(store.audit, cluster.id);
    const rawFilings = new Set(filings.filter((f) => f.payload.body.transactionCode === 'P').map((f) => f.id));
    const reached = new Set(lineage!.nodes.map((n) => n.eventId));
    for (const id of rawFilings) expect(reached.has(id)).toBe(true);
    expect(lineage!.missing).toEqual([]);
  });

  it('emits nothing for two insiders, and nothing more when the same filings arrive again', async () => {
    const { bus, store } = await start();
    const two = INSIDERS.slice(0, 2).flatMap((insider, i) => purchase(insider, i));
    for (const f of [...two, ...two]) await bus.publish(Topics.signalsRaw, f);
    await engine!.drain();
    expect((await store.signals.list({ kind: 'insider_cluster' }, { first: 10 })).totalCount).toBe(0);
    expect((await store.signals.list({ kind: 'insider_filing' }, { first: 50 })).totalCount).toBe(two.length);
  });
});
