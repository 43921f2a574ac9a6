/**
 * The heatmap's data: the latest conviction of each instrument in each time bucket. Buckets are a
 * "nice" width (1 min … 1 day, in the convictions' own event time) chosen so the data spans the columns;
 * the width only grows, so cells do not jump back and forth as the stream goes on. Convictions older than
 * the window are dropped, which keeps memory bounded however long the dashboard stays open.
 */

export interface HeatPoint {
  readonly id: string;
  readonly instrument: string;
  readonly convictionScore: number;
  readonly band: string;
  readonly direction: string;
  readonly createdAt: string;
  /** Came over the subscription rather than with the first page. */
  readonly live: boolean;
}

export interface HeatLayout {
  readonly bucketMs: number;
  /** Start of the first column, epoch ms. */
  readonly start: number;
  readonly columns: number;
  readonly instruments: readonly string[];
  /** Per instrument, one entry per column. */
  readonly rows: ReadonlyMap<string, readonly (HeatPoint | undefined)[]>;
  readonly total: number;
}

const MINUTE = 60_000;
const NICE_WIDTHS = [1, 2, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440].map((m) => m * MINUTE);

export class HeatmapModel {
  private readonly points = new Map<string, HeatPoint & { at: number }>();
  private bucketMs = NICE_WIDTHS[0]!;
  private newest = Number.NEGATIVE_INFINITY;

  constructor(readonly columns = 24) {}

  /** Adds a conviction; false when it is already known. */
  add(point: HeatPoint): boolean {
    if (this.points.has(point.id)) return false;
    const at = Date.parse(point.createdAt);
    if (!Number.isFinite(at)) return false;
    this.points.set(point.id, { ...point, at });
    this.newest = Math.max(this.newest, at);
    return true;
  }

  get size(): number {
    return this.points.size;
  }

  get(id: string): HeatPoint | undefined {
    return this.points.get(id);
  }

  layout(): HeatLayout {
    if (this.points.size === 0) return { bucketMs: this.bucketMs, start: 0, columns: this.columns, instruments: [], rows: new Map(), total: 0 };
    let oldest = Number.POSITIVE_INFINITY;
    for (const p of this.points.values()) oldest = Math.min(oldest, p.at);
    const span = this.newest - oldest;
    const fit = NICE_WIDTHS.find((w) => span < w * this.columns) ?? NICE_WIDTHS[NICE_WIDTHS.length - 1]!;
    this.bucketMs = Math.max(this.bucketMs, fit);
    const end = (Math.floor(this.newest / this.bucketMs) + 1) * this.bucketMs;
    const start = end - this.columns * this.bucketMs;

    const rows = new Map<string, (HeatPoint & { at: number } | undefined)[]>();
    for (const [id, p] of this.points) {
      if (p.at < start) {
        this.points.delete(id);
        continue;
      }
      const col = Math.floor((p.at - start) / this.bucketMs);
      let row = rows.get(p.instrument);
      if (!row) rows.set(p.instrument, (row = new Array(this.columns).fill(undefined)));
      const current = row[col];
      // The latest conviction of the bucket wins; ties go to the larger id (ids grow with time).
      if (!current || p.at > current.at || (p.at === current.at && p.id > current.id)) row[col] = p;
    }
    const instruments = [...rows.keys()].sort((a, b) => a.localeCompare(b));
    return { bucketMs: this.bucketMs, start, columns: this.columns, instruments, rows, total: this.points.size };
  }
}
