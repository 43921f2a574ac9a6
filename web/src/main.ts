/**
 * The dashboard: a header (connection, kill switches, who is logged in) over four views (convictions,
 * signals, vaults, health), picked by the URL fragment (`#/signals`). It logs in with an API key first
 * when the server asks for one.
 */
import './style.css';
import { Api, ApiError } from './api';
import { can, Session } from './auth';
import type { AppContext, View } from './context';
import { errorText } from './context';
import { duration } from './format';
import { $, html, render } from './html';
import { mountConvictions } from './views/convictions';
import { mountHealth } from './views/health';
import { mountKillSwitches } from './views/kill-switches';
import { mountSignals } from './views/signals';
import { mountVaults } from './views/vaults';

const TABS = [
  { id: 'convictions', label: 'Convictions', ability: 'readConvictions' },
  { id: 'signals', label: 'Signals', ability: 'readSignals' },
  { id: 'vaults', label: 'Vaults', ability: 'readVaults' },
  { id: 'health', label: 'Health', ability: null },
] as const;
type TabId = (typeof TABS)[number]['id'];

const app = $('#app');
app.innerHTML = `
  <header class="top">
    <div class="brand"><span class="logo"></span>VANTA</div>
    <nav class="tabs" data-testid="tabs"></nav>
    <div class="killbar" data-testid="kill-switches"></div>
    <div class="spacer"></div>
    <div class="status"><span class="conn" data-testid="connection"><i></i><span>connecting</span></span><span class="lag dim small"></span></div>
    <div class="who" data-testid="principal"></div>
  </header>
  <main>
    ${TABS.map((t) => `<div class="view" id="view-${t.id}" data-view="${t.id}" hidden></div>`).join('')}
  </main>
  <div class="login" hidden>
    <form class="card login-card" data-testid="login-form">
      <div class="brand big"><span class="logo"></span>VANTA</div>
      <p class="dim">This server asks for an API key.</p>
      <label for="api-key">API key</label>
      <input id="api-key" name="key" type="password" autocomplete="off" required>
      <p class="error login-error"></p>
      <button class="btn primary" type="submit">Log in</button>
    </form>
  </div>
  <div class="toasts"></div>`;

const origin = location.origin;
const session = new Session();
session.consumeFragment(location, history);
const api = new Api({ httpUrl: `${origin}/graphql`, wsUrl: `${origin.replace(/^http/, 'ws')}/graphql`, key: () => session.key() });

const toasts = $('.toasts');
const ctx: AppContext = {
  api,
  session,
  notify(message, tone = 'info') {
    const el = document.createElement('div');
    el.className = `toast ${tone}`;
    el.textContent = message;
    toasts.append(el);
    setTimeout(() => el.remove(), tone === 'error' ? 8000 : 4000);
  },
};

const lagEl = $('.lag');
const views: Record<TabId, View> = {
  convictions: mountConvictions($('#view-convictions'), ctx),
  signals: mountSignals($('#view-signals'), ctx),
  vaults: mountVaults($('#view-vaults'), ctx),
  health: mountHealth($('#view-health'), ctx, (h) => {
    lagEl.textContent = h ? `lag ${h.pipelineLag} · ${duration(h.lastIngestToConvictionMs)} · ML ${h.mlBackend}` : '';
  }),
};
const killSwitches = mountKillSwitches($('.killbar'), ctx);

function allowedTabs() {
  return TABS.filter((t) => t.ability === null || can(session.principal, t.ability));
}

function route(): void {
  const wanted = location.hash.replace(/^#\/?/, '') as TabId;
  const tabs = allowedTabs();
  const current = tabs.find((t) => t.id === wanted) ?? tabs[0]!;
  render(
    $('.tabs'),
    html`${tabs.map((t) => html`<a href="#/${t.id}" class="${t.id === current.id ? 'active' : ''}" data-tab="${t.id}">${t.label}</a>`)}`,
  );
  for (const el of document.querySelectorAll<HTMLElement>('.view')) el.hidden = el.dataset.view !== current.id;
  views[current.id].shown();
}

const conn = $('.conn');
api.onConnection((state, reconnected) => {
  conn.className = `conn ${state}`;
  $('span', conn).textContent = state === 'connected' ? 'live' : state;
  if (reconnected) {
    for (const view of Object.values(views)) view.reseed();
    killSwitches.reseed();
  }
});

function showPrincipal(): void {
  const p = session.principal;
  render(
    $('.who'),
    p
      ? html`<span class="name" title="${p.id} via ${p.via}">${session.authOff ? 'auth off' : p.name}</span>
        <span class="roles">${p.roles.map((r) => html`<span class="role">${r.toLowerCase()}</span>`)}</span>
        ${session.key() ? html`<button class="btn ghost small" data-action="logout">Log out</button>` : ''}`
      : html``,
  );
}

$('.who').addEventListener('click', (e) => {
  if (!(e.target as Element).closest('[data-action="logout"]')) return;
  session.setKey(null);
  location.reload();
});

const loginEl = $('.login');
const form = $<HTMLFormElement>('.login-card');
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const key = $<HTMLInputElement>('#api-key', form).value.trim();
  if (!key) return;
  session.setKey(key);
  void api.reset().then(boot);
});

let started = false;
async function boot(): Promise<void> {
  try {
    await session.identify(api);
  } catch (error) {
    const refused = error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN');
    loginEl.hidden = false;
    $('.login-error').textContent = refused ? (session.key() ? 'The server refused this key.' : '') : `The server did not answer: ${errorText(error)}`;
    $<HTMLInputElement>('#api-key').focus();
    if (!refused) setTimeout(() => void boot(), 3000);
    return;
  }
  loginEl.hidden = true;
  showPrincipal();
  if (started) return;
  started = true;
  killSwitches.start();
  for (const tab of allowedTabs()) views[tab.id].start();
  route();
  document.body.dataset.ready = 'true';
}

window.addEventListener('hashchange', route);
void boot();
