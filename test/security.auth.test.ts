/**
 * Authentication against a real server on embedded defaults with authentication required: the bootstrap API
 * key printed in the banner (never logged), API keys and JWTs over HTTP and graphql-ws, the refusals
 * (UNAUTHENTICATED, close code 4401), `me`, and the principal recorded as the actor of an admin mutation. JWTs
 * are signed in the test and checked against a real JWKS served on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair, type CryptoKey, SignJWT } from 'jose';
import { createClient } from 'graphql-ws';
import { pino } from 'pino';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type RunningServer, startServer } from '../src/server.js';

const ISSUER = 'https://id.vanta.test/';
const AUDIENCE = 'vanta-api';

let jwks: Server;
let server: RunningServer;
let banner = '';
const logLines: string[] = [];
let signing: { privateKey: CryptoKey; publicKey: CryptoKey };
let impostor: { privateKey: CryptoKey; publicKey: CryptoKey };
let bootstrapKey: string;

interface Claims {
  readonly sub?: string;
  readonly iss?: string;
  readonly aud?: string;
  readonly exp?: number | string;
  readonly roles?: unknown;
  readonly key?: CryptoKey;
  readonly kid?: string;
}

function jwt(claims: Claims = {}): Promise<string> {
  const body: Record<string, unknown> = {};
  if (claims.roles !== undefined) body.roles = claims.roles;
  return new SignJWT(body)
    .setProtectedHeader({ alg: 'RS256', kid: claims.kid ?? 'k1' })
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setSubject(claims.sub ?? 'ada@desk')
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? '5m')
    .sign(claims.key ?? signing.privateKey);
}

beforeAll(async () => {
  signing = await generateKeyPair('RS256', { extractable: true });
  impostor = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwks = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;

  const config = loadConfig({
    env: {
      PORT: '0',
      DATABASE_URL: 'memory://',
      VANTA_SOURCES: 'none',
      VANTA_AUTH_REQUIRED: 'true',
      VANTA_JWT_ISSUER: ISSUER,
      VANTA_JWT_AUDIENCE: AUDIENCE,
      VANTA_JWT_JWKS_URL: jwksUrl,
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  server = await startServer(config, { log: pino({ level: 'trace' }, sink), print: (text) => (banner += text) });
  bootstrapKey = /vk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/.exec(banner)?.[0] ?? '';
});
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => jwks?.close(resolve));
});

async function gql(query: string, authorization?: string, variables?: Record<string, unknown>) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

const ME = '{ me { id name roles via } }';
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('the bootstrap key', () => {
  it('is made at the first start with authentication required, printed once in the banner and never logged', async () => {
    expect(bootstrapKey).not.toBe('');
    expect(banner.split(bootstrapKey)).toHaveLength(2);
    expect(banner).toMatch(/Authentication: required/);
    // `vk_<12 hex>_` then the secret, which is base64url and may itself hold an underscore.
    const secret = bootstrapKey.slice('vk_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('').includes(secret)).toBe(false);
    expect(logLines.join('')).not.toMatch(/authentication is off/);
  });

  it('acts with ALPHA, MARKETS and EXECUTOR, and `me` says so', async () => {
    const r = await gql(ME, `Bearer ${bootstrapKey}`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.me).toEqual({ id: bootstrapKey.split('_')[1], name: 'bootstrap', roles: ['ALPHA', 'MARKETS', 'EXECUTOR'], via: 'api-key' });
  });

  it("is recorded as the actor of the admin mutations it makes (its id)", async () => {
    const set = await gql(
      'mutation($s: KillSwitchScopeInput!) { setKillSwitch(scope: $s, engaged: true, reason: "drill") { errors { code } killSwitch { actor engaged } } }',
      `Bearer ${bootstrapKey}`,
      { s: { kind: 'VENUE', id: 'paper' } },
    );
    expect(set.errors).toBeUndefined();
    expect(set.data!.setKillSwitch).toMatchObject({ errors: [], killSwitch: { actor: bootstrapKey.split('_')[1], engaged: true } });
  });
});

describe('requests without valid credentials', () => {
  const refusals: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    ['an empty header', async () => ''],
    ['a scheme other than Bearer', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a key of no one', async () => `Bearer vk_000000000000_${'A'.repeat(43)}`],
    ['a real key id with a wrong secret', async () => `Bearer ${bootstrapKey.slice(0, 16)}${'B'.repeat(43)}`],
    ['garbage', async () => 'Bearer not-a-credential'],
    ['an expired JWT', async () => `Bearer ${await jwt({ exp: Math.floor(Date.now() / 1000) - 3600, roles: ['VIEWER'] })}`],
    ['a JWT for another audience', async () => `Bearer ${await jwt({ aud: 'someone-else', roles: ['VIEWER'] })}`],
    ['a JWT from another issuer', async () => `Bearer ${await jwt({ iss: 'https://evil.test/', roles: ['VIEWER'] })}`],
    ['a JWT signed with another key', async () => `Bearer ${await jwt({ key: impostor.privateKey, roles: ['VIEWER'] })}`],
    ['a JWT whose kid is not in the JWKS', async () => `Bearer ${await jwt({ key: impostor.privateKey, kid: 'k9', roles: ['VIEWER'] })}`],
    [
      'an unsigned JWT (alg none)',
      async () => {
        const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        return `Bearer ${part({ alg: 'none' })}.${part({ iss: ISSUER, aud: AUDIENCE, sub: 'x', exp: now + 300, roles: ['ALPHA'] })}.`;
      },
    ],
  ];

  for (const [label, header] of refusals) {
    it(`fail with UNAUTHENTICATED and no stack: ${label}`, async () => {
      const r = await gql('{ health { status } me { id } }', await header());
      expect(r.data).toBeNull();
      expect(codes(r)).toContain('UNAUTHENTICATED');
      for (const e of r.errors!) expect(e.extensions?.stacktrace).toBeUndefined();
    });
  }
});

describe('JWTs', () => {
  it('authenticate their subject with the roles of the roles claim (any case; unknown names ignored)', async () => {
    const r = await gql(ME, `Bearer ${await jwt({ sub: 'grace@desk', roles: ['viewer', 'Markets', 'root'] })}`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.me).toEqual({ id: 'grace@desk', name: 'grace@desk', roles: ['VIEWER', 'MARKETS'], via: 'jwt' });
  });

  it('with no known role: authenticated (health, me), FORBIDDEN elsewhere', async () => {
    const bearer = `Bearer ${await jwt({ sub: 'nobody', roles: 'intern' })}`;
    const r = await gql('{ health { status } me { roles } }', bearer);
    expect(r.errors).toBeUndefined();
    expect(r.data!.me.roles).toEqual([]);
    const denied = await gql('{ vaults { id } }', bearer);
    expect(codes(denied)).toEqual(['FORBIDDEN']);
    expect(denied.errors![0]!.message).toMatch(/Query\.vaults.*ALPHA, VIEWER/);
  });
});

describe('graphql-ws', () => {
  /** Connects with `params` and runs `me`: its result, or the close event's code. */
  function meOverWs(params: Record<string, unknown> | undefined): Promise<{ me?: unknown; closed?: number; errors?: unknown }> {
    return new Promise((resolve) => {
      const client = createClient({
        url: server.wsUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
        ...(params ? { connectionParams: params } : {}),
        on: { closed: (e) => resolve({ closed: (e as { code: number }).code }) },
      });
      client.subscribe(
        { query: ME },
        {
          next: (r) => {
            resolve(r.errors ? { errors: r.errors } : { me: r.data?.me });
            void client.dispose();
          },
          error: () => {},
          complete: () => {},
        },
      );
    });
  }

  it('refuses a connection without credentials, or with bad ones, with close code 4401', async () => {
    expect(await meOverWs(undefined)).toEqual({ closed: 4401 });
    expect(await meOverWs({ authorization: 'Bearer vk_000000000000_' + 'C'.repeat(43) })).toEqual({ closed: 4401 });
    expect(await meOverWs({ authorization: `Bearer ${await jwt({ aud: 'other' })}` })).toEqual({ closed: 4401 });
    expect(await meOverWs({ authorization: 42 })).toEqual({ closed: 4401 });
  });

  it('runs operations as the principal of connection_init', async () => {
    expect(await meOverWs({ authorization: `Bearer ${bootstrapKey}` })).toMatchObject({ me: { name: 'bootstrap', via: 'api-key' } });
    expect(await meOverWs({ authorization: `Bearer ${await jwt({ sub: 'ws-user', roles: ['EXECUTOR'] })}` })).toEqual({
      me: { id: 'ws-user', name: 'ws-user', roles: ['EXECUTOR'], via: 'jwt' },
    });
  });
});
