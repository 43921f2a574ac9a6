/**
 * `vanta serve` as an operator runs it: a real process on embedded defaults (PGlite persisted in a
 * temporary working directory). SIGTERM must complete the open subscriptions, let the pipeline finish
 * the events in flight, and exit 0; what was persisted must then be whole.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../src/engine/store/repositories.js';
import { subscribe, wsClient } from './api-client.js';
import { ConvictionUpdatedDocument, SignalIngestedDocument } from './gql/graphql.js';

const BIN = fileURLToPath(new URL('../bin/vanta.js', import.meta.url));

interface Serving {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly url: string;
  readonly wsUrl: string;
}

/** Starts `vanta serve` in `cwd` and resolves once it has printed where it listens. */
async function serve(cwd: string): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vanta serve printed no URL within 30 s:\n${output}`)), 30_000);
    const look = () => {
      const match = /GraphQL HTTP:\s+(\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', look);
    void exited.then(() => reject(new Error(`vanta serve exited early:\n${output}`)));
  });
  return { child, output: () => output, exited, url, wsUrl: url.replace(/^http/, 'ws') };
}

describe('vanta serve', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('on SIGTERM completes subscriptions, drains the pipeline and exits 0, leaving a whole store', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'vanta-serve-'));
    dirs.push(cwd);
    const server = await serve(cwd);
    const client = wsClient(server.wsUrl);
    const closes: number[] = [];
    client.on('closed', (event) => closes.push((event as { code: number }).code));
    const signals = subscribe(client, SignalIngestedDocument, {});
    const convictions = subscribe(client, ConvictionUpdatedDocument, {});
    try {
      await signals.received(20);
      await convictions.received(1);

      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(await signals.ended).toBe('complete');
      expect(await convictions.ended).toBe('complete');
      // Once its subscriptions are complete the (lazy) client closes with 1000 itself, or the server's 1001
      // going-away comes first: either way a clean close, never an abnormal 1006.
      expect(closes).toHaveLength(1);
      expect([1000, 1001]).toContain(closes[0]);
      expect(server.output()).toMatch(/stopped cleanly/);
      // No warning (a drain timeout, say) or error, beyond the notice that authentication is off by default
      // and drift alarms, which the model-ops schedule may raise against the warming-up simulator.
      const expected = /authentication is off|drift alarm/;
      const problems = server
        .output()
        .split('\n')
        .filter((line) => /"level":(40|50|60)/.test(line) && !expected.test(line));
      expect(problems).toEqual([]);
    } finally {
      signals.dispose();
      convictions.dispose();
      await client.dispose();
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }

    // Nothing was left half-way: every raw signal the audit log recorded was also enriched (or dropped
    // as a duplicate), every enriched signal was stored, and the chain verifies.
    const store = await createStore(undefined, { pgliteDir: path.join(cwd, 'data/pglite') });
    try {
      const count = async (sql: string) => Number((await store.database.query<{ n: string }>(sql))[0]!.n);
      const raw = await count(`select count(*) as n from audit_log where type = 'SignalIngested'`);
      const outcomes = await count(
        `select count(*) as n from audit_log where type in ('SignalEnriched', 'SignalDuplicateDropped')`,
      );
      const enriched = await count(`select count(*) as n from audit_log where type = 'SignalEnriched'`);
      expect(raw).toBeGreaterThan(0);
      expect(outcomes).toBe(raw);
      expect(await store.signals.count()).toBe(enriched);
      expect((await store.audit.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);
});
