/**
 * The dashboard's build: sources in `web/`, output in `dist/web/`, served by the API server under
 * `/dashboard/`. `npm run build:web` builds it (and `npm start` does first). For development,
 * `npx vite --config web/vite.config.ts` serves it with hot reload and proxies `/graphql` (HTTP and
 * websockets) to a server on port 4000 (or `VANTA_API`).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.VANTA_API ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root,
  base: '/dashboard/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Hashed file names under assets/: the server caches them for a year, index.html not at all.
    assetsDir: 'assets',
  },
  server: {
    proxy: { '/graphql': { target: api, ws: true, changeOrigin: true } },
  },
});
