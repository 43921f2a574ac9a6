/**
 * Who may do what. Every query, mutation and subscription field names the roles that may call it with
 * `@Authorized(...)`; the auth checker below lets a request through when its principal holds one of them.
 *
 * - **Alpha** (orchestration): vaults, overlays, personas, models, kill switches.
 * - **Markets** (reflection): signals, convictions, lineage, ingest.
 * - **Executor** (trading): orders, fills, kill switches.
 * - **Viewer**: read-only dashboards.
 */
import { GraphQLError } from 'graphql';
import { registerEnumType } from 'type-graphql';
import type { AuthChecker } from 'type-graphql';

export enum Role {
  Alpha = 'ALPHA',
  Markets = 'MARKETS',
  Executor = 'EXECUTOR',
  Viewer = 'VIEWER',
}

/** The roles as GraphQL names them: the same words as their values (`ALPHA`), as in JWT claims and the CLI. */
export const RoleEnum = {
  ALPHA: Role.Alpha,
  MARKETS: Role.Markets,
  EXECUTOR: Role.Executor,
  VIEWER: Role.Viewer,
} as const satisfies Record<string, Role>;

registerEnumType(RoleEnum, {
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

/** The codes a refused field fails with (`extensions.code`). */
export const AuthErrorCode = { unauthenticated: 'UNAUTHENTICATED', forbidden: 'FORBIDDEN' } as const;

/** True for a string that names a role. */
export function isRole(value: string): value is Role {
  return (ALL_ROLES as readonly string[]).includes(value);
}

/** No valid credentials came with the request. */
export function unauthenticated(): GraphQLError {
  return new GraphQLError('Not authenticated: send `Authorization: Bearer <API key or JWT>` (over websockets, `{ authorization }` in `connection_init`)', {
    extensions: { code: AuthErrorCode.unauthenticated },
  });
}

/** The principal holds none of the roles `field` needs. */
export function forbidden(field: string, roles: readonly string[]): GraphQLError {
  return new GraphQLError(`Forbidden: \`${field}\` needs one of the roles ${roles.join(', ')}`, {
    extensions: { code: AuthErrorCode.forbidden, requiredRoles: [...roles] },
  });
}

/**
 * Throws rather than returning false: type-graphql's own errors say `UNAUTHORIZED` for a missing role, where
 * clients expect `FORBIDDEN` (and `UNAUTHENTICATED` only when nobody is signed in).
 */
export const authChecker: AuthChecker<{ readonly principal?: Principal | null }, string> = ({ context, info }, roles) => {
  if (!context.principal) throw unauthenticated();
  if (!permits(context.principal, roles)) throw forbidden(`${info.parentType.name}.${info.fieldName}`, roles);
  return true;
};
