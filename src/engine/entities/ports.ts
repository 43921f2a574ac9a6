/**
 * The entity graph's port: what stages, jobs and resolvers may ask of its storage. Implemented with drizzle over
 * both drivers in `store/entities.repo.ts`.
 *
 * Writes are idempotent and order-independent: upserting the same observation twice, or the same observations in
 * another order, leaves the same rows. That is what lets a redelivered event, a replay or two consumers writing at
 * once touch the graph safely. Each row keeps its provenance: the event that first created it (the earliest
 * observation; the smallest event id on a tie) and the event behind its latest attributes.
 */
import type { EdgeKind, EntityKind } from './ids.js';

export type Attrs = Readonly<Record<string, unknown>>;

/** One observation of an entity. */
export interface EntityUpsert {
  readonly id: string;
  readonly kind: EntityKind;
  /** A readable name, when the observation gives one; a null never erases a known name. */
  readonly name?: string | null;
  /** Merged into the stored attributes; on a shared key the latest observation wins. */
  readonly attrs?: Attrs;
  /** When it was observed (the event's `tsEvent`). */
  readonly ts: number;
  /** The event that observed it. */
  readonly eventId: string;
}

/** One observation of a relation. Upserting an edge also records its two endpoints as seen at `ts`. */
export interface EdgeUpsert {
  readonly src: string;
  readonly kind: EdgeKind;
  readonly dst: string;
  readonly attrs?: Attrs;
  readonly ts: number;
  readonly eventId: string;
}

export interface EntityRecord {
  readonly id: string;
  readonly kind: EntityKind;
  readonly name: string | null;
  readonly attrs: Attrs;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** The event of the earliest observation. */
  readonly createdBy: string;
  /** The event of the latest observation. */
  readonly updatedBy: string;
}

export interface EdgeRecord {
  readonly src: string;
  readonly kind: EdgeKind;
  readonly dst: string;
  readonly attrs: Attrs;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Provenance: the event that created the edge (its earliest observation). */
  readonly createdBy: string;
  readonly updatedBy: string;
}

/** What one event adds to the graph. */
export interface GraphDelta {
  readonly entities: readonly EntityUpsert[];
  readonly edges: readonly EdgeUpsert[];
}

export type NeighbourDirection = 'out' | 'in' | 'both';

export interface NeighbourQuery {
  /** `out`: edges from the entity; `in`: edges to it; `both` (default). */
  readonly direction?: NeighbourDirection;
  /** Only edges of these kinds. */
  readonly kinds?: readonly EdgeKind[];
  /** Only edges seen at or after this instant (`lastSeen >= since`). */
  readonly since?: number;
  /** At most this many (1..1000, default 100). */
  readonly limit?: number;
}

export interface Neighbour {
  readonly entity: EntityRecord;
  readonly edge: EdgeRecord;
  /** `out` when the edge goes from the queried entity to this one. */
  readonly direction: 'out' | 'in';
}

export interface EntitySearchQuery {
  /** Only entities of this kind. */
  readonly kind?: EntityKind;
  /** At most this many (1..100, default 20). */
  readonly limit?: number;
}

export interface EntityGraphRepository {
  /** Entities and edges (with their endpoints) in one transaction. */
  record(delta: GraphDelta): Promise<void>;
  upsertEntities(entities: readonly EntityUpsert[]): Promise<void>;
  upsertEdges(edges: readonly EdgeUpsert[]): Promise<void>;
  getEntity(id: string): Promise<EntityRecord | null>;
  getEdge(src: string, kind: EdgeKind, dst: string): Promise<EdgeRecord | null>;
  /** Ordered by direction (out first), edge kind, then the neighbour's id. */
  neighbours(id: string, query?: NeighbourQuery): Promise<readonly Neighbour[]>;
  /**
   * Entities whose name or id contains `text` (case-insensitively), or that an identifier equals exactly: the id
   * itself, a symbol (`aapl` → `ins:AAPL`), a CIK with or without its zero padding (`320193` → `cik:0000320193`),
   * an identifier kept in `attrs` (`symbol`, `ticker`, `cik`, `cusip`), or the CUSIP a 13F manager holds an
   * instrument under. Exact matches first, then by name, then by id.
   */
  search(text: string, query?: EntitySearchQuery): Promise<readonly EntityRecord[]>;
  /** Every edge an event created: what to inspect or undo when that event is found wrong. */
  edgesCreatedBy(eventId: string): Promise<readonly EdgeRecord[]>;
  countEntities(): Promise<number>;
  countEdges(): Promise<number>;
}

export type EntityGraphErrorCode = 'ENTITY_GRAPH_INVALID';

/** A write the graph refuses before it reaches the database (an id whose prefix does not match its kind). */
export class EntityGraphError extends Error {
  readonly code: EntityGraphErrorCode = 'ENTITY_GRAPH_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'EntityGraphError';
  }
}
