/**
 * The tail of the audit chain, verified at every start: the last `entries` entries are re-hashed and their links
 * checked (from the one before them, which is trusted as the anchor). A full check of a long chain takes
 * minutes; the tail is where an interrupted write or a hand edit since the last full check would be.
 */
import type { AuditRepository, ChainVerification } from '../store/ports.js';

export async function verifyAuditTail(audit: AuditRepository, entries = 1000): Promise<ChainVerification & { readonly fromSeq: number }> {
  const head = await audit.head();
  const fromSeq = head ? Math.max(1, head.seq - entries + 1) : 1;
  return { ...(await audit.verify(fromSeq)), fromSeq };
}

/** One line saying what a verification found. */
export function describeVerification(v: ChainVerification): string {
  if (v.ok) return `audit chain intact: ${v.entries} entries checked`;
  const what = v.problem === 'removed' ? 'missing' : v.problem === 'reordered' ? 'out of order' : 'altered';
  return `audit chain BROKEN at entry ${v.brokenAtSeq}: ${what}${v.eventId ? ` (event ${v.eventId})` : ''}; ${v.entries} entries checked`;
}
