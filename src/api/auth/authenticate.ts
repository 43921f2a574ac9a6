/**
 * From a bearer token to a principal: `vk_…` tokens are API keys, compact JWS tokens are JWTs (when a provider
 * is configured), anything else is refused. Used for `Authorization` headers over HTTP and for the
 * `authorization` field of graphql-ws `connection_init` payloads.
 *
 * With authentication off, a request without credentials is the anonymous principal (every role); credentials
 * that are sent are still checked, and bad ones are refused either way, so a client learns of a broken key
 * before authentication is turned on.
 */
import { ANONYMOUS } from '../../resolvers/context.js';
import type { Principal } from '../roles.js';
import { API_KEY_PREFIX, type ApiKeys } from './api-keys.js';
import { JwtVerifier } from './jwt.js';

export interface AuthenticatorOptions {
  /** Without credentials: refused (true) or anonymous with every role (false). */
  readonly required: boolean;
  readonly apiKeys?: ApiKeys | undefined;
  readonly jwt?: JwtVerifier | undefined;
}

/** The token of `Bearer <token>`; undefined when there is no header, null when it is not a bearer header. */
export function bearerToken(header: string | null | undefined): string | null | undefined {
  if (header === undefined || header === null || header.trim() === '') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  return m ? m[1]! : null;
}

export class Authenticator {
  constructor(private readonly options: AuthenticatorOptions) {}

  get required(): boolean {
    return this.options.required;
  }

  /** The principal a token stands for, or null when it stands for none. */
  async authenticate(token: string): Promise<Principal | null> {
    if (token.startsWith(API_KEY_PREFIX)) return (await this.options.apiKeys?.verify(token)) ?? null;
    if (this.options.jwt && JwtVerifier.looksLikeJwt(token)) return this.options.jwt.verify(token);
    return null;
  }

  /**
   * The principal of a request from its `Authorization` value: null when it carries bad credentials, or none
   * while authentication is required.
   */
  async fromAuthorization(header: string | null | undefined): Promise<Principal | null> {
    const token = bearerToken(header);
    if (token === undefined) return this.options.required ? null : ANONYMOUS;
    if (token === null) return null;
    return this.authenticate(token);
  }
}
