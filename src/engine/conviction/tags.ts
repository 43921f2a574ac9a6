/**
 * A conviction's routing tags: what downstream consumers (vault allocators, dashboards, alert routes) filter on.
 *
 * - `asset:<class>`, `sector:<sector>`; `horizon:swing` for a TTL of a day or more, else `horizon:intraday`;
 * - `anomaly:<series>` for each z-score series active, `anomaly:features` when the anomaly detector saw an
 *   unusual feature vector; `insider` for unusual insider trading, `insider-cluster` for a cluster of insiders;
 * - persona fit: `persona:aggressive` for any directional conviction; `persona:risk-averse` when it is STRONG
 *   or EXTREME and at least two independent inputs lean its way; `persona:contrarian` when it is crowd-driven
 *   (social attention carries at least half of it), which a contrarian trades against;
 * - `direction:<long|short|neutral>`.
 */
import type { ConvictionBand, Direction, Instrument, ModelOutput } from '../types.js';
import { CONVICTION_INPUTS } from './inputs.js';

export interface TagInput {
  readonly instrument: Instrument | undefined;
  readonly ttl: number;
  readonly direction: Direction;
  readonly band: ConvictionBand;
  readonly score: number;
  /** Per conviction input, the output it came from. */
  readonly sources: readonly (ModelOutput | null)[];
  /** Per conviction input, its share of the score. */
  readonly shares: readonly number[];
}

const CROWD_INPUTS: ReadonlySet<string> = new Set(['zscore:mentions']);

export function routingTags(t: TagInput): string[] {
  const active = (name: string) => t.sources[CONVICTION_INPUTS.indexOf(name as never)] ?? null;
  const zscoreSeries = t.sources.filter((o): o is ModelOutput => o !== null && o.modelId.startsWith('ZScore(')).map((o) => o.series);
  const anomalyShare = t.shares[CONVICTION_INPUTS.indexOf('anomaly')] ?? 0;
  const anomalies = [...new Set(zscoreSeries.map((s) => `anomaly:${s}`)), ...(active('anomaly') && anomalyShare !== 0 ? ['anomaly:features'] : [])].sort();

  const total = t.shares.reduce((a, s) => a + Math.abs(s), 0);
  const crowd = t.shares.reduce((a, s, i) => (CROWD_INPUTS.has(CONVICTION_INPUTS[i]!) ? a + Math.abs(s) : a), 0);
  const agreeing = t.shares.filter((s, i) => CONVICTION_INPUTS[i] !== 'anomaly' && Math.sign(s) === Math.sign(t.score) && Math.abs(s) >= 0.02).length;
  const personas: string[] = [];
  if (t.direction !== 'NEUTRAL') {
    personas.push('persona:aggressive');
    if ((t.band === 'STRONG' || t.band === 'EXTREME') && agreeing >= 2) personas.push('persona:risk-averse');
    if (total > 0 && crowd / total >= 0.5) personas.push('persona:contrarian');
  }
  return [
    `asset:${t.instrument?.assetClass ?? 'unknown'}`,
    ...(t.instrument?.sector ? [`sector:${t.instrument.sector.toLowerCase().replace(/\s+/g, '-')}`] : []),
    `horizon:${t.ttl >= 86_400 ? 'swing' : 'intraday'}`,
    ...anomalies,
    ...(zscoreSeries.includes('insider') ? ['insider'] : []),
    ...(active('graph:insider_cluster') ? ['insider-cluster'] : []),
    ...personas.sort(),
    `direction:${t.direction.toLowerCase()}`,
  ];
}
