/**
 * `vanta keys` and `security` config: keys made, listed and revoked from the command line on a PGlite
 * directory; on PostgreSQL, against a running server with authentication required, where a key made by the
 * CLI works at once and stops working once revoked. And how `security.authRequired` defaults.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { keysCommand } from '../src/jobs/keys.js';
import { createLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/server.js';
import { createTestDatabase, postgresAvailable } from './services.js';

/** Runs `vanta keys …` on the server at `databaseUrl`, or (a directory) on PGlite there. */
async function cli(argv: string[], databaseUrl: string): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const pglite = !databaseUrl.startsWith('postgres');
  const code = await keysCommand(argv, pglite ? undefined : databaseUrl, io, pglite ? { pgliteDir: databaseUrl } : {});
  return { code, out, err };
}

const KEY = /^vk_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

describe('vanta keys on PGlite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vanta-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key, printed once; lists it without its secret; revokes it', async () => {
    const url = path.join(dir, 'db');
    const created = await cli(['create', '--name', 'dashboard', '--role', 'viewer', '--role', 'MARKETS'], url);
    expect(created.code).toBe(0);
    const key = created.out.find((l) => KEY.test(l))!;
    const id = KEY.exec(key)![1]!;
    expect(created.out[0]).toMatch(new RegExp(`created API key ${id} \\(dashboard: VIEWER, MARKETS\\)`));

    const listed = await cli(['list'], url);
    expect(listed.code).toBe(0);
    expect(listed.out).toHaveLength(2);
    expect(listed.out[1]).toMatch(new RegExp(`^${id}\\tdashboard\\tVIEWER,MARKETS\\t\\d{4}-.*\\t-\\tactive$`));
    // The secret is base64url, so it may itself hold an underscore: it is what follows `vk_<id>_`.
    const secret = key.slice(`vk_${id}_`.length);
    expect(secret).toHaveLength(43);
    expect(listed.out.join('\n')).not.toContain(secret);

    const revoked = await cli(['revoke', id], url);
    expect(revoked.code).toBe(0);
    expect((await cli(['list'], url)).out[1]).toMatch(/\trevoked \d{4}-/);
    expect(await cli(['revoke', 'ffffffffffff'], url)).toMatchObject({ code: 2, err: [expect.stringMatching(/no API key has the id "ffffffffffff"/)] });
  }, 180_000); // each command opens the PGlite directory anew, as the CLI does

  it('refuses bad arguments with usage and exit code 64, naming what is wrong', async () => {
    const url = path.join(dir, 'db');
    expect(await cli(['create', '--name', 'x'], url)).toMatchObject({ code: 64, err: [expect.stringMatching(/needs --name and at least one --role/)] });
    expect(await cli(['create', '--name', 'x', '--role', 'root'], url)).toMatchObject({ code: 64, err: [expect.stringMatching(/unknown role "root"/)] });
    expect(await cli(['create', '--name', 'bad\nname', '--role', 'ALPHA'], url)).toMatchObject({ code: 64 });
    expect(await cli(['revoke'], url)).toMatchObject({ code: 64 });
    expect(await cli(['rotate'], url)).toMatchObject({ code: 64, err: [expect.stringMatching(/usage: vanta keys/)] });
  }, 60_000);
});

const pg = await postgresAvailable();

describe.skipIf(!pg)('vanta keys against a running server on PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  let server: RunningServer;
  let banner = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ env: { PORT: '0', DATABASE_URL: db.url, VANTA_SOURCES: 'none', VANTA_AUTH_REQUIRED: 'true', LOG_LEVEL: 'silent' } });
    server = await startServer(config, { log: createLogger('silent'), print: (t) => (banner += t) });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const me = async (key: string) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ me { name roles } }' }),
    });
    return (await res.json()) as { data?: { me: { name: string; roles: string[] } } | null; errors?: { extensions?: { code?: string } }[] };
  };

  it('printed a bootstrap key, and one made by the CLI works at once and not after it is revoked', async () => {
    expect(banner).toMatch(/Bootstrap API key \(ALPHA, MARKETS, EXECUTOR\)/);
    const created = await cli(['create', '--name', 'ops', '--role', 'EXECUTOR'], db.url);
    const key = created.out.find((l) => KEY.test(l))!;
    expect((await me(key)).data?.me).toEqual({ name: 'ops', roles: ['EXECUTOR'] });
    const listed = await cli(['list'], db.url);
    expect(listed.out.map((l) => l.split('\t')[1])).toEqual(['name', 'bootstrap', 'ops']);
    expect(listed.out[2]).not.toMatch(/\t-\tactive$/); // its use was recorded

    expect((await cli(['revoke', key], db.url)).code).toBe(0);
    const refused = await me(key);
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('security config', () => {
  it('requires authentication by default in production only, and VANTA_AUTH_REQUIRED overrides', () => {
    expect(loadConfig({ env: {} }).security.authRequired).toBe(false);
    expect(loadConfig({ env: { NODE_ENV: 'production' } }).security.authRequired).toBe(true);
    expect(loadConfig({ env: { NODE_ENV: 'production', VANTA_AUTH_REQUIRED: 'false' } }).security.authRequired).toBe(false);
    expect(loadConfig({ env: { VANTA_AUTH_REQUIRED: 'true' } }).security.authRequired).toBe(true);
  });

  it('names a bad value and a JWT setup without exactly one key source', () => {
    expect(() => loadConfig({ env: { VANTA_AUTH_REQUIRED: 'yes' } })).toThrow(/"security.authRequired" \(from environment variable VANTA_AUTH_REQUIRED\)/);
    expect(() => loadConfig({ env: { VANTA_JWT_ISSUER: 'i', VANTA_JWT_AUDIENCE: 'a' } })).toThrow(/security.jwt.*exactly one of jwksUrl and publicKey/);
    const both = loadConfig({ env: { VANTA_JWT_ISSUER: 'i', VANTA_JWT_AUDIENCE: 'a,b', VANTA_JWT_JWKS_URL: 'http://127.0.0.1:1/jwks' } });
    expect(both.security.jwt).toMatchObject({ issuer: 'i', audience: ['a', 'b'], rolesClaim: 'roles' });
  });
});
