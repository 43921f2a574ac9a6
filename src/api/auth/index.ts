/**
 * Authentication as the composition root sets it up from `config.security`: API keys from the store, JWTs
 * when a provider is configured, and the bootstrap key when authentication is required and no key exists yet.
 */
import type { SecurityConfig } from '../../config.js';
import type { ApiKeyRepository } from '../../engine/store/api-keys.repo.js';
import type { Principal } from '../roles.js';
import { ApiKeys, type IssuedApiKey } from './api-keys.js';
import { Authenticator } from './authenticate.js';
import { JwtVerifier } from './jwt.js';

export { ApiKeys, BOOTSTRAP_NAME, BOOTSTRAP_ROLES, parseApiKey, parseRoles, type IssuedApiKey } from './api-keys.js';
export { Authenticator, bearerToken } from './authenticate.js';
export { AuthError } from './errors.js';
export { JwtVerifier, type JwtOptions } from './jwt.js';

export interface AuthSetup {
  readonly authenticator: Authenticator;
  readonly apiKeys: ApiKeys;
  /** The key made at this start (shown once, in the banner), or null. */
  readonly bootstrapKey: IssuedApiKey | null;
  /** What `createApiServer` takes as `authenticate`. */
  readonly authenticate: (authorization: string | undefined) => Promise<Principal | null>;
}

export interface AuthSetupOptions {
  readonly now?: () => number;
  /** Told why a JWT was refused. */
  readonly onJwtReject?: (reason: string) => void;
}

export async function configureAuth(security: SecurityConfig, repo: ApiKeyRepository, options: AuthSetupOptions = {}): Promise<AuthSetup> {
  const apiKeys = new ApiKeys(repo, options.now);
  const jwt = security.jwt
    ? new JwtVerifier({
        issuer: security.jwt.issuer,
        audience: security.jwt.audience,
        jwksUrl: security.jwt.jwksUrl,
        publicKey: security.jwt.publicKey,
        rolesClaim: security.jwt.rolesClaim,
        algorithms: security.jwt.algorithms,
        clockToleranceSec: security.jwt.clockToleranceSec,
        onReject: options.onJwtReject,
      })
    : undefined;
  const authenticator = new Authenticator({ required: security.authRequired, apiKeys, jwt });
  const bootstrapKey = security.authRequired ? await apiKeys.ensureBootstrap() : null;
  return { authenticator, apiKeys, bootstrapKey, authenticate: (header) => authenticator.fromAuthorization(header) };
}
