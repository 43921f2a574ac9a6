/**
 * The built-in personas, as frozen data. A custom persona is the same data, validated by the same schema
 * (`parsePersona`), with kind `custom` and an id of its own.
 */
import type { Persona } from './persona-schema.js';

function freeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) freeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Deep-frozen copy: what is stored or handed out can never be changed in place. */
export function deepFreeze<T>(value: T): T {
  return freeze(structuredClone(value));
}

/** Trades only strong evidence, in small positions, without leverage, with tight stops. */
export const RISK_AVERSE: Persona = freeze({
  id: 'risk-averse',
  name: 'Risk-averse',
  kind: 'risk_averse',
  description: 'Strong and extreme convictions only; small positions, no leverage, 5% stops, 10% volatility target.',
  minAbsConviction: 0.5,
  maxPositionWeight: 0.05,
  leverage: 1,
  stopLoss: 0.05,
  volatilityTarget: 0.1,
  flip: { mode: 'none', crowdShareMin: 0.6, swarmMin: 0.5 },
  bands: ['STRONG', 'EXTREME'],
});

/**
 * Fades the crowd: a conviction driven mostly by social chatter or carrying bot-swarm evidence is traded the
 * other way (crowd-driven moves tend to revert); informed evidence (insiders, on-chain flows) is followed.
 */
export const CONTRARIAN: Persona = freeze({
  id: 'contrarian',
  name: 'Contrarian',
  kind: 'contrarian',
  description: 'Trades against crowd-driven conviction and with informed conviction; moderate positions, 8% stops.',
  minAbsConviction: 0.3,
  maxPositionWeight: 0.08,
  leverage: 1,
  stopLoss: 0.08,
  volatilityTarget: 0.15,
  flip: { mode: 'crowd', crowdShareMin: 0.6, swarmMin: 0.5 },
  bands: ['MODERATE', 'STRONG', 'EXTREME'],
});

/** Large positions from moderate evidence up, twice levered (through shorts), wide stops. */
export const AGGRESSIVE: Persona = freeze({
  id: 'aggressive',
  name: 'Aggressive',
  kind: 'aggressive',
  description: 'Moderate convictions and up; positions to 20%, gross exposure to 2× equity, 15% stops.',
  minAbsConviction: 0.25,
  maxPositionWeight: 0.2,
  leverage: 2,
  stopLoss: 0.15,
  volatilityTarget: 0.35,
  flip: { mode: 'none', crowdShareMin: 0.6, swarmMin: 0.5 },
  bands: ['MODERATE', 'STRONG', 'EXTREME'],
});

export const BUILT_IN_PERSONAS: readonly Persona[] = Object.freeze([RISK_AVERSE, CONTRARIAN, AGGRESSIVE]);

const BY_ID: ReadonlyMap<string, Persona> = new Map(BUILT_IN_PERSONAS.map((p) => [p.id, p]));

export function builtInPersona(id: string): Persona | undefined {
  return BY_ID.get(id);
}

export function isBuiltInPersona(id: string): boolean {
  return BY_ID.has(id);
}
