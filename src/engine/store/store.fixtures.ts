/** Hand-built events and vectors for the store's tests. Ids are lower-case ASCII so any collation orders them alike. */
import type {
  ConvictionScored,
  ConvictionVector,
  DeadLettered,
  Instrument,
  SignalEnriched,
  SignalKind,
} from '../types.js';
import { sha256Hex } from '../canonical.js';
import { CLEAN_ANNOTATIONS, type EnrichmentAnnotations } from '../enrich/annotations.js';

const pad = (n: number) => String(n).padStart(4, '0');

export interface SignalOptions {
  readonly prefix?: string;
  readonly source?: string;
  readonly kind?: SignalKind;
  readonly instrument?: string | null;
  readonly tsInit?: number;
  readonly body?: Record<string, unknown>;
  readonly contentHash?: string;
  /** Enrichment's findings; clean when not given. */
  readonly annotations?: EnrichmentAnnotations;
}

export function signalEvent(n: number, o: SignalOptions = {}): SignalEnriched {
  const prefix = o.prefix ?? 'sig';
  const tsInit = o.tsInit ?? 1_700_000_000_000 + n * 1000;
  const kind = o.kind ?? 'bar';
  const body =
    o.body ??
    (kind === 'bar'
      ? { open: 100.25, high: 101.5, low: 99.75, close: 100.1 + n / 100, volume: 1200 + n, intervalMs: 60_000 }
      : { title: `post ${n}`, score: n, nested: { tags: ['a', 'b'], ratio: 0.1 + 0.2 } });
  return {
    id: `${prefix}_${pad(n)}`,
    type: 'SignalEnriched',
    tsEvent: tsInit - 500,
    tsInit,
    causationIds: [`raw_${prefix}_${pad(n)}`],
    payload: {
      source: o.source ?? 'simulator',
      kind,
      instrument: o.instrument === undefined ? 'AAPL' : o.instrument,
      externalId: kind === 'bar' ? null : `ext-${n}`,
      body,
      contentHash: o.contentHash ?? sha256Hex(`${prefix}/${n}`),
      polarity: kind === 'bar' ? 0.0123 : -0.5,
      magnitude: 1200 + n,
      ...(o.annotations ?? CLEAN_ANNOTATIONS),
    },
  };
}

export type VectorOptions = Partial<Omit<ConvictionVector, 'id'>> & { readonly prefix?: string };

export function convictionVector(n: number, o: VectorOptions = {}): ConvictionVector {
  const { prefix = 'cv', ...over } = o;
  const createdAt = over.createdAt ?? 1_700_000_000_000 + n * 1000;
  const score = over.convictionScore ?? 0.42;
  const ttl = over.ttl ?? 3600;
  return {
    id: `${prefix}_${pad(n)}`,
    signalId: `sig_${pad(n)}`,
    instrument: 'AAPL',
    convictionScore: score,
    direction: score > 0 ? 'LONG' : score < 0 ? 'SHORT' : 'NEUTRAL',
    band: 'MODERATE',
    reasonVector: [
      { feature: 'mentions.zscore', contribution: 0.31, value: 3.2, sentence: 'Mentions are 3.2σ above normal.' },
      { feature: 'volume.zscore', contribution: -0.05, value: -0.4, sentence: 'Volume is about normal.' },
    ],
    contributingModels: [{ modelId: 'ZScore(window=48,min=12)', version: '1', weight: 0.7, output: 3.2 }],
    ttl,
    expiresAt: createdAt + ttl * 1000,
    routingTags: ['equity', 'social'],
    explanation: 'Mentions of AAPL are unusually high.',
    createdAt,
    ...over,
  };
}

export function convictionScored(vector: ConvictionVector, causationIds: readonly string[] = []): ConvictionScored {
  return {
    id: vector.id,
    type: 'ConvictionScored',
    tsEvent: vector.createdAt,
    tsInit: vector.createdAt,
    causationIds,
    payload: vector,
  };
}

export function deadLettered(id: string, source: unknown, causationIds: readonly string[] = []): DeadLettered {
  return {
    id,
    type: 'DeadLettered',
    tsEvent: 1_700_000_000_000,
    tsInit: 1_700_000_000_001,
    causationIds,
    payload: { stage: 'enrich', error: 'boom', source },
  };
}

export function instrument(symbol: string, over: Partial<Instrument> = {}): Instrument {
  return { symbol, name: `${symbol} Inc.`, assetClass: 'equity', sector: 'Technology', venue: 'NASDAQ', ...over };
}
