import { beforeAll, describe, expect, it } from 'vitest';
import type { RawSignal } from '../types.js';
import { berkshire13fCik, form4Fixtures, form4Signal } from './entities.fixtures.js';
import { graphDeltaOf } from './graph.js';
import { EDGE_KINDS, ENTITY_KINDS, filerId, kindOfId, padCik } from './ids.js';
import type { GraphDelta } from './ports.js';
import { ReferenceData } from './reference.js';
import { EntityResolver } from './resolver.js';

let resolver: EntityResolver;
beforeAll(async () => {
  resolver = new EntityResolver(await ReferenceData.load());
});

const EVENT = { id: 'enr_1', tsEvent: Date.UTC(2024, 0, 2) };
const delta = (s: RawSignal): GraphDelta => graphDeltaOf(EVENT, s, resolver.resolveSignal(s));
const edges = (d: GraphDelta) => d.edges.map((e) => `${e.src} ${e.kind} ${e.dst}`);
const signal = (
  kind: RawSignal['kind'],
  body: Record<string, unknown>,
  instrument: string | null = null,
): RawSignal => ({
  source: 't',
  kind,
  instrument,
  externalId: null,
  body,
});

describe('graphDeltaOf', () => {
  it('draws a Form 4’s insiders to their issuer, with their relationship, and the issuer to its instrument', () => {
    const f = form4Fixtures().find((x) => x.symbol === 'SNOW')!;
    const d = delta(form4Signal(f));
    const issuer = filerId(padCik(f.issuerCik)!);
    const insider = filerId(padCik(f.owners[0]!.cik)!);
    expect(edges(d).sort()).toEqual([`${insider} insider_of ${issuer}`, `${issuer} issuer_of ins:SNOW`].sort());
    expect(d.edges.find((e) => e.kind === 'insider_of')?.attrs).toEqual({ relationship: f.owners[0]!.title });
  });

  it('draws a 13F manager to what it holds, and a transfer between its two sides with their labels', () => {
    const holding = delta(signal('institutional_holding', { cusip: '037833100', filerCik: berkshire13fCik() }));
    expect(edges(holding)).toEqual([`${filerId(berkshire13fCik())} holds ins:AAPL`]);
    const t = delta(
      signal('whale_transfer', { from: '0x28C6c06298d514Db089934071355E5743bf21d60', to: 'Coinbase' }, 'ETH-USD'),
    );
    expect(edges(t).sort()).toEqual(
      [
        'wal:eth:0x28c6c06298d514db089934071355e5743bf21d60 labelled_as lbl:binance',
        'wal:eth:0x28c6c06298d514db089934071355e5743bf21d60 transfers_to lbl:coinbase',
      ].sort(),
    );
  });

  it('draws an author to each instrument a post mentions', () => {
    const d = delta(signal('social_mention', { platform: 'reddit', author: 'u/x', text: '$AAPL or $ETH?' }));
    expect(edges(d)).toEqual(['aut:reddit:x mentions ins:AAPL', 'aut:reddit:x mentions ins:ETH-USD']);
  });

  it('stamps everything with the event, and uses only known kinds whose endpoints are entities of the delta', () => {
    const all = [
      ...form4Fixtures().map(form4Signal),
      signal('whale_transfer', {
        from: '0xab5801a7d398351b8be11c439e05c5b3259aec9b',
        to: 'Kraken',
        tokenAddress: '0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984',
      }),
    ].map(delta);
    for (const d of all) {
      const ids = new Set(d.entities.map((e) => e.id));
      for (const e of d.entities) {
        expect(ENTITY_KINDS).toContain(e.kind);
        expect(kindOfId(e.id)).toBe(e.kind);
        expect([e.ts, e.eventId]).toEqual([EVENT.tsEvent, EVENT.id]);
      }
      for (const e of d.edges) {
        expect(EDGE_KINDS).toContain(e.kind);
        expect(ids.has(e.src) && ids.has(e.dst), `${e.src} → ${e.dst}`).toBe(true);
        expect([e.ts, e.eventId]).toEqual([EVENT.tsEvent, EVENT.id]);
      }
    }
    const uni = 'tok:eth:0x1f9840a85d5af5bf1d1762f925bdaddc4201f984';
    expect(edges(all[all.length - 1]!)).toContain(`${uni} token_of ins:UNI-USD`);
  });
});
