/**
 * Vaults: each vault's NAV and PnL, its allocation and positions, its growth curve, and (for ALPHA) its
 * persona and overlay, edited in place. The server validates an overlay whole; each error it returns
 * names a field path, shown at that field's line of the JSON editor.
 */
import { ApiError } from '../api';
import { can } from '../auth';
import { type AppContext, errorText, throttle, type View } from '../context';
import { money, percent, quantity } from '../format';
import {
  DashboardPersonasDocument,
  type DashboardPersonasQuery,
  DashboardSetPersonaDocument,
  DashboardSetVaultOverlayDocument,
  DashboardVaultDocument,
  type DashboardVaultQuery,
  DashboardVaultsDocument,
  DashboardVaultUpdatedDocument,
  type MutationFailureFragment,
  type VaultSummaryFragment,
} from '../gql/graphql';
import { $, html, on, onScreen, render } from '../html';
import { jsonPathSpans, lineOf, locate } from '../json-paths';
import { growthChart } from './growth-chart';

type VaultDetail = NonNullable<DashboardVaultQuery['vault']>;
type Persona = DashboardPersonasQuery['personas'][number];

interface FieldError {
  readonly path: string | null;
  readonly message: string;
  readonly code: string;
  readonly line?: number;
}

export function mountVaults(root: HTMLElement, ctx: AppContext): View {
  root.innerHTML = `
    <div class="vaults-layout">
      <section class="card vault-list"><h2>Vaults</h2><div class="list" data-testid="vault-list"></div></section>
      <div class="vault-main">
        <section class="card"><div class="vault-head"></div><div class="vault-body"></div></section>
        <section class="card editor-card" hidden>
          <div class="card-head"><h2>Persona and overlay</h2><span class="dim small version"></span></div>
          <div class="field persona-field">
            <label for="persona-select">Persona</label>
            <div class="row"><select id="persona-select" data-testid="persona-select"></select>
              <button class="btn" data-action="set-persona">Switch persona</button></div>
            <div class="field-error" data-field="personaId"></div>
          </div>
          <div class="field overlay-field">
            <label for="overlay-json">Overlay <span class="dim">(vault_overlay.json; empty clears it)</span></label>
            <div class="editor"><pre class="gutter" aria-hidden="true"></pre><textarea id="overlay-json" data-testid="overlay-editor" spellcheck="false" rows="14"></textarea></div>
            <ul class="field-errors" data-testid="overlay-errors"></ul>
          </div>
          <div class="row">
            <input class="reason" placeholder="reason (recorded with the change)" value="set from the dashboard">
            <button class="btn primary" data-action="apply-overlay">Apply overlay</button>
            <button class="btn ghost" data-action="reset-overlay">Revert</button>
          </div>
        </section>
      </div>
    </div>`;
  const listEl = $('.list', root);
  const headEl = $('.vault-head', root);
  const bodyEl = $('.vault-body', root);
  const editorCard = $('.editor-card', root);
  const select = $<HTMLSelectElement>('#persona-select', root);
  const textarea = $<HTMLTextAreaElement>('#overlay-json', root);
  const gutter = $('.gutter', root);
  const errorsEl = $('.field-errors', root);
  const personaError = $('[data-field="personaId"]', root);
  const reasonInput = $<HTMLInputElement>('.reason', root);

  let vaults: VaultSummaryFragment[] = [];
  let current: VaultDetail | null = null;
  let selectedId: string | null = null;
  let personas: Persona[] = [];
  let dirty = false;
  let overlayErrors: FieldError[] = [];

  const drawList = () =>
    render(
      listEl,
      vaults.length === 0
        ? html`<p class="dim">No vaults (trading may be off).</p>`
        : html`${vaults.map((v) => {
            const pnl = Number(v.realizedPnl) + Number(v.unrealizedPnl);
            return html`<button class="vault-item ${v.id === selectedId ? 'selected' : ''}" data-action="select" data-vault-id="${v.id}">
              <span class="name">${v.name}</span><span class="dim small">${v.id} · ${v.persona.name}</span>
              <span class="nums"><span>${money(v.nav)}</span><span class="${pnl >= 0 ? 'pos' : 'neg'}">${pnl >= 0 ? '+' : ''}${money(String(pnl))}</span></span>
              ${v.status !== 'ACTIVE' ? html`<span class="chip warn">${v.status}</span>` : ''}</button>`;
          })}`,
    );

  const drawVault = () => {
    const v = current;
    if (!v) {
      render(headEl, html`<h2>Vault</h2>`);
      render(bodyEl, html`<p class="dim">Pick a vault.</p>`);
      editorCard.hidden = true;
      return;
    }
    const nav = Number(v.nav) || 1;
    const stat = (label: string, value: string, cls = '') => html`<div class="stat"><span class="dim">${label}</span><b class="${cls}">${value}</b></div>`;
    const upnl = Number(v.unrealizedPnl);
    const rpnl = Number(v.realizedPnl);
    render(
      headEl,
      html`<div class="card-head"><h2>${v.name}</h2><span class="dim small">${v.id} · persona ${v.persona.name} · v${v.version}${v.settings.paused ? ' · paused' : ''}</span></div>
      <div class="stats">${stat('NAV', money(v.nav))}${stat('equity', money(v.equity))}${stat('cash', money(v.cash))}
        ${stat('gross exposure', percent(Number(v.grossExposure) / nav))}
        ${stat('realized PnL', money(v.realizedPnl), rpnl >= 0 ? 'pos' : 'neg')}${stat('unrealized PnL', money(v.unrealizedPnl), upnl >= 0 ? 'pos' : 'neg')}</div>`,
    );
    const positions = [...v.positions].sort((a, b) => Math.abs(Number(b.marketValue)) - Math.abs(Number(a.marketValue)));
    const allocation = html`<div class="alloc" data-testid="allocation">${positions.map((p) => {
      const w = Number(p.marketValue) / nav;
      return html`<span class="seg ${w >= 0 ? 'long' : 'short'}" style="flex-basis:${Math.abs(w) * 100}%" title="${p.instrument} ${percent(w)}">${Math.abs(w) > 0.06 ? p.instrument : ''}</span>`;
    })}<span class="seg cash" style="flex-basis:${Math.max(0, (Number(v.cash) / nav) * 100)}%" title="cash ${percent(Number(v.cash) / nav)}">cash</span></div>`;
    render(
      bodyEl,
      html`<h3>Allocation</h3>${allocation}
      <h3>Growth</h3>${growthChart(v.growthCurve.map((p) => ({ at: p.at, value: Number(p.totalValue) })))}
      <h3>Positions</h3>${
        positions.length === 0
          ? html`<p class="dim">No open positions.</p>`
          : html`<table class="table"><thead><tr><th>instrument</th><th class="num">quantity</th><th class="num">avg price</th><th class="num">price</th>
          <th class="num">value</th><th class="num">weight</th><th class="num">unrealized</th><th class="num">realized</th></tr></thead><tbody>${positions.map(
            (p) => html`<tr><td class="mono">${p.instrument}</td><td class="num">${quantity(p.quantity)}</td><td class="num">${money(p.avgPrice, true)}</td>
            <td class="num ${p.priceStale ? 'warn' : ''}" title="${p.priceStale ? 'no market price: marked at the average price' : ''}">${money(p.price, true)}</td>
            <td class="num">${money(p.marketValue)}</td><td class="num">${percent(Number(p.marketValue) / nav)}</td>
            <td class="num ${Number(p.unrealizedPnl) >= 0 ? 'pos' : 'neg'}">${money(p.unrealizedPnl)}</td><td class="num">${money(p.realizedPnl)}</td></tr>`,
          )}</tbody></table>`
      }`,
    );
    editorCard.hidden = !can(ctx.session.principal, 'editVaults');
    $('.version', root).textContent = `version ${v.version}`;
    if (!dirty) {
      textarea.value = v.overlay == null ? '' : JSON.stringify(v.overlay, null, 2);
      overlayErrors = [];
    }
    if (document.activeElement !== select) {
      render(select, html`${(personas.length ? personas : [{ id: v.settings.personaId, name: v.persona.name, builtIn: true, kind: '', description: null }]).map(
        (p) => html`<option value="${p.id}" ${p.id === v.persona.id ? 'selected' : ''}>${p.name}${p.builtIn ? '' : ' (custom)'}</option>`,
      )}`);
      select.value = v.persona.id;
    }
    drawErrors();
  };

  const drawErrors = () => {
    const lines = textarea.value.split('\n').length;
    const bad = new Set(overlayErrors.map((e) => e.line).filter((l): l is number => l !== undefined));
    render(gutter, html`${Array.from({ length: Math.max(lines, 1) }, (_, k) => html`<span class="${bad.has(k + 1) ? 'bad' : ''}">${k + 1}</span>\n`)}`);
    render(
      errorsEl,
      html`${overlayErrors.map(
        (e) => html`<li data-path="${e.path ?? ''}" data-code="${e.code}" data-action="goto-error">${e.line ? html`<span class="line">line ${e.line}</span>` : ''}
          ${e.path ? html`<code>${e.path}</code>` : ''} ${e.message}</li>`,
      )}`,
    );
    textarea.classList.toggle('invalid', overlayErrors.length > 0);
  };

  async function loadList(): Promise<void> {
    try {
      vaults = (await ctx.api.request(DashboardVaultsDocument)).vaults;
      if (!selectedId && vaults[0]) selectedId = vaults[0].id;
      drawList();
      if (selectedId) await loadVault(selectedId);
    } catch (error) {
      render(listEl, html`<p class="error">${error instanceof ApiError && error.code === 'FORBIDDEN' ? 'Your key may not read vaults.' : errorText(error)}</p>`);
    }
  }

  async function loadVault(id: string): Promise<void> {
    const data = await ctx.api.request(DashboardVaultDocument, { id });
    if (id !== selectedId) return;
    current = data.vault ?? null;
    drawVault();
  }

  async function loadPersonas(): Promise<void> {
    if (!can(ctx.session.principal, 'editVaults')) return;
    try {
      personas = (await ctx.api.request(DashboardPersonasDocument)).personas;
      drawVault();
    } catch (error) {
      ctx.notify(`Personas: ${errorText(error)}`, 'error');
    }
  }

  // Fills arrive in bursts: reload at most every 1.5 s, and only while the view is on screen (showing it reloads).
  const refresh = throttle(() => {
    if (onScreen(root)) void loadList().catch(() => undefined);
  }, 1500);

  on(listEl, 'click', 'select', (t) => {
    selectedId = t.dataset.vaultId ?? null;
    dirty = false;
    drawList();
    if (selectedId) void loadVault(selectedId);
  });
  textarea.addEventListener('input', () => {
    dirty = true;
    overlayErrors = [];
    drawErrors();
  });
  textarea.addEventListener('scroll', () => {
    gutter.scrollTop = textarea.scrollTop;
  });
  on(errorsEl, 'click', 'goto-error', (t) => {
    const span = locate(jsonPathSpans(textarea.value), t.dataset.path);
    if (!span) return;
    textarea.focus();
    textarea.setSelectionRange(span.start, span.end);
  });
  on(root, 'click', 'reset-overlay', () => {
    dirty = false;
    drawVault();
  });

  const fieldErrors = (errors: readonly MutationFailureFragment[], text: string): FieldError[] => {
    const spans = jsonPathSpans(text);
    return errors.map((e) => {
      const span = locate(spans, e.path);
      return { path: e.path ?? null, message: e.message, code: e.code, ...(span ? { line: lineOf(text, span.start) } : {}) };
    });
  };

  on(root, 'click', 'apply-overlay', async (button) => {
    const v = current;
    if (!v) return;
    const text = textarea.value.trim();
    let overlay: unknown = null;
    if (text !== '') {
      try {
        overlay = JSON.parse(text);
      } catch (error) {
        const at = /position (\d+)/.exec(errorText(error));
        overlayErrors = [{ path: null, code: 'JSON_SYNTAX', message: `not valid JSON: ${errorText(error)}`, ...(at ? { line: lineOf(text, Number(at[1])) } : {}) }];
        drawErrors();
        return;
      }
    }
    button.setAttribute('disabled', '');
    try {
      const reason = reasonInput.value.trim() || undefined;
      const { setVaultOverlay: result } = await ctx.api.request(DashboardSetVaultOverlayDocument, { vaultId: v.id, overlay, expectedVersion: v.version, reason });
      if (result.errors.length > 0) {
        overlayErrors = fieldErrors(result.errors, textarea.value);
        drawErrors();
        if (result.errors.some((e) => e.code === 'VAULT_VERSION_CONFLICT')) void loadVault(v.id);
        return;
      }
      dirty = false;
      overlayErrors = [];
      ctx.notify(`Overlay of ${v.name} applied (version ${result.vault?.version ?? '?'}).`);
      await loadVault(v.id);
    } catch (error) {
      overlayErrors = [{ path: null, code: error instanceof ApiError ? error.code : 'ERROR', message: errorText(error) }];
      drawErrors();
    } finally {
      button.removeAttribute('disabled');
    }
  });

  on(root, 'click', 'set-persona', async (button) => {
    const v = current;
    if (!v) return;
    render(personaError, html``);
    button.setAttribute('disabled', '');
    try {
      const reason = reasonInput.value.trim() || undefined;
      const { setPersona: result } = await ctx.api.request(DashboardSetPersonaDocument, { vaultId: v.id, personaId: select.value, expectedVersion: v.version, reason });
      if (result.errors.length > 0) {
        render(personaError, html`${result.errors.map((e) => html`<div data-code="${e.code}">${e.path ? html`<code>${e.path}</code> ` : ''}${e.message}</div>`)}`);
        return;
      }
      ctx.notify(`${v.name} now trades as ${select.selectedOptions[0]?.textContent ?? select.value}.`);
      await loadList();
    } catch (error) {
      render(personaError, html`<div>${errorText(error)}</div>`);
    } finally {
      button.removeAttribute('disabled');
    }
  });

  let unsubscribe: (() => void) | null = null;
  return {
    start() {
      void loadList();
      void loadPersonas();
      unsubscribe ??= ctx.api.subscribe(DashboardVaultUpdatedDocument, {}, () => refresh(), (error) => ctx.notify(`Vault updates: ${error.message}`, 'error'));
    },
    reseed: () => void loadList(),
    shown: () => void loadList(),
  };
}

