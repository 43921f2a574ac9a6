/**
 * A lineage as a left-to-right DAG in SVG: the conviction on the left, each column one step further back
 * in causation (model outputs, feature snapshots, enriched, de-duplicated, then raw signals). A column
 * longer than `maxPerColumn` shows its first nodes and one "+N more" node that stands for the rest (the
 * edges of the hidden nodes go to it), so a conviction built on hundreds of signals still fits.
 */
import { html, type Html } from '../html';
import { clock, shortId } from '../format';

export interface DagNode {
  readonly eventId: string;
  readonly type: string;
  readonly depth: number;
  readonly tsEvent: string;
  readonly payload?: unknown;
}

export interface DagEdge {
  readonly from: string;
  readonly to: string;
}

interface Placed {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly title: string;
  readonly sub: string;
  readonly tooltip: string;
  readonly kind: string;
  readonly more: boolean;
}

const TYPE_LABELS: Record<string, string> = {
  ConvictionScored: 'Conviction',
  ModelScored: 'Model output',
  FeaturesComputed: 'Features',
  SignalEnriched: 'Enriched',
  SignalDeduplicated: 'De-duplicated',
  SignalIngested: 'Raw signal',
};

function describe(node: DagNode): string {
  const p = (node.payload ?? {}) as Record<string, unknown>;
  const pick = (...keys: string[]) => keys.map((k) => p[k]).find((v) => typeof v === 'string' && v !== '') as string | undefined;
  const model = pick('modelId', 'model');
  if (model) return model.replace(/\(.*\)$/, '');
  const kind = pick('kind');
  const instrument = pick('instrument');
  if (kind || instrument) return [kind?.toLowerCase().replace(/_/g, ' '), instrument].filter(Boolean).join(' · ');
  return shortId(node.eventId);
}

const COL_W = 168;
const ROW_H = 34;
const NODE_W = 140;
const NODE_H = 26;
const PAD = 8;

export function lineageSvg(nodes: readonly DagNode[], edges: readonly DagEdge[], maxPerColumn = 9): Html {
  if (nodes.length === 0) return html`<p class="dim">No lineage recorded for this conviction yet.</p>`;
  const byDepth = new Map<number, DagNode[]>();
  for (const n of nodes) byDepth.set(n.depth, [...(byDepth.get(n.depth) ?? []), n]);
  const depths = [...byDepth.keys()].sort((a, b) => a - b);
  const alias = new Map<string, string>(); // hidden node → its column's "more" node
  const placed: Placed[] = [];
  let rows = 0;
  depths.forEach((depth, col) => {
    const column = byDepth.get(depth)!;
    const shown = column.length > maxPerColumn ? column.slice(0, maxPerColumn - 1) : column;
    const hidden = column.slice(shown.length);
    const count = shown.length + (hidden.length > 0 ? 1 : 0);
    rows = Math.max(rows, count);
    shown.forEach((n, row) => {
      placed.push({
        id: n.eventId,
        x: PAD + col * COL_W,
        y: row,
        title: TYPE_LABELS[n.type] ?? n.type,
        sub: describe(n),
        tooltip: `${n.type} ${n.eventId} at ${n.tsEvent}`,
        kind: n.type,
        more: false,
      });
    });
    if (hidden.length > 0) {
      const id = `more:${depth}`;
      for (const n of hidden) alias.set(n.eventId, id);
      const types = [...new Set(hidden.map((n) => TYPE_LABELS[n.type] ?? n.type))].join(', ');
      placed.push({ id, x: PAD + col * COL_W, y: shown.length, title: `+${hidden.length} more`, sub: types, tooltip: `${hidden.length} more events: ${types}`, kind: 'more', more: true });
    }
  });
  const height = PAD * 2 + rows * ROW_H;
  // Centre each column vertically.
  const colCount = new Map<number, number>();
  for (const p of placed) colCount.set(p.x, (colCount.get(p.x) ?? 0) + 1);
  const pos = new Map<string, { x: number; y: number }>();
  for (const p of placed) {
    const offset = ((rows - colCount.get(p.x)!) * ROW_H) / 2;
    pos.set(p.id, { x: p.x, y: PAD + offset + p.y * ROW_H });
  }
  const seen = new Set<string>();
  const paths: Html[] = [];
  for (const e of edges) {
    const from = alias.get(e.from) ?? e.from;
    const to = alias.get(e.to) ?? e.to;
    const key = `${from}>${to}`;
    const a = pos.get(from);
    const b = pos.get(to);
    if (!a || !b || seen.has(key)) continue;
    seen.add(key);
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mid = (x1 + x2) / 2;
    paths.push(html`<path d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}" />`);
  }
  const width = PAD * 2 + depths.length * COL_W - (COL_W - NODE_W);
  const boxes = placed.map((p) => {
    const { x, y } = pos.get(p.id)!;
    return html`<g class="dag-node ${p.more ? 'more' : ''}" data-kind="${p.kind}" transform="translate(${x},${y})">
      <title>${p.tooltip}</title>
      <rect width="${NODE_W}" height="${NODE_H}" rx="5" />
      <text x="8" y="11" class="t">${p.title}</text>
      <text x="8" y="21" class="s">${p.sub.length > 24 ? `${p.sub.slice(0, 23)}…` : p.sub}</text>
    </g>`;
  });
  const times = [...new Set(nodes.map((n) => n.tsEvent))].sort();
  const span = times.length > 1 ? html`<span class="dim">events ${clock(times[0]!)} – ${clock(times[times.length - 1]!)} UTC</span>` : '';
  return html`<div class="dag-scroll"><svg class="dag" data-testid="lineage-dag" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="lineage graph">
    <g class="edges">${paths}</g>${boxes}</svg></div><div class="dag-foot">${nodes.length} events · ${edges.length} links ${span}</div>`;
}
