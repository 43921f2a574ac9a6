/**
 * Serves the built dashboard (`dist/web`, from `npm run build:web`) under `/dashboard/`, and sends `/`
 * there. Hashed assets (`assets/…`) are cached for a year; everything else, `index.html` first, is
 * revalidated on every load (`no-cache` with an ETag), so a new build shows up on the next reload. A path
 * that is not a file and has no extension is a route of the single-page app: it gets `index.html`. A path
 * that leaves the root (`..`, encoded or not, a NUL byte, a backslash) is refused with 400 before the file
 * system is touched; a symlink out of the root is refused too. Without a build, `/dashboard/` answers 503
 * saying how to build it.
 */
import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_PATH = '/dashboard/';

/** `dist/web` at the project root (this file is `src/api/dashboard.ts`). */
export const DEFAULT_DASHBOARD_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * What the page may load: its own scripts and styles, inline style attributes (the heatmap colours its
 * cells with them), data: images, and the API on the same origin over HTTP and websockets.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export interface DashboardOptions {
  /** The built dashboard. Default: `dist/web` at the project root. */
  readonly root?: string;
  /** Told about unexpected file-system errors. */
  readonly onError?: (error: unknown) => void;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => boolean;

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vanta: dashboard not built</title>
<style>body{font:15px/1.5 system-ui,sans-serif;background:#0b0f16;color:#e4eaf3;max-width:40rem;margin:4rem auto;padding:0 1rem}code{background:#1a2230;padding:.1em .35em;border-radius:4px}a{color:#5aa9ff}</style></head>
<body><h1>The dashboard is not built</h1>
<p>This server serves the dashboard from <code>dist/web</code>, which does not exist yet. Build it with
<code>npm run build:web</code> (<code>npm start</code> builds it first), then reload.</p>
<p>The GraphQL API works without it, at <a href="/graphql"><code>/graphql</code></a>.</p></body></html>
`;

/**
 * The request path under `/dashboard/` as a relative file path, or null when it is not one this handler
 * may serve (it tries to leave the root, or is malformed).
 */
export function dashboardRelativePath(pathname: string): string | null {
  const rest = pathname.slice(DASHBOARD_PATH.length);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  return segments.filter((s) => s !== '').join('/');
}

function etagOf(stats: Stats): string {
  return `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
}

export function createDashboardHandler(options: DashboardOptions = {}): Handler {
  const root = resolve(options.root ?? DEFAULT_DASHBOARD_ROOT);
  const reportError = options.onError ?? ((error: unknown) => console.error('[dashboard] unexpected error', error));
  let realRoot: string | null = null;

  async function fileAt(relative: string): Promise<{ path: string; stats: Stats } | null> {
    const path = resolve(root, relative);
    if (path !== root && !path.startsWith(root + sep)) return null;
    try {
      const stats = await stat(path);
      if (!stats.isFile()) return null;
      // A symlink inside the build may point anywhere: serve only what really lives under the root.
      realRoot ??= await realpath(root);
      const real = await realpath(path);
      if (!real.startsWith(realRoot + sep)) return null;
      return { path, stats };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
      throw error;
    }
  }

  async function rootExists(): Promise<boolean> {
    try {
      return (await stat(resolve(root, 'index.html'))).isFile();
    } catch {
      return false;
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const relative = dashboardRelativePath(pathname);
    if (relative === null) return send(res, 400, 'text/plain; charset=utf-8', 'bad dashboard path\n');
    if (!(await rootExists())) return send(res, 503, 'text/html; charset=utf-8', NOT_BUILT, { 'retry-after': '10' });

    let file = relative === '' ? null : await fileAt(relative);
    let fallback = false;
    if (!file) {
      // Files (a name with an extension) that are missing are 404s; anything else is a route of the app.
      if (relative !== '' && extname(relative) !== '') return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      file = await fileAt('index.html');
      fallback = true;
      if (!file) return send(res, 503, 'text/html; charset=utf-8', NOT_BUILT, { 'retry-after': '10' });
    }
    const ext = extname(file.path).toLowerCase();
    const isHtml = ext === '.html';
    const etag = etagOf(file.stats);
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'cache-control': !fallback && relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE,
      etag,
      'last-modified': file.stats.mtime.toUTCString(),
      'x-content-type-options': 'nosniff',
      ...(isHtml ? { 'content-security-policy': CONTENT_SECURITY_POLICY, 'referrer-policy': 'no-referrer' } : {}),
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': String(file.stats.size) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((done) => {
      const stream = createReadStream(file.path);
      stream.on('error', (error) => {
        reportError(error);
        res.destroy();
        done();
      });
      stream.on('end', done);
      stream.pipe(res);
    });
  }

  return (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (pathname === '/' && read) {
      const query = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?')) : '';
      send(res, 302, 'text/plain; charset=utf-8', `see ${DASHBOARD_PATH}\n`, { location: `${DASHBOARD_PATH}${query}` });
      return true;
    }
    if (pathname === DASHBOARD_PATH.slice(0, -1)) {
      send(res, 301, 'text/plain; charset=utf-8', `see ${DASHBOARD_PATH}\n`, { location: DASHBOARD_PATH });
      return true;
    }
    if (!pathname.startsWith(DASHBOARD_PATH)) return false;
    if (!read) {
      send(res, 405, 'text/plain; charset=utf-8', 'the dashboard only answers GET and HEAD\n', { allow: 'GET, HEAD' });
      return true;
    }
    serve(req, res, pathname).catch((error: unknown) => {
      reportError(error);
      if (res.headersSent) res.destroy();
      else send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
    });
    return true;
  };
}
