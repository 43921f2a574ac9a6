/** The graph of events that caused a given event, built from the audit log's envelopes. */
export interface LineageNode {
  readonly eventId: string;
  readonly type: string;
  readonly tsEvent: number;
  readonly tsInit: number;
  /** Distance from the root event: 0 for the root, 1 for its direct causes, ... */
  readonly depth: number;
  readonly payload: unknown;
  readonly auditSeq: number;
  readonly auditHash: string;
}

export interface LineageEdge {
  /** The derived event. */
  readonly from: string;
  /** One of the events it was derived from. */
  readonly to: string;
}

export interface LineageGraph {
  readonly rootId: string;
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
  /** Causation ids that the audit log does not hold (should be empty; kept visible if not). */
  readonly missing: readonly string[];
}
