/**
 * The signal stream: enriched signals as `signalIngested` delivers them (seeded by `signals`), filtered
 * by source and kind in the browser, with enrichment's flags (bot swarm, near duplicate, late, clock
 * skew) and the weight they left each signal with.
 */
import { ApiError } from '../api';
import { type AppContext, errorText, throttle, type View } from '../context';
import { clock, signed } from '../format';
import { DashboardSignalIngestedDocument, DashboardSignalsDocument, type StreamSignalFragment } from '../gql/graphql';
import { $, html, type Html, on, onScreen, render } from '../html';

const KEEP = 400;
const SHOW = 150;
/** Market data arrives every bar for every instrument: off by default so the rest can be read. */
const HIDDEN_BY_DEFAULT = new Set(['BAR', 'TRADE', 'ORDER_BOOK']);
const FLAG_LABELS: Record<string, string> = { BOT_SWARM: 'bot swarm', NEAR_DUPLICATE: 'duplicate', LATE: 'late', CLOCK_SKEW: 'clock skew' };

function summary(s: StreamSignalFragment): string {
  const b = (s.body ?? {}) as Record<string, unknown>;
  const text = [b.text, b.headline, b.title].find((v) => typeof v === 'string' && v !== '') as string | undefined;
  if (text) return text;
  if (typeof b.amountUsd === 'number') return `$${Math.round(b.amountUsd).toLocaleString('en-US')} ${String(b.from ?? '?')} → ${String(b.to ?? '?')}`;
  if (typeof b.transactionCode === 'string') return `${String(b.owner ?? 'insider')} ${b.transactionCode} ${String(b.shares ?? '')} @ ${String(b.price ?? '')}`;
  if (typeof b.close === 'number') return `close ${b.close} · volume ${String(b.volume ?? '–')}`;
  return '';
}

export function mountSignals(root: HTMLElement, ctx: AppContext): View {
  root.innerHTML = `
    <section class="card">
      <div class="card-head">
        <h2>Signal stream</h2>
        <div class="toolbar">
          <label class="check"><input type="checkbox" data-action="flagged"> flagged only</label>
          <button class="btn ghost" data-action="pause">Pause</button>
        </div>
      </div>
      <div class="filters" data-testid="signal-filters"></div>
      <div class="stream" data-testid="signal-stream"></div>
    </section>`;
  const filtersEl = $('.filters', root);
  const streamEl = $('.stream', root);
  const signals: StreamSignalFragment[] = [];
  const ids = new Set<string>();
  const sources = new Map<string, boolean>();
  const kinds = new Map<string, boolean>();
  let flaggedOnly = false;
  let paused = false;
  let failure: string | null = null;
  let received = 0;

  const keep = (s: StreamSignalFragment, front: boolean) => {
    if (ids.has(s.id)) return;
    ids.add(s.id);
    if (!sources.has(s.source)) sources.set(s.source, true);
    if (!kinds.has(s.kind)) kinds.set(s.kind, !HIDDEN_BY_DEFAULT.has(s.kind));
    if (front) signals.unshift(s);
    else signals.push(s);
    while (signals.length > KEEP) ids.delete(signals.pop()!.id);
  };

  const draw = throttle(() => {
    if (!onScreen(root)) return;
    render(filtersEl, html`<div class="chip-row"><span class="dim label">sources</span>${[...sources].map(
      ([name, on]) => html`<button class="chip toggle ${on ? 'on' : ''}" data-action="source" data-name="${name}">${name}</button>`,
    )}</div><div class="chip-row"><span class="dim label">kinds</span>${[...kinds].sort().map(
      ([name, on]) => html`<button class="chip toggle ${on ? 'on' : ''}" data-action="kind" data-name="${name}">${name.toLowerCase().replace(/_/g, ' ')}</button>`,
    )}</div>`);
    if (failure) {
      render(streamEl, html`<p class="error">${failure}</p>`);
      return;
    }
    const visible = signals.filter((s) => sources.get(s.source) && kinds.get(s.kind) && (!flaggedOnly || s.flags.length > 0)).slice(0, SHOW);
    render(streamEl, visible.length === 0 ? html`<p class="dim">No signals match the filters yet (${received} received).</p>` : table(visible));
  }, 250);

  on(filtersEl, 'click', 'source', (t) => {
    const name = t.dataset.name!;
    sources.set(name, !sources.get(name));
    draw();
  });
  on(filtersEl, 'click', 'kind', (t) => {
    const name = t.dataset.name!;
    kinds.set(name, !kinds.get(name));
    draw();
  });
  on(root, 'change', 'flagged', (t) => {
    flaggedOnly = (t as HTMLInputElement).checked;
    draw();
  });
  on(root, 'click', 'pause', (t) => {
    paused = !paused;
    t.textContent = paused ? 'Resume' : 'Pause';
    t.classList.toggle('on', paused);
    draw();
  });

  async function seed(): Promise<void> {
    try {
      const data = await ctx.api.request(DashboardSignalsDocument, { first: 200 });
      for (const edge of data.signals.edges) keep(edge.node, false);
      signals.sort((a, b) => b.tsInit.localeCompare(a.tsInit));
      failure = null;
    } catch (error) {
      failure = error instanceof ApiError && error.code === 'FORBIDDEN' ? 'Your key may not read signals.' : `Could not load signals: ${errorText(error)}`;
    }
    draw();
  }

  let unsubscribe: (() => void) | null = null;
  return {
    start() {
      void seed();
      unsubscribe ??= ctx.api.subscribe(DashboardSignalIngestedDocument, {}, (data) => {
        received++;
        if (paused) return;
        keep(data.signalIngested, true);
        draw();
      }, (error) => ctx.notify(`Signal stream: ${error.message}`, 'error'));
    },
    reseed: () => void seed(),
    shown: draw,
  };
}

function table(rows: readonly StreamSignalFragment[]): Html {
  return html`<table class="table signals"><thead><tr><th>event time</th><th>source</th><th>kind</th><th>instrument</th>
    <th class="num">polarity</th><th class="num">size</th><th class="num">weight</th><th>flags</th><th>content</th></tr></thead><tbody>${rows.map(
    (s) => html`<tr class="${s.flags.length > 0 ? 'flagged' : ''}" data-signal-id="${s.id}">
      <td class="mono">${clock(s.tsEvent)}</td><td>${s.source}</td><td class="dim">${s.kind.toLowerCase().replace(/_/g, ' ')}</td>
      <td class="mono">${s.instrument ?? '–'}</td>
      <td class="num ${s.polarity > 0 ? 'pos' : s.polarity < 0 ? 'neg' : ''}">${signed(s.polarity)}</td>
      <td class="num">${s.magnitude.toFixed(2)}</td>
      <td class="num ${s.weight < 1 ? 'warn' : ''}">${s.weight.toFixed(2)}</td>
      <td>${s.flags.map((f) => html`<span class="flag flag-${f}" data-flag="${f}">${FLAG_LABELS[f] ?? f}</span>`)}</td>
      <td class="content" title="${summary(s)}">${summary(s)}</td></tr>`,
  )}</tbody></table>`;
}
