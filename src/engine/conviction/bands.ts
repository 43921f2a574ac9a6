import type { ConvictionBand, Direction } from '../types.js';

/** |score| below this is NEUTRAL: too weak to lean either way. */
export const NEUTRAL_BELOW = 0.1;

export function directionOf(score: number): Direction {
  if (score >= NEUTRAL_BELOW) return 'LONG';
  if (score <= -NEUTRAL_BELOW) return 'SHORT';
  return 'NEUTRAL';
}

export function bandOf(score: number): ConvictionBand {
  const a = Math.abs(score);
  if (a >= 0.75) return 'EXTREME';
  if (a >= 0.5) return 'STRONG';
  if (a >= 0.25) return 'MODERATE';
  return 'WEAK';
}
