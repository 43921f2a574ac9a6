/**
 * Typed readings of the raw Redis stream replies ioredis hands back as nested arrays (checked against
 * Redis 7.0: `redis-cli` output for each command).
 */

export interface StreamEntry {
  readonly id: string;
  /** Field/value pairs; null when the entry was trimmed away while still pending (XREADGROUP history). */
  readonly fields: readonly string[] | null;
}

export interface GroupInfo {
  readonly name: string;
  readonly pending: number;
  readonly lastDeliveredId: string;
  /** Entries not yet delivered to the group; null when Redis cannot tell (Redis 7 `lag`). */
  readonly lag: number | null;
}

export interface ConsumerInfo {
  readonly name: string;
  readonly pending: number;
  readonly idleMs: number;
}

/** XREADGROUP on one stream: `[[key, [[id, [f, v, ...] | null], ...]]]`, or null when nothing came. */
export function parseReadGroup(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const stream: unknown = reply[0];
  if (!Array.isArray(stream) || !Array.isArray(stream[1])) return [];
  return (stream[1] as unknown[]).map(parseEntry);
}

function parseEntry(raw: unknown): StreamEntry {
  if (!Array.isArray(raw) || typeof raw[0] !== 'string') throw new TypeError(`unexpected stream entry ${String(raw)}`);
  const fields: unknown = raw[1];
  return { id: raw[0], fields: Array.isArray(fields) ? fields.map(String) : null };
}

/** XAUTOCLAIM ... JUSTID: `[nextCursor, [id, ...], [deletedId, ...]]` (the third part since Redis 7). */
export function parseAutoClaim(reply: unknown): { next: string; claimed: string[] } {
  if (!Array.isArray(reply)) return { next: '0-0', claimed: [] };
  const next = typeof reply[0] === 'string' ? reply[0] : '0-0';
  const claimed = Array.isArray(reply[1]) ? (reply[1] as unknown[]).map(String) : [];
  return { next, claimed };
}

/** XPENDING key group start end count [consumer]: `[[id, consumer, idleMs, deliveries], ...]`. */
export function parsePendingCounts(reply: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  if (!Array.isArray(reply)) return counts;
  for (const row of reply as unknown[]) {
    if (Array.isArray(row) && typeof row[0] === 'string') counts.set(row[0], Number(row[3]));
  }
  return counts;
}

/** XINFO GROUPS: one flat `[name, g, consumers, n, pending, n, last-delivered-id, id, entries-read, n, lag, n]` per group. */
export function parseGroups(reply: unknown): GroupInfo[] {
  if (!Array.isArray(reply)) return [];
  return (reply as unknown[]).map((raw) => {
    const r = pairs(raw);
    return {
      name: String(r.name),
      pending: Number(r.pending ?? 0),
      lastDeliveredId: String(r['last-delivered-id'] ?? '0-0'),
      lag: r.lag === null || r.lag === undefined ? null : Number(r.lag),
    };
  });
}

/** XINFO CONSUMERS: one flat `[name, c, pending, n, idle, ms, ...]` per consumer. */
export function parseConsumers(reply: unknown): ConsumerInfo[] {
  if (!Array.isArray(reply)) return [];
  return (reply as unknown[]).map((raw) => {
    const r = pairs(raw);
    return { name: String(r.name), pending: Number(r.pending ?? 0), idleMs: Number(r.idle ?? 0) };
  });
}

/** XINFO STREAM's `last-generated-id`. */
export function parseLastGeneratedId(reply: unknown): string {
  const id = pairs(reply)['last-generated-id'];
  return typeof id === 'string' ? id : '0-0';
}

function pairs(raw: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(raw)) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) out[String(raw[i])] = raw[i + 1];
  return out;
}

/** Orders stream ids (`ms-seq`) numerically; negative when a < b. */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map((p) => BigInt(p));
  const [bm = 0n, bs = 0n] = b.split('-').map((p) => BigInt(p));
  if (am !== bm) return am < bm ? -1 : 1;
  if (as !== bs) return as < bs ? -1 : 1;
  return 0;
}

/** True for the reply Redis gives when the group (or the stream) is gone, e.g. after a restart that lost data. */
export function isNoGroup(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOGROUP');
}

export function isBusyGroup(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('BUSYGROUP');
}

export function isNoSuchKey(err: unknown): boolean {
  return err instanceof Error && /no such key/i.test(err.message);
}
