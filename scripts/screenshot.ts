/**
 * A screenshot of the dashboard with live data, for the docs:
 *
 *   npx tsx scripts/screenshot.ts [--url http://127.0.0.1:4000/dashboard/] [--out docs/dashboard.png]
 *                                 [--wait 30] [--view convictions|signals|vaults|health] [--width 1600] [--height 1000]
 *
 * Without `--url` it builds the dashboard and starts a server on embedded defaults (in-memory PGlite, the
 * simulator) on a free port, then closes it. It waits `--wait` seconds for data to flow, opens the
 * strongest conviction on the convictions view, and writes a PNG. Needs Chromium at /usr/bin/chromium
 * (`apt-get install chromium`) or `CHROMIUM_PATH`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { startServer } from '../src/server.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    out: { type: 'string', default: 'docs/dashboard.png' },
    wait: { type: 'string', default: '30' },
    view: { type: 'string', default: 'convictions' },
    width: { type: 'string', default: '1600' },
    height: { type: 'string', default: '1000' },
  },
});

const waitSeconds = Number(values.wait);
if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new Error(`--wait must be a number of seconds, not ${values.wait}`);
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

let close = async () => {};
let url = values.url;
if (!url) {
  await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
  const config = loadConfig({ env: { PORT: '0', DATABASE_URL: 'memory://', LOG_LEVEL: 'silent' } });
  const server = await startServer(config, { log: createLogger('silent'), print: () => {} });
  close = () => server.close();
  url = server.url.replace(/\/graphql$/, '/dashboard/');
}

const profile = mkdtempSync(join(tmpdir(), 'vanta-chromium-'));
// A fresh profile each run: nothing cached or remembered from an earlier one.
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  viewport: { width: Number(values.width), height: Number(values.height) },
  deviceScaleFactor: 1,
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${url}#/${values.view}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForTimeout(waitSeconds * 1000);
  if (values.view === 'convictions') {
    // Open the conviction with the largest |score| in view: the panel then shows a full explanation.
    const strongest = await page.$$eval('.cell[data-conviction-id]', (cells) => {
      let best: { id: string; score: number } | null = null;
      for (const cell of cells as HTMLElement[]) {
        const score = Math.abs(Number((cell.title.match(/[+−-]\d+\.\d+/)?.[0] ?? '0').replace('−', '-')));
        if (!best || score > best.score) best = { id: cell.dataset.convictionId!, score };
      }
      return best?.id ?? null;
    });
    if (strongest) {
      await page.click(`.cell[data-conviction-id="${strongest}"]`);
      await page.waitForSelector('[data-testid="rationale"]');
      await page.waitForTimeout(1500);
    }
  }
  const out = resolve(values.out);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: false });
  console.log(`wrote ${out}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  await close();
}
