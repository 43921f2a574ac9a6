/**
 * API keys: `vk_<id>_<secret>`, where `<id>` (12 hex digits) is public and names the key in lists and audit
 * entries, and `<secret>` (32 random bytes, base64url) is shown once, when the key is made. The store keeps the
 * SHA-256 of the secret only: a secret this long needs no slow hash, and a leaked table yields no usable key.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyRepository } from '../../engine/store/api-keys.repo.js';
import { isRole, type Principal, Role } from '../roles.js';
import { AuthError } from './errors.js';

export const API_KEY_PREFIX = 'vk_';
const KEY_PATTERN = /^vk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const NAME_PATTERN = /^[\w .:@-]{1,64}$/;

/** The roles the key printed at first start gets. */
export const BOOTSTRAP_ROLES: readonly Role[] = [Role.Alpha, Role.Markets, Role.Executor];
export const BOOTSTRAP_NAME = 'bootstrap';

/** A key just made: `key` is the only time its secret is seen. */
export interface IssuedApiKey {
  readonly key: string;
  readonly record: ApiKeyRecord;
}

/** The two parts of a well-formed key, or null. */
export function parseApiKey(token: string): { readonly id: string; readonly secret: string } | null {
  const m = KEY_PATTERN.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Checks role names given by a person (CLI flags): each must be a role, in any case; at least one. */
export function parseRoles(names: readonly string[]): Role[] {
  if (names.length === 0) throw new AuthError('INVALID_ROLE', `at least one role is needed (one of ${Object.values(Role).join(', ')})`);
  const roles: Role[] = [];
  for (const name of names) {
    const role = name.trim().toUpperCase();
    if (!isRole(role)) throw new AuthError('INVALID_ROLE', `unknown role "${name}": use one of ${Object.values(Role).join(', ')}`);
    if (!roles.includes(role)) roles.push(role);
  }
  return roles;
}

export class ApiKeys {
  constructor(
    private readonly repo: ApiKeyRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /** Makes a key; the returned `key` is not stored anywhere and cannot be shown again. */
  async create(name: string, roles: readonly Role[]): Promise<IssuedApiKey> {
    if (!NAME_PATTERN.test(name)) {
      throw new AuthError('INVALID_NAME', `key name ${JSON.stringify(name)} must be 1–64 letters, digits, spaces or . : @ _ -`);
    }
    const checked = parseRoles(roles);
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const record = await this.repo.create({ id, name, roles: checked, secretHash: hashSecret(secret), createdAt: this.now() });
    return { key: `${API_KEY_PREFIX}${id}_${secret}`, record };
  }

  list(): Promise<readonly ApiKeyRecord[]> {
    return this.repo.list();
  }

  /** Revokes the key `id` (its public id, or the whole key); throws when no key has it. */
  async revoke(idOrKey: string): Promise<ApiKeyRecord> {
    const id = parseApiKey(idOrKey)?.id ?? idOrKey.replace(/^vk_/, '');
    if (!(await this.repo.revoke(id, this.now()))) throw new AuthError('KEY_NOT_FOUND', `no API key has the id ${JSON.stringify(id)}`);
    return (await this.repo.get(id))!;
  }

  /** The key's principal, or null when the token is not a live key of this server. */
  async verify(token: string): Promise<Principal | null> {
    const parts = parseApiKey(token);
    if (!parts) return null;
    const record = await this.repo.get(parts.id);
    if (!record || record.revokedAt !== null) return null;
    const presented = Buffer.from(hashSecret(parts.secret), 'hex');
    const stored = Buffer.from(record.secretHash, 'hex');
    if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) return null;
    await this.repo.touch(record.id, this.now());
    return Object.freeze({ id: record.id, name: record.name, roles: Object.freeze(record.roles.filter(isRole)), via: 'api-key' as const });
  }

  /**
   * At first start with authentication on, makes the `bootstrap` key (Alpha, Markets, Executor) so that an
   * operator can get in; null when any key exists already, revoked ones included (revoking every key is a
   * choice this must not undo).
   */
  async ensureBootstrap(): Promise<IssuedApiKey | null> {
    if ((await this.repo.list()).length > 0) return null;
    return this.create(BOOTSTRAP_NAME, BOOTSTRAP_ROLES);
  }
}
