/**
 * Who may do what. Every query, mutation and subscription field names the roles that may call it with
 * `@Authorized(...)`; the auth checker below lets a request through when its principal holds one of them.
 *
 * - **Alpha** (orchestration): vaults, overlays, personas, models, kill switches.
 * - **Markets** (reflection): signals, convictions, lineage, ingest.
 * - **Executor** (trading): orders, fills, kill switches.
 * - **Viewer**: read-only dashboards.
 */
import { registerEnumType } from 'type-graphql';
import type { AuthChecker } from 'type-graphql';

export enum Role {
  Alpha = 'ALPHA',
  Markets = 'MARKETS',
  Executor = 'EXECUTOR',
  Viewer = 'VIEWER',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'Alpha orchestrates (vaults, personas, models, kill switches), Markets reflects (signals, convictions, lineage), Executor trades (orders, fills, kill switches), Viewer reads dashboards.',
});

export const ALL_ROLES: readonly Role[] = [Role.Alpha, Role.Markets, Role.Executor, Role.Viewer];

/** Who made a request: an API key, a JWT subject, or the anonymous principal when authentication is off. */
export interface Principal {
  /** The key id, the token's subject, or `anonymous`. */
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly via: 'api-key' | 'jwt' | 'anonymous';
}

/** Holds at least one of `allowed`; an empty list means any authenticated principal. */
export function permits(principal: Principal | null | undefined, allowed: readonly string[]): boolean {
  if (!principal) return false;
  if (allowed.length === 0) return true;
  return principal.roles.some((role) => allowed.includes(role));
}

export const authChecker: AuthChecker<{ readonly principal?: Principal | null }, string> = ({ context }, roles) =>
  permits(context.principal, roles);
