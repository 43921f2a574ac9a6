/**
 * The signals entity analysis produces: insider clusters and co-trading communities, shaped like a collector's
 * `SignalDraft` (a raw signal and its event time) plus the events they were derived from, so that they can enter
 * the pipeline on `signals.raw` like any other signal and be de-duplicated, scored and audited the same way.
 *
 * Bodies are plain JSON (numbers, strings, arrays), stable for a given input, so the
 * content hash of a re-emitted cluster equals the first one's and de-duplication drops it.
 */
import { eventId } from '../canonical.js';
import type { SignalIngested, SignalKind } from '../types.js';
import type { CoTradingCommunity, CommunityReport } from './co-trading.js';
import type { InsiderCluster } from './insider-clusters.js';

export const ENTITY_SIGNAL_KINDS = ['insider_cluster', 'co_trading_community'] as const satisfies readonly SignalKind[];
export type EntitySignalKind = (typeof ENTITY_SIGNAL_KINDS)[number];

export const ENTITY_SIGNAL_SOURCES = {
  insiderCluster: 'entities.insider-cluster',
  coTrading: 'entities.co-trading',
} as const;

/** A `RawSignal` whose kind is one of the entity kinds. */
export interface EntitySignal {
  readonly source: string;
  readonly kind: EntitySignalKind;
  readonly instrument: string | null;
  readonly externalId: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A collector-style draft: the signal, when it happened, and the events it was derived from. */
export interface EntitySignalDraft {
  readonly signal: EntitySignal;
  readonly tsEvent: number;
  readonly causationIds: readonly string[];
}

/**
 * A cluster as a signal. Its event time is the latest purchase (when the cluster became what it is); the
 * external id is per emission, so a grown cluster is a new signal and a repeat of the same emission is not.
 */
export function insiderClusterDraft(cluster: InsiderCluster, model: string): EntitySignalDraft {
  return {
    signal: {
      source: ENTITY_SIGNAL_SOURCES.insiderCluster,
      kind: 'insider_cluster',
      instrument: cluster.instrument,
      externalId: cluster.id,
      body: {
        model,
        clusterId: cluster.clusterId,
        status: cluster.status,
        issuerId: cluster.issuerId,
        windowStart: cluster.windowStart,
        windowEnd: cluster.windowEnd,
        windowMs: cluster.windowMs,
        insiders: cluster.members.length,
        purchases: cluster.purchases,
        totalShares: cluster.totalShares,
        totalValue: cluster.totalValue,
        members: cluster.members.map((m) => ({ ...m })),
        // Read by normalization: a cluster of purchases points up, and its size is its dollar value.
        polarity: 1,
        notionalUsd: cluster.totalValue,
      },
    },
    tsEvent: cluster.windowEnd,
    causationIds: cluster.causationIds,
  };
}

/**
 * A community as a signal, about the instrument most of its members act on when one stands out (acted on by
 * more than half of them), else about no single instrument.
 */
export function coTradingDraft(community: CoTradingCommunity, report: CommunityReport): EntitySignalDraft {
  const top = community.instruments[0];
  const instrument = top && top.actors * 2 > community.members.length ? top.instrument : null;
  return {
    signal: {
      source: ENTITY_SIGNAL_SOURCES.coTrading,
      kind: 'co_trading_community',
      instrument,
      externalId: `${community.id}@${community.lastActivity}`,
      body: {
        model: report.model,
        communityId: community.id,
        size: community.members.length,
        members: [...community.members],
        instruments: community.instruments.map((i) => ({ ...i })),
        density: community.density,
        cohesion: community.cohesion,
        score: community.score,
        modularity: report.modularity,
        firstActivity: community.firstActivity,
        lastActivity: community.lastActivity,
        magnitude: community.score,
      },
    },
    tsEvent: community.lastActivity,
    causationIds: community.evidence,
  };
}

/**
 * The `SignalIngested` of a draft, as a collector would publish it (the same id pattern), but with the events it
 * was derived from as its causes: the lineage of a cluster reaches the filings behind it.
 */
export function entitySignalEvent(draft: EntitySignalDraft, tsInit: number): SignalIngested {
  const { signal, tsEvent } = draft;
  return Object.freeze({
    id: eventId('sig', signal.source, signal.kind, signal.externalId, tsEvent),
    type: 'SignalIngested',
    tsEvent,
    tsInit,
    causationIds: [...draft.causationIds],
    payload: Object.freeze({ ...signal, body: Object.freeze({ ...signal.body }) }),
  });
}
