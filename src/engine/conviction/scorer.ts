/**
 * The conviction scorer: turns model outputs into the conviction vector of one instrument.
 *
 * It keeps, per instrument, the latest output of each model and series until that output's horizon has passed.
 * Each new output re-scores the instrument from everything still active: the outputs become the stacker's input
 * vector (inputs.ts), a combiner (combiner.ts: the trained meta stacker, or prior weights before one is trained)
 * gives the score and each input's share of it, and the vector is written from those shares:
 *
 * - `reasonVector`: one reason per contributing model; a feature model's share is split further over the
 *   features its TreeSHAP attributions name (top three, the rest together), so the reasons reach down to
 *   feature values. Reasons add up to the score.
 * - `contributingModels`: each model with its version, its weight in the combination, and its output.
 * - `ttl`: the longest horizon among the active outputs. `routingTags`: see `routingTags` in tags.ts.
 *
 * The vector is a pure function of the active outputs, the combiner and the clock: the same inputs give a
 * byte-identical vector, which is what lets a conviction be replayed from its recorded causes.
 */
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { Stage } from '../stage.js';
import type { ContributingModel, ConvictionScored, ConvictionVector, Instrument, ModelOutput, ModelScored, ReasonComponent } from '../types.js';
import { bandOf, directionOf } from './bands.js';
import { type Combination, type Combiner, PriorWeightsCombiner } from './combiner.js';
import { rationale, reasonSentence } from './explain.js';
import { CONVICTION_INPUTS, type InputVector, inputVector } from './inputs.js';
import { featureReasons } from './reasons.js';
import { routingTags } from './tags.js';

const round = (x: number, digits = 6): number => Number(x.toFixed(digits));

export interface ActiveOutput {
  readonly eventId: string;
  readonly output: ModelOutput;
  readonly expiresAtEvent: number;
  readonly trigger: string;
}

export class ConvictionScorer implements Stage<typeof Topics.modelOutputs> {
  readonly name = 'conviction-scorer';
  readonly input = Topics.modelOutputs;
  readonly #active = new Map<string, Map<string, ActiveOutput>>();

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly instruments: (symbol: string) => Instrument | undefined,
    /** Read at each scoring, so that a promoted stacker takes over without a restart. */
    private readonly combiner: () => Combiner = constant(new PriorWeightsCombiner()),
    /** Told of each conviction with the inputs it was scored from (training and evaluation read them). */
    private readonly observe?: (inputs: InputVector, vector: ConvictionVector, tsEvent: number) => void,
  ) {}

  async handle(event: ModelScored): Promise<void> {
    const out = event.payload;
    let book = this.#active.get(out.instrument);
    if (!book) this.#active.set(out.instrument, (book = new Map()));
    for (const [key, a] of book) if (a.expiresAtEvent <= event.tsEvent) book.delete(key);
    book.set(`${out.modelId}|${out.series}`, {
      eventId: event.id,
      output: out,
      expiresAtEvent: event.tsEvent + out.horizonMs,
      trigger: event.causationIds[event.causationIds.length - 1] ?? event.id,
    });

    const active = [...book.values()].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    const inputs = inputVector(active.map((a) => a.output));
    const vector = scoreConviction(event, active, inputs, this.combiner(), this.clock.now(), this.instruments(out.instrument));
    this.observe?.(inputs, vector, event.tsEvent);
    const scored: ConvictionScored = {
      id: vector.id,
      type: 'ConvictionScored',
      tsEvent: event.tsEvent,
      tsInit: vector.createdAt,
      causationIds: active.map((a) => a.eventId),
      payload: vector,
    };
    await this.bus.publish(Topics.convictions, scored);
  }
}

function constant<T>(value: T): () => T {
  return () => value;
}

/** The conviction vector from the active outputs (ordered by event id), as of `now`. */
export function scoreConviction(
  event: ModelScored,
  active: readonly ActiveOutput[],
  inputs: InputVector,
  combiner: Combiner,
  now: number,
  instrument: Instrument | undefined,
): ConvictionVector {
  const outputs = active.map((a) => a.output);
  const combination = combiner.combine(inputs.values);
  const score = combination.score;
  const reasonVector = reasonsOf(inputs.sources, combination);
  const contributingModels: ContributingModel[] = [];
  inputs.sources.forEach((o, i) => {
    if (!o) return;
    const zscore = o.modelId.startsWith('ZScore(');
    contributingModels.push({
      modelId: zscore ? `${o.modelId}:${o.series}` : o.modelId,
      version: o.modelVersion,
      weight: combination.weights[i]!,
      output: round(zscore ? o.score : (o.signal ?? o.score), 4),
    });
  });
  contributingModels.push({ modelId: combiner.name, version: combiner.version, weight: 1, output: score });

  const ttl = Math.max(1, Math.round(Math.max(...outputs.map((o) => o.horizonMs)) / 1000));
  const direction = directionOf(score);
  const band = bandOf(score);
  const symbol = event.payload.instrument;
  return {
    id: eventId('cnv', event.id),
    signalId: active.find((a) => a.eventId === event.id)?.trigger ?? event.id,
    instrument: symbol,
    convictionScore: score,
    direction,
    band,
    reasonVector,
    contributingModels,
    ttl,
    expiresAt: now + ttl * 1000,
    routingTags: routingTags({ instrument, ttl, direction, band, score, sources: inputs.sources, shares: combination.shares }),
    explanation: rationale(symbol, score, direction, band, reasonVector, ttl),
    createdAt: now,
  };
}

function reasonsOf(sources: readonly (ModelOutput | null)[], combination: Combination): ReasonComponent[] {
  const reasons: ReasonComponent[] = [];
  sources.forEach((o, i) => {
    if (!o) return;
    const share = combination.shares[i]!;
    if (o.attributions && o.attributions.length > 0) {
      reasons.push(...featureReasons(o, CONVICTION_INPUTS[i]!, share));
      return;
    }
    const zscore = o.modelId.startsWith('ZScore(');
    reasons.push({
      feature: zscore ? `${o.series}.zscore` : CONVICTION_INPUTS[i]!,
      contribution: share,
      value: round(zscore ? o.score : (o.signal ?? o.score), 4),
      sentence: reasonSentence(o),
    });
  });
  if (Math.abs(combination.prior) >= 1e-6) {
    reasons.push({
      feature: 'stacker.prior',
      contribution: combination.prior,
      value: combination.prior,
      sentence: 'The stacker’s base rate: how often the next horizon moves up when nothing stands out.',
    });
  }
  return reasons.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.feature.localeCompare(b.feature));
}
