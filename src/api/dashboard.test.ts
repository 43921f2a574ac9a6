/**
 * The dashboard's static handler on a real HTTP server over a real build directory: content types,
 * cache headers, the single-page fallback, conditional requests, and paths that try to leave the root
 * (sent raw: `fetch` would normalize `..` away before the server saw it).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardHandler, dashboardRelativePath } from './dashboard.js';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function raw(port: number, path: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listen(root: string): Promise<{ server: Server; port: number; errors: unknown[] }> {
  const errors: unknown[] = [];
  const handler = createDashboardHandler({ root, onError: (e) => errors.push(e) });
  const server = createServer((req, res) => {
    if (handler(req, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('api fallback\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, errors };
}

describe('the dashboard handler', () => {
  let dir: string;
  let port: number;
  let server: Server;
  let errors: unknown[];
  const INDEX = '<!doctype html><title>Vanta</title><div id="app"></div>';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vanta-dashboard-'));
    const root = join(dir, 'web');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), INDEX);
    writeFileSync(join(root, 'assets', 'index-Ab12.js'), 'console.log("app")');
    writeFileSync(join(root, 'assets', 'index-Cd34.css'), 'body{}');
    writeFileSync(join(root, 'logo.svg'), '<svg/>');
    writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET');
    symlinkSync(join(dir, 'secret.txt'), join(root, 'assets', 'leak.txt'));
    ({ server, port, errors } = await listen(root));
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects / and /dashboard to /dashboard/', async () => {
    const root = await raw(port, '/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/dashboard/');
    const bare = await raw(port, '/dashboard');
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe('/dashboard/');
  });

  it('serves index.html revalidated, with a content security policy', async () => {
    const res = await raw(port, '/dashboard/');
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves hashed assets with their type, cached for a year', async () => {
    const js = await raw(port, '/dashboard/assets/index-Ab12.js?v=1');
    expect(js.status).toBe(200);
    expect(js.body).toBe('console.log("app")');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-security-policy']).toBeUndefined();
    const css = await raw(port, '/dashboard/assets/index-Cd34.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await raw(port, '/dashboard/logo.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it('answers routes of the app with index.html, and missing files with 404', async () => {
    const route = await raw(port, '/dashboard/vaults/risk-averse-core');
    expect(route.status).toBe(200);
    expect(route.body).toBe(INDEX);
    expect(route.headers['cache-control']).toBe('no-cache');
    const missing = await raw(port, '/dashboard/assets/gone-Zz99.js');
    expect(missing.status).toBe(404);
    expect(missing.body).not.toContain('<title>');
  });

  it('answers a matching ETag with 304, HEAD without a body, and refuses other methods', async () => {
    const first = await raw(port, '/dashboard/assets/index-Ab12.js');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/"/);
    const again = await raw(port, '/dashboard/assets/index-Ab12.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const head = await raw(port, '/dashboard/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(INDEX.length));
    expect(head.body).toBe('');
    const post = await raw(port, '/dashboard/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('never serves a file outside its root', async () => {
    for (const path of [
      '/dashboard/../secret.txt',
      '/dashboard/assets/../../secret.txt',
      '/dashboard/%2e%2e/secret.txt',
      '/dashboard/%2E%2E%2Fsecret.txt',
      '/dashboard/assets/..%2f..%2fsecret.txt',
      '/dashboard/..%5csecret.txt',
      '/dashboard/index.html%00.js',
      '/dashboard/%E0%A4%A',
    ]) {
      const res = await raw(port, path);
      expect(res.status, path).toBe(400);
      expect(res.body, path).not.toContain('TOP SECRET');
    }
    // A symlink inside the build that points out of it is not followed.
    const link = await raw(port, '/dashboard/assets/leak.txt');
    expect(link.status).toBe(404);
    expect(link.body).not.toContain('TOP SECRET');
    expect(errors).toEqual([]);
  });

  it('leaves other paths to the API', async () => {
    const res = await raw(port, '/graphql');
    expect(res.body).toBe('api fallback\n');
    const lookalike = await raw(port, '/dashboards');
    expect(lookalike.body).toBe('api fallback\n');
  });
});

describe('the dashboard handler without a build', () => {
  it('answers 503 saying how to build the dashboard', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanta-dashboard-'));
    const { server, port } = await listen(join(dir, 'not-built'));
    try {
      for (const path of ['/dashboard/', '/dashboard/assets/index-Ab12.js']) {
        const res = await raw(port, path);
        expect(res.status).toBe(503);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.body).toContain('npm run build:web');
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('dashboardRelativePath', () => {
  it('keeps paths inside the root and refuses the rest', () => {
    expect(dashboardRelativePath('/dashboard/')).toBe('');
    expect(dashboardRelativePath('/dashboard/assets/a.js')).toBe('assets/a.js');
    expect(dashboardRelativePath('/dashboard//assets//a.js')).toBe('assets/a.js');
    expect(dashboardRelativePath('/dashboard/a%20b.png')).toBe('a b.png');
    expect(dashboardRelativePath('/dashboard/./index.html')).toBeNull();
    expect(dashboardRelativePath('/dashboard/a/../../etc/passwd')).toBeNull();
    expect(dashboardRelativePath('/dashboard/%2e%2e')).toBeNull();
    expect(dashboardRelativePath('/dashboard/%00')).toBeNull();
    expect(dashboardRelativePath('/dashboard/%zz')).toBeNull();
  });
});
