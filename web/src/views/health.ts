/**
 * Health: the pipeline (lag, ingest-to-conviction latency, what is stored), the ML backend, every
 * collector's state (live from `collectorStatusChanged`), the model versions that score and their drift
 * (re-read at each `driftAlarm` and with the health poll).
 */
import { type AppContext, errorText, type View } from '../context';
import { can } from '../auth';
import { dateTime, duration } from '../format';
import {
  type CollectorStateFragment,
  DashboardCollectorsDocument,
  DashboardCollectorStatusChangedDocument,
  DashboardDriftAlarmDocument,
  DashboardDriftDocument,
  type DashboardDriftQuery,
  DashboardHealthDocument,
  type DashboardHealthQuery,
  DashboardModelsDocument,
  type DashboardModelsQuery,
} from '../gql/graphql';
import { $, html, render } from '../html';

type Health = DashboardHealthQuery['health'];

export function mountHealth(root: HTMLElement, ctx: AppContext, onHealth: (health: Health | null) => void): View {
  root.innerHTML = `
    <div class="health-grid">
      <section class="card"><h2>Pipeline</h2><div class="pipeline" data-testid="health-pipeline"></div></section>
      <section class="card"><h2>Models</h2><div class="models" data-testid="health-models"></div></section>
      <section class="card wide"><h2>Collectors</h2><div class="collectors" data-testid="health-collectors"></div></section>
    </div>`;
  const pipelineEl = $('.pipeline', root);
  const collectorsEl = $('.collectors', root);
  const modelsEl = $('.models', root);
  const collectors = new Map<string, CollectorStateFragment>();
  let health: Health | null = null;
  let healthError: string | null = null;
  let models: DashboardModelsQuery['models'] | null = null;
  let drift = new Map<string, DashboardDriftQuery['driftStatus'][number]>();

  const drawPipeline = () => {
    if (healthError) return render(pipelineEl, html`<p class="error">${healthError}</p>`);
    if (!health) return render(pipelineEl, html`<p class="dim">Loading…</p>`);
    const h = health;
    const kv = (k: string, v: unknown, cls = '') => html`<div class="kv"><span class="dim">${k}</span><b class="${cls}">${v}</b></div>`;
    render(
      pipelineEl,
      html`${kv('status', h.status, h.status === 'OK' ? 'pos' : 'warn')}${kv('pipeline lag', `${h.pipelineLag} events`, h.pipelineLag > 1000 ? 'warn' : '')}
      ${kv('ingest → conviction', duration(h.lastIngestToConvictionMs))}${kv('ML backend', h.mlBackend)}
      ${kv('store', `${h.storeKind}${h.storeOk ? '' : ' (down)'}`, h.storeOk ? '' : 'neg')}${kv('bus', h.busKind)}
      ${kv('signals stored', h.signalsStored.toLocaleString('en-US'))}${kv('convictions stored', h.convictionsStored.toLocaleString('en-US'))}
      ${kv('uptime', duration(h.uptimeSeconds * 1000))}${kv('version', h.version)}`,
    );
  };

  const drawCollectors = () => {
    if (!can(ctx.session.principal, 'readCollectors')) return render(collectorsEl, html`<p class="dim">Collectors need the MARKETS or VIEWER role.</p>`);
    const list = [...collectors.values()];
    render(
      collectorsEl,
      list.length === 0
        ? html`<p class="dim">No collector jobs are configured: the pipeline is fed by the simulator or replay (enable sources under <code>collectors.&lt;source&gt;.enabled</code>).</p>`
        : html`<table class="table"><thead><tr><th>collector</th><th>state</th><th class="num">published</th><th class="num">errors</th><th class="num">dead-lettered</th>
          <th class="num">lag</th><th>last success</th><th>last error</th></tr></thead><tbody>${list.map(
            (c) => html`<tr><td class="mono">${c.name}</td><td><span class="state state-${c.state}">${c.state.toLowerCase()}</span>${c.reason ? html` <span class="dim small">${c.reason}</span>` : ''}</td>
            <td class="num">${c.published}</td><td class="num ${c.errorCount > 0 ? 'warn' : ''}">${c.errorCount}</td><td class="num">${c.deadLettered}</td>
            <td class="num">${duration(c.lagMs)}</td><td>${c.lastSuccessAt ? dateTime(c.lastSuccessAt) : '–'}</td>
            <td class="small">${c.lastError ? html`<span class="neg">${c.lastError.code ?? ''}</span> ${c.lastError.message}` : ''}</td></tr>`,
          )}</tbody></table>`,
    );
  };

  /** A version's drift: its level, and what a standing alarm does to its weight. */
  const driftCell = (id: string) => {
    const d = drift.get(id);
    if (!d) return html`<span class="dim">–</span>`;
    const effect = !d.alarmed ? '' : !d.scoring ? ' halted' : ` weight ×${d.weightMultiplier}`;
    return html`<span class="state state-drift-${d.level}${d.alarmed ? ' alarmed' : ''}" data-testid="drift-${d.level}">${d.alarmed ? 'alarm' : d.level}</span>${effect ? html`<span class="small warn">${effect}</span>` : ''}`;
  };

  const drawModels = () => {
    if (!models) return render(modelsEl, html`<p class="dim">${can(ctx.session.principal, 'readModels') ? 'Loading…' : 'Models need the ALPHA or VIEWER role.'}</p>`);
    const alarms = [...drift.values()].filter((d) => d.alarmed).length;
    render(
      modelsEl,
      html`${alarms > 0 ? html`<p class="warn small" data-testid="drift-alarms">${alarms} drift alarm${alarms === 1 ? '' : 's'} standing</p>` : ''}
      <table class="table compact"><thead><tr><th>model</th><th>kind</th><th>version</th><th>status</th><th>drift</th></tr></thead><tbody>${models.map(
        (m) => html`<tr><td class="mono" title="${m.name}">${m.name.replace(/\(.*\)$/, '')}</td><td>${m.kind}</td><td class="mono">${m.version}</td>
          <td><span class="state state-${m.status}">${m.status}</span></td><td>${driftCell(m.id)}</td></tr>`,
      )}</tbody></table>`,
    );
  };

  async function pollDrift(): Promise<void> {
    if (!can(ctx.session.principal, 'readDrift')) return;
    try {
      drift = new Map((await ctx.api.request(DashboardDriftDocument)).driftStatus.map((d) => [d.versionId, d] as const));
    } catch (error) {
      ctx.notify(`Drift: ${errorText(error)}`, 'error');
    }
    drawModels();
  }

  async function pollHealth(): Promise<void> {
    try {
      health = (await ctx.api.request(DashboardHealthDocument)).health;
      healthError = null;
    } catch (error) {
      health = null;
      healthError = `health: ${errorText(error)}`;
    }
    onHealth(health);
    drawPipeline();
  }

  async function seed(): Promise<void> {
    if (can(ctx.session.principal, 'readCollectors')) {
      try {
        for (const c of (await ctx.api.request(DashboardCollectorsDocument)).collectors) collectors.set(c.name, c);
      } catch (error) {
        ctx.notify(`Collectors: ${errorText(error)}`, 'error');
      }
    }
    if (can(ctx.session.principal, 'readModels')) {
      try {
        models = (await ctx.api.request(DashboardModelsDocument)).models;
      } catch (error) {
        ctx.notify(`Models: ${errorText(error)}`, 'error');
      }
    }
    drawCollectors();
    drawModels();
    await pollDrift();
  }

  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    start() {
      void pollHealth();
      void seed();
      timer ??= setInterval(() => {
        void pollHealth();
        void pollDrift();
      }, 5000);
      if (can(ctx.session.principal, 'readCollectors')) {
        ctx.api.subscribe(DashboardCollectorStatusChangedDocument, {}, (data) => {
          collectors.set(data.collectorStatusChanged.name, data.collectorStatusChanged);
          drawCollectors();
        });
      }
      if (can(ctx.session.principal, 'readDrift')) {
        ctx.api.subscribe(DashboardDriftAlarmDocument, {}, (data) => {
          ctx.notify(`Drift alarm ${data.driftAlarm.state.toLowerCase()}: ${data.driftAlarm.model.replace(/\(.*\)$/, '')} (${data.driftAlarm.keys.join(', ') || 'all keys back to ok'})`, data.driftAlarm.state === 'RAISED' ? 'error' : 'info');
          void pollDrift();
        });
      }
    },
    reseed: () => void seed(),
    shown() {
      drawPipeline();
      drawCollectors();
      drawModels();
    },
  };
}
