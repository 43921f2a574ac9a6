/**
 * Server PostgreSQL and Redis for the tests that need them.
 *
 * Outside CI a suite whose service does not answer is skipped, with a note. Under `CI=true` it is never
 * skipped: an unreachable service fails the suite.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { Redis } from 'ioredis';

export const POSTGRES_ADMIN_URL = process.env.VANTA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_TEST_URL = process.env.VANTA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const inCI = process.env.CI === 'true' || process.env.CI === '1';

function probe(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function available(name: string, url: string, port: number): Promise<boolean> {
  const ok = await probe(url, port);
  if (!ok && inCI) throw new Error(`${name} at ${url} is unreachable, and CI=true forbids skipping its suites`);
  if (!ok) console.warn(`[tests] ${name} at ${url} is unreachable: its suites are skipped (they never are under CI=true)`);
  return ok;
}

export const postgresAvailable = (): Promise<boolean> => available('PostgreSQL', POSTGRES_ADMIN_URL, 5432);
export const redisAvailable = (): Promise<boolean> => available('Redis', REDIS_TEST_URL, 6379);

/** A unique name for a test's own database, stream prefix or key space. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/**
 * Creates a fresh database on the server behind `adminUrl` (the test server by default) and returns its URL
 * and a function that drops it. Each suite (or benchmark run) gets its own, so runs in parallel never see
 * each other's rows.
 */
export async function createTestDatabase(
  adminUrl: string = POSTGRES_ADMIN_URL,
  prefix = 'vanta_test',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const { default: postgres } = await import('postgres');
  const name = uniqueName(prefix);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Every key matching `pattern` (SCAN, so Redis is never blocked by a KEYS over a large key space). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Deletes every key under `prefix`: what a suite or a benchmark leaves behind in a shared Redis. */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  const keys = await scanKeys(redis, `${prefix}*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}
