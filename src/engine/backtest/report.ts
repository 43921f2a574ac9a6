/**
 * A backtest's HTML report: one self-contained file (no script, no external asset) with each vault's equity
 * curve as inline SVG, the PnL attribution as bars per dimension, the risk layer's actions and the scenarios.
 */
import type { AttributionRow } from '../kpis/attribution.js';
import type { BacktestResult, EquityPoint } from './types.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2'];

/** Equity over time, each vault on its own scale (their sizes differ by orders of magnitude). */
function equitySvg(curves: readonly { readonly name: string; readonly points: readonly EquityPoint[] }[], width = 880, height = 280, color = 0): string {
  const all = curves.flatMap((c) => c.points);
  if (all.length === 0) return '<p>No equity points.</p>';
  const t0 = Math.min(...all.map((p) => p.ts));
  const t1 = Math.max(...all.map((p) => p.ts));
  const values = all.map((p) => Number(p.equity));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const padX = 90;
  const padY = 28;
  const x = (t: number) => padX + ((t - t0) / Math.max(1, t1 - t0)) * (width - 2 * padX);
  const y = (v: number) => height - padY - ((v - lo) / Math.max(1e-9, hi - lo)) * (height - 2 * padY);
  const lines = curves
    .map((c, i) => {
      const d = c.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p.ts).toFixed(1)},${y(Number(p.equity)).toFixed(1)}`).join(' ');
      return `<path d="${d}" fill="none" stroke="${COLORS[(color + i) % COLORS.length]}" stroke-width="1.5"><title>${esc(c.name)}</title></path>`;
    })
    .join('');
  const legend = curves
    .map((c, i) => `<text x="${padX + i * 220}" y="16" fill="${COLORS[(color + i) % COLORS.length]}" font-size="12">■ ${esc(c.name)}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="equity curves">
<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>
<line x1="${padX}" y1="${height - padY}" x2="${width - padX}" y2="${height - padY}" stroke="#999"/>
<line x1="${padX}" y1="${padY}" x2="${padX}" y2="${height - padY}" stroke="#999"/>
<text x="${padX}" y="${height - 8}" font-size="11">${esc(iso(t0))}</text>
<text x="${width - padX}" y="${height - 8}" font-size="11" text-anchor="end">${esc(iso(t1))}</text>
<text x="${padX - 4}" y="${padY + 4}" font-size="11" text-anchor="end">${hi.toFixed(2)}</text>
<text x="${padX - 4}" y="${height - padY}" font-size="11" text-anchor="end">${lo.toFixed(2)}</text>
${legend}${lines}</svg>`;
}

function attributionSvg(rows: readonly AttributionRow[], dimension: string, width = 880): string {
  const totals = new Map<string, number>();
  for (const r of rows) if (r.dimension === dimension) totals.set(r.key, (totals.get(r.key) ?? 0) + Number(r.realizedPnl));
  const entries = [...totals].sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return `<p>No realized PnL by ${esc(dimension)}.</p>`;
  const bar = 18;
  const height = entries.length * (bar + 6) + 10;
  const max = Math.max(...entries.map(([, v]) => Math.abs(v)), 1e-9);
  // Labels in a column on the left; bars either side of a zero axis.
  const labelEnd = 340;
  const mid = 600;
  const half = Math.min(width - mid - 80, mid - labelEnd - 20);
  const bars = entries
    .map(([key, v], i) => {
      const y = 5 + i * (bar + 6);
      const w = (Math.abs(v) / max) * half;
      const x0 = v >= 0 ? mid : mid - w;
      const label = key.length > 52 ? `${key.slice(0, 49)}…` : key;
      return `<text x="${labelEnd}" y="${y + 13}" font-size="12" text-anchor="end"><title>${esc(key)}</title>${esc(label)}</text>
<rect x="${x0.toFixed(1)}" y="${y}" width="${Math.max(1, w).toFixed(1)}" height="${bar}" fill="${v >= 0 ? '#059669' : '#dc2626'}"/>
<text x="${(v >= 0 ? mid + w + 6 : mid + 6).toFixed(1)}" y="${y + 13}" font-size="12">${v.toFixed(2)}</text>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="PnL by ${esc(dimension)}">
<line x1="${mid}" y1="0" x2="${mid}" y2="${height}" stroke="#999"/>${bars}</svg>`;
}

export function renderReport(r: BacktestResult): string {
  const s = r.spec;
  const vaultRows = r.vaults
    .map(
      (v) =>
        `<tr><td>${esc(v.vaultId)}</td><td>${esc(v.persona)}</td><td>${esc(v.startEquity)}</td><td>${esc(v.endEquity)}</td><td>${pct(v.returnPct)}</td><td>${pct(v.maxDrawdown)}</td><td>${v.trades}</td><td>${esc(v.fees)}</td><td>${esc(v.realizedPnl)}</td></tr>`,
    )
    .join('\n');
  const denials = r.risk.denials.map((d) => `<li>${esc(d.reason)}: ${d.count}</li>`).join('') || '<li>none</li>';
  const kills = r.risk.killSwitches.map((k) => `<li>${esc(iso(k.ts))} ${esc(k.key)} ${k.engaged ? 'engaged' : 'released'}: ${esc(k.reason)}</li>`).join('') || '<li>none</li>';
  const scenarios =
    r.summary.scenarios
      .map(
        (sc) =>
          `<li><b>${esc(sc.kind)}</b> ${esc(iso(sc.fromTs))} → ${esc(iso(sc.toTs))}: ${esc(sc.description)}. Drawdown from its start: ${sc.drawdowns
            .map((d) => `${esc(d.vaultId)} ${pct(d.maxDrawdown)}`)
            .join(', ')}</li>`,
      )
      .join('') || '<li>none</li>';
  const p = r.summary.precisionAt5;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vanta backtest ${esc(r.id)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#111}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}th{background:#f4f4f5}td:first-child,th:first-child{text-align:left}h2{margin-top:28px}</style>
</head><body>
<h1>Backtest ${esc(r.id)}</h1>
<p>${esc(iso(s.from))} → ${esc(iso(s.to))}; ${s.dataPath ? `bars from ${esc(s.dataPath)}` : `simulator seed ${s.seed}`}; ${r.summary.bars} bars, ${r.summary.events} input events,
${r.summary.convictions} convictions, ${r.summary.intents} intents, ${r.summary.orders} orders, ${r.summary.fills} fills; ${(r.summary.wallMs / 1000).toFixed(1)} s wall.
Precision@5: ${p.rolling === null ? 'n/a (no day with five judged calls)' : p.rolling.toFixed(3)} over ${p.daysWithK} day(s).</p>
<h2>Vaults</h2>
<table><tr><th>vault</th><th>persona</th><th>start</th><th>end</th><th>return</th><th>max drawdown</th><th>fills</th><th>fees</th><th>realized PnL</th></tr>
${vaultRows}</table>
<h2>Equity curves</h2>
${r.vaults.map((v, i) => `<h3>${esc(v.vaultId)}</h3>${equitySvg([{ name: v.vaultId, points: v.equity }], 880, 180, i)}`).join('\n')}
<h2>PnL attribution</h2>
${['band', 'vault', 'model', 'source'].map((d) => `<h3>by ${d}</h3>${attributionSvg(r.attribution, d)}`).join('\n')}
<h2>Risk layer</h2>
<p>Rejections by the venue: ${r.risk.rejections}; broker errors: ${r.risk.brokerErrors}; executor runs that failed: ${r.risk.executorErrors}; duplicated orders: ${r.risk.duplicateOrders}.</p>
<h3>Denials by reason</h3><ul>${denials}</ul>
<h3>Kill switches</h3><ul>${kills}</ul>
<h2>Scenarios</h2><ul>${scenarios}</ul>
</body></html>
`;
}
