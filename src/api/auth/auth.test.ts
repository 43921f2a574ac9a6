import { describe, expect, it } from 'vitest';
import { Role } from '../roles.js';
import { parseApiKey, parseRoles } from './api-keys.js';
import { bearerToken } from './authenticate.js';
import { AuthError } from './errors.js';
import { JwtVerifier, rolesFromClaim } from './jwt.js';

describe('credentials', () => {
  it('reads bearer tokens: absent, malformed, present', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('  ')).toBeUndefined();
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken('bearer  tok.en ')).toBe('tok.en');
  });

  it('splits well-formed API keys only', () => {
    const secret = 'A'.repeat(40) + '-_z';
    expect(parseApiKey(`vk_0123456789ab_${secret}`)).toEqual({ id: '0123456789ab', secret });
    expect(parseApiKey(`vk_0123456789AB_${secret}`)).toBeNull();
    expect(parseApiKey(`vk_0123456789ab_${secret}x`)).toBeNull();
    expect(parseApiKey('vk_0123456789ab')).toBeNull();
  });

  it('parses role names in any case and names a bad one', () => {
    expect(parseRoles(['alpha', 'MARKETS', 'Alpha'])).toEqual([Role.Alpha, Role.Markets]);
    expect(() => parseRoles(['root'])).toThrow(/unknown role "root".*ALPHA, MARKETS, EXECUTOR, VIEWER/);
    expect(() => parseRoles([])).toThrow(AuthError);
  });

  it('reads roles from a list or a space-separated claim, ignoring what is no role', () => {
    expect(rolesFromClaim(['viewer', 'EXECUTOR', 'admin', 3])).toEqual([Role.Viewer, Role.Executor]);
    expect(rolesFromClaim('markets alpha markets')).toEqual([Role.Markets, Role.Alpha]);
    expect(rolesFromClaim(undefined)).toEqual([]);
    expect(rolesFromClaim({ roles: ['ALPHA'] })).toEqual([]);
  });

  it('needs exactly one key source, and a public key it can read', () => {
    expect(() => new JwtVerifier({ issuer: 'i', audience: 'a' })).toThrow(/exactly one of jwksUrl and publicKey/);
    expect(() => new JwtVerifier({ issuer: 'i', audience: 'a', publicKey: 'not a key' })).toThrow(/not a PEM public key or a JWK/);
  });
});
