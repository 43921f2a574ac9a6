/**
 * Co-trading communities: groups of actors (insiders, wallets, social authors) that keep acting on the same
 * instruments at the same times. Two actors are linked when they trade, transfer or mention one instrument within
 * `windowMs` of each other; the link's weight is the number of distinct occasions they did so (an occasion is an
 * instrument and a `windowMs`-long slot of time), so a pair who once both mentioned a popular ticker is linked
 * weakly and a pair who keep moving together is linked strongly, whatever the number of messages in each burst.
 * Communities are found by Louvain modularity optimisation (graphology-communities-louvain), then scored.
 *
 * Deterministic: activities are sorted before use, nodes and edges are added to the graph in sorted order, and
 * Louvain draws from a seeded random source, so the same activities and seed give the same communities.
 */
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { eventId } from '../canonical.js';
import { Random } from '../random.js';
import type { RawSignal } from '../types.js';
import { entitiesInRole, type Resolution } from './resolver.js';

type Louvain = typeof louvainModule.default;
/** The package is CommonJS: Node hands the function itself to a default import, bundlers may wrap it. */
const louvain: Louvain =
  (louvainModule as unknown as { default?: Louvain }).default ?? (louvainModule as unknown as Louvain);

export interface Activity {
  /** The entity id of who acted (`cik:…`, `per:…`, `wal:…`, `aut:…`). */
  readonly actorId: string;
  readonly instrument: string;
  readonly ts: number;
  readonly eventId: string;
  readonly kind: 'trade' | 'transfer' | 'mention';
}

export interface CoTradingOptions {
  /** Actions this close on one instrument link their actors (default one day). */
  readonly windowMs?: number;
  /** Smallest community reported (default 3). */
  readonly minCommunitySize?: number;
  /** Links weaker than this (occasions acted on together) are dropped before detection (default 2). */
  readonly minEdgeWeight?: number;
  /** Louvain resolution: above 1 favours smaller communities (default 1). */
  readonly resolution?: number;
  /** Seed of Louvain's random walk (default 1). */
  readonly seed?: number;
  /**
   * On one instrument, each action links to at most this many distinct earlier actors in its window (default 50):
   * keeps a burst of thousands of mentions of one ticker from costing a quadratic number of pairs.
   */
  readonly maxLinksPerActivity?: number;
}

/** Two actors' link: how many occasions they acted together, and on which instruments. */
export interface Link {
  readonly weight: number;
  readonly instruments: readonly string[];
}

export interface CommunityInstrument {
  readonly instrument: string;
  /** Members who acted on it. */
  readonly actors: number;
}

export interface CoTradingCommunity {
  /** Derived from the sorted members: the same group has the same id in every run. */
  readonly id: string;
  readonly members: readonly string[];
  /** Instruments at least two members acted on, most shared first. */
  readonly instruments: readonly CommunityInstrument[];
  /** Sum of link weights inside the community, and to the outside. */
  readonly internalWeight: number;
  readonly cutWeight: number;
  /** Share of member pairs that are linked, 0..1. */
  readonly density: number;
  /** Share of the members' link weight that stays inside, 0..1. */
  readonly cohesion: number;
  /** density × cohesion: 1 for a clique with no outside ties. */
  readonly score: number;
  readonly firstActivity: number;
  readonly lastActivity: number;
  /** Up to `EVIDENCE_LIMIT` event ids of member activity on shared instruments, sorted. */
  readonly evidence: readonly string[];
}

export interface CommunityReport {
  /** The detector's name with its parameters. */
  readonly model: string;
  readonly nodes: number;
  readonly edges: number;
  /** Modularity of the whole partition. */
  readonly modularity: number;
  /** Ordered by score, highest first, then id. */
  readonly communities: readonly CoTradingCommunity[];
}

export const EVIDENCE_LIMIT = 50;
const DAY_MS = 86_400_000;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

export class CoTradingDetector {
  readonly windowMs: number;
  readonly minCommunitySize: number;
  readonly minEdgeWeight: number;
  readonly resolution: number;
  readonly seed: number;
  readonly maxLinksPerActivity: number;

