/**
 * The dashboard in a real browser against a real server: the dashboard built with Vite, the server
 * started on embedded defaults (in-memory PGlite, the simulator), Chromium driven by playwright-core.
 * A user opens the page, sees a live conviction arrive in the heatmap without reloading, opens it and
 * reads its rationale, edits an overlay and sees the server's validation error at its line, and flips
 * the global kill switch, which the server then reports (and a switch flipped elsewhere shows up live).
 *
 * Then, on a server that requires authentication (PostgreSQL, where the test makes the API keys): the
 * login form, a refused key, a `#key=` link, and what a key's roles hide.
 *
 * Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH): skipped with a note when it is missing, except
 * under CI=true, where that is a failure.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { ApiKeys } from '../src/api/auth/index.js';
import { Role } from '../src/api/roles.js';
import { createStore } from '../src/engine/store/repositories.js';
import { type RunningServer, startServer } from '../src/server.js';
import { post } from './api-client.js';
import { ConvictionDocument, KillSwitchesDocument, LineageDocument, SetKillSwitchDocument } from './gql/graphql.js';
import { createTestDatabase, postgresAvailable } from './services.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const CI = process.env.CI === 'true';
if (!hasChromium && !CI) {
  console.warn(`[dashboard.browser] skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A browser with a fresh profile of its own. */
async function launchChromium(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
}

let built: Promise<unknown> | undefined;
/** Builds the dashboard into dist/web, where the server serves it from (once per run of this file). */
function buildDashboard(): Promise<unknown> {
  return (built ??= build({ configFile: new URL('../web/vite.config.ts', import.meta.url).pathname, logLevel: 'silent' }));
}

