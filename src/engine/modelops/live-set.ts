/**
 * Which loaded models score, and with what weight: the registry's aliases joined with the drift monitor's
 * standing alarms. Read by the ensemble stage for every snapshot and by the conviction scorer for every
 * scoring, so a promotion, a demotion or an alarm takes effect on the next event without a restart.
 *
 * - **Feature models:** a loaded version whose alias is `live` scores into `models.outputs`, unless an alarm
 *   with the `halt` action stands against it; a `shadow` version scores into `models.shadow` only.
 * - **Stacker:** the live stacker version among the loaded ones (else the combiner the models job chose). A
 *   standing `cut_weight` alarm against a feature model multiplies that model's stacker input by the cut, and
 *   the reinforcement bias (reinforcement.ts) multiplies each input by its hit-rate multiplier. The combiner
 *   then carries a version of its own, `<version>+w(<input>=<multiplier>,...)` with the product of the two
 *   (rounded to three decimals, and what the combiner uses), so a conviction names the weights it was scored
 *   under and `combinerFor` rebuilds that very combiner for a replay. (`+drift(...)`, the form of versions
 *   recorded before the bias ran online, is read the same way.)
 */
import { type Combiner, StackerCombiner } from '../conviction/combiner.js';
import { inputNameOf } from '../conviction/inputs.js';
import type { FeatureModel } from '../models/feature-models.js';
import type { Alias } from './events.js';

const WEIGHTED = /^(.*?)\+(?:w|drift)\((.*)\)$/;
/** Weighted combiners kept for reuse; beyond this many the oldest is rebuilt when asked for again. */
const KEEP_COMBINERS = 256;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** A combiner version without the suffix naming the weights it ran with (`s1+w(...)` → `s1`). */
export function baseVersion(version: string): string {
  return WEIGHTED.exec(version)?.[1] ?? version;
}

export class LiveSet {
  /** version id → alias, as last read from the registry. */
  #aliases = new Map<string, Alias>();
  /** version id → the multiplier of its stacker weight (absent: 1; 0: halted). */
  #multipliers = new Map<string, number>();
  #halted = new Set<string>();
  /** stacker version id → the reinforcement multipliers of its inputs. */
  #reinforcement = new Map<string, ReadonlyMap<string, number>>();
  readonly #combiners = new Map<string, Combiner>();

  constructor(
    /** Every loaded feature model, by version id. */
    private readonly featureModels: ReadonlyMap<string, FeatureModel>,
    /** Every loaded stacker, by version id. */
    private readonly stackers: ReadonlyMap<string, StackerCombiner>,
    private readonly fallback: () => Combiner,
  ) {}

  setAliases(aliases: ReadonlyMap<string, Alias>): void {
    this.#aliases = new Map(aliases);
  }

  alias(versionId: string): Alias | null {
    return this.#aliases.get(versionId) ?? null;
  }

  /** What a standing alarm does to a version: a weight multiplier, or a halt. */
  setDrift(versionId: string, multiplier: number, halted: boolean): void {
    if (halted) this.#halted.add(versionId);
    else this.#halted.delete(versionId);
    if (multiplier < 1 && !halted) this.#multipliers.set(versionId, multiplier);
    else this.#multipliers.delete(versionId);
  }

  /** The reinforcement bias's multipliers for a stacker's inputs (applied while that stacker is live). */
  setReinforcement(stackerId: string, multipliers: ReadonlyMap<string, number>): void {
    this.#reinforcement.set(stackerId, new Map(multipliers));
  }

  liveFeatureModels(): readonly FeatureModel[] {
    return [...this.featureModels].filter(([id]) => this.#aliases.get(id) === 'live' && !this.#halted.has(id)).map(([, m]) => m);
  }

  shadowFeatureModels(): readonly FeatureModel[] {
    return [...this.featureModels].filter(([id]) => this.#aliases.get(id) === 'shadow').map(([, m]) => m);
  }

  /** The combiner in force: the live stacker with the cuts of the live feature models' alarms and the reinforcement bias. */
  combiner(): Combiner {
    const [liveId, live] = [...this.stackers].find(([id]) => this.#aliases.get(id) === 'live') ?? [];
    if (!live || !liveId) return this.fallback();
    const weights = new Map<string, number>();
    for (const [id, m] of this.#multipliers) {
      const model = this.featureModels.get(id);
      if (!model || this.#aliases.get(id) !== 'live') continue;
      const input = inputNameOf({ modelId: model.modelId, series: 'features' });
      if (input && live.stacker.params.inputs.includes(input)) weights.set(input, Math.min(weights.get(input) ?? 1, m));
    }
    for (const [input, m] of this.#reinforcement.get(liveId) ?? []) {
      if (live.stacker.params.inputs.includes(input)) weights.set(input, (weights.get(input) ?? 1) * m);
    }
    return this.#weighted(live, weights);
  }

  /** The combiner of this name and version among the loaded stackers, cuts included; null when none is. */
  combinerFor(name: string, version: string): Combiner | null {
    const match = WEIGHTED.exec(version);
    const base = baseVersion(version);
    const stacker = [...this.stackers.values()].find((s) => s.name === name && s.version === base);
    if (!stacker) return null;
    if (!match) return stacker;
    const weights = new Map<string, number>();
    for (const part of match[2]!.split(',')) {
      const [input, value] = part.split('=');
      const m = Number(value);
      if (!input || !Number.isFinite(m)) return null;
      weights.set(input, m);
    }
    return this.#weighted(stacker, weights);
  }

  #weighted(stacker: StackerCombiner, weights: ReadonlyMap<string, number>): Combiner {
    const used = [...weights].map(([k, v]) => [k, round3(v)] as const).filter(([, v]) => v !== 1);
    if (used.length === 0) return stacker;
    const label = used.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',');
    const version = `${stacker.version}+w(${label})`;
    let combiner = this.#combiners.get(version);
    if (!combiner) {
      const byInput = new Map(used);
      const multipliers = stacker.stacker.params.inputs.map((name) => byInput.get(name) ?? 1);
      combiner = new StackerCombiner(stacker.stacker, version, () => multipliers);
      this.#combiners.set(version, combiner);
      if (this.#combiners.size > KEEP_COMBINERS) this.#combiners.delete(this.#combiners.keys().next().value!);
    }
    return combiner;
  }
}
