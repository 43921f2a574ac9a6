/**
 * Test data for the vault engine: the simulator's instrument universe, conviction vectors shaped like the
 * scorer's, and a valid vault input to vary one field at a time.
 */
import { SIM_PARAMS, UNIVERSE } from '../collectors/universe.js';
import { bandOf, directionOf } from '../conviction/bands.js';
import type { ConvictionVector, ReasonComponent } from '../types.js';
import type { MarketSnapshot } from './allocator.js';
import { applyOverlay, type EffectiveVault } from './overlay.js';
import { isBuiltInPersona } from './personas.js';
import { instrumentMap, parseOverlay, parseVaultConfig, type ValidationContext } from './validate.js';
import type { VaultConfigInput, VaultOverlayInput } from './vault-schema.js';

export const T0 = Date.UTC(2024, 0, 2, 14, 30);
export const HOUR = 3_600_000;
export const INSTRUMENTS = instrumentMap(UNIVERSE);
export const CTX: ValidationContext = { instruments: INSTRUMENTS, personaExists: isBuiltInPersona };
/** Loan-mode terms for a vault funded by an outside lender. */
export const LOAN = { lender: 'Northwind', principal: '100000', lenderShare: 0.2, interestRateAnnual: 0.05, maxNotional: '150000', maxDrawdown: 0.1 };

export const EQUITIES = UNIVERSE.filter((i) => i.assetClass === 'equity').map((i) => i.symbol);
export const CRYPTO = UNIVERSE.filter((i) => i.assetClass === 'crypto').map((i) => i.symbol);

function tagsOf(symbol: string, score: number, series: readonly string[]): string[] {
  const i = INSTRUMENTS.get(symbol);
  return [
    `asset:${i?.assetClass ?? 'unknown'}`,
    ...(i?.sector ? [`sector:${i.sector.toLowerCase().replace(/\s+/g, '-')}`] : []),
    'horizon:intraday',
    ...[...new Set(series.map((s) => `anomaly:${s}`))].sort(),
    `direction:${directionOf(score).toLowerCase()}`,
  ];
}

export interface ConvictionOptions {
  readonly id?: string;
  readonly createdAt?: number;
  readonly ttl?: number;
  /** Reasons as [feature, contribution, value]. Defaults to one insider reason carrying the whole score. */
  readonly reasons?: readonly (readonly [string, number, number])[];
  readonly tags?: readonly string[];
}

export function conviction(instrument: string, score: number, o: ConvictionOptions = {}): ConvictionVector {
  const createdAt = o.createdAt ?? T0;
  const ttl = o.ttl ?? 3600;
  const reasons: ReasonComponent[] = (o.reasons ?? [['insider.zscore', score, 3]]).map(([feature, contribution, value]) => ({
    feature,
    contribution,
    value,
    sentence: `${feature} moved.`,
  }));
  const series = reasons.map((r) => r.feature.split(/[._]/)[0] as string);
  return {
    id: o.id ?? `cnv_${instrument}_${createdAt}_${score}`,
    signalId: `sig_${instrument}`,
    instrument,
    convictionScore: score,
    direction: directionOf(score),
    band: bandOf(score),
    reasonVector: reasons,
    contributingModels: [{ modelId: 'ZScore(window=48,min=12):insider', version: '1', weight: 0.5, output: 3 }],
    ttl,
    expiresAt: createdAt + ttl * 1000,
    routingTags: o.tags ?? tagsOf(instrument, score, series),
    explanation: `Conviction on ${instrument}.`,
    createdAt,
  };
}

export function vaultInput(overrides: Partial<VaultConfigInput> = {}): VaultConfigInput {
  return {
    id: 'test-vault',
    name: 'Test vault',
    personaId: 'aggressive',
    startingCapital: '100000',
    universe: { instruments: [...EQUITIES, ...CRYPTO], tags: [] },
    allocation: { mode: 'proportional' },
    caps: { perInstrument: 0.1, perSector: 0.3, leverage: 1, allowShort: false },
    cashBuffer: 0.05,
    kellyCap: 0.5,
    ttlExpiry: { action: 'close' },
    compounding: { rule: 'reinvest_all', schedule: 'daily' },
    ...overrides,
  };
}

export function effective(overrides: Partial<VaultConfigInput> = {}, overlay: VaultOverlayInput | null = null): EffectiveVault {
  const config = parseVaultConfig(vaultInput(overrides), CTX);
  return overlay ? parseOverlay(overlay, config, CTX).effective : applyOverlay(config, null);
}

/** Prices at the simulator's starting levels, and its volatilities. */
export function market(overrides: { prices?: Record<string, string>; volatility?: Record<string, number> } = {}): MarketSnapshot {
  const prices: Record<string, string> = {};
  const volatility: Record<string, number> = {};
  for (const [symbol, p] of SIM_PARAMS) {
    prices[symbol] = String(p.price);
    volatility[symbol] = p.vol;
  }
  return { prices: { ...prices, ...overrides.prices }, volatility: { ...volatility, ...overrides.volatility } };
}
