/**
 * The vault engine's typed errors. Resolvers and jobs tell them apart by `code`; `issues` name every field
 * that is wrong, with its path in the document (`caps.perInstrument: must be ≤ caps.perSector`), so an admin
 * fixing a vault file sees all of its problems at once rather than one per attempt.
 */
import type { z } from 'zod';

export type VaultErrorCode =
  /** A vault file or vault input that does not validate as a whole. */
  | 'VAULT_INVALID'
  /** An overlay that does not validate, or that makes the vault invalid once applied. */
  | 'VAULT_OVERLAY_INVALID'
  | 'VAULT_NOT_FOUND'
  /** A vault with this id already exists. */
  | 'VAULT_EXISTS'
  /** The vault changed since the version the caller read: read it again and retry. */
  | 'VAULT_VERSION_CONFLICT'
  /** The vault's state changed since the revision the caller read (a concurrent fill or compounding). */
  | 'VAULT_STATE_CONFLICT'
  /** The vault is closed: it takes no fills, allocations or compounding. */
  | 'VAULT_CLOSED'
  | 'PERSONA_INVALID'
  | 'PERSONA_NOT_FOUND'
  /** A custom persona may not take a built-in persona's id, nor be defined twice. */
  | 'PERSONA_EXISTS'
  /** The persona changed since the version the caller read. */
  | 'PERSONA_VERSION_CONFLICT'
  /** A fill that cannot be read (bad quantity, price, fee, side) or that belongs to another vault. */
  | 'FILL_INVALID'
  /** The fill was applied to this vault before (only the repository raises it; the service answers `applied: false`). */
  | 'FILL_DUPLICATE'
  /** A fill that the vault's rules forbid (a short in a long-only vault). */
  | 'FILL_REJECTED'
  /** A loan vault's fill that its own cash cannot pay for: loan vaults never borrow from anyone. */
  | 'LOAN_ISOLATION'
  /** Market data the allocator cannot use (a non-positive price, a non-finite volatility). */
  | 'MARKET_INVALID';

export interface VaultIssue {
  /** Dotted path in the document, with list indices in brackets: `universe.instruments[2]`. */
  readonly path: string;
  readonly message: string;
}

export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    readonly issues: readonly VaultIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(issues.length ? `${message}: ${issues.map(formatIssue).join('; ')}` : message, options);
  }
}

export function formatIssue(issue: VaultIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export function pathOf(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out ? `.${String(s)}` : String(s);
  }
  return out;
}

/** Zod's issues as vault issues; an unknown key is reported at its own path so the admin sees which one. */
export function issuesOfZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): VaultIssue[] {
  const out: VaultIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: pathOf([...prefix, ...issue.path, key]), message: 'unknown key' });
    } else {
      out.push({ path: pathOf([...prefix, ...issue.path]), message: issue.message });
    }
  }
  return out;
}
