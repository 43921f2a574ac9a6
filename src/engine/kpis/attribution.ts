/**
 * PnL attribution: each fill's realized PnL, traced back to the conviction that ordered it, stratified by day
 * and by four dimensions:
 *
 * - `band`: the conviction's band, the whole amount;
 * - `vault`: the vault that booked the fill, the whole amount;
 * - `model`: split over the conviction's contributing models by |weight × output| (the combiner's own entry,
 *   which sums the others, is left out); evenly when every contribution is zero;
 * - `source`: split over the signal sources of the conviction's causes by how many raw signals each gave.
 *
 * Fills with no known conviction go to `UNATTRIBUTED` in the band, model and source dimensions. Money is
 * exact (decimal.js): every share is rounded to 8 places and the rounding remainder goes to the largest share,
 * so each dimension adds up to the day's realized PnL to the last digit.
 */
import { Dec } from '../vaults/decimal.js';
import { dayOf } from './precision.js';

export const ATTRIBUTION_DIMENSIONS = ['band', 'vault', 'model', 'source'] as const;
export type AttributionDimension = (typeof ATTRIBUTION_DIMENSIONS)[number];
export const UNATTRIBUTED = 'UNATTRIBUTED';
const PLACES = 8;

export interface ConvictionFacts {
  readonly id: string;
  readonly instrument: string;
  readonly band: string;
  /** Model id → weight in the split (|weight × output|). */
  readonly models: ReadonlyMap<string, number>;
  /** Source → raw signals it gave. */
  readonly sources: ReadonlyMap<string, number>;
}

export interface AttributedFill {
  readonly fillId: string;
  readonly vaultId: string;
  readonly ts: number;
  readonly realizedPnl: string;
  readonly conviction: ConvictionFacts | null;
}

export interface AttributionRow {
  readonly day: string;
  readonly dimension: AttributionDimension;
  readonly key: string;
  /** Decimal string. */
  readonly realizedPnl: string;
  /** Fills that contributed to this row. */
  readonly fills: number;
}

/** Splits `amount` over `weights` exactly (see the module comment). */
export function splitExact(amount: string, weights: ReadonlyMap<string, number>): Map<string, string> {
  const total = new Dec(amount);
  const entries = [...weights].filter(([, w]) => Number.isFinite(w) && w > 0).sort(([a], [b]) => (a < b ? -1 : 1));
  const out = new Map<string, string>();
  if (entries.length === 0) {
    const keys = [...weights.keys()].sort();
    if (keys.length === 0) return out;
    return splitExact(amount, new Map(keys.map((k) => [k, 1])));
  }
  const sum = entries.reduce((s, [, w]) => s + w, 0);
  let assigned = new Dec(0);
  let largest = entries[0]![0];
  let largestWeight = -1;
  const parts = new Map<string, InstanceType<typeof Dec>>();
  for (const [key, w] of entries) {
    const part = total.times(new Dec(w).div(sum)).toDecimalPlaces(PLACES);
    parts.set(key, part);
    assigned = assigned.plus(part);
    if (w > largestWeight) {
      largestWeight = w;
      largest = key;
    }
  }
  parts.set(largest, parts.get(largest)!.plus(total.minus(assigned)));
  for (const [key, part] of parts) out.set(key, part.toFixed());
  return out;
}

export function modelWeights(contributing: readonly { readonly modelId: string; readonly weight: number; readonly output: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  // The last entry is the combiner itself (weight 1, output = the score): it is the sum, not a part.
  for (const m of contributing.slice(0, -1)) out.set(m.modelId, (out.get(m.modelId) ?? 0) + Math.abs(m.weight * m.output));
  return out;
}

/** Accumulates attributed fills into day × dimension × key rows. */
export class AttributionBook {
  readonly #fills: AttributedFill[] = [];

  constructor(readonly capacity = 200_000) {}

  add(fill: AttributedFill): void {
    this.#fills.push(fill);
    if (this.#fills.length > this.capacity) this.#fills.splice(0, this.#fills.length - this.capacity);
  }

  /** The rows for fills with `from <= ts < to`, ordered by day, dimension and key. */
  rows(from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): AttributionRow[] {
    const acc = new Map<string, { day: string; dimension: AttributionDimension; key: string; pnl: InstanceType<typeof Dec>; fills: number }>();
    const put = (day: string, dimension: AttributionDimension, key: string, amount: string) => {
      const k = `${day}|${dimension}|${key}`;
      const row = acc.get(k);
      if (row) {
        row.pnl = row.pnl.plus(amount);
        row.fills += 1;
      } else acc.set(k, { day, dimension, key, pnl: new Dec(amount), fills: 1 });
    };
    for (const f of this.#fills) {
      if (f.ts < from || f.ts >= to) continue;
      const day = dayOf(f.ts);
      put(day, 'vault', f.vaultId, f.realizedPnl);
      const c = f.conviction;
      put(day, 'band', c?.band ?? UNATTRIBUTED, f.realizedPnl);
      const models = c && c.models.size > 0 ? splitExact(f.realizedPnl, c.models) : new Map([[UNATTRIBUTED, f.realizedPnl]]);
      for (const [key, amount] of models) put(day, 'model', key, amount);
      const sources = c && c.sources.size > 0 ? splitExact(f.realizedPnl, c.sources) : new Map([[UNATTRIBUTED, f.realizedPnl]]);
      for (const [key, amount] of sources) put(day, 'source', key, amount);
    }
    const order = (d: AttributionDimension) => ATTRIBUTION_DIMENSIONS.indexOf(d);
    return [...acc.values()]
      .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : order(a.dimension) - order(b.dimension) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)))
      .map((r) => ({ day: r.day, dimension: r.dimension, key: r.key, realizedPnl: r.pnl.toFixed(), fills: r.fills }));
  }

  /** Fills recorded with `from <= ts < to`. */
  fills(from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): readonly AttributedFill[] {
    return this.#fills.filter((f) => f.ts >= from && f.ts < to);
  }
}