/** Asks `read` every 250 ms until it gives a value. */
async function poll<T>(read: () => Promise<T | null | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value != null) return value;
    if (Date.now() > deadline) throw new Error(`nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.runIf(CI && !hasChromium)('the dashboard in a browser', () => {
  it('needs Chromium under CI', () => {
    expect.fail(`CI=true but there is no Chromium at ${CHROMIUM}: .ci/run installs it with apt-get install chromium`);
  });
});

describe.skipIf(!hasChromium)('the dashboard in a browser', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let dashboardUrl: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await buildDashboard();
    const config = loadConfig({ env: { PORT: '0', DATABASE_URL: 'memory://', LOG_LEVEL: 'silent' } });
    server = await startServer(config, { log: createLogger('silent'), print: () => {} });
    dashboardUrl = server.url.replace(/\/graphql$/, '/dashboard/');
    profile = mkdtempSync(join(tmpdir(), 'vanta-chromium-'));
    context = await launchChromium(profile);
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await server?.close();
  });

  // Generous limits: the machine may be busy, and the first conviction needs the pipeline warmed up.
  const STEP = { timeout: 240_000 };

  it('loads from / and connects its live feed', STEP, async () => {
    const response = await page.goto(server.url.replace(/\/graphql$/, '/'));
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/dashboard/');
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.title()).toBe('Vanta — live conviction');
    await page.waitForSelector('[data-testid="connection"].connected');
    expect(await page.textContent('[data-testid="principal"]')).toContain('auth off');
  });

  it('shows a live conviction in the heatmap without a reload, and its rationale on a click', STEP, async () => {
    // A marker on the window survives only as long as the page is not reloaded.
    await page.evaluate(() => Object.assign(globalThis, { vantaMarker: 'same page' }));
    const LIVE = '[data-testid="heatmap"] .cell[data-origin="live"]';
    await page.waitForSelector(LIVE, { timeout: 90_000 });
    expect(await page.evaluate(() => (globalThis as { vantaMarker?: string }).vantaMarker)).toBe('same page');
    // Cells keep their element while the columns roll on, so read a live cell's conviction and instrument in one go.
    const liveCells = () =>
      page.$$eval(LIVE, (cells) => cells.map((c) => ({ id: c.getAttribute('data-conviction-id') ?? '', instrument: c.getAttribute('data-instrument') ?? '' })));
    const [first] = await liveCells();
    // The server has that very conviction (it came over the subscription, not the first page), for that instrument.
    const live = await poll(async () => (await post(server.url, ConvictionDocument, { id: first!.id })).data?.conviction ?? null, 90_000);
    expect(live.instrument).toBe(first!.instrument);

    // Click a live cell; a newer conviction may take a cell over between reading and clicking, so the
    // panel is checked against whichever conviction it opened.
    const clicked = await poll(async () => {
      const [target] = await liveCells();
      if (!target) return null;
      const opened = await page
        .click(`[data-testid="heatmap"] .cell[data-conviction-id="${target.id}"]`, { timeout: 5000 })
        // The columns roll every few seconds: a click can land on a cell that just emptied. Then the panel stays as it was.
        .then(() => page.waitForSelector('[data-testid="conviction-panel"] .empty', { state: 'detached', timeout: 3000 }))
        .then(() => true, () => false);
      return opened ? target : null;
    }, 60_000);
    const detail = await page.waitForSelector('[data-testid="conviction-detail"]');
    const id = (await detail.getAttribute('data-conviction-id'))!;
    const stored = await poll(async () => (await post(server.url, ConvictionDocument, { id })).data?.conviction ?? null, 90_000);
    expect(stored.instrument).toBe(clicked.instrument);
    expect(await page.textContent('[data-testid="conviction-detail"] .instrument')).toBe(stored.instrument);
    expect((await page.textContent('[data-testid="rationale"]'))?.trim()).toBe(stored.explanation);
    expect(await page.locator('.reasons .reason').count()).toBe(stored.reasonVector.length);
    expect(await page.locator('.detail table tbody tr').count()).toBe(stored.contributingModels.length);

    // Its lineage graph, as the server has it once the audit log has caught up (the panel asks again until then).
    const graph = await poll(async () => {
      const lineage = (await post(server.url, LineageDocument, { id })).data?.lineage;
      return lineage && lineage.missing.length === 0 ? lineage : null;
    }, 60_000);
    await page.waitForSelector('[data-testid="lineage-dag"] .dag-node[data-kind="ConvictionScored"]', { timeout: 60_000 });
    await poll(async () => ((await page.textContent('.dag-foot'))?.startsWith(`${graph.nodes.length} events`) ? true : null), 60_000);
  });

  it('shows the server\'s overlay validation errors at their field', STEP, async () => {
    await page.click('[data-tab="vaults"]');
    await page.waitForSelector('[data-testid="overlay-editor"]', { state: 'visible' });
    await page.fill('[data-testid="overlay-editor"]', '{\n  "cashBuffer": 0.1,\n  "caps": {\n    "perInstrument": 5\n  }\n}');
    await page.click('[data-action="apply-overlay"]');
    const error = await page.waitForSelector('[data-testid="overlay-errors"] li[data-path="caps.perInstrument"]');
    expect(await error.textContent()).toContain('line 4');
    expect(await page.locator('.gutter .bad').allTextContents()).toEqual(['4']);
    await page.click('[data-tab="convictions"]');
  });

  it('toggles the global kill switch, and the server reflects it', STEP, async () => {
    const engaged = async () => (await post(server.url, KillSwitchesDocument, {})).data?.killSwitches.find((s) => s.key === 'global')?.engaged ?? false;
    expect(await engaged()).toBe(false);
    const pill = '[data-testid="kill-global"]';
    expect(await page.getAttribute(pill, 'data-engaged')).toBe('false');

    await page.click(`${pill} button[role="switch"]`);
    await page.fill('[data-testid="kill-reason"]', 'browser test: halt everything');
    await page.click(`${pill} [data-action="confirm"]`);
    await page.waitForSelector(`${pill}[data-engaged="true"]`);
    const after = (await post(server.url, KillSwitchesDocument, {})).data!.killSwitches.find((s) => s.key === 'global');
    expect(after).toMatchObject({ engaged: true, reason: 'browser test: halt everything', scope: { kind: 'GLOBAL' } });

    // Released elsewhere (over HTTP): the bar follows through killSwitchChanged.
    const released = await post(server.url, SetKillSwitchDocument, { scope: { kind: 'GLOBAL' }, engaged: false, reason: 'released by the test' });
    expect(released.data?.setKillSwitch.errors).toEqual([]);
    await page.waitForSelector(`${pill}[data-engaged="false"]`);
    expect(await engaged()).toBe(false);
  });

  it('shows each watched model version\'s drift in the health view, as the server reports it', STEP, async () => {
    const watched = async () => {
      const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ driftStatus { versionId level } }' }) });
      return ((await res.json()) as { data: { driftStatus: { versionId: string; level: string }[] } }).data.driftStatus;
    };
    // Every version is watched once its first evaluation has run (every 15 s).
    const all = await poll(async () => {
      const list = await watched();
      return list.length >= 2 ? list : null;
    }, 120_000);
    await page.click('[data-tab="health"]');
    const cells = page.locator('[data-testid="health-models"] [data-testid^="drift-"]');
    await poll(async () => ((await cells.count()) >= all.length ? true : null), 60_000);
    const shown = await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('drift-'.length)));
    expect(shown).toHaveLength((await watched()).length);
    for (const level of shown) expect(['ok', 'warn', 'alarm', 'insufficient']).toContain(level);
  });

  it('ran without script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

const postgres = await postgresAvailable();

describe.skipIf(!hasChromium || !postgres)('the dashboard in a browser, with authentication required', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let profile: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dashboardUrl: string;
  let viewerKey: string;
  let executorKey: string;
  const STEP = { timeout: 120_000 };

  beforeAll(async () => {
    await buildDashboard();
    database = await createTestDatabase();
    const store = await createStore(database.url);
    try {
      const keys = new ApiKeys(store.apiKeys);
      viewerKey = (await keys.create('wall screen', [Role.Viewer])).key;
      executorKey = (await keys.create('execution desk', [Role.Executor])).key;
    } finally {
      await store.close();
    }
    const config = loadConfig({
      env: { PORT: '0', DATABASE_URL: database.url, VANTA_AUTH_REQUIRED: 'true', VANTA_SOURCES: 'none', LOG_LEVEL: 'silent' },
    });
    server = await startServer(config, { log: createLogger('silent'), print: () => {} });
    dashboardUrl = server.url.replace(/\/graphql$/, '/dashboard/');
    profile = mkdtempSync(join(tmpdir(), 'vanta-chromium-'));
    context = await launchChromium(profile);
    context.setDefaultTimeout(60_000);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await server?.close();
    await database?.drop();
  });

  it('asks for a key, refuses a wrong one, and hides what a viewer may not do', STEP, async () => {
    const page = await context.newPage();
    await page.goto(dashboardUrl);
    await page.waitForSelector('[data-testid="login-form"]', { state: 'visible' });
    await page.fill('#api-key', 'vk_000000000000_0000000000000000000000000000000000000000000');
    await page.click('[data-testid="login-form"] button[type="submit"]');
    await page.locator('.login-error', { hasText: 'The server refused this key.' }).waitFor();

    await page.fill('#api-key', viewerKey);
    await page.click('[data-testid="login-form"] button[type="submit"]');
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.isVisible('[data-testid="login-form"]')).toBe(false);
    expect(await page.textContent('[data-testid="principal"] .name')).toBe('wall screen');
    expect(await page.locator('[data-testid="tabs"] a').allTextContents()).toEqual(['Convictions', 'Signals', 'Vaults', 'Health']);
    // A viewer sees the kill switches, without a toggle; sees vaults, without the editor.
    await page.waitForSelector('[data-testid="kill-global"]');
    expect(await page.locator('[data-testid="kill-global"] button[role="switch"]').count()).toBe(0);
    await page.click('[data-tab="vaults"]');
    await page.waitForSelector('.vault-item');
    expect(await page.isVisible('[data-testid="overlay-editor"]')).toBe(false);
    // The key stays for the tab's session: a reload does not ask again.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('[data-testid="principal"] .name')).toBe('wall screen');
    await page.close();
  });

  it('logs in from a #key= link, then removes the key from the address bar', STEP, async () => {
    const page = await context.newPage();
    await page.goto(`${dashboardUrl}#key=${encodeURIComponent(executorKey)}`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(page.url()).not.toContain('key=');
    expect(page.url()).not.toContain(executorKey);
    expect(await page.textContent('[data-testid="principal"] .name')).toBe('execution desk');
    // An executor may flip kill switches, and reads neither convictions nor vaults.
    await page.waitForSelector('[data-testid="kill-global"] button[role="switch"]');
    expect(await page.locator('[data-testid="tabs"] a').allTextContents()).toEqual(['Health']);
    await page.close();
  });
});
