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
 * - A checkpoint (`checkpoint`, `restoreCheckpoint`) carries the whole state over a restart: the records with
 *   the drift of their hit rates since the last recorded step, and the convictions still waiting, each with the
 *   close it will be judged from (the bars before a restart are not kept).
 */
import type { InputRecord, WeightChange } from '../conviction/reinforcement.js';
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
  /** The close at `ts`, carried over a restart; null: read from the price series when judged. */
  readonly close: number | null;
}

/** A conviction waiting for its outcome, as a checkpoint keeps it. */
export interface PendingConviction {
  readonly convictionId: string;
  readonly instrument: string;
  readonly ts: number;
  readonly due: number;
  readonly row: readonly number[];
  /** The close in force at `ts` when the checkpoint was taken; null when no bar was known by then. */
  readonly close: number | null;
}

/** Everything the reinforcement of one stacker version knows, as plain data (what the store keeps). */
export interface ReinforcementCheckpoint {
  readonly formatVersion: 1;
  readonly stacker: { readonly name: string; readonly version: string };
  /** The stacker's inputs, in the order of the pending rows. */
  readonly inputs: readonly string[];
  /** Event time of the last bar judged: every outcome known by then is in the records. Null before the first. */
  readonly asOf: number | null;
  readonly records: Readonly<Record<string, InputRecord>>;
  /** Per instrument in the order they were recorded, which is the order they are judged in. */
  readonly pending: readonly PendingConviction[];
  readonly dropped: number;
  readonly judged: number;
}

/** What a checkpoint gave back: the convictions taken into the queue and those refused (foreign or malformed). */
export interface RestoredCheckpoint {
  readonly pending: number;
  readonly skipped: number;
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
  #asOf: number | null = null;
  #revision = 0;

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

  /** Event time of the last bar judged; null before the first. */
  get asOf(): number | null {
    return this.#asOf;
  }

  /**
   * Moves with every change of what a checkpoint holds but `asOf`: a bar that judged nothing leaves it, and
   * no step can be recorded without a judgment that moves it.
   */
  get revision(): number {
    return this.#revision;
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
    this.#enqueue(vector.instrument, { convictionId: vector.id, ts: tsEvent, due: tsEvent + vector.ttl * 1000, row, close: null });
  }

