/**
 * The reinforcement bias: each model's weight in the stacker is nudged by how often its calls came true.
 *
 * A model "calls" a direction when its input to the stacker is signed (positive: up, negative: down) and at least
 * `minAbsInput`. When the outcome is known, the call is a hit if the signs agree. The hit rate is an
 * exponentially weighted average (half-life in calls), starting at 0.5; the multiplier on the model's weight is
 * `1 + gain × (hitRate − 0.5) × 2`, clamped to [minMultiplier, maxMultiplier]. A model that is right 75% of the
 * time with gain 0.5 ends up weighed 1.25×; one right 25% of the time, 0.75×.
 *
 * A multiplier moves only in steps larger than `recordAbove` (smaller drifts of the hit rate accumulate until
 * they add up to one), and every step is returned as a `WeightChange` with the outcome that caused it, so the
 * caller can publish and audit it: every weight a conviction used is on record.
 */

export interface ReinforcementParams {
  readonly halfLifeCalls: number;
  readonly gain: number;
  readonly minMultiplier: number;
  readonly maxMultiplier: number;
  /** Inputs smaller than this in absolute value make no call. */
  readonly minAbsInput: number;
  /** The smallest step of a multiplier; each step is reported. */
  readonly recordAbove: number;
}

export const DEFAULT_REINFORCEMENT: ReinforcementParams = Object.freeze({
  halfLifeCalls: 50,
  gain: 0.5,
  minMultiplier: 0.5,
  maxMultiplier: 1.5,
  minAbsInput: 0.05,
  recordAbove: 0.01,
});

export interface WeightChange {
  readonly input: string;
  readonly from: number;
  readonly to: number;
  readonly hitRate: number;
  readonly calls: number;
  /** When the outcome was known. */
  readonly ts: number;
  /** The outcome's source (e.g. the event that realized it). */
  readonly causedBy: string;
}

export interface InputRecord {
  readonly hitRate: number;
  readonly calls: number;
  /** The multiplier in force: changed only by a reported step. */
  readonly multiplier: number;
}

export class ReinforcementBias {
  readonly params: ReinforcementParams;
  readonly inputs: readonly string[];
  readonly #decay: number;
  readonly #records: InputRecord[];

  constructor(inputs: readonly string[], params: Partial<ReinforcementParams> = {}) {
    this.params = Object.freeze({ ...DEFAULT_REINFORCEMENT, ...params });
    if (!(this.params.halfLifeCalls > 0)) throw new RangeError('halfLifeCalls must be positive');
    if (!(this.params.minMultiplier <= 1 && 1 <= this.params.maxMultiplier)) throw new RangeError('the multiplier bounds must contain 1');
    this.inputs = Object.freeze([...inputs]);
    this.#decay = Math.pow(0.5, 1 / this.params.halfLifeCalls);
    this.#records = inputs.map(() => ({ hitRate: 0.5, calls: 0, multiplier: 1 }));
  }

  /** The current multipliers, in the order of `inputs`. */
  multipliers(): number[] {
    return this.#records.map((r) => r.multiplier);
  }

  /** Takes back recorded state (a restart's), input by input; inputs it does not name keep theirs. */
  restore(records: Readonly<Record<string, InputRecord>>): void {
    this.inputs.forEach((name, i) => {
      const r = records[name];
      if (!r) return;
      const { minMultiplier, maxMultiplier } = this.params;
      if (![r.hitRate, r.calls, r.multiplier].every(Number.isFinite) || r.hitRate < 0 || r.hitRate > 1 || r.calls < 0) return;
      this.#records[i] = { hitRate: r.hitRate, calls: r.calls, multiplier: Math.min(maxMultiplier, Math.max(minMultiplier, r.multiplier)) };
    });
  }

  record(input: string): InputRecord | undefined {
    const i = this.inputs.indexOf(input);
    return i < 0 ? undefined : this.#records[i];
  }

  /**
   * Scores the calls the inputs made against the realized direction (+1 up, −1 down; 0 counts nothing) and
   * returns the multiplier changes worth recording.
   */
  observe(inputs: readonly number[], outcome: 1 | -1 | 0, ts: number, causedBy: string): WeightChange[] {
    if (inputs.length !== this.inputs.length) throw new RangeError(`expected ${this.inputs.length} inputs, got ${inputs.length}`);
    if (outcome === 0) return [];
    const changes: WeightChange[] = [];
    inputs.forEach((x, i) => {
      if (!(Math.abs(x) >= this.params.minAbsInput)) return;
      const r = this.#records[i]!;
      const hit = Math.sign(x) === outcome ? 1 : 0;
      const hitRate = this.#decay * r.hitRate + (1 - this.#decay) * hit;
      const { gain, minMultiplier, maxMultiplier } = this.params;
      const target = Math.min(maxMultiplier, Math.max(minMultiplier, 1 + gain * (hitRate - 0.5) * 2));
      let multiplier = r.multiplier;
      if (Math.abs(target - r.multiplier) > this.params.recordAbove) {
        changes.push({ input: this.inputs[i]!, from: r.multiplier, to: target, hitRate, calls: r.calls + 1, ts, causedBy });
        multiplier = target;
      }
      this.#records[i] = { hitRate, calls: r.calls + 1, multiplier };
    });
    return changes;
  }
}
