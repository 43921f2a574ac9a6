/**
 * The graph model: scores the structures the entity graph finds (entities/), as they re-enter the pipeline as
 * signals, into model outputs the stacker reads.
 *
 * - An **insider cluster** (several insiders of one issuer buying on the open market within a window) is the
 *   best documented insider signal: strength grows with the number of distinct buyers beyond the first and with
 *   the dollars put in, `tanh(0.5 · (insiders − 1)) · min(1, log10(1 + usd) / 6.5)` ($3M of purchases counts
 *   fully). Directional: up.
 * - A **co-trading community** (accounts that act on the same instruments together) says coordination, not
 *   direction: its strength is the community's score (density × cohesion), and the stacker reads it as an
 *   amplifier of whatever the other evidence leans (conviction/inputs.ts).
 *
 * A retraction (a cluster whose filings were amended away) is scored 0, which replaces the earlier output.
 */
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { Stage } from '../stage.js';
import type { ModelScored, SignalEnriched } from '../types.js';
import { modelName } from './model.js';

export interface GraphModelParams {
  /** How long an insider cluster's output stays active. */
  readonly clusterHorizonMs: number;
  readonly communityHorizonMs: number;
}

export const DEFAULT_GRAPH_MODEL_PARAMS: GraphModelParams = Object.freeze({
  clusterHorizonMs: 24 * 3_600_000,
  communityHorizonMs: 6 * 3_600_000,
});

const num = (b: Readonly<Record<string, unknown>>, k: string): number => {
  const v = Number(b[k]);
  return Number.isFinite(v) ? v : 0;
};
const money = (x: number): string => (x >= 1e6 ? `$${(x / 1e6).toFixed(1)}M` : `$${Math.round(x / 1e3)}k`);

/** The graph model's name, with its parameters. */
export function graphModelName(params: GraphModelParams = DEFAULT_GRAPH_MODEL_PARAMS): string {
  return modelName('GraphStructure', { cluster: `${params.clusterHorizonMs / 3_600_000}h`, community: `${params.communityHorizonMs / 3_600_000}h` });
}

export function clusterStrength(insiders: number, usd: number): number {
  return Math.tanh(0.5 * Math.max(0, insiders - 1)) * Math.min(1, Math.log10(1 + Math.max(0, usd)) / 6.5);
}

export class GraphStructureModel implements Stage<typeof Topics.signalsEnriched> {
  readonly name = 'model-graph';
  readonly input = Topics.signalsEnriched;
  readonly modelId: string;
  readonly version = '1';

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    readonly params: GraphModelParams = DEFAULT_GRAPH_MODEL_PARAMS,
  ) {
    this.modelId = graphModelName(params);
  }

  async handle(event: SignalEnriched): Promise<void> {
    const s = event.payload;
    if (!s.instrument || (s.kind !== 'insider_cluster' && s.kind !== 'co_trading_community')) return;
    const b = s.body;
    let signal: number;
    let summary: string;
    let horizonMs: number;
    if (s.kind === 'insider_cluster') {
      const insiders = num(b, 'insiders');
      const usd = num(b, 'totalValue');
      signal = s.retracts ? 0 : clusterStrength(insiders, usd);
      horizonMs = this.params.clusterHorizonMs;
      summary = s.retracts
        ? `The insider cluster in ${s.instrument} was withdrawn by amended filings.`
        : `${insiders} insiders of ${s.instrument} bought ${money(usd)} on the open market within the cluster window.`;
    } else {
      signal = s.retracts ? 0 : Math.max(0, Math.min(1, num(b, 'score')));
      horizonMs = this.params.communityHorizonMs;
      summary = `A group of ${num(b, 'size')} accounts acts on ${s.instrument} together (cohesion ${num(b, 'cohesion').toFixed(2)}).`;
    }
    const scored: ModelScored = {
      id: eventId('mdl', this.modelId, event.id),
      type: 'ModelScored',
      tsEvent: event.tsEvent,
      tsInit: this.clock.now(),
      causationIds: [event.id],
      payload: {
        modelId: this.modelId,
        modelVersion: this.version,
        instrument: s.instrument,
        series: s.kind,
        value: signal,
        mean: 0,
        std: 1,
        score: signal,
        polarity: s.kind === 'insider_cluster' ? 1 : 0,
        horizonMs,
        signal,
        summary,
      },
    };
    await this.bus.publish(Topics.modelOutputs, scored);
  }
}
