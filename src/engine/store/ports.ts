/**
 * The store's ports: what stages, jobs and resolvers may ask of storage. Implemented once with drizzle
 * over both drivers (PGlite embedded, PostgreSQL through postgres.js); see `repositories.ts`.
 */
import type { EnrichmentAnnotations, EnrichmentFlag } from '../enrich/annotations.js';
import type { EntityGraphRepository } from '../entities/ports.js';
import type { KillSwitchStore } from '../execution/kill-switch-store.js';
import type { AutotradeQueue } from '../execution/queue.js';
import type { OrderRepository } from '../execution/repository.js';
import type { ApiKeyRepository } from './api-keys.repo.js';
import type { ModelOpsStore } from '../modelops/store.js';
import type { VaultRepository } from '../vaults/ports.js';
import type { AuditCheckpointStore } from '../audit/checkpoints.js';
import type { FilingRepository } from './filings.ports.js';
import type { BacktestRepository } from './backtests.repo.js';
import type {
  ConvictionBand,
  ConvictionVector,
  Instrument,
  SignalEnriched,
  SignalKind,
  VantaEvent,
} from '../types.js';

/** A page of a keyset-paginated listing, newest first. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque cursor of each item, same order as `items`. */
  readonly cursors: readonly string[];
  readonly hasNextPage: boolean;
  readonly totalCount: number;
}

export interface PageRequest {
  /** At most this many items (1..500). */
  readonly first: number;
  /** Items strictly after this cursor. */
  readonly after?: string | null;
}

/** A stored enriched signal. `id` is the envelope id of its `SignalEnriched` event. */
export interface SignalRecord {
  readonly id: string;
  readonly source: string;
  readonly kind: SignalKind;
  readonly instrument: string | null;
  readonly externalId: string | null;
  readonly contentHash: string;
  readonly polarity: number;
  readonly magnitude: number;
  readonly body: Readonly<Record<string, unknown>>;
  /** Enrichment's flags, in the order of `ENRICHMENT_FLAGS`; empty for a clean signal. */
  readonly flags: readonly EnrichmentFlag[];
  /** How much the signal counts, 0..1. */
  readonly weight: number;
  /** The evidence behind the flags; null when there is none. */
  readonly evidence: SignalEvidence | null;
  readonly tsEvent: number;
  readonly tsInit: number;
  readonly causationIds: readonly string[];
}

/** What enrichment found beyond its flags and weight. */
export type SignalEvidence = Pick<EnrichmentAnnotations, 'nearDuplicateOf' | 'swarm' | 'lateness' | 'clockSkewMs'>;

export interface SignalFilter {
  readonly instrument?: string | null;
  readonly kind?: SignalKind | null;
  readonly source?: string | null;
  /** Only signals carrying this flag. */
  readonly flag?: EnrichmentFlag | null;
}

export interface SignalRepository {
  /** Stores the signal; false when an event with the same id is already stored (a redelivery). */
  insert(event: SignalEnriched): Promise<boolean>;
  /** Stores the signals with one statement; for each, in order, whether it was written (as `insert`). */
  insertMany(events: readonly SignalEnriched[]): Promise<readonly boolean[]>;
  get(id: string): Promise<SignalRecord | null>;
  list(filter: SignalFilter, page: PageRequest): Promise<Page<SignalRecord>>;
  count(): Promise<number>;
}

export interface ConvictionFilter {
  readonly instrument?: string | null;
  /** Only vectors with |convictionScore| >= this. */
  readonly minAbsScore?: number | null;
  readonly band?: ConvictionBand | null;
  readonly routingTag?: string | null;
  /** Only vectors whose `expiresAt` is after this instant. */
  readonly activeAt?: number | null;
}

export interface ConvictionToStore {
  readonly vector: ConvictionVector;
  readonly causationIds: readonly string[];
}

export interface ConvictionRepository {
  /** Stores the vector; false when one with the same id is already stored. */
  insert(vector: ConvictionVector, causationIds: readonly string[]): Promise<boolean>;
  /** Stores the vectors with one statement; for each, in order, whether it was written (as `insert`). */
  insertMany(items: readonly ConvictionToStore[]): Promise<readonly boolean[]>;
  get(id: string): Promise<ConvictionVector | null>;
  /** Ordered by createdAt descending, then id. */
  list(filter: ConvictionFilter, page: PageRequest): Promise<Page<ConvictionVector>>;
  count(): Promise<number>;
}

export interface InstrumentRepository {
  upsertMany(instruments: readonly Instrument[]): Promise<void>;
  list(): Promise<readonly Instrument[]>;
  get(symbol: string): Promise<Instrument | null>;
}

