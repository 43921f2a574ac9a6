import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { form4Fixtures, form4Signal } from './entities.fixtures.js';
import {
  type InsiderCluster,
  InsiderClusterDetector,
  type InsiderTransaction,
  insiderTransactionOf,
} from './insider-clusters.js';
import { ReferenceData } from './reference.js';
import { EntityResolver } from './resolver.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 2, 1, 15);
const ISSUER = 'cik:0000789019';

let seq = 0;
function tx(insider: string, day: number, code = 'P', over: Partial<InsiderTransaction> = {}): InsiderTransaction {
  const shares = 100 * (1 + (seq % 7));
  const price = 101.37 + seq;
  const id = `evt_${++seq}`;
  return {
    id,
    eventId: id,
    ts: T0 + Math.round(day * DAY),
    issuerId: ISSUER,
    instrument: 'MSFT',
    insiderId: `cik:${insider}`,
    insiderName: insider,
    relationship: 'Director',
    code,
    shares,
    price,
    value: shares * price,
    ...over,
  };
}

const feed = (d: InsiderClusterDetector, txs: readonly InsiderTransaction[]) =>
  txs.map((t) => d.observe(t)).filter((c): c is InsiderCluster => c !== null);

describe('InsiderClusterDetector', () => {
  it('finds planted purchases by three insiders within the window, among noise', () => {
    const planted = [tx('a', 0), tx('b', 4.5), tx('c', 9)];
    const noise = [tx('d', 1, 'S'), tx('e', 2, 'A'), tx('f', 3, 'M'), tx('g', 5, 'F'), tx('h', 6, 'S')];
    const sequence = [...planted, ...noise].sort((x, y) => x.ts - y.ts);
    const clusters = feed(new InsiderClusterDetector(), sequence);
    expect(clusters).toHaveLength(1);
    const [c] = clusters as [InsiderCluster];
    expect(c.status).toBe('opened');
    expect(c.members.map((m) => m.insiderId).sort()).toEqual(planted.map((t) => t.insiderId).sort());
    expect(c.windowStart).toBe(planted[0]!.ts);
    expect(c.windowEnd).toBe(planted[2]!.ts);
    expect(c.causationIds).toEqual(planted.map((t) => t.eventId).sort());
    expect(c.totalValue).toBeCloseTo(planted.reduce((s, t) => s + t.value, 0), 2);
    expect(c.totalShares).toBe(planted.reduce((s, t) => s + t.shares, 0));
    expect(c.instrument).toBe('MSFT');
  });

  it.each(['S', 'A', 'M', 'F', 'G', 'C', 'J'])('ignores the same pattern made of code %s', (code) => {
    expect(feed(new InsiderClusterDetector(), [tx('a', 0, code), tx('b', 1, code), tx('c', 2, code)])).toEqual([]);
  });

  it('ignores purchases spread beyond the window', () => {
    expect(feed(new InsiderClusterDetector(), [tx('a', 0), tx('b', 8), tx('c', 16), tx('d', 24)])).toEqual([]);
    const tight = new InsiderClusterDetector({ windowMs: 3 * DAY });
    expect(feed(tight, [tx('a', 0), tx('b', 2), tx('c', 4)])).toEqual([]);
  });

  it('needs distinct insiders: one insider buying again and again is not a cluster', () => {
    expect(feed(new InsiderClusterDetector(), [tx('a', 0), tx('a', 1), tx('a', 2), tx('b', 3)])).toEqual([]);
  });

  it('re-emits a cluster as it grows, under the same id, and only when a new insider joins', () => {
    const d = new InsiderClusterDetector();
    const out = feed(d, [tx('a', 0), tx('b', 1), tx('c', 2), tx('a', 3), tx('d', 5), tx('e', 15)]);
    expect(out.map((c) => [c.status, c.members.length])).toEqual([
      ['opened', 3],
      ['grew', 4],
    ]);
    expect(out[1]!.clusterId).toBe(out[0]!.clusterId);
    expect(out[1]!.id).not.toBe(out[0]!.id);
    // a's second purchase is in the grown cluster.
    expect(out[1]!.members.find((m) => m.insiderId === 'cik:a')?.purchases).toBe(2);
  });

  it('does not let a closed cluster’s purchases seed the next one', () => {
    const d = new InsiderClusterDetector();
    const first = feed(d, [tx('a', 0), tx('b', 1), tx('c', 2)]);
    expect(first).toHaveLength(1);
    expect(feed(d, [tx('d', 20), tx('e', 21)])).toEqual([]);
    const second = feed(d, [tx('f', 22)]);
    expect(second).toHaveLength(1);
    expect(second[0]!.members.map((m) => m.insiderId).sort()).toEqual(['cik:d', 'cik:e', 'cik:f']);
    expect(second[0]!.clusterId).not.toBe(first[0]!.clusterId);
  });

  it('counts a redelivered transaction once and keeps issuers apart', () => {
    const d = new InsiderClusterDetector();
    const a = tx('a', 0);
    expect(feed(d, [a, a, tx('b', 1), tx('c', 2, 'P', { issuerId: 'cik:0000320193' })])).toEqual([]);
  });

  it('is configurable and deterministic', () => {
    const rng = new Random(11);
    const txs = Array.from({ length: 300 }, (_, i) =>
      tx(`i${rng.int(0, 9)}`, i * 0.3, rng.chance(0.4) ? 'P' : 'S', { issuerId: `cik:${rng.int(1, 3)}` }),
    );
    const options = { windowMs: 2 * DAY, minInsiders: 2 };
    const a = feed(new InsiderClusterDetector(options), txs);
    const b = feed(new InsiderClusterDetector(options), txs);
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    const byId = new Map(txs.map((t) => [t.eventId, t]));
    for (const c of a) {
      const members = c.causationIds.map((id) => byId.get(id)!);
      expect(members.every((t) => t.code === 'P' && t.issuerId === c.issuerId)).toBe(true);
      expect(new Set(members.map((t) => t.insiderId)).size).toBeGreaterThanOrEqual(2);
      expect(c.windowEnd - c.windowStart).toBeLessThanOrEqual(options.windowMs);
    }
  });

  it('refuses nonsensical settings', () => {
    expect(() => new InsiderClusterDetector({ windowMs: 0 })).toThrow(RangeError);
    expect(() => new InsiderClusterDetector({ minInsiders: 1 })).toThrow(RangeError);
  });
});

