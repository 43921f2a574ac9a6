/** A vault's growth curve as an SVG line with a soft area under it, start and end labelled. */
import { dateTime, money } from '../format';
import { html, type Html } from '../html';

export interface CurvePoint {
  readonly at: string;
  readonly value: number;
}

export function growthChart(points: readonly CurvePoint[], width = 560, height = 170): Html {
  if (points.length < 2) return html`<p class="dim">The growth curve starts with the vault's first marks.</p>`;
  // Every k-th point, the last one always kept: a curve of thousands of marks draws the same at 400.
  const step = Math.ceil(points.length / 400);
  const sample = points.filter((_, i) => i % step === 0 || i === points.length - 1);
  const xs = sample.map((p) => Date.parse(p.at));
  const ys = sample.map((p) => p.value);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (y1 - y0 < 1e-9) {
    y0 -= 1;
    y1 += 1;
  }
  const padL = 64;
  const padR = 10;
  const padT = 10;
  const padB = 22;
  const sx = (x: number) => padL + ((x - x0) / Math.max(1, x1 - x0)) * (width - padL - padR);
  const sy = (y: number) => padT + (1 - (y - y0) / (y1 - y0)) * (height - padT - padB);
  const line = sample.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(xs[i]!).toFixed(1)},${sy(ys[i]!).toFixed(1)}`).join(' ');
  const area = `${line} L${sx(x1).toFixed(1)},${height - padB} L${sx(x0).toFixed(1)},${height - padB} Z`;
  const first = ys[0]!;
  const last = ys[ys.length - 1]!;
  const up = last >= first;
  const grid = [0, 0.5, 1].map((f) => y0 + f * (y1 - y0));
  return html`<svg class="growth ${up ? 'up' : 'down'}" data-testid="growth-chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="growth curve">
    <defs><linearGradient id="growth-fill" x1="0" x2="0" y1="0" y2="1"><stop offset="0" stop-color="currentColor" stop-opacity="0.28"/><stop offset="1" stop-color="currentColor" stop-opacity="0"/></linearGradient></defs>
    ${grid.map((g) => html`<line class="gridline" x1="${padL}" x2="${width - padR}" y1="${sy(g)}" y2="${sy(g)}"/><text class="axis" x="${padL - 6}" y="${sy(g) + 4}" text-anchor="end">${money(String(g))}</text>`)}
    <path class="area" d="${area}" fill="url(#growth-fill)"/>
    <path class="line" d="${line}"/>
    <text class="axis" x="${padL}" y="${height - 6}">${dateTime(x0)}</text>
    <text class="axis" x="${width - padR}" y="${height - 6}" text-anchor="end">${dateTime(x1)}</text>
  </svg>`;
}
