/**
 * The heatmap's DOM, updated in place: one element per instrument and column that stays put while the
 * stream goes on (only its colour, text and conviction id change), so a cell under the pointer is still
 * the same element when the click lands, and re-rendering costs no layout of the whole grid. A new
 * instrument inserts its row where the sort puts it; nothing else moves.
 */
import { clock, dateTime, scoreColour, scoreInk, signed } from '../format';
import type { HeatLayout, HeatPoint } from '../heatmap-model';

interface Row {
  readonly label: HTMLElement;
  readonly cells: HTMLButtonElement[];
}

export class HeatmapGrid {
  private readonly grid: HTMLElement;
  private readonly ticks: HTMLElement[] = [];
  private readonly rows = new Map<string, Row>();
  private columns = 0;

  constructor(private readonly host: HTMLElement) {
    this.grid = document.createElement('div');
    this.grid.className = 'grid';
  }

  update(layout: HeatLayout, selected: string | null, fresh: ReadonlySet<string>): void {
    if (!this.grid.isConnected) {
      this.host.replaceChildren(this.grid);
      // The host showed a message through `render`: forget it, so the same message can come back.
      delete (this.host as HTMLElement & { _vantaMarkup?: string })._vantaMarkup;
    }
    if (layout.columns !== this.columns) this.reset(layout.columns);
    for (let i = 0; i < this.ticks.length; i++) {
      this.ticks[i]!.textContent = clock(layout.start + i * 4 * layout.bucketMs).slice(0, 5);
    }
    const wanted = new Set(layout.instruments);
    for (const [instrument, row] of this.rows) {
      if (wanted.has(instrument)) continue;
      row.label.remove();
      for (const cell of row.cells) cell.remove();
      this.rows.delete(instrument);
    }
    layout.instruments.forEach((instrument, index) => {
      if (!this.rows.has(instrument)) this.insertRow(instrument, layout.instruments.slice(index + 1).find((next) => this.rows.has(next)));
      const row = this.rows.get(instrument)!;
      const points = layout.rows.get(instrument) ?? [];
      row.cells.forEach((cell, col) => paint(cell, instrument, points[col], selected, fresh));
    });
  }

  private reset(columns: number): void {
    this.columns = columns;
    this.rows.clear();
    this.ticks.length = 0;
    this.grid.replaceChildren();
    this.grid.style.gridTemplateColumns = `4.6rem repeat(${columns}, minmax(1.1rem, 1fr))`;
    const corner = document.createElement('span');
    corner.className = 'corner';
    this.grid.append(corner);
    for (let c = 0; c < columns; c += 4) {
      const tick = document.createElement('span');
      tick.className = 'tick';
      tick.style.gridColumn = `${c + 2} / span ${Math.min(4, columns - c)}`;
      this.ticks.push(tick);
      this.grid.append(tick);
    }
  }

  /** Inserts the row before `before`'s row (the next instrument in order that has one), or at the end. */
  private insertRow(instrument: string, before: string | undefined): void {
    const label = document.createElement('span');
    label.className = 'sym';
    label.textContent = instrument;
    const cells = Array.from({ length: this.columns }, () => {
      const cell = document.createElement('button');
      cell.type = 'button';
      cell.className = 'cell void';
      cell.dataset.instrument = instrument;
      return cell;
    });
    const anchor = before ? this.rows.get(before)?.label : undefined;
    for (const el of [label, ...cells]) this.grid.insertBefore(el, anchor ?? null);
    this.rows.set(instrument, { label, cells });
  }
}

function paint(cell: HTMLButtonElement, instrument: string, p: HeatPoint | undefined, selected: string | null, fresh: ReadonlySet<string>): void {
  const id = p?.id ?? '';
  if ((cell.dataset.convictionId ?? '') === id && cell.classList.contains('selected') === (id !== '' && id === selected)) return;
  if (!p) {
    cell.className = 'cell void';
    delete cell.dataset.convictionId;
    delete cell.dataset.action;
    delete cell.dataset.origin;
    cell.removeAttribute('style');
    cell.removeAttribute('title');
    cell.textContent = '';
    return;
  }
  cell.className = p.id === selected ? 'cell selected' : 'cell';
  cell.dataset.convictionId = p.id;
  cell.dataset.action = 'cell';
  cell.dataset.origin = p.live ? 'live' : 'seed';
  cell.style.background = scoreColour(p.convictionScore);
  cell.style.color = scoreInk(p.convictionScore);
  cell.title = `${instrument} ${signed(p.convictionScore)} ${p.band} · ${dateTime(p.createdAt)}`;
  cell.textContent = Math.abs(p.convictionScore) >= 0.5 ? String(Math.round(p.convictionScore * 100)) : '';
  if (fresh.has(p.id)) {
    cell.animate([{ boxShadow: '0 0 0 3px rgba(90, 169, 255, 0.9)' }, { boxShadow: '0 0 0 0 rgba(90, 169, 255, 0)' }], { duration: 1400, easing: 'ease-out' });
  }
}
