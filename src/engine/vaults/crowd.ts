/**
 * What a persona makes of a conviction: whether it is crowd-driven, and the signed score the persona trades.
 *
 * Crowd-driven means the conviction rests on what people say rather than on what informed parties do. From
 * the conviction's own explanation:
 *   crowdShare = Σ |contribution| of social reasons / Σ |contribution| of all reasons
 * where a social reason is one whose feature is social-media evidence (`mentions.*`, `mentions_*`,
 * `sentiment*`, `social*`, `bot_swarm*`). It is crowd-driven when
 *   - crowdShare ≥ persona.flip.crowdShareMin, or
 *   - a `bot_swarm*` reason has value ≥ persona.flip.swarmMin (manufactured chatter, whatever its share), or
 *   - its routing tags carry `crowd` or `bot_swarm`, or
 *   - it has no reasons at all and its only anomaly tag is `anomaly:mentions`.
 * Insider, whale, volume and news reasons are not social: a conviction led by them is informed.
 */
import type { ConvictionVector } from '../types.js';
import type { Persona } from './persona-schema.js';

const SOCIAL_PREFIXES = ['mentions.', 'mentions_', 'sentiment', 'social', 'bot_swarm'] as const;

export function isSocialFeature(feature: string): boolean {
  return SOCIAL_PREFIXES.some((p) => feature.startsWith(p)) || feature === 'mentions';
}

export interface CrowdReading {
  /** Share of the evidence that is social, 0..1 (0 when there are no reasons). */
  readonly crowdShare: number;
  /** The largest bot-swarm reason value seen, 0 when none. */
  readonly swarm: number;
  readonly crowdDriven: boolean;
}

export function readCrowd(conviction: Pick<ConvictionVector, 'reasonVector' | 'routingTags'>, persona: Persona): CrowdReading {
  let social = 0;
  let total = 0;
  let swarm = 0;
  for (const r of conviction.reasonVector) {
    const weight = Math.abs(r.contribution);
    total += weight;
    if (isSocialFeature(r.feature)) social += weight;
    if (r.feature.startsWith('bot_swarm')) swarm = Math.max(swarm, r.value);
  }
  const crowdShare = total > 0 ? social / total : 0;
  const tags = conviction.routingTags;
  const anomalies = tags.filter((t) => t.startsWith('anomaly:'));
  const crowdDriven =
    (total > 0 && crowdShare >= persona.flip.crowdShareMin) ||
    swarm >= persona.flip.swarmMin ||
    tags.includes('crowd') ||
    tags.includes('bot_swarm') ||
    (conviction.reasonVector.length === 0 && anomalies.length === 1 && anomalies[0] === 'anomaly:mentions');
  return { crowdShare, swarm, crowdDriven };
}

export type PersonaView =
  | { readonly traded: true; readonly score: number; readonly flipped: boolean; readonly crowd: CrowdReading }
  | { readonly traded: false; readonly why: 'not_crowd_driven'; readonly crowd: CrowdReading };

/** The score the persona trades: the conviction's own, or its opposite when the persona fades it. */
export function personaView(conviction: ConvictionVector, persona: Persona): PersonaView {
  const crowd = readCrowd(conviction, persona);
  const mode = persona.flip.mode;
  if (mode === 'crowd_only' && !crowd.crowdDriven) return { traded: false, why: 'not_crowd_driven', crowd };
  const flipped = mode !== 'none' && crowd.crowdDriven;
  return { traded: true, score: flipped ? -conviction.convictionScore : conviction.convictionScore, flipped, crowd };
}
