/**
 * The calls each model version makes on live traffic, for the promotion rule (promotion.ts): per version, per
 * day and instrument, its strongest directional output of the day, judged by the instrument's log return over
 * the output's horizon once the bars have reached it. Live and shadow versions are recorded the same way, from
 * `models.outputs` and `models.shadow`, so the two are compared on the same days and instruments.
 *
 * Memory is bounded: only the latest `keepDays` days are kept. The closes come from a price series the
 * caller keeps (model ops shares one among everything that judges calls).
 */
import type { Call } from '../models/evaluation.js';
import type { ModelOutput } from '../types.js';
import type { PriceSeries } from '../price-series.js';

interface Pending {
  readonly instrument: string;
  readonly score: number;
  readonly ts: number;
  readonly horizonMs: number;
}

const dayOf = (ts: number): string => new Date(ts).toISOString().slice(0, 10);

export class CallBook {
  /** version id → day → instrument → the strongest output of the day. */
  readonly #calls = new Map<string, Map<string, Map<string, Pending>>>();

  constructor(
    private readonly keepDays: number,
    /** The bar closes calls are judged by. */
    private readonly prices: PriceSeries,
  ) {}

  observeOutput(output: ModelOutput, tsEvent: number): void {
    const score = output.signal ?? output.score;
    if (!Number.isFinite(score) || score === 0) return;
    const id = `${output.modelId}@${output.modelVersion}`;
    let days = this.#calls.get(id);
    if (!days) this.#calls.set(id, (days = new Map()));
    const day = dayOf(tsEvent);
    let byInstrument = days.get(day);
    if (!byInstrument) {
      days.set(day, (byInstrument = new Map()));
      const sorted = [...days.keys()].sort();
      for (const old of sorted.slice(0, Math.max(0, sorted.length - this.keepDays))) days.delete(old);
    }
    const prev = byInstrument.get(output.instrument);
    if (!prev || Math.abs(score) > Math.abs(prev.score)) {
      byInstrument.set(output.instrument, { instrument: output.instrument, score, ts: tsEvent, horizonMs: output.horizonMs });
    }
  }

  /** The version's calls whose outcome is known, by day then instrument. */
  calls(versionId: string): Call[] {
    const out: Call[] = [];
    for (const [day, byInstrument] of [...(this.#calls.get(versionId) ?? new Map<string, Map<string, Pending>>())].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const p of [...byInstrument.values()].sort((a, b) => (a.instrument < b.instrument ? -1 : 1))) {
        const realized = this.prices.logReturn(p.instrument, p.ts, p.ts + p.horizonMs);
        if (realized !== null) out.push({ day, instrument: p.instrument, score: p.score, realized });
      }
    }
    return out;
  }
}
