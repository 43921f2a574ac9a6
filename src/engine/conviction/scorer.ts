/**
 * The conviction scorer: turns model outputs into the conviction vector of one instrument.
 *
 * It keeps, per instrument, the latest output of each model and series until that output's horizon has
 * passed. Each new output re-scores the instrument from everything still active:
 *
 *   strength_i     = tanh(max(0, |z_i| - 1) / 3)        how unusual the series is, in 0..1
 *   contribution_i = weight_i × polarity_i × strength_i  signed by the direction the signals carry
 *   score          = tanh(1.5 × Σ contribution_i)        squashed into -1..1
 *
 * The reasons reported are the contributions rescaled so that they add up to the score, so a reader can
 * see how much of the conviction each piece of evidence carries.
 */
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { Stage } from '../stage.js';
import type {
  AnomalySeries,
  ContributingModel,
  ConvictionScored,
  ConvictionVector,
  Instrument,
  ModelOutput,
  ModelScored,
  ReasonComponent,
} from '../types.js';
import { bandOf, directionOf } from './bands.js';
import { rationale, reasonSentence } from './explain.js';

/** How much each kind of evidence weighs. Insider buying and exchange inflows are the best documented. */
export const SERIES_WEIGHTS: Readonly<Record<AnomalySeries, number>> = {
  insider: 0.5,
  whale: 0.4,
  mentions: 0.35,
  news: 0.25,
  volume: 0.25,
};

const GAIN = 1.5;
const round = (x: number, digits = 6): number => Number(x.toFixed(digits));

interface ActiveOutput {
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
    const vector = this.#vector(event, active);
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

  #vector(event: ModelScored, active: readonly ActiveOutput[]): ConvictionVector {
    const trigger = event.payload;
    const raw = active.map(({ output: o }) => {
      const strength = Math.tanh(Math.max(0, Math.abs(o.score) - 1) / 3);
      return { o, weight: SERIES_WEIGHTS[o.series], value: SERIES_WEIGHTS[o.series] * o.polarity * strength };
    });
    const sum = raw.reduce((acc, r) => acc + r.value, 0);
    const score = round(Math.tanh(GAIN * sum));
    const scale = sum === 0 ? 0 : score / sum;

    const reasonVector: ReasonComponent[] = raw
      .map(({ o, value }) => ({
        feature: `${o.series}.zscore`,
        contribution: round(value * scale),
        value: round(o.score, 4),
        sentence: reasonSentence(o),
      }))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.feature.localeCompare(b.feature));

    const contributingModels: ContributingModel[] = raw.map(({ o, weight }) => ({
      modelId: `${o.modelId}:${o.series}`,
      version: o.modelVersion,
      weight,
      output: round(o.score, 4),
    }));

    const ttl = Math.max(1, Math.round(Math.max(...active.map((a) => a.output.horizonMs)) / 1000));
    const createdAt = this.clock.now();
    const direction = directionOf(score);
    const band = bandOf(score);
    const instrument = this.instruments(trigger.instrument);
    const routingTags = [
      `asset:${instrument?.assetClass ?? 'unknown'}`,
      ...(instrument?.sector ? [`sector:${instrument.sector.toLowerCase().replace(/\s+/g, '-')}`] : []),
      `horizon:${ttl >= 86_400 ? 'swing' : 'intraday'}`,
      ...[...new Set(raw.map((r) => `anomaly:${r.o.series}`))].sort(),
      ...(raw.some((r) => r.o.series === 'insider') ? ['insider'] : []),
      `direction:${direction.toLowerCase()}`,
    ];

    return {
      id: eventId('cnv', event.id),
      signalId: active.find((a) => a.eventId === event.id)?.trigger ?? event.id,
      instrument: trigger.instrument,
      convictionScore: score,
      direction,
      band,
      reasonVector,
      contributingModels,
      ttl,
      expiresAt: createdAt + ttl * 1000,
      routingTags,
      explanation: rationale(trigger.instrument, score, direction, band, reasonVector, ttl),
      createdAt,
    };
  }
}
