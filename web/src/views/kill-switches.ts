/**
 * The kill-switch bar in the header, on every view: each switch ever set (the global one always), its
 * state, and, for ALPHA and EXECUTOR, a toggle that asks for a reason before it engages or releases.
 * `killSwitchChanged` keeps it current whoever flips a switch.
 */
import { ApiError } from '../api';
import { can } from '../auth';
import { type AppContext, errorText } from '../context';
import { dateTime } from '../format';
import { DashboardKillSwitchChangedDocument, DashboardKillSwitchesDocument, DashboardSetKillSwitchDocument, type SwitchStateFragment } from '../gql/graphql';
import { html, on, render } from '../html';

type ScopeKind = SwitchStateFragment['scope']['kind'];

export function mountKillSwitches(root: HTMLElement, ctx: AppContext): { start(): void; reseed(): void } {
  const switches = new Map<string, SwitchStateFragment>();
  let pending: string | null = null;
  let error: string | null = null;
  let hidden = false;

  const draw = () => {
    if (hidden) {
      render(root, html``);
      return;
    }
    const list = [...switches.values()];
    if (!switches.has('global')) {
      list.unshift({ key: 'global', scope: { kind: 'GLOBAL', id: null }, engaged: false, actor: '', reason: 'never engaged', changedAt: '' });
    }
    list.sort((a, b) => (a.key === 'global' ? -1 : b.key === 'global' ? 1 : a.key.localeCompare(b.key)));
    const settable = can(ctx.session.principal, 'setKillSwitches');
    render(
      root,
      html`<span class="kill-label dim">kill switches</span>${list.map((s) => {
        const title = s.changedAt ? `${s.engaged ? 'engaged' : 'released'} by ${s.actor} at ${dateTime(s.changedAt)}: ${s.reason}` : s.reason;
        const label = s.key === 'global' ? 'global' : s.key;
        return html`<span class="kill ${s.engaged ? 'engaged' : ''}" data-testid="kill-${s.key}" data-engaged="${String(s.engaged)}" title="${title}">
          <i class="dot"></i><span>${label}</span>
          ${settable ? html`<button class="switch ${s.engaged ? 'on' : ''}" role="switch" aria-checked="${String(s.engaged)}" aria-label="kill switch ${label}"
            data-action="toggle" data-key="${s.key}" data-kind="${s.scope.kind}" data-id="${s.scope.id ?? ''}"><i></i></button>` : ''}
          ${pending === s.key ? html`<span class="confirm" data-testid="kill-confirm">
            <input class="kill-reason" data-testid="kill-reason" value="${s.engaged ? 'released from the dashboard' : 'engaged from the dashboard'}" aria-label="reason">
            <button class="btn ${s.engaged ? '' : 'danger'}" data-action="confirm" data-key="${s.key}" data-kind="${s.scope.kind}" data-id="${s.scope.id ?? ''}"
              data-engage="${String(!s.engaged)}">${s.engaged ? 'Release' : 'Engage'}</button>
            <button class="btn ghost" data-action="cancel">Cancel</button></span>` : ''}
        </span>`;
      })}${error ? html`<span class="error small">${error}</span>` : ''}`,
    );
    if (pending) root.querySelector<HTMLInputElement>('.kill-reason')?.focus();
  };

  on(root, 'click', 'toggle', (t) => {
    pending = pending === t.dataset.key ? null : (t.dataset.key ?? null);
    error = null;
    draw();
  });
  on(root, 'click', 'cancel', () => {
    pending = null;
    draw();
  });
  on(root, 'click', 'confirm', async (t) => {
    const reason = root.querySelector<HTMLInputElement>('.kill-reason')?.value.trim() || 'set from the dashboard';
    const kind = t.dataset.kind as ScopeKind;
    t.setAttribute('disabled', '');
    try {
      const { setKillSwitch: result } = await ctx.api.request(DashboardSetKillSwitchDocument, {
        scope: { kind, ...(t.dataset.id ? { id: t.dataset.id } : {}) },
        engaged: t.dataset.engage === 'true',
        reason,
      });
      if (result.errors.length > 0) {
        error = result.errors.map((e) => e.message).join('; ');
      } else {
        error = null;
        pending = null;
        if (result.killSwitch) switches.set(result.killSwitch.key, result.killSwitch);
      }
    } catch (e) {
      error = errorText(e);
    }
    draw();
  });

  async function seed(): Promise<void> {
    try {
      const data = await ctx.api.request(DashboardKillSwitchesDocument);
      for (const s of data.killSwitches) switches.set(s.key, s);
      hidden = false;
    } catch (e) {
      hidden = e instanceof ApiError && e.code === 'FORBIDDEN';
      if (!hidden) error = `kill switches: ${errorText(e)}`;
    }
    draw();
  }

  let unsubscribe: (() => void) | null = null;
  return {
    start() {
      draw();
      void seed();
      unsubscribe ??= ctx.api.subscribe(DashboardKillSwitchChangedDocument, {}, (data) => {
        switches.set(data.killSwitchChanged.key, data.killSwitchChanged);
        draw();
      });
    },
    reseed: () => void seed(),
  };
}
