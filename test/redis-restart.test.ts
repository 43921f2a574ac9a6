/**
 * The Redis bus across a Redis crash: a private redis-server (AOF, fsync always) is killed with SIGKILL
 * halfway through publishing and restarted on the same port and directory. Every event must end up in the
 * "store" (a Map with idempotent inserts) exactly once; redeliveries are allowed, losses are not.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signal } from '../src/engine/bus/bus.contract.js';
import { RedisStreamsBus } from '../src/engine/bus/redis-streams.js';
import { Topics } from '../src/engine/bus/topics.js';
import { inCI } from './services.js';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer && !inCI) console.warn('[tests] redis-server is not on PATH: the Redis restart test is skipped');

const N = 2_000;
const CHUNK = 20;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes'];
  args.push('--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--logfile', '');
  const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 10 s:\n${log}`)), 10_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(err);
    };
    proc.stdout.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(proc);
      }
    });
    proc.once('exit', (code) => fail(new Error(`redis-server exited with ${code}:\n${log}`)));
  });
}

async function kill(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, 'exit');
  proc.kill('SIGKILL');
  await exited;
}

describe.skipIf(!hasRedisServer && !inCI)('RedisStreamsBus across a Redis crash', () => {
  let dir: string;
  let port: number;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vanta-redis-restart-'));
    port = await freePort();
    server = await startRedis(port, dir);
  });

  afterAll(async () => {
    await kill(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('handles every event exactly once into an idempotent store when Redis is killed and restarted', async () => {
    const bus = new RedisStreamsBus({
      redis: `redis://127.0.0.1:${port}`,
      prefix: 'restart:',
      blockMs: 200,
      batch: 50,
      retryDelayMs: 20,
      // Long on purpose: entries whose read reply was lost in the crash must come back through the
      // consumer's re-read of its own pending list after reconnecting, not through a claim.
      claimIdleMs: 60_000,
    });
    const rows = new Map<string, number>(); // event id -> position, as a table with a unique key
    let invocations = 0;
    bus.subscribe(
      Topics.signalsRaw,
      async (e) => {
        invocations++;
        await new Promise((r) => setTimeout(r, 1)); // stands for the insert: slower than publishing, so a backlog builds
        if (!rows.has(e.id)) rows.set(e.id, rows.size);
      },
      { group: 'store' },
    );

    let restarted: Promise<ChildProcess> | undefined;
    for (let i = 0; i < N; i += CHUNK) {
      if (i === N / 2) {
        await kill(server);
        server = undefined;
        // Back after a while; meanwhile publish() calls wait in ioredis's offline queue.
        restarted = new Promise((r) => setTimeout(r, 300)).then(() => startRedis(port, dir));
        restarted.then((p) => (server = p)).catch(() => {});
      }
      const chunk = Array.from({ length: CHUNK }, (_, j) => i + j);
      await Promise.all(chunk.map((k) => bus.publish(Topics.signalsRaw, signal(`ev${k}`, k))));
    }
    server = await restarted;
    await bus.drain(20_000);

    const missing = Array.from({ length: N }, (_, k) => `ev${k}`).filter((id) => !rows.has(id));
    expect(missing).toEqual([]);
    expect(rows.size).toBe(N);
    expect(invocations).toBeGreaterThanOrEqual(N);
    const lag = await bus.lag();
    expect(lag.find((l) => l.group === 'store')?.pending).toBe(0);
    await bus.close();
  }, 30_000);
});
