import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical.js';
import { DrizzleEntityGraphRepository } from '../store/entities.repo.js';
import { createStore, type DrizzleStore } from '../store/repositories.js';
import type { SignalEnriched } from '../types.js';
import { EntityStage } from './entity-stage.js';
import { InsiderClusterDetector } from './insider-clusters.js';
import { ReferenceData } from './reference.js';
import { EntityResolver } from './resolver.js';
import type { EntitySignalDraft } from './signals.js';
import { CLEAN_ANNOTATIONS } from '../enrich/annotations.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 4, 6, 14);

/** An enriched Form 4 row: owner `ownerCik` traded `code` in Apple (CIK 320193) on day `day`. */
function filing(n: number, ownerCik: string, day: number, code: string): SignalEnriched {
  return {
    id: `enr_${n}`,
    type: 'SignalEnriched',
    tsEvent: T0 + day * DAY,
    tsInit: T0 + day * DAY + 60_000,
    causationIds: [`raw_${n}`],
    payload: {
      source: 'sec.form4',
      kind: 'insider_filing',
      instrument: null,
      externalId: `0000320193-24-${n}`,
      body: {
        issuerCik: '0000320193',
        ownerCik,
        owner: `Owner ${ownerCik}`,
        relationship: 'Director',
        transactionCode: code,
        shares: 1000,
        price: 180 + n,
        value: 1000 * (180 + n),
      },
      contentHash: `h${n}`,
      polarity: code === 'P' ? 1 : -1,
      magnitude: 1000 * (180 + n),
      ...CLEAN_ANNOTATIONS,
    },
  };
}

describe('EntityStage', () => {
  let store: DrizzleStore;
  let stage: EntityStage;
  let graph: DrizzleEntityGraphRepository;
  const emitted: EntitySignalDraft[] = [];
  beforeAll(async () => {
    store = await createStore('memory://');
    graph = new DrizzleEntityGraphRepository(store.database.db);
    const resolver = new EntityResolver(await ReferenceData.load());
    stage = new EntityStage(resolver, graph, new InsiderClusterDetector(), async (d) => void emitted.push(d));
  });
  afterAll(async () => {
    await store.close();
  });

  it('records insiders in the graph and emits a cluster of planted purchases, once', async () => {
    const events = [
      filing(1, '1000001', 0, 'S'),
      filing(2, '1000002', 1, 'P'),
      filing(3, '1000003', 3, 'A'),
      filing(4, '1000004', 5, 'P'),
      filing(5, '1000005', 8, 'P'),
    ];
    for (const e of events) await stage.handle(e);
    await stage.handle(events[4]!); // a redelivery changes nothing
    const insiders = await graph.neighbours('cik:0000320193', { direction: 'in', kinds: ['insider_of'] });
    expect(insiders.map((n) => n.entity.id)).toEqual(events.map((e) => `cik:000${e.payload.body.ownerCik}`));
    expect((await graph.getEdge('cik:0000320193', 'issuer_of', 'ins:AAPL'))?.createdBy).toBe('enr_1');

    expect(emitted).toHaveLength(1);
    const [draft] = emitted as [EntitySignalDraft];
    expect(draft.signal.kind).toBe('insider_cluster');
    expect(draft.signal.instrument).toBe('AAPL');
    expect(draft.causationIds).toEqual(['enr_2', 'enr_4', 'enr_5']);
    expect(draft.tsEvent).toBe(events[4]!.tsEvent);
    // Plain JSON, so that it can be content-hashed like any signal.
    expect(JSON.parse(canonicalJson(draft.signal.body))).toEqual(draft.signal.body);
  });
});
