/**
 * The audit chain's entries: what an entry's hash covers, how it is computed, and how an event and a stored
 * row become entries. Each entry's hash is `sha256Hex(prevHash + canonicalJson({ eventId, type, tsEvent,
 * tsInit, causationIds, payload }))`; the first entry's `prevHash` is 64 zeros.
 */
import { canonicalJson, sha256Hex } from '../canonical.js';
import type { VantaEvent } from '../types.js';
import { type AuditEntry, StoreError } from './ports.js';
import type { auditLog } from './schema.js';

export const GENESIS_HASH = '0'.repeat(64);

type AuditRow = typeof auditLog.$inferSelect;

/** What an entry's hash covers: the entry without its place in the chain. */
export type AuditContent = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/** The canonical JSON an entry's hash covers. */
export function canonicalContent(content: AuditContent): string {
  return canonicalJson({
    eventId: content.eventId,
    type: content.type,
    tsEvent: content.tsEvent,
    tsInit: content.tsInit,
    causationIds: content.causationIds,
    payload: content.payload,
  });
}

export function auditHash(prevHash: string, content: AuditContent): string {
  return chainHash(prevHash, canonicalContent(content));
}

/** The hash of an entry whose canonical content is `canonical`. */
export const chainHash = (prevHash: string, canonical: string): string => sha256Hex(prevHash + canonical);

/** An event ready to be appended: what is stored, and the canonical JSON its hash covers (computed once). */
export interface PreparedContent {
  readonly content: AuditContent;
  readonly canonical: string;
}

/**
 * What is hashed and stored for an event. What is stored is exactly the plain JSON value that is hashed (no
 * Dates, class instances or undefined left), so what is read back hashes the same.
 */
export function prepareContent(event: VantaEvent): PreparedContent {
  const canonical = canonicalContent({
    eventId: event.id,
    type: event.type,
    tsEvent: event.tsEvent,
    tsInit: event.tsInit,
    causationIds: event.causationIds,
    payload: event.payload ?? null,
  });
  // PostgreSQL's text and jsonb cannot hold U+0000; refuse with a clear message rather than a driver error.
  if (canonical.includes('\\u0000')) {
    throw new StoreError(`Audit entry of event ${event.id} contains U+0000, which PostgreSQL cannot store`);
  }
  return { content: JSON.parse(canonical) as AuditContent, canonical };
}

export function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    eventId: row.eventId,
    type: row.type,
    tsEvent: row.tsEvent,
    tsInit: row.tsInit,
    causationIds: row.causationIds,
    payload: row.payload,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
