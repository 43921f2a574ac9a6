/**
 * Insider clusters: several distinct insiders of one issuer buying its shares on the open market within a few
 * days of each other. One insider buying can be anything; several, independently, within days, is one of the
 * better-documented informed-trading patterns, and it is what the simulator plants as informed flow.
 *
 * Only code P (open-market or private purchase) counts. Sales (S) are mostly plan-driven or for diversification;
 * awards (A), option exercises (M), tax withholding (F), gifts (G), conversions (C) and others (J) are not
 * decisions to buy. A transaction reported by several owners jointly (a person and their trust) is one purchase
 * by one participant, not several.
 *
 * The detector is fed transactions in event time and is deterministic: the same sequence gives the same
 * clusters with the same ids. A cluster opens when the purchases within `windowMs` come from `minInsiders`
 * distinct insiders; while it is open (until `windowMs` after its first purchase) each new insider joining it
 * re-emits it, grown, under the same cluster id. Purchases of a closed cluster never seed the next one.
 */
import { eventId } from '../canonical.js';
import type { RawSignal } from '../types.js';
import { instrumentId } from './ids.js';
import { entitiesInRole, type Resolution } from './resolver.js';

export interface InsiderTransaction {
  /** Unique per transaction: repeats (a redelivery, a 4/A restating a row) are counted once. */
  readonly id: string;
  /** The event that carried it. */
  readonly eventId: string;
  /** When it happened, epoch ms. */
  readonly ts: number;
  /** The issuer's entity id (`cik:…`, or `ins:…` when its CIK is unknown). */
  readonly issuerId: string;
  readonly instrument: string | null;
  /** The reporting owner; for a joint filing, the first owner's id. */
  readonly insiderId: string;
  readonly insiderName: string | null;
  readonly relationship: string | null;
  /** The Form 4 transaction code (`P`, `S`, `A`, `M`, …). */
  readonly code: string;
  readonly shares: number;
  readonly price: number;
  /** shares × price when the filing does not state it. */
  readonly value: number;
}

export interface InsiderClusterMember {
  readonly insiderId: string;
  readonly name: string | null;
  readonly relationship: string | null;
  readonly purchases: number;
  readonly shares: number;
  readonly value: number;
}

export interface InsiderCluster {
  /** Stable over the cluster's life: derived from the issuer and its first purchase. */
  readonly clusterId: string;
  /** Unique per emission (the cluster id and its size). */
  readonly id: string;
  readonly status: 'opened' | 'grew';
  readonly issuerId: string;
  readonly instrument: string | null;
  /** First and latest purchase in the cluster. */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** The configured window, for readers comparing clusters found under different settings. */
  readonly windowMs: number;
  /** Ordered by value, largest first, then id. */
  readonly members: readonly InsiderClusterMember[];
  readonly purchases: number;
  readonly totalShares: number;
  /** Sum of purchase values, in dollars, summed in whole cents so that the total does not depend on order. */
  readonly totalValue: number;
  /** The events of every purchase in the cluster, sorted. */
  readonly causationIds: readonly string[];
}

export interface InsiderClusterOptions {
  /** Purchases this close count together (default 14 days). */
  readonly windowMs?: number;
  /** Distinct insiders needed (default 3). */
  readonly minInsiders?: number;
}

export const DEFAULT_CLUSTER_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
export const DEFAULT_MIN_INSIDERS = 3;

const OPEN_MARKET_PURCHASE = 'P';

interface OpenCluster {
  readonly clusterId: string;
  readonly start: number;
  readonly txs: InsiderTransaction[];
}

interface IssuerState {
  /** Purchases not (yet) in a cluster, within the window of the latest one seen. */
  pending: InsiderTransaction[];
  open: OpenCluster | null;
  /** The latest purchase time of the last closed cluster: nothing at or before it seeds a new one. */
  closedUntil: number;
  latest: number;
  seen: Set<string>;
}

