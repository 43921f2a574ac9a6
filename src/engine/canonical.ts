/**
 * Canonical JSON (keys sorted, no whitespace) and the hashes built on it. Used for content hashes,
 * deterministic event ids and the audit hash chain, so it must never change its output for a given value.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`canonicalJson: non-finite number ${value}`);
    }
    if (typeof value === 'bigint') return value.toString();
    return value;
  }
  if (Array.isArray(value)) return value.map(sortKeys);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A deterministic event id: the same parts always give the same id. Stages derive their output ids from
 * their input ids, so a redelivered input produces the same output, which downstream drops as a repeat.
 */
export function eventId(prefix: string, ...parts: readonly unknown[]): string {
  return `${prefix}_${sha256Hex(canonicalJson(parts)).slice(0, 24)}`;
}
