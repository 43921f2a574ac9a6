/**
 * The reinforcement bias on live traffic: each conviction's stacker inputs wait until its horizon has passed,
 * then the instrument's realized direction over that horizon scores the call each input made
 * (`ReinforcementBias`, conviction/reinforcement.ts) and nudges that input's multiplier.
 *
 * - A conviction is judged once, at the first bar at or after `tsEvent + ttl`, by the sign of the log return
 *   from its time to then; a flat return counts nothing. Only convictions scored by the stacker being
 *   reinforced count (one scored by the prior weights, or by another stacker version, is not its call).
 * - Outcomes are known only from bars already seen, so the multipliers in force at a scoring rest on the past
 *   alone; the changes are returned with the convictions that caused them, for the caller to publish.
 * - Memory is bounded: at most `maxPending` convictions wait (the oldest are dropped first, counted in
 *   `dropped`). The closes come from a price series the caller keeps and adds each bar to before `judge`.
 */
import type { WeightChange } from '../conviction/reinforcement.js';
import { ReinforcementBias, type ReinforcementParams } from '../conviction/reinforcement.js';
import { CONVICTION_INPUTS } from '../conviction/inputs.js';
import { baseVersion } from './live-set.js';
import type { PriceSeries } from '../price-series.js';
import type { ConvictionVector } from '../types.js';

interface Pending {
  readonly convictionId: string;
  readonly ts: number;
  readonly due: number;
  /** The stacker's inputs, in its order. */
  readonly row: readonly number[];
}

export interface ReinforcementOutcome {
  readonly changes: readonly WeightChange[];
  /** The convictions whose outcomes moved a multiplier. */
  readonly causedBy: readonly string[];
}

export class OnlineReinforcement {
  readonly bias: ReinforcementBias;
  readonly #columns: readonly number[];
  readonly #pending = new Map<string, Pending[]>();
  #waiting = 0;
  #dropped = 0;
  #judged = 0;

  constructor(
    /** The stacker's inputs, in its order (names from CONVICTION_INPUTS). */
    readonly inputs: readonly string[],
    /** `name` and `version` of the stacker whose convictions count. */
    readonly stacker: { readonly name: string; readonly version: string },
    /** The bar closes outcomes are read from. */
    private readonly prices: PriceSeries,
    params: Partial<ReinforcementParams> = {},
    readonly maxPending = 100_000,
  ) {
    this.bias = new ReinforcementBias(inputs, params);
    this.#columns = inputs.map((name) => CONVICTION_INPUTS.indexOf(name as (typeof CONVICTION_INPUTS)[number]));
  }

  /** Convictions waiting for their outcome, dropped for want of room, and judged so far. */
  get counts(): { readonly waiting: number; readonly dropped: number; readonly judged: number } {
    return { waiting: this.#waiting, dropped: this.#dropped, judged: this.#judged };
  }

  /** The multipliers in force, by input. */
  multipliers(): ReadonlyMap<string, number> {
    const m = this.bias.multipliers();
    return new Map(this.inputs.map((name, i) => [name, m[i]!] as const));
  }

  /**
   * Records a conviction and the input values it was scored from (CONVICTION_INPUTS order), when the
   * reinforced stacker scored it; its `contributingModels` name the combiner last.
   */
  observeConviction(values: readonly number[], vector: ConvictionVector, tsEvent: number): void {
    const combiner = vector.contributingModels[vector.contributingModels.length - 1];
    if (!combiner || combiner.modelId !== this.stacker.name || baseVersion(combiner.version) !== this.stacker.version) return;
    const row = this.#columns.map((c) => (c < 0 ? 0 : (values[c] ?? 0)));
    let queue = this.#pending.get(vector.instrument);
    if (!queue) this.#pending.set(vector.instrument, (queue = []));
    queue.push({ convictionId: vector.id, ts: tsEvent, due: tsEvent + vector.ttl * 1000, row });
    if (++this.#waiting > this.maxPending) this.#dropOldest();
  }

  /** Judges the convictions on the instrument that have come due by its bar at `ts` (already in the price series). */
  judge(instrument: string, ts: number): ReinforcementOutcome {
    const queue = this.#pending.get(instrument);
    if (!queue || queue.length === 0) return { changes: [], causedBy: [] };
    const changes: WeightChange[] = [];
    const causedBy: string[] = [];
    const keep: Pending[] = [];
    for (const p of queue) {
      if (p.due > ts) {
        keep.push(p);
        continue;
      }
      this.#waiting--;
      const realized = this.prices.logReturn(instrument, p.ts, ts);
      if (realized === null || realized === 0) continue;
      this.#judged++;
      const moved = this.bias.observe(p.row, realized > 0 ? 1 : -1, ts, p.convictionId);
      if (moved.length > 0) {
        changes.push(...moved);
        causedBy.push(p.convictionId);
      }
    }
    this.#pending.set(instrument, keep);
    return { changes, causedBy };
  }

  #dropOldest(): void {
    let oldest: { instrument: string; ts: number } | null = null;
    for (const [instrument, queue] of this.#pending) {
      const first = queue[0];
      if (first && (!oldest || first.ts < oldest.ts)) oldest = { instrument, ts: first.ts };
    }
    if (!oldest) return;
    this.#pending.get(oldest.instrument)!.shift();
    this.#waiting--;
    this.#dropped++;
  }
}
