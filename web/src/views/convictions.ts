/**
 * The conviction heatmap (instruments × time buckets, coloured by score) fed live by `convictionUpdated`
 * and seeded by `convictionVectors`, and the panel of the conviction a click selects: its rationale,
 * reasons, contributing models, model outputs and lineage.
 */
import { ApiError } from '../api';
import { can } from '../auth';
import { type AppContext, errorText, type View } from '../context';
import { dateTime, duration, scoreColour, signed } from '../format';
import {
  ConvictionDetailDocument,
  type ConvictionDetailQuery,
  ConvictionExplainDocument,
  type ConvictionExplainQuery,
  ConvictionLineageDocument,
  type ConvictionLineageQuery,
  DashboardConvictionsDocument,
  DashboardConvictionUpdatedDocument,
  type HeatCellFragment,
} from '../gql/graphql';
import { HeatmapModel } from '../heatmap-model';
import { $, html, type Html, on, onScreen, perFrame, render } from '../html';
import { HeatmapGrid } from './heatmap';
import { lineageSvg } from './lineage-dag';

const SEED_SIZE = 500;
/** Explanation or lineage still on its way. */
const LOADING = Symbol('loading');

export function mountConvictions(root: HTMLElement, ctx: AppContext): View {
  root.innerHTML = `
    <div class="split">
      <section class="card heat-card">
        <div class="card-head">
          <h2>Conviction heatmap</h2>
          <div class="legend"><span>−1 short</span><i class="ramp"></i><span>+1 long</span></div>
        </div>
        <div class="heat-meta dim" data-testid="heat-meta"></div>
        <div class="heatmap" data-testid="heatmap"></div>
      </section>
      <aside class="card detail" data-testid="conviction-panel">
        <h2>Conviction</h2>
        <p class="dim empty">Click a cell to see why the conviction was scored, the models behind it and the events that caused it.</p>
      </aside>
    </div>`;
  const heat = $('.heatmap', root);
  const meta = $('.heat-meta', root);
  const panel = $('.detail', root);
  const model = new HeatmapModel(24);
  const grid = new HeatmapGrid(heat);
  let live = 0;
  let selected: string | null = null;
  let fresh = new Set<string>();
  let failure: string | null = null;

  const add = (c: HeatCellFragment, isLive: boolean) => {
    if (model.add({ ...c, live: isLive }) && isLive) {
      live++;
      fresh.add(c.id);
    }
  };

  const draw = perFrame(() => {
    if (!onScreen(root)) return;
    if (failure) {
      render(heat, html`<p class="error">${failure}</p>`);
      return;
    }
    const layout = model.layout();
    if (layout.instruments.length === 0) render(heat, html`<p class="dim">Waiting for the first convictions…</p>`);
    else grid.update(layout, selected, fresh);
    fresh = new Set();
    render(
      meta,
      html`<span data-testid="live-count">${live}</span> live · ${layout.total} in view · ${layout.instruments.length} instruments ·
        buckets of ${duration(layout.bucketMs)} (event time)`,
    );
  });

  async function seed(): Promise<void> {
    try {
      const data = await ctx.api.request(DashboardConvictionsDocument, { first: SEED_SIZE });
      for (const edge of data.convictionVectors.edges) add(edge.node, false);
      failure = null;
    } catch (error) {
      failure = error instanceof ApiError && error.code === 'FORBIDDEN' ? 'Your key may not read convictions.' : `Could not load convictions: ${errorText(error)}`;
    }
    draw();
  }

  on(heat, 'click', 'cell', (target) => {
    const id = target.dataset.convictionId;
    if (!id) return;
    selected = id;
    draw();
    void showDetail(id);
  });

  let detailToken = 0;
  async function showDetail(id: string): Promise<void> {
    const token = ++detailToken;
    render(panel, html`<h2>Conviction</h2><p class="dim">Loading…</p>`);
    let conviction: Conviction | null | undefined;
    // A live conviction reaches the subscription a moment before the store: wait for it there.
    for (let attempt = 0; ; attempt++) {
      try {
        conviction = (await ctx.api.request(ConvictionDetailDocument, { id })).conviction;
      } catch (error) {
        if (token === detailToken) render(panel, html`<h2>Conviction</h2><p class="error">${errorText(error)}</p>`);
        return;
      }
      if (token !== detailToken) return;
      if (conviction) break;
      if (attempt >= 30) {
        render(panel, html`<h2>Conviction</h2><p class="dim">This conviction is not stored yet; click it again in a moment.</p>`);
        return;
      }
      if (attempt === 0) render(panel, html`<h2>Conviction</h2><p class="dim">Scored just now; waiting for the store…</p>`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (token !== detailToken) return;
    }
    const lineageAllowed = can(ctx.session.principal, 'readLineage');
    let explained: unknown = LOADING;
    let graph: unknown = LOADING;
    render(panel, detailView(conviction, explained, graph, lineageAllowed));
    // The audit log and the explanation may trail the live feed by a moment: ask again until they are complete.
    for (let attempt = 0; lineageAllowed && attempt < 15 && !complete(graph, explained); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
      if (token !== detailToken) return;
      const [e, l] = await Promise.allSettled([ctx.api.request(ConvictionExplainDocument, { id }), ctx.api.request(ConvictionLineageDocument, { id })]);
      if (token !== detailToken) return;
      explained = e.status === 'fulfilled' ? e.value : e.reason;
      graph = l.status === 'fulfilled' ? l.value : l.reason;
      render(panel, detailView(conviction, explained, graph, lineageAllowed));
    }
  }

  function complete(graph: unknown, explained: unknown): boolean {
    const lineageDone = (graph as ConvictionLineageQuery | null)?.lineage?.missing.length === 0;
    const outputsDone = ((explained as ConvictionExplainQuery | null)?.explainConviction?.outputs.length ?? 0) > 0;
    return lineageDone && outputsDone;
  }

  let unsubscribe: (() => void) | null = null;
  return {
    start() {
      void seed();
      unsubscribe ??= ctx.api.subscribe(DashboardConvictionUpdatedDocument, {}, (data) => {
        add(data.convictionUpdated, true);
        draw();
      }, (error) => ctx.notify(`Conviction stream: ${error.message}`, 'error'));
    },
    reseed: () => void seed(),
    shown: draw,
  };
}

type Conviction = NonNullable<ConvictionDetailQuery['conviction']>;

function detailView(c: Conviction, explain: ConvictionExplainQuery | null | unknown, lineage: ConvictionLineageQuery | null | unknown, allowed: boolean): Html {
  const maxContribution = Math.max(1e-9, ...c.reasonVector.map((r) => Math.abs(r.contribution)));
  const reasons = c.reasonVector.map(
    (r) => html`<li class="reason">
      <span class="contrib ${r.contribution >= 0 ? 'pos' : 'neg'}">${signed(r.contribution, 3)}</span>
      <span class="mini-bar"><i class="${r.contribution >= 0 ? 'pos' : 'neg'}" style="width:${(Math.abs(r.contribution) / maxContribution) * 50}%;${r.contribution >= 0 ? 'left:50%' : `right:50%`}"></i></span>
      <span class="sentence">${r.sentence} <code>${r.feature}</code></span>
    </li>`,
  );
  const models = c.contributingModels.map(
    (m) => html`<tr><td class="mono" title="${m.modelId}">${m.modelId}</td><td class="mono">${m.version}</td><td class="num">${m.weight.toFixed(3)}</td><td class="num">${signed(m.output, 3)}</td></tr>`,
  );
  let outputs: Html = html``;
  if (!allowed) outputs = html`<p class="dim">Model outputs and lineage need the MARKETS role.</p>`;
  else if (explain === LOADING) outputs = html`<h3>Model outputs</h3><p class="dim">Loading…</p>`;
  else if (explain instanceof Error) outputs = html`<p class="error">Model outputs: ${explain.message}</p>`;
  else if (explain && typeof explain === 'object' && 'explainConviction' in explain) {
    const list = (explain as ConvictionExplainQuery).explainConviction?.outputs ?? [];
    outputs = html`<h3>Model outputs</h3><ul class="outputs">${list.map(
      (o) => html`<li><div><span class="mono">${o.modelId.replace(/\(.*\)$/, '')}</span><span class="dim mono"> @${o.modelVersion}</span>
        <span class="num right">${o.score.toFixed(3)}</span></div>
        ${o.summary ? html`<div class="dim small">${o.summary}</div>` : ''}
        <div class="chips">${[...o.attributions].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, 4).map(
          (a) => html`<span class="chip ${a.contribution >= 0 ? 'pos' : 'neg'}">${a.feature} ${signed(a.contribution, 2)}</span>`,
        )}</div></li>`,
    )}</ul>`;
  }
  let dag: Html = html``;
  if (allowed) {
    if (lineage === LOADING) dag = html`<h3>Lineage</h3><p class="dim">Loading…</p>`;
    else if (lineage instanceof Error) dag = html`<h3>Lineage</h3><p class="error">${lineage.message}</p>`;
    else {
      const graph = (lineage as ConvictionLineageQuery | null)?.lineage;
      dag = html`<h3>Lineage</h3>${graph ? lineageSvg(graph.nodes, graph.edges) : html`<p class="dim">The audit log has not recorded it yet.</p>`}
        ${graph && graph.missing.length > 0 ? html`<p class="dim small">${graph.missing.length} causes not in the audit log yet.</p>` : ''}`;
    }
  }
  return html`<div data-testid="conviction-detail" data-conviction-id="${c.id}">
    <div class="detail-head">
      <div><div class="instrument">${c.instrument}</div>
        <div class="dim small">${dateTime(c.createdAt)} · expires ${dateTime(c.expiresAt)} (TTL ${duration(c.ttl * 1000)})</div></div>
      <div class="score-big" style="color:${scoreColour(c.convictionScore > 0 ? 1 : c.convictionScore < 0 ? -1 : 0)}">${signed(c.convictionScore)}</div>
    </div>
    <div class="chips"><span class="chip dir-${c.direction}">${c.direction}</span><span class="chip">${c.band}</span>${c.routingTags.map((t) => html`<span class="chip dim">${t}</span>`)}</div>
    <h3>Rationale</h3>
    <p class="rationale" data-testid="rationale">${c.explanation}</p>
    <h3>Reasons</h3>
    <ul class="reasons">${reasons}</ul>
    <h3>Contributing models</h3>
    <table class="table compact"><thead><tr><th>model</th><th>version</th><th class="num">weight</th><th class="num">output</th></tr></thead><tbody>${models}</tbody></table>
    ${outputs}
    ${dag}
  </div>`;
}
