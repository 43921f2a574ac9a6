/**
 * Which loaded models score, and with what weight: the registry's aliases joined with the drift monitor's
 * standing alarms. Read by the ensemble stage for every snapshot and by the conviction scorer for every
 * scoring, so a promotion, a demotion or an alarm takes effect on the next event without a restart.
 *
 * - **Feature models:** a loaded version whose alias is `live` scores into `models.outputs`, unless an alarm
 *   with the `halt` action stands against it; a `shadow` version scores into `models.shadow` only.
 * - **Stacker:** the live stacker version among the loaded ones (else the combiner the models job chose). A
 *   standing `cut_weight` alarm against a feature model multiplies that model's stacker input by the cut. The
 *   combiner then carries a version of its own, `<version>+drift(<input>=<multiplier>,...)`, so a conviction
 *   names the cut it was scored under and `combinerFor` rebuilds that very combiner for a replay.
 */
import { type Combiner, StackerCombiner } from '../conviction/combiner.js';
import { inputNameOf } from '../conviction/inputs.js';
import type { FeatureModel } from '../models/feature-models.js';
import type { Alias } from './events.js';

const CUT = /^(.*)\+drift\((.*)\)$/;

export class LiveSet {
  /** version id → alias, as last read from the registry. */
  #aliases = new Map<string, Alias>();
  /** version id → the multiplier of its stacker weight (absent: 1; 0: halted). */
  #multipliers = new Map<string, number>();
  #halted = new Set<string>();
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

  liveFeatureModels(): readonly FeatureModel[] {
    return [...this.featureModels].filter(([id]) => this.#aliases.get(id) === 'live' && !this.#halted.has(id)).map(([, m]) => m);
  }

  shadowFeatureModels(): readonly FeatureModel[] {
    return [...this.featureModels].filter(([id]) => this.#aliases.get(id) === 'shadow').map(([, m]) => m);
  }

  /** The combiner in force: the live stacker with the cuts of the live feature models' alarms. */
  combiner(): Combiner {
    const live = [...this.stackers].find(([id]) => this.#aliases.get(id) === 'live')?.[1];
    if (!live) return this.fallback();
    const cuts = new Map<string, number>();
    for (const [id, m] of this.#multipliers) {
      const model = this.featureModels.get(id);
      if (!model || this.#aliases.get(id) !== 'live') continue;
      const input = inputNameOf({ modelId: model.modelId, series: 'features' });
      if (input && live.stacker.params.inputs.includes(input)) cuts.set(input, Math.min(cuts.get(input) ?? 1, m));
    }
    return this.#cut(live, cuts);
  }

  /** The combiner of this name and version among the loaded stackers, cuts included; null when none is. */
  combinerFor(name: string, version: string): Combiner | null {
    const match = CUT.exec(version);
    const base = match ? match[1]! : version;
    const stacker = [...this.stackers.values()].find((s) => s.name === name && s.version === base);
    if (!stacker) return null;
    if (!match) return stacker;
    const cuts = new Map<string, number>();
    for (const part of match[2]!.split(',')) {
      const [input, value] = part.split('=');
      const m = Number(value);
      if (!input || !Number.isFinite(m)) return null;
      cuts.set(input, m);
    }
    return this.#cut(stacker, cuts);
  }

  #cut(stacker: StackerCombiner, cuts: ReadonlyMap<string, number>): Combiner {
    if (cuts.size === 0) return stacker;
    const inputs = stacker.stacker.params.inputs;
    const label = [...cuts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',');
    const version = `${stacker.version}+drift(${label})`;
    let combiner = this.#combiners.get(version);
    if (!combiner) {
      const multipliers = inputs.map((name) => cuts.get(name) ?? 1);
      combiner = new StackerCombiner(stacker.stacker, version, () => multipliers);
      this.#combiners.set(version, combiner);
    }
    return combiner;
  }
}