  constructor(options: CoTradingOptions = {}) {
    this.windowMs = options.windowMs ?? DAY_MS;
    this.minCommunitySize = options.minCommunitySize ?? 3;
    this.minEdgeWeight = options.minEdgeWeight ?? 2;
    this.resolution = options.resolution ?? 1;
    this.seed = options.seed ?? 1;
    this.maxLinksPerActivity = options.maxLinksPerActivity ?? 50;
    if (!(this.windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${this.windowMs}`);
    if (!(this.minCommunitySize >= 2)) throw new RangeError(`minCommunitySize must be at least 2`);
  }

  get model(): string {
    const params = [
      `window=${this.windowMs / 3_600_000}h`,
      `minSize=${this.minCommunitySize}`,
      `minWeight=${this.minEdgeWeight}`,
      `resolution=${this.resolution}`,
      `seed=${this.seed}`,
    ];
    return `CoTrading(${params.join(',')})`;
  }

  /** The links between actors, keyed by the pair (the two ids, sorted, joined by a NUL). */
  links(activities: readonly Activity[]): Map<string, Link> {
    const byInstrument = new Map<string, Activity[]>();
    for (const a of activities) {
      const list = byInstrument.get(a.instrument) ?? [];
      list.push(a);
      byInstrument.set(a.instrument, list);
    }
    const links = new Map<string, { occasions: Set<string>; instruments: Set<string> }>();
    for (const instrument of [...byInstrument.keys()].sort(cmp)) {
      const list = byInstrument.get(instrument)!.sort(
        (a, b) => a.ts - b.ts || cmp(a.eventId, b.eventId) || cmp(a.actorId, b.actorId),
      );
      let lo = 0;
      for (let j = 0; j < list.length; j++) {
        const cur = list[j]!;
        while (list[lo]!.ts < cur.ts - this.windowMs) lo++;
        const partners = new Set<string>();
        for (let i = j - 1; i >= lo && partners.size < this.maxLinksPerActivity; i--) {
          const other = list[i]!.actorId;
          if (other !== cur.actorId) partners.add(other);
        }
        const occasion = `${instrument}@${Math.floor(cur.ts / this.windowMs)}`;
        for (const other of partners) {
          const key = pairKey(cur.actorId, other);
          const link = links.get(key) ?? { occasions: new Set<string>(), instruments: new Set<string>() };
          link.occasions.add(occasion);
          link.instruments.add(instrument);
          links.set(key, link);
        }
      }
    }
    const out = new Map<string, Link>();
    for (const [key, l] of links) out.set(key, { weight: l.occasions.size, instruments: [...l.instruments].sort(cmp) });
    return out;
  }

  detect(activities: readonly Activity[]): CommunityReport {
    const links = this.links(activities);
    const graph = new UndirectedGraph<Record<string, never>, { weight: number }>();
    const kept = [...links.entries()]
      .filter(([, link]) => link.weight >= this.minEdgeWeight)
      .sort(([a], [b]) => cmp(a, b));
    const nodes = new Set<string>();
    for (const [key] of kept) for (const n of key.split('\u0000')) nodes.add(n);
    for (const n of [...nodes].sort(cmp)) graph.addNode(n);
    for (const [key, link] of kept) {
      const [a, b] = key.split('\u0000') as [string, string];
      graph.addUndirectedEdgeWithKey(key, a, b, { weight: link.weight });
    }
    if (graph.size === 0) return { model: this.model, nodes: graph.order, edges: 0, modularity: 0, communities: [] };

    const rng = new Random(this.seed);
    const result = louvain.detailed(graph, {
      getEdgeWeight: 'weight',
      resolution: this.resolution,
      rng: () => rng.next(),
    });
    const groups = new Map<number, string[]>();
    for (const node of graph.nodes()) {
      const c = result.communities[node]!;
      groups.set(c, [...(groups.get(c) ?? []), node]);
    }
    const communities = [...groups.values()]
      .filter((members) => members.length >= this.minCommunitySize)
      .map((members) => this.#score(graph, members.sort(cmp), activities))
      .sort((a, b) => b.score - a.score || cmp(a.id, b.id));
    return { model: this.model, nodes: graph.order, edges: graph.size, modularity: result.modularity, communities };
  }

  #score(
    graph: UndirectedGraph<Record<string, never>, { weight: number }>,
    members: string[],
    activities: readonly Activity[],
  ): CoTradingCommunity {
    const inside = new Set(members);
    let internalWeight = 0;
    let cutWeight = 0;
    let internalEdges = 0;
    graph.forEachEdge((_key, attrs, source, target) => {
      const a = inside.has(source);
      const b = inside.has(target);
      if (a && b) {
        internalWeight += attrs.weight;
        internalEdges++;
      } else if (a || b) cutWeight += attrs.weight;
    });
    const n = members.length;
    const density = (2 * internalEdges) / (n * (n - 1));
    const cohesion = internalWeight / (internalWeight + cutWeight || 1);

    const actorsOn = new Map<string, Set<string>>();
    const own = activities.filter((a) => inside.has(a.actorId));
    for (const a of own) actorsOn.set(a.instrument, (actorsOn.get(a.instrument) ?? new Set()).add(a.actorId));
    const instruments = [...actorsOn.entries()]
      .filter(([, actors]) => actors.size >= 2)
      .map(([instrument, actors]) => ({ instrument, actors: actors.size }))
      .sort((a, b) => b.actors - a.actors || cmp(a.instrument, b.instrument));
    const shared = new Set(instruments.map((i) => i.instrument));
    const evidence = [...new Set(own.filter((a) => shared.has(a.instrument)).map((a) => a.eventId))]
      .sort(cmp)
      .slice(0, EVIDENCE_LIMIT);
    const times = own.map((a) => a.ts);
    return {
      id: eventId('ctc', members),
      members,
      instruments,
      internalWeight,
      cutWeight,
      density,
      cohesion,
      score: density * cohesion,
      firstActivity: times.length ? Math.min(...times) : 0,
      lastActivity: times.length ? Math.max(...times) : 0,
      evidence,
    };
  }
}

/**
 * The activities a resolved signal records: an insider's open-market trade (P or S), each side of a transfer that
 * is a wallet, an author's mention. Labels (exchanges) are not actors: every exchange would join every community.
 */
export function activitiesOf(
  event: { readonly id: string; readonly tsEvent: number },
  signal: RawSignal,
  resolution: Resolution,
): Activity[] {
  const instrument = resolution.instrument;
  if (instrument === null) return [];
  const base = { instrument, ts: event.tsEvent, eventId: event.id };
  const out: Activity[] = [];
  if (signal.kind === 'insider_filing') {
    const code = typeof signal.body.transactionCode === 'string' ? signal.body.transactionCode.toUpperCase() : '';
    if (code === 'P' || code === 'S') {
      for (const e of entitiesInRole(resolution, 'insider')) out.push({ ...base, actorId: e.id, kind: 'trade' });
    }
  }
  for (const role of ['sender', 'receiver'] as const) {
    for (const e of entitiesInRole(resolution, role)) {
      if (e.kind === 'wallet') out.push({ ...base, actorId: e.id, kind: 'transfer' });
    }
  }
  for (const e of entitiesInRole(resolution, 'author')) out.push({ ...base, actorId: e.id, kind: 'mention' });
  return out;
}