describe('insiderTransactionOf', () => {
  it('reads a resolved Form 4 signal, with a joint filing counted as one purchase by one insider', async () => {
    const resolver = new EntityResolver(await ReferenceData.load());
    const jointly = form4Fixtures().find((f) => f.owners.length > 1)!;
    const s = form4Signal(jointly);
    const purchase = { ...s, body: { ...s.body, transactionCode: 'p', shares: 10, price: 2.5 } };
    const t = insiderTransactionOf({ id: 'e1', tsEvent: T0 }, purchase, resolver.resolveSignal(purchase))!;
    expect(t.code).toBe('P');
    expect(t.value).toBe(25);
    expect(jointly.owners.map((o) => `cik:${o.cik.padStart(10, '0')}`)).toContain(t.insiderId);
    const d = new InsiderClusterDetector({ minInsiders: 2 });
    expect(d.observe(t)).toBeNull();
  });

  it('reads the SEC collector’s body: decimal strings, the owners list, and the day of the trade', async () => {
    const resolver = new EntityResolver(await ReferenceData.load());
    const s = {
      source: 'sec.edgar',
      kind: 'insider_filing' as const,
      instrument: 'MSFT',
      externalId: '0001062993-22-014506:nonDerivative:0',
      body: {
        issuerCik: '0000789019',
        issuerName: 'MICROSOFT CORP',
        issuerTradingSymbol: 'MSFT',
        ownerCik: '0001207433',
        ownerName: 'THOMPSON JOHN WENDELL',
        relationship: 'Director',
        owners: [{ cik: '0001207433', name: 'THOMPSON JOHN WENDELL', relationship: 'Director' }],
        transactionDate: '2022-06-09',
        transactionCode: 'P',
        shares: '1000.5',
        price: '252.4',
        value: '252526.2',
      },
    };
    const t = insiderTransactionOf({ id: 'e9', tsEvent: Date.UTC(2022, 5, 13, 21) }, s, resolver.resolveSignal(s))!;
    expect(t).toMatchObject({ insiderId: 'cik:0001207433', issuerId: 'cik:0000789019', instrument: 'MSFT' });
    expect([t.shares, t.price, t.value]).toEqual([1000.5, 252.4, 252526.2]);
    expect(t.ts).toBe(Date.UTC(2022, 5, 9));
  });

  it('gives nothing for other kinds or without a code', async () => {
    const resolver = new EntityResolver(await ReferenceData.load());
    const s = form4Signal(form4Fixtures()[1]!);
    const noCode = { ...s, body: { ...s.body, transactionCode: null } };
    expect(insiderTransactionOf({ id: 'e', tsEvent: T0 }, noCode, resolver.resolveSignal(noCode))).toBeNull();
    const news = { ...s, kind: 'news' as const };
    expect(insiderTransactionOf({ id: 'e', tsEvent: T0 }, news, resolver.resolveSignal(news))).toBeNull();
  });
});
