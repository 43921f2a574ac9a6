/**
 * The ensemble stage: runs every live feature model on each feature snapshot (`features.computed`) and
 * publishes what they say on `models.outputs`.
 *
 * A model speaks only when it has something new to say, as the z-score model does: its evidence is cut into
 * levels of `levelStep` (0.1 by default: P(up) of 55%, 60%, 65% ... for a classifier), and an output is published when
 * the level rises above the last one published for the instrument, when the lean flips, or when the last
 * output is half its horizon old and the level still stands (so a standing view does not expire). Falling back
 * lowers the mark, so a later rise is reported again.
 *
 * Each output carries the snapshot's feature values the model read (as attributions), so the conviction it
 * feeds can be explained and replayed down to those values.
 */
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { Stage } from '../stage.js';
import type { FeaturesComputed, ModelScored } from '../types.js';
import { type FeatureModel, rowOf } from './feature-models.js';

export interface EnsembleStageOptions {
  readonly levelStep?: number;
  /**
   * Shadow versions, read for every snapshot: scored on the same snapshots under the same rule, their outputs
   * published on `models.shadow` (recorded and audited, compared with live), never on `models.outputs`.
   */
  readonly shadow?: () => readonly FeatureModel[];
}

interface Mark {
  readonly level: number;
  readonly sign: number;
  /** Event time of the last output published at this mark. */
  readonly at: number;
}

export class EnsembleStage implements Stage<typeof Topics.featuresComputed> {
  readonly name = 'model-ensemble';
  readonly input = Topics.featuresComputed;
  readonly #levelStep: number;
  readonly #marks = new Map<string, Mark>();
  readonly #shadow: () => readonly FeatureModel[];

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    /** Read for every snapshot, so that a promotion takes effect without a restart. */
    private readonly models: () => readonly FeatureModel[],
    options: EnsembleStageOptions = {},
  ) {
    this.#levelStep = options.levelStep ?? 0.1;
    this.#shadow = options.shadow ?? (() => []);
  }

  async handle(event: FeaturesComputed): Promise<void> {
    const outputs: ModelScored[] = [];
    for (const model of this.models()) {
      const output = await this.#score(event, model, `${event.payload.instrument}|${model.modelId}`);
      if (output) outputs.push(output);
    }
    if (outputs.length > 0) await this.bus.publishMany(Topics.modelOutputs, outputs);
    const shadow: ModelScored[] = [];
    for (const model of this.#shadow()) {
      const output = await this.#score(event, model, `shadow|${event.payload.instrument}|${model.modelId}@${model.version}`);
      if (output) shadow.push(output);
    }
    if (shadow.length > 0) await this.bus.publishMany(Topics.modelShadowOutputs, shadow);
  }

  /** The model's output for the snapshot when one is due under the mark kept at `key`. */
  async #score(event: FeaturesComputed, model: FeatureModel, key: string): Promise<ModelScored | null> {
    const snapshot = event.payload;
    const row = rowOf(snapshot.values, model.features);
    const [result] = await model.score(snapshot.instrument, [row], snapshot.asOf);
    if (!result) return null;
    const level = Math.floor(Math.abs(result.signal) / this.#levelStep + 1e-9);
    const sign = Math.sign(result.signal);
    const mark = this.#marks.get(key);
    const due =
      level >= 1 &&
      (!mark || level > mark.level || sign !== mark.sign || snapshot.asOf - mark.at >= model.horizonMs / 2);
    if (!due) {
      if (mark && level < mark.level) this.#marks.set(key, { level, sign, at: mark.at });
      return null;
    }
    this.#marks.set(key, { level, sign, at: snapshot.asOf });
    return {
      id: eventId('mdl', model.modelId, model.version, event.id),
      type: 'ModelScored',
      tsEvent: event.tsEvent,
      tsInit: this.clock.now(),
      // The snapshot, and the signal that made it due last: the conviction names that signal as its trigger.
      causationIds: [event.id, ...event.causationIds],
      payload: {
        modelId: model.modelId,
        modelVersion: model.version,
        instrument: snapshot.instrument,
        series: 'features',
        value: result.signal,
        mean: 0,
        std: 1,
        score: result.score,
        polarity: sign,
        horizonMs: model.horizonMs,
        signal: result.signal,
        ...(result.attributions ? { attributions: result.attributions } : {}),
        summary: result.summary,
      },
    };
  }
}