  /** Judges the convictions on the instrument that have come due by its bar at `ts` (already in the price series). */
  judge(instrument: string, ts: number): ReinforcementOutcome {
    this.#asOf = Math.max(this.#asOf ?? ts, ts);
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
      const realized = this.#realized(instrument, p, ts);
      if (realized === null || realized === 0) continue;
      this.#judged++;
      const moved = this.bias.observe(p.row, realized > 0 ? 1 : -1, ts, p.convictionId);
      if (moved.length > 0) {
        changes.push(...moved);
        causedBy.push(p.convictionId);
      }
    }
    if (keep.length < queue.length) this.#revision++;
    this.#pending.set(instrument, keep);
    return { changes, causedBy };
  }

  /** True while the conviction waits for its outcome. */
  waits(convictionId: string): boolean {
    for (const queue of this.#pending.values()) if (queue.some((p) => p.convictionId === convictionId)) return true;
    return false;
  }

  /** The state as plain data, to be taken back by `restoreCheckpoint` after a restart. */
  checkpoint(): ReinforcementCheckpoint {
    const pending: PendingConviction[] = [];
    for (const [instrument, queue] of this.#pending) {
      for (const p of queue) {
        const close = p.close ?? this.prices.closeAt(instrument, p.ts);
        pending.push({ convictionId: p.convictionId, instrument, ts: p.ts, due: p.due, row: [...p.row], close });
      }
    }
    return {
      formatVersion: 1,
      stacker: { name: this.stacker.name, version: this.stacker.version },
      inputs: [...this.inputs],
      asOf: this.#asOf,
      records: Object.fromEntries(this.inputs.map((input) => [input, { ...this.bias.record(input)! }] as const)),
      pending,
      dropped: this.#dropped,
      judged: this.#judged,
    };
  }

  /**
   * Takes back a checkpoint of this stacker version (null, and nothing taken, for another's or for what is no
   * checkpoint). What makes no sense is skipped and the rest kept: records as `ReinforcementBias.restore`
   * does, pending convictions that are malformed, of rows of another width or order of inputs, or already
   * waiting. Beyond `maxPending` the oldest are dropped (counted in `dropped`).
   */
  restoreCheckpoint(checkpoint: ReinforcementCheckpoint): RestoredCheckpoint | null {
    if (!isObject(checkpoint) || checkpoint.formatVersion !== 1 || !isObject(checkpoint.stacker)) return null;
    if (checkpoint.stacker.name !== this.stacker.name || checkpoint.stacker.version !== this.stacker.version) return null;
    if (isObject(checkpoint.records)) this.bias.restore(checkpoint.records);
    const offered: unknown[] = Array.isArray(checkpoint.pending) ? checkpoint.pending : [];
    const valid = this.#sameInputs(checkpoint.inputs) ? this.#validPending(offered) : [];
    const excess = Math.max(0, this.#waiting + valid.length - this.maxPending);
    const oldest = new Set([...valid].sort((a, b) => a.ts - b.ts).slice(0, excess));
    for (const p of valid) {
      if (!oldest.has(p)) this.#enqueue(p.instrument, { convictionId: p.convictionId, ts: p.ts, due: p.due, row: [...p.row], close: p.close });
    }
    this.#dropped += excess + (isCount(checkpoint.dropped) ? checkpoint.dropped : 0);
    if (isCount(checkpoint.judged)) this.#judged += checkpoint.judged;
    if (Number.isFinite(checkpoint.asOf)) this.#asOf = Math.max(this.#asOf ?? checkpoint.asOf!, checkpoint.asOf!);
    this.#revision++;
    return { pending: valid.length - excess, skipped: offered.length - valid.length };
  }

  /**
   * Takes the records of a step recorded after the checkpoint it restored (a crash after the checkpoint): the
   * convictions due by the step's time were judged into them, and are forgotten. Returns how many were.
   */
  adoptStep(records: Readonly<Record<string, InputRecord>>, ts: number): number {
    this.bias.restore(records);
    let forgotten = 0;
    for (const [instrument, queue] of this.#pending) {
      const keep = queue.filter((p) => p.due > ts);
      forgotten += queue.length - keep.length;
      this.#pending.set(instrument, keep);
    }
    this.#waiting -= forgotten;
    this.#asOf = Math.max(this.#asOf ?? ts, ts);
    this.#revision++;
    return forgotten;
  }

  #enqueue(instrument: string, p: Pending): void {
    let queue = this.#pending.get(instrument);
    if (!queue) this.#pending.set(instrument, (queue = []));
    queue.push(p);
    this.#revision++;
    if (++this.#waiting > this.maxPending) this.#dropOldest();
  }

  /** The log return from the conviction's time to `ts`, from the close it carries when it has one. */
  #realized(instrument: string, p: Pending, ts: number): number | null {
    if (p.close === null) return this.prices.logReturn(instrument, p.ts, ts);
    const last = this.prices.lastTime(instrument);
    const exit = last === null || ts > last ? null : this.prices.closeAt(instrument, ts);
    return exit === null ? null : Math.log(exit / p.close);
  }

  #sameInputs(inputs: unknown): boolean {
    return Array.isArray(inputs) && inputs.length === this.inputs.length && this.inputs.every((name, i) => inputs[i] === name);
  }

  /** The well-formed convictions of rows of this stacker's width, once each, none of them waiting already. */
  #validPending(offered: readonly unknown[]): PendingConviction[] {
    const seen = new Set([...this.#pending.values()].flatMap((queue) => queue.map((p) => p.convictionId)));
    return offered.filter((p): p is PendingConviction => {
      if (!this.#isPending(p) || seen.has(p.convictionId)) return false;
      seen.add(p.convictionId);
      return true;
    });
  }

  #isPending(p: unknown): p is PendingConviction {
    if (!isObject(p)) return false;
    const { convictionId, instrument, ts, due, row, close } = p as Partial<PendingConviction>;
    return (
      typeof convictionId === 'string' &&
      typeof instrument === 'string' &&
      Number.isFinite(ts) &&
      Number.isFinite(due) &&
      due! >= ts! &&
      Array.isArray(row) &&
      row.length === this.inputs.length &&
      row.every(Number.isFinite) &&
      (close === null || (typeof close === 'number' && close > 0 && Number.isFinite(close)))
    );
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

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

function isCount(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= 0;
}
