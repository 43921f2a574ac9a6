/**
 * Field masking by role: some values are readable by every principal that may see their object, but only some
 * roles may see them whole. Each rule is a type-graphql field middleware (`@UseMiddleware(...)` on the field),
 * so queries and subscription payloads are masked alike.
 *
 * - broker identifiers of orders and fills (they tie an order to a brokerage account): Alpha and Executor;
 * - social authors' handles in signal bodies, and wallet owner labels in the entity graph: every role but Viewer.
 */
import type { MiddlewareFn } from 'type-graphql';
import { type Principal, Role } from '../roles.js';

export const MASK = '••••';

/** Roles that see broker account and order identifiers unmasked. */
export const ACCOUNT_ID_ROLES: readonly Role[] = [Role.Alpha, Role.Executor];
/** Roles that see author handles and wallet labels unmasked. */
export const IDENTITY_ROLES: readonly Role[] = [Role.Alpha, Role.Markets, Role.Executor];

/** `••••` and the last four characters (the whole value masked when it is that short). */
export function maskTail(value: string): string {
  return value.length > 4 ? `${MASK}${value.slice(-4)}` : MASK;
}

function sees(principal: Principal | null | undefined, roles: readonly Role[]): boolean {
  return !!principal && principal.roles.some((r) => roles.includes(r));
}

/** Keys a post's body names its author by, at the top or under `user`/`author` (see enrich/account.ts). */
const HANDLE_KEYS = ['author', 'username', 'screen_name', 'handle', 'user_name', 'name'] as const;
const AUTHOR_OBJECTS = ['user', 'author'] as const;

/** A copy of a signal body with its author's handles masked. */
export function maskAuthorHandles(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const key of HANDLE_KEYS) {
    // `name` at the top of a body is often not a person (a filer, a feed): only handles inside author objects are.
    if (key !== 'name' && typeof out[key] === 'string') out[key] = maskTail(out[key]);
  }
  for (const key of AUTHOR_OBJECTS) {
    const nested = out[key];
    if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
      const copy: Record<string, unknown> = { ...(nested as Record<string, unknown>) };
      for (const k of HANDLE_KEYS) if (typeof copy[k] === 'string') copy[k] = maskTail(copy[k]);
      out[key] = copy;
    }
  }
  return out;
}

type Ctx = { readonly principal?: Principal | null };

/** A string field shown as `••••1234` to principals without one of `roles`. */
export function maskStringUnless(roles: readonly Role[]): MiddlewareFn<Ctx> {
  return async ({ context }, next) => {
    const value: unknown = await next();
    return typeof value === 'string' && !sees(context.principal, roles) ? maskTail(value) : value;
  };
}

/** A signal's `body`, with author handles masked for principals without an identity role. */
export const MaskAuthorHandles: MiddlewareFn<Ctx> = async ({ context }, next) => {
  const value: unknown = await next();
  if (sees(context.principal, IDENTITY_ROLES) || !value || typeof value !== 'object' || Array.isArray(value)) return value;
  return maskAuthorHandles(value as Record<string, unknown>);
};

/** An entity's `name` when the entity is a wallet or the label of wallets' owner, masked without an identity role. */
export const MaskWalletLabel: MiddlewareFn<Ctx> = async ({ context, root }, next) => {
  const value: unknown = await next();
  const kind = (root as { kind?: unknown } | undefined)?.kind;
  if (typeof value !== 'string' || (kind !== 'wallet' && kind !== 'label') || sees(context.principal, IDENTITY_ROLES)) return value;
  return maskTail(value);
};

/** An edge's `attrs`, with a `label` attribute masked without an identity role. */
export const MaskLabelAttrs: MiddlewareFn<Ctx> = async ({ context }, next) => {
  const value: unknown = await next();
  if (sees(context.principal, IDENTITY_ROLES) || !value || typeof value !== 'object' || Array.isArray(value)) return value;
  const attrs = value as Record<string, unknown>;
  return typeof attrs.label === 'string' ? { ...attrs, label: maskTail(attrs.label) } : attrs;
};