/** One entry of the append-only, hash-chained audit log. */
export interface AuditEntry {
  /** Position in the chain, from 1. */
  readonly seq: number;
  readonly eventId: string;
  readonly type: string;
  readonly tsEvent: number;
  readonly tsInit: number;
  readonly causationIds: readonly string[];
  readonly payload: unknown;
  /** Hash of the previous entry; 64 zeros for the first. */
  readonly prevHash: string;
  /** SHA-256 hex of `prevHash` followed by the canonical JSON of the entry without its hashes and seq. */
  readonly hash: string;
}

export interface ChainVerification {
  readonly ok: boolean;
  readonly entries: number;
  /** The first entry whose hash does not match, when the chain is broken. */
  readonly brokenAtSeq: number | null;
  /**
   * What is wrong there: `removed` (no entry at that position), `altered` (the entry's content no longer
   * matches its hash), `reordered` (the entry is intact but does not follow the one before it: moved,
   * relinked, or the one before it was rewritten). Absent when the chain is intact.
   */
  readonly problem?: 'removed' | 'altered' | 'reordered';
  /** The event id of the entry at `brokenAtSeq`, when there is one. */
  readonly eventId?: string;
}

export interface AuditRepository {
  /**
   * Appends the event to the chain unless an entry with its id is there already (then returns that entry).
   * Appends are serialized: the chain never forks.
   */
  append(event: VantaEvent): Promise<AuditEntry>;
  /**
   * Appends the events in order (as many `append` calls made together: they share transactions). Resolves
   * when all are durable; rejects if any could not be appended, the others being appended all the same.
   */
  appendMany(events: readonly VantaEvent[]): Promise<readonly AuditEntry[]>;
  getByEventId(eventId: string): Promise<AuditEntry | null>;
  getManyByEventIds(eventIds: readonly string[]): Promise<readonly AuditEntry[]>;
  head(): Promise<AuditEntry | null>;
  /** Re-hashes the chain from the start (or from `fromSeq`). */
  verify(fromSeq?: number): Promise<ChainVerification>;
  count(): Promise<number>;
  /** Entries with `fromSeq <= seq <= toSeq`, in chain order, at most `limit` of them. */
  range(fromSeq: number, toSeq: number, limit: number): Promise<readonly AuditEntry[]>;
  /** The first and last seq of the entries recorded (`tsInit`) within [fromTs, toTs]; null when none were. */
  seqSpan(fromTs: number, toTs: number): Promise<{ readonly fromSeq: number; readonly toSeq: number } | null>;
  /**
   * The latest entry of this event type whose payload has these top-level string fields (e.g. a stacker's
   * `version`), what a restart takes state back from; null when none.
   */
  latestOfType(type: string, payload?: Readonly<Record<string, string>>): Promise<AuditEntry | null>;
}

export interface CursorRepository {
  get(collector: string): Promise<string | null>;
  set(collector: string, cursor: string): Promise<void>;
}

/** Everything the store offers, built once in the composition root. */
export interface Store {
  readonly kind: 'pglite' | 'postgres';
  readonly signals: SignalRepository;
  readonly convictions: ConvictionRepository;
  readonly instruments: InstrumentRepository;
  readonly audit: AuditRepository;
  readonly cursors: CursorRepository;
  /** Instruments, insiders, issuers, wallets and authors, and the relations between them. */
  readonly entities: EntityGraphRepository;
  /** SEC filings stored as signals, read as typed records: insider transactions, 13F holdings, insider clusters. */
  readonly filings: FilingRepository;
  /** The execution engine's orders, with their events and fills. */
  readonly orders: OrderRepository;
  /** Order intents waiting for (or taken by) an executor. */
  readonly autotradeQueue: AutotradeQueue;
  /** Kill switch state, so that an engaged switch survives a restart. */
  readonly killSwitches: KillSwitchStore;
  /** Vaults with every version, custom personas, vault states (cash, positions, loan) and growth curves. */
  readonly vaults: VaultRepository;
  /** Merkle roots of complete blocks of the audit chain, stored as it grows. */
  readonly auditCheckpoints: AuditCheckpointStore;
  /** Model versions, their aliases with the history of who was live when, drift references and reports. */
  readonly modelRegistry: ModelOpsStore;
  /** API keys (hashed), for authenticating requests. */
  readonly apiKeys: ApiKeyRepository;
  /** Backtest runs with their curves, trades, attribution and risk reports. */
  readonly backtests: BacktestRepository;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export type StoreErrorCode = 'STORE_ERROR' | 'INVALID_CURSOR';

export class StoreError extends Error {
  readonly code: StoreErrorCode = 'STORE_ERROR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** A pagination cursor that this store did not issue (or that was altered). */
export class InvalidCursorError extends StoreError {
  override readonly code = 'INVALID_CURSOR';
  constructor(cursor: string) {
    super(`Invalid cursor ${JSON.stringify(cursor.length > 80 ? `${cursor.slice(0, 80)}…` : cursor)}`);
    this.name = 'InvalidCursorError';
  }
}
