/**
 * Lineage: from any event back to the raw signals it came from, following `causationIds` through the
 * audit log one level at a time.
 */
import type { AuditRepository } from '../store/ports.js';
import type { LineageEdge, LineageGraph, LineageNode } from './lineage-types.js';

export interface LineageLimits {
  readonly maxDepth: number;
  readonly maxNodes: number;
}

export async function buildLineage(
  audit: AuditRepository,
  rootId: string,
  limits: LineageLimits = { maxDepth: 16, maxNodes: 2000 },
): Promise<LineageGraph | null> {
  const root = await audit.getByEventId(rootId);
  if (!root) return null;

  const nodes = new Map<string, LineageNode>();
  const edges: LineageEdge[] = [];
  const missing = new Set<string>();
  const toNode = (e: typeof root, depth: number): LineageNode => ({
    eventId: e.eventId,
    type: e.type,
    tsEvent: e.tsEvent,
    tsInit: e.tsInit,
    depth,
    payload: e.payload,
    auditSeq: e.seq,
    auditHash: e.hash,
  });

  nodes.set(root.eventId, toNode(root, 0));
  let frontier = [root];
  for (let depth = 1; depth <= limits.maxDepth && frontier.length > 0; depth++) {
    const wanted = new Set<string>();
    for (const entry of frontier) {
      for (const cause of entry.causationIds) {
        edges.push({ from: entry.eventId, to: cause });
        if (!nodes.has(cause)) wanted.add(cause);
      }
    }
    if (wanted.size === 0) break;
    const found = await audit.getManyByEventIds([...wanted]);
    const next = [];
    for (const entry of found) {
      if (nodes.size >= limits.maxNodes) break;
      nodes.set(entry.eventId, toNode(entry, depth));
      next.push(entry);
      wanted.delete(entry.eventId);
    }
    for (const id of wanted) if (!nodes.has(id)) missing.add(id);
    frontier = next;
  }

  return {
    rootId,
    nodes: [...nodes.values()].sort((a, b) => a.depth - b.depth || a.auditSeq - b.auditSeq),
    edges,
    missing: [...missing].sort(),
  };
}
