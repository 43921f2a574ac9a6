/**
 * Sentences for reasons and the written rationale. Pure functions of their inputs: the same reasons give
 * the same text, byte for byte.
 */
import type { AnomalySeries, ConvictionBand, Direction, ModelOutput, ReasonComponent } from '../types.js';

const fmt = (x: number, digits = 1): string => x.toFixed(digits);

function money(x: number): string {
  if (x >= 1e9) return `$${fmt(x / 1e9)}B`;
  if (x >= 1e6) return `$${fmt(x / 1e6)}M`;
  if (x >= 1e3) return `$${fmt(x / 1e3)}k`;
  return `$${fmt(x, 0)}`;
}

function leaning(polarity: number, up: string, down: string, flat: string): string {
  if (polarity > 0.15) return up;
  if (polarity < -0.15) return down;
  return flat;
}

const DESCRIBE: Record<AnomalySeries, (o: ModelOutput) => string> = {
  mentions: (o) =>
    `Social mentions of ${o.instrument} are ${fmt(o.score)}σ above normal (${fmt(o.value, 0)} vs ${fmt(o.mean)} per bucket), ` +
    leaning(o.polarity, 'with bullish sentiment', 'with bearish sentiment', 'with mixed sentiment') +
    ` (${fmt(o.polarity, 2)}).`,
  volume: (o) =>
    `Trading volume in ${o.instrument} is ${fmt(o.score)}σ above its rolling mean, ` +
    leaning(o.polarity, 'on a rising bar', 'on a falling bar', 'on a flat bar') + '.',
  news: (o) =>
    `News flow on ${o.instrument} is ${fmt(o.score)}σ above normal, ` +
    leaning(o.polarity, 'mostly positive', 'mostly negative', 'neutral in tone') + '.',
  insider: (o) =>
    `Insiders ${leaning(o.polarity, 'bought', 'sold', 'traded')} ${money(o.value)} of ${o.instrument} on the open market, ` +
    `${fmt(o.score)}σ above the usual insider activity.`,
  whale: (o) =>
    `Large on-chain transfers of ${o.instrument} worth ${money(o.value)} (${fmt(o.score)}σ above normal), ` +
    leaning(o.polarity, 'moving off exchanges', 'moving onto exchanges', 'between private wallets') + '.',
};

export function reasonSentence(output: ModelOutput): string {
  const describe = DESCRIBE[output.series as AnomalySeries] as ((o: ModelOutput) => string) | undefined;
  if (describe) return describe(output);
  return output.summary ?? `${output.modelId} scored ${output.instrument} at ${fmt(output.score, 2)}.`;
}

export function rationale(
  instrument: string,
  score: number,
  direction: Direction,
  band: ConvictionBand,
  reasons: readonly ReasonComponent[],
  ttlSeconds: number,
): string {
  const head =
    direction === 'NEUTRAL'
      ? `No directional conviction on ${instrument} (score ${fmt(score, 2)}): the evidence below pulls both ways or is weak.`
      : `${band[0]}${band.slice(1).toLowerCase()} ${direction.toLowerCase()} conviction on ${instrument} (score ${fmt(score, 2)}).`;
  const main = reasons.filter((r) => Math.abs(r.contribution) >= 0.01);
  const because = main.length
    ? ` Driven by: ${main.map((r) => `${r.sentence.replace(/\.$/, '')} (${r.contribution >= 0 ? '+' : ''}${fmt(r.contribution, 2)})`).join('; ')}.`
    : '';
  const minutes = Math.round(ttlSeconds / 60);
  const horizon = minutes >= 120 ? `${Math.round(minutes / 60)} hours` : `${minutes} minutes`;
  return `${head}${because} Valid for ${horizon}.`;
}
