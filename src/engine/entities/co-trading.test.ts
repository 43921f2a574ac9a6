import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import type { RawSignal } from '../types.js';
import { type Activity, activitiesOf, CoTradingDetector } from './co-trading.js';
import { ReferenceData } from './reference.js';
import { EntityResolver } from './resolver.js';
import { coTradingDraft } from './signals.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 2, 1);

interface Planted {
  readonly groups: readonly (readonly string[])[];
  readonly activities: readonly Activity[];
}

/**
 * Groups of actors that act together: every day, for each of its own instruments, most of a group acts within
 * the same half hour. Around them, noise actors and group members act on random instruments at random times.
 */
function plant(seed: number, groupCount = 4, groupSize = 6, days = 20): Planted {
  const rng = new Random(seed);
  const instruments = Array.from({ length: 30 }, (_, i) => `SYM${i}`);
  const groups = Array.from({ length: groupCount }, (_, g) =>
    Array.from({ length: groupSize }, (_, m) => `aut:reddit:g${g}m${m}`),
  );
  const noiseActors = Array.from({ length: 20 }, (_, i) => `wal:eth:noise${i}`);
  const everyone = [...groups.flat(), ...noiseActors];
  const activities: Activity[] = [];
  let n = 0;
  const act = (actorId: string, instrument: string, ts: number) =>
    activities.push({ actorId, instrument, ts, eventId: `e${String(++n).padStart(6, '0')}`, kind: 'mention' });
  for (let day = 0; day < days; day++) {
    groups.forEach((members, g) => {
      for (const instrument of instruments.slice(g * 3, g * 3 + 3)) {
        const at = T0 + day * DAY + rng.int(0, 22) * HOUR;
        for (const m of members) if (rng.chance(0.7)) act(m, instrument, at + rng.int(0, 30 * 60_000));
      }
    });
    for (let k = 0; k < 60; k++) act(rng.pick(everyone), rng.pick(instruments), T0 + day * DAY + rng.int(0, DAY - 1));
  }
  return { groups, activities };
}

describe('CoTradingDetector', () => {
  it('recovers planted communities', () => {
    const { groups, activities } = plant(5);
    const report = new CoTradingDetector({ windowMs: HOUR, minEdgeWeight: 3, seed: 3 }).detect(activities);
    expect(report.modularity).toBeGreaterThan(0.3);
    const used = new Set<string>();
    for (const group of groups) {
      // The community holding most of the group holds nearly all of it, and little else.
      const best = [...report.communities].sort(
        (a, b) => b.members.filter((m) => group.includes(m)).length - a.members.filter((m) => group.includes(m)).length,
      )[0]!;
      const inside = best.members.filter((m) => group.includes(m)).length;
      expect(inside, group.join()).toBeGreaterThanOrEqual(group.length - 1);
      expect(inside / best.members.length).toBeGreaterThanOrEqual(0.7);
      expect(used.has(best.id)).toBe(false);
      used.add(best.id);
      // It is about the group's own instruments.
      expect(best.instruments.length).toBeGreaterThan(0);
      expect(best.score).toBeGreaterThan(0);
      expect(best.score).toBeLessThanOrEqual(1);
    }
    // Planted communities outscore whatever the noise forms.
    const planted = report.communities.filter((c) => used.has(c.id));
    const other = report.communities.filter((c) => !used.has(c.id));
    for (const o of other) for (const p of planted) expect(p.score).toBeGreaterThan(o.score);
  });

  it('is deterministic for a seed, whatever the order activities arrive in', () => {
    const { activities } = plant(9);
    const shuffled = [...activities].reverse();
    const detector = () => new CoTradingDetector({ windowMs: HOUR, minEdgeWeight: 3, seed: 42 });
    const a = detector().detect(activities);
    expect(detector().detect(activities)).toEqual(a);
    expect(detector().detect(shuffled)).toEqual(a);
    expect(a.model).toContain('seed=42');
  });

  it('links actors only when they act on one instrument within the window', () => {
    const at = (actorId: string, instrument: string, hours: number, i: number): Activity => ({
      actorId,
      instrument,
      ts: T0 + hours * HOUR,
      eventId: `e${i}`,
      kind: 'trade',
    });
    const d = new CoTradingDetector({ windowMs: 2 * HOUR });
    const links = d.links([
      at('a', 'X', 0, 1),
      at('b', 'X', 1, 2),
      at('c', 'X', 5, 3),
      at('d', 'Y', 1, 4),
      at('a', 'Z', 0, 5),
      at('b', 'Z', 1.5, 6),
    ]);
    expect([...links.entries()].map(([k, v]) => [k.split('\u0000'), v])).toEqual([
      [['a', 'b'], { weight: 2, instruments: ['X', 'Z'] }],
    ]);
    expect(d.detect([]).communities).toEqual([]);
  });

  it('becomes a signal draft citing its evidence', () => {
    const { activities } = plant(5);
    const report = new CoTradingDetector({ windowMs: HOUR, minEdgeWeight: 3, seed: 3 }).detect(activities);
    const top = report.communities[0]!;
    const draft = coTradingDraft(top, report);
    expect(draft.signal.kind).toBe('co_trading_community');
    expect(draft.signal.body.members).toEqual(top.members);
    expect(draft.tsEvent).toBe(top.lastActivity);
    const cited = new Set(draft.causationIds);
    expect(cited.size).toBeGreaterThan(0);
    for (const a of activities.filter((x) => cited.has(x.eventId))) expect(top.members).toContain(a.actorId);
  });
});

describe('activitiesOf', () => {
  let resolver: EntityResolver;
  beforeAll(async () => {
    resolver = new EntityResolver(await ReferenceData.load());
  });
  const of = (kind: RawSignal['kind'], body: Record<string, unknown>, instrument: string | null) => {
    const s: RawSignal = { source: 't', kind, instrument, externalId: null, body };
    return activitiesOf({ id: 'e1', tsEvent: T0 }, s, resolver.resolveSignal(s));
  };

  it('records open-market trades, wallet transfers and mentions, not awards or exchanges', () => {
    const filing = { issuerCik: '320193', ownerCik: '1214156', owner: 'Cook Timothy D' };
    const sale = of('insider_filing', { ...filing, transactionCode: 'S' }, null);
    expect(sale.map((a) => [a.actorId, a.instrument, a.kind])).toEqual([['cik:0001214156', 'AAPL', 'trade']]);
    expect(of('insider_filing', { ...filing, transactionCode: 'A' }, null)).toEqual([]);
    const wallet = '0xab5801a7d398351b8be11c439e05c5b3259aec9b';
    const transfer = of('whale_transfer', { from: wallet, to: 'Binance' }, 'ETH-USD');
    expect(transfer.map((a) => a.actorId)).toEqual(['wal:eth:0xab5801a7d398351b8be11c439e05c5b3259aec9b']);
    const post = of('social_mention', { platform: 'reddit', author: 'x', text: '$AAPL' }, null);
    expect(post.map((a) => a.actorId)).toEqual(['aut:reddit:x']);
    expect(of('social_mention', { platform: 'reddit', author: 'x', text: '$AAPL $MSFT' }, null)).toEqual([]);
  });
});