const byTime = (a: InsiderTransaction, b: InsiderTransaction) =>
  a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class InsiderClusterDetector {
  readonly windowMs: number;
  readonly minInsiders: number;
  readonly #issuers = new Map<string, IssuerState>();

  constructor(options: InsiderClusterOptions = {}) {
    this.windowMs = options.windowMs ?? DEFAULT_CLUSTER_WINDOW_MS;
    this.minInsiders = options.minInsiders ?? DEFAULT_MIN_INSIDERS;
    if (!(this.windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${this.windowMs}`);
    if (!Number.isInteger(this.minInsiders) || this.minInsiders < 2) {
      throw new RangeError(`minInsiders must be an integer of at least 2, got ${this.minInsiders}`);
    }
  }

  /** The model's name with its parameters, stamped on what it emits. */
  get name(): string {
    return `InsiderCluster(window=${this.windowMs / 86_400_000}d,min=${this.minInsiders})`;
  }

  /** Feeds one transaction; returns the cluster it opened or grew, if any. */
  observe(tx: InsiderTransaction): InsiderCluster | null {
    if (tx.code.toUpperCase() !== OPEN_MARKET_PURCHASE) return null;
    const state = this.#state(tx.issuerId);
    if (state.seen.has(tx.id)) return null;
    // Too late to join anything: older than the window of the latest purchase, or inside a closed cluster.
    if (tx.ts < state.latest - this.windowMs || tx.ts <= state.closedUntil) return null;
    state.seen.add(tx.id);
    state.latest = Math.max(state.latest, tx.ts);

    const open = state.open;
    if (open && tx.ts >= open.start && tx.ts <= open.start + this.windowMs) {
      const grew = !open.txs.some((t) => t.insiderId === tx.insiderId);
      open.txs.push(tx);
      open.txs.sort(byTime);
      return grew ? this.#emit(open, 'grew') : null;
    }
    if (open && state.latest > open.start + this.windowMs) {
      state.closedUntil = Math.max(...open.txs.map((t) => t.ts));
      state.open = null;
      state.pending = state.pending.filter((t) => t.ts > state.closedUntil);
    }

    state.pending.push(tx);
    state.pending.sort(byTime);
    state.pending = state.pending.filter((t) => t.ts >= state.latest - this.windowMs);
    if (state.open || distinct(state.pending) < this.minInsiders) return null;
    const first = state.pending[0]!;
    const cluster: OpenCluster = {
      clusterId: eventId('icl', tx.issuerId, first.id),
      start: first.ts,
      txs: state.pending,
    };
    state.open = cluster;
    state.pending = [];
    return this.#emit(cluster, 'opened');
  }

  /** Forgets issuers with nothing open or pending older than `before`: bounds memory in a long run. */
  prune(before: number): void {
    for (const [issuer, state] of this.#issuers) {
      const openEnd = state.open ? state.open.start + this.windowMs : -Infinity;
      if (state.latest < before && openEnd < before) this.#issuers.delete(issuer);
    }
  }

  #state(issuerId: string): IssuerState {
    let state = this.#issuers.get(issuerId);
    if (!state) {
      state = { pending: [], open: null, closedUntil: -Infinity, latest: -Infinity, seen: new Set() };
      this.#issuers.set(issuerId, state);
    }
    return state;
  }

  #emit(open: OpenCluster, status: InsiderCluster['status']): InsiderCluster {
    const members = new Map<string, { m: InsiderClusterMember; cents: number }>();
    let cents = 0;
    let shares = 0;
    for (const t of open.txs) {
      const c = Math.round(t.value * 100);
      cents += c;
      shares += t.shares;
      const known = members.get(t.insiderId);
      const m = known?.m;
      members.set(t.insiderId, {
        cents: (known?.cents ?? 0) + c,
        m: {
          insiderId: t.insiderId,
          name: m?.name ?? t.insiderName,
          relationship: m?.relationship ?? t.relationship,
          purchases: (m?.purchases ?? 0) + 1,
          shares: (m?.shares ?? 0) + t.shares,
          value: 0,
        },
      });
    }
    const list = [...members.values()]
      .map(({ m, cents: c }) => ({ ...m, value: c / 100 }))
      .sort((a, b) => b.value - a.value || (a.insiderId < b.insiderId ? -1 : 1));
    const last = open.txs[open.txs.length - 1]!;
    return {
      clusterId: open.clusterId,
      id: eventId('iclx', open.clusterId, list.length),
      status,
      issuerId: last.issuerId,
      instrument: open.txs.find((t) => t.instrument !== null)?.instrument ?? null,
      windowStart: open.start,
      windowEnd: last.ts,
      windowMs: this.windowMs,
      members: list,
      purchases: open.txs.length,
      totalShares: shares,
      totalValue: cents / 100,
      causationIds: [...new Set(open.txs.map((t) => t.eventId))].sort(),
    };
  }
}

function distinct(txs: readonly InsiderTransaction[]): number {
  return new Set(txs.map((t) => t.insiderId)).size;
}

function num(body: Readonly<Record<string, unknown>>, ...keys: readonly string[]): number | null {
  for (const key of keys) {
    const v = body[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return null;
}

/**
 * The insider transaction a resolved `insider_filing` signal carries, or null when it lacks a code (a
 * retraction has none), an insider or an issuer. Its time is the body's `transactionDate` when there is one, else
 * the event's. `rowId` distinguishes rows when one event carries several.
 */
export function insiderTransactionOf(
  event: { readonly id: string; readonly tsEvent: number },
  signal: RawSignal,
  resolution: Resolution,
  rowId = '',
): InsiderTransaction | null {
  if (signal.kind !== 'insider_filing') return null;
  const b = signal.body;
  const code = typeof b.transactionCode === 'string' ? b.transactionCode.trim().toUpperCase() : '';
  const insiders = entitiesInRole(resolution, 'insider');
  const issuer = entitiesInRole(resolution, 'issuer')[0]?.id
    ?? (resolution.instrument ? instrumentId(resolution.instrument) : null);
  if (code === '' || insiders.length === 0 || issuer === null) return null;
  const shares = num(b, 'shares', 'transactionShares') ?? 0;
  // The day of the trade, not of the filing (filed up to two business days later, or years for a late one).
  const date = typeof b.transactionDate === 'string' ? b.transactionDate.slice(0, 10) : '';
  const traded = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  const price = num(b, 'price', 'transactionPricePerShare') ?? 0;
  const [first] = [...insiders].sort((x, y) => (x.id < y.id ? -1 : 1));
  return {
    id: rowId === '' ? event.id : `${event.id}#${rowId}`,
    eventId: event.id,
    ts: Number.isFinite(traded) ? traded : event.tsEvent,
    issuerId: issuer,
    instrument: resolution.instrument,
    insiderId: first!.id,
    insiderName: first!.name,
    relationship: first!.attrs.relationship ?? null,
    code,
    shares,
    price,
    value: num(b, 'value') ?? shares * price,
  };
}
