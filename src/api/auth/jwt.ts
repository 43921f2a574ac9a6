/**
 * Bearer JWTs from an identity provider, checked with jose: signature (against the provider's JWKS, fetched and
 * cached by `createRemoteJWKSet`, or one configured public key), issuer, audience, expiry and not-before. The
 * principal is the token's subject; its roles come from one claim (default `roles`; a dotted path such as
 * `realm_access.roles` reaches into an object), a list or a space-separated string, any case. Names that are no
 * role are ignored: a token with none is authenticated but may only reach fields open to every principal.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { isRole, type Principal, type Role } from '../roles.js';
import { AuthError } from './errors.js';

/** Asymmetric algorithms only: a shared-secret token could be minted by anyone who can verify one. */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

export interface JwtOptions {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  /** The provider's JWKS (its `jwks_uri`). One of `jwksUrl` and `publicKey`. */
  readonly jwksUrl?: string | undefined;
  /** A PEM (SPKI) public key, or one JWK as JSON. */
  readonly publicKey?: string | undefined;
  readonly rolesClaim?: string | undefined;
  readonly algorithms?: readonly string[] | undefined;
  /** Leeway on `exp` and `nbf`, in seconds. */
  readonly clockToleranceSec?: number | undefined;
  /** Told why each token was refused (for debug logs; never the token). */
  readonly onReject?: ((reason: string) => void) | undefined;
}

function keyFromText(text: string): KeyObject {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) return createPublicKey({ key: JSON.parse(trimmed) as Record<string, unknown> & { kty: string }, format: 'jwk' });
    return createPublicKey(trimmed);
  } catch (error) {
    throw new AuthError('INVALID_CONFIG', `security.jwt.publicKey is not a PEM public key or a JWK: ${(error as Error).message}`);
  }
}

/** The value at a dotted path of the payload, e.g. `realm_access.roles`. */
function claimAt(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  let node: unknown = payload;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export function rolesFromClaim(value: unknown): Role[] {
  const names = typeof value === 'string' ? value.split(/\s+/) : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const roles: Role[] = [];
  for (const name of names) {
    const role = name.toUpperCase();
    if (isRole(role) && !roles.includes(role)) roles.push(role);
  }
  return roles;
}

export class JwtVerifier {
  readonly #key: JWTVerifyGetKey | KeyObject;
  readonly #options: JwtOptions;
  readonly #rolesClaim: string;

  constructor(options: JwtOptions) {
    if (!options.jwksUrl === !options.publicKey) {
      throw new AuthError('INVALID_CONFIG', 'security.jwt needs exactly one of jwksUrl and publicKey');
    }
    this.#options = options;
    this.#rolesClaim = options.rolesClaim ?? 'roles';
    this.#key = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : keyFromText(options.publicKey!);
  }

  /** Looks like a compact JWS (three base64url parts): worth verifying as a JWT. */
  static looksLikeJwt(token: string): boolean {
    return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
  }

  /** The token's principal, or null when it is not a valid token of the configured issuer for this audience. */
  async verify(token: string): Promise<Principal | null> {
    try {
      const verifyOptions = {
        issuer: this.#options.issuer,
        audience: typeof this.#options.audience === 'string' ? this.#options.audience : [...this.#options.audience],
        algorithms: [...(this.#options.algorithms ?? JWT_ALGORITHMS)],
        clockTolerance: this.#options.clockToleranceSec ?? 30,
        requiredClaims: ['sub', 'exp'],
      };
      const { payload } =
        typeof this.#key === 'function' ? await jwtVerify(token, this.#key, verifyOptions) : await jwtVerify(token, this.#key, verifyOptions);
      const sub = payload.sub!;
      const name = typeof payload.name === 'string' ? payload.name : typeof payload.preferred_username === 'string' ? payload.preferred_username : sub;
      return Object.freeze({ id: sub, name, roles: Object.freeze(rolesFromClaim(claimAt(payload, this.#rolesClaim))), via: 'jwt' as const });
    } catch (error) {
      const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'ERR_JWT_INVALID';
      this.#options.onReject?.(`${code}: ${(error as Error).message}`);
      return null;
    }
  }
}
