/**
 * The allocator: a vault, its state, market data and the active convictions in; target weights and order
 * intents out. Pure and deterministic: the same inputs give byte-identical output.
 *
 * Each instrument the vault holds or has a conviction on is decided once, in symbol order:
 * - denied by the overlay: never traded, in either direction (held positions are left as they are);
 * - no usable price: left alone;
 * - a position past its stop (long: price ≤ avg × (1 − stopLoss); short: price ≥ avg × (1 + stopLoss)):
 *   closed (`stop`), and its conviction is not traded again by this vault;
 * - a loan vault below its drawdown limit: every position closed, nothing opened;
 * - the latest active conviction (expiresAt > now; latest createdAt, then largest id) is weighed
 *   (weights.ts) when eligible, and a position it no longer supports is closed (`close`);
 * - a position with no active conviction whose conviction's TTL has passed is reduced or closed once, as
 *   `ttlExpiry` says (`expire`); any other position without a conviction is held.
 * A paused vault places only stops, expiries and loan-limit closes; a closed vault places nothing.
 * Positions left alone count toward the caps and budgets of the rest.
 */
import type { ConvictionVector, Instrument } from '../types.js';
import { Dec, dec, floorToLot, POSITIVE_DECIMAL_RE, str, ZERO } from './decimal.js';
import { VaultError } from './errors.js';
import { type CrowdReading, personaView } from './crowd.js';
import { loanDrawdownBreached } from './loan.js';
import { type ExitAction, planOrders, type TargetLine } from './orders.js';
import type { EffectiveVault } from './overlay.js';
import type { Persona } from './persona-schema.js';
import { liabilities, type Position, type VaultState } from './state.js';
import { targetWeights, tiltOf, type WeightCandidate, type WeightLimit } from './weights.js';
import type { OrderIntent } from '../execution/broker.js';

export interface MarketSnapshot {
  /** Last price per instrument, as positive decimal strings. */
  readonly prices: Readonly<Record<string, string>>;
  /** Annualized volatility estimate per instrument (0.3 = 30%). */
  readonly volatility: Readonly<Record<string, number>>;
}

export interface AllocationInput {
  readonly vault: EffectiveVault;
  readonly persona: Persona;
  readonly state: VaultState;
  readonly convictions: readonly ConvictionVector[];
  readonly market: MarketSnapshot;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly now: number;
}

export type SkipReason =
  | 'denied'
  | 'no_price'
  | 'no_volatility'
  | 'unknown_instrument'
  | 'outside_universe'
  | 'not_allowed'
  | 'paused'
  | 'stopped_out'
  | 'not_crowd_driven'
  | 'neutral'
  | 'band_filtered'
  | 'below_min_conviction'
  | 'short_not_allowed'
  | 'invalid_conviction'
  | 'loan_drawdown'
  | 'held'
  | 'dust'
  | 'within_band'
  | 'cash';

export interface AllocationTarget {
  readonly instrument: string;
  readonly convictionId: string | null;
  readonly action: 'target' | ExitAction;
  /** Signed target weight (fraction of NAV) the quantity was sized from; for an exit, what it leaves. */
  readonly weight: string;
  /** Signed target quantity after lot rounding. */
  readonly quantity: string;
  readonly crowdDriven: boolean;
  /** True when the persona trades against the conviction. */
  readonly flipped: boolean;
  readonly limits: readonly WeightLimit[];
}

export interface AllocationSkip {
  readonly instrument: string;
  readonly convictionId: string | null;
  readonly reason: SkipReason;
}

export interface AllocationPlan {
  readonly vaultId: string;
  readonly at: number;
  /** Null, or why nothing was planned. */
  readonly halted: 'closed' | null;
  readonly equity: string;
  readonly nav: string;
  /** Largest Σ|weight|: leverage × (1 − cashBuffer), and maxNotional / NAV for a loan vault. */
  readonly grossBudget: string;
  readonly targets: readonly AllocationTarget[];
  readonly skipped: readonly AllocationSkip[];
  readonly intents: readonly OrderIntent[];
}

const DEFAULT_LOTS: Readonly<Record<Instrument['assetClass'], string>> = { equity: '1', crypto: '0.000001', index: '1' };

export function lotOf(vault: EffectiveVault, instrument: Instrument): Dec {
  return dec(vault.trading.lotSizes[instrument.symbol] ?? vault.trading.defaultLots[instrument.assetClass] ?? DEFAULT_LOTS[instrument.assetClass]);
}

export function venueOf(vault: EffectiveVault, instrument: Instrument): string {
  return vault.venues.byInstrument[instrument.symbol] ?? vault.venues.byAssetClass[instrument.assetClass] ?? vault.venues.default;
}

/** The latest active conviction per instrument. */
export function activeConvictions(convictions: readonly ConvictionVector[], now: number): Map<string, ConvictionVector> {
  const latest = new Map<string, ConvictionVector>();
  for (const c of convictions) {
    if (!(c.expiresAt > now) || c.createdAt > now) continue;
    const seen = latest.get(c.instrument);
    if (!seen || c.createdAt > seen.createdAt || (c.createdAt === seen.createdAt && c.id > seen.id)) latest.set(c.instrument, c);
  }
  return latest;
}

function checkMarket(market: MarketSnapshot): void {
  const issues = [
    ...Object.entries(market.prices)
      .filter(([, p]) => !POSITIVE_DECIMAL_RE.test(p))
      .map(([s]) => ({ path: `prices.${s}`, message: 'must be a positive decimal string' })),
    ...Object.entries(market.volatility)
      .filter(([, v]) => !(Number.isFinite(v) && v >= 0))
      .map(([s]) => ({ path: `volatility.${s}`, message: 'must be a finite number ≥ 0' })),
  ];
  if (issues.length) throw new VaultError('MARKET_INVALID', 'market data invalid', issues);
}

function stopHit(p: Position, price: Dec, stopLoss: number | null): boolean {
  if (stopLoss === null) return false;
  const avg = dec(p.avgPrice);
  const q = dec(p.quantity);
  const move = dec(stopLoss);
  return q.gt(0) ? price.lte(avg.mul(dec(1).sub(move))) : price.gte(avg.mul(dec(1).add(move)));
}

type Decision =
  | { kind: 'skip'; reason: SkipReason; convictionId: string | null }
  | { kind: 'exit'; action: ExitAction; target: Dec; convictionId: string | null }
  | { kind: 'weigh'; conviction: ConvictionVector; score: number; crowd: CrowdReading; flipped: boolean; candidate: WeightCandidate };

export function allocate(input: AllocationInput): AllocationPlan {
  const { vault, persona, state, market, now } = input;
  checkMarket(market);
  const positions = new Map(state.positions.map((p) => [p.instrument, p]));
  const convictions = activeConvictions(input.convictions, now);

  let equity = dec(state.cash);
  for (const p of state.positions) {
    const given = market.prices[p.instrument];
    equity = equity.add(dec(p.quantity).mul(dec(given ?? p.avgPrice)));
  }
  const nav = equity.sub(liabilities(state));
  const buffer = dec(1).sub(dec(vault.cashBuffer));
  let grossBudget = dec(Math.min(vault.caps.leverage, persona.leverage)).mul(buffer);
  if (vault.loan && nav.gt(0)) grossBudget = Dec.min(grossBudget, dec(vault.loan.maxNotional).div(nav).mul(buffer));
  const empty = (halted: 'closed' | null): AllocationPlan => ({
    vaultId: vault.id, at: now, halted, equity: str(equity), nav: str(nav), grossBudget: str(grossBudget), targets: [], skipped: [], intents: [],
  });
  if (vault.status === 'closed') return empty('closed');

  const breached = vault.loan && state.loan ? loanDrawdownBreached(vault.loan, state.loan, nav) : false;
  const allow = vault.allow ? new Set(vault.allow) : null;
  const deny = new Set(vault.deny);
  const universe = new Set(vault.universe.instruments);
  const stopped = new Set(state.stoppedConvictions);

  const decide = (symbol: string): Decision => {
    const position = positions.get(symbol) ?? null;
    const conviction = convictions.get(symbol) ?? null;
    const cid = conviction?.id ?? null;
    if (deny.has(symbol)) return { kind: 'skip', reason: 'denied', convictionId: cid };
    const price = market.prices[symbol];
    if (price === undefined) return { kind: 'skip', reason: 'no_price', convictionId: cid };
    const instrument = input.instruments.get(symbol);
    if (!instrument) return { kind: 'skip', reason: 'unknown_instrument', convictionId: cid };
    if (position && stopHit(position, dec(price), persona.stopLoss)) {
      return { kind: 'exit', action: 'stop', target: ZERO, convictionId: position.convictionId };
    }
    if (breached && position) return { kind: 'exit', action: 'close', target: ZERO, convictionId: null };
    if (conviction && !vault.paused && !breached) {
      const ineligible = (reason: SkipReason): Decision =>
        position ? { kind: 'exit', action: 'close', target: ZERO, convictionId: cid } : { kind: 'skip', reason, convictionId: cid };
      const s = conviction.convictionScore;
      if (!(Number.isFinite(s) && s >= -1 && s <= 1)) return ineligible('invalid_conviction');
      const inUniverse = universe.has(symbol) || conviction.routingTags.some((t) => vault.universe.tags.includes(t));
      if (!inUniverse) return ineligible('outside_universe');
      if (allow && !allow.has(symbol)) return ineligible('not_allowed');
      if (stopped.has(conviction.id)) return ineligible('stopped_out');
      const view = personaView(conviction, persona);
      if (!view.traded) return ineligible(view.why);
      if (conviction.direction === 'NEUTRAL' || view.score === 0) return ineligible('neutral');
      if (!persona.bands.includes(conviction.band)) return ineligible('band_filtered');
      if (Math.abs(view.score) < persona.minAbsConviction) return ineligible('below_min_conviction');
      if (view.score < 0 && !vault.caps.allowShort) return ineligible('short_not_allowed');
      const volatility = market.volatility[symbol];
      if (volatility === undefined || volatility <= 0) return { kind: 'skip', reason: 'no_volatility', convictionId: cid };
      return {
        kind: 'weigh',
        conviction,
        score: view.score,
        crowd: view.crowd,
        flipped: view.flipped,
        candidate: {
          instrument: symbol,
          sector: instrument.sector,
          score: view.score,
          band: conviction.band,
          tilt: tiltOf(vault.tilts, symbol, conviction.routingTags),
          volatility,
        },
      };
    }
    if (position && position.convictionExpiresAt !== null && position.convictionExpiresAt <= now && !position.expiryHandled && !conviction) {
      const q = dec(position.quantity);
      const rule = vault.ttlExpiry;
      const left = rule.action === 'close' ? ZERO : floorToLot(q.abs().mul(dec(1).sub(dec(rule.fraction))), lotOf(vault, instrument));
      return { kind: 'exit', action: 'expire', target: q.lt(0) ? left.neg() : left, convictionId: position.convictionId };
    }
    if (conviction && breached) return { kind: 'skip', reason: 'loan_drawdown', convictionId: cid };
    if (conviction && vault.paused) return { kind: 'skip', reason: 'paused', convictionId: cid };
    return { kind: 'skip', reason: 'held', convictionId: cid };
  };

  const symbols = [...new Set([...positions.keys(), ...convictions.keys()])].sort();
  const decisions = symbols.map((s) => [s, decide(s)] as const);

  // What is left alone still uses the caps and the budget.
  let heldGross = ZERO;
  let heldLong = ZERO;
  const heldBySector = new Map<string, Dec>();
  for (const [symbol, d] of decisions) {
    const p = positions.get(symbol);
    if (d.kind !== 'skip' || !p) continue;
    const w = nav.gt(0) ? dec(p.quantity).mul(dec(market.prices[symbol] ?? p.avgPrice)).div(nav) : ZERO;
    heldGross = heldGross.add(w.abs());
    if (w.gt(0)) heldLong = heldLong.add(w);
    const sector = input.instruments.get(symbol)?.sector ?? 'unknown';
    heldBySector.set(sector, (heldBySector.get(sector) ?? ZERO).add(w.abs()));
  }
  if (!nav.gt(0)) heldGross = grossBudget;

  const weighed = decisions.flatMap(([, d]) => (d.kind === 'weigh' ? [d] : []));
  const weights = targetWeights(
    weighed.map((d) => d.candidate),
    {
      mode: vault.allocation.mode,
      bandWeights: vault.allocation.mode === 'banded' ? vault.allocation.bandWeights : {},
      perInstrument: vault.caps.perInstrument,
      personaMax: persona.maxPositionWeight,
      perSector: vault.caps.perSector,
      kellyCap: vault.kellyCap,
      volatilityTarget: vault.volatilityTarget ?? persona.volatilityTarget,
      grossBudget,
      longBudget: buffer,
      heldGross,
      heldLong,
      heldBySector,
    },
  );
  const weightOf = new Map(weights.map((w) => [w.instrument, w]));

  const targets: AllocationTarget[] = [];
  const skipped: AllocationSkip[] = [];
  const lines: TargetLine[] = [];
  for (const [symbol, d] of decisions) {
    if (d.kind === 'skip') {
      skipped.push({ instrument: symbol, convictionId: d.convictionId, reason: d.reason });
      continue;
    }
    const instrument = input.instruments.get(symbol) as Instrument;
    const price = dec(market.prices[symbol] as string);
    const lot = lotOf(vault, instrument);
    const position = positions.get(symbol);
    const current = position ? dec(position.quantity) : ZERO;
    let target = d.kind === 'exit' ? d.target : ZERO;
    let weight = d.kind === 'exit' && nav.gt(0) ? target.mul(price).div(nav).toDecimalPlaces(8, Dec.ROUND_DOWN) : ZERO;
    let limits: readonly WeightLimit[] = [];
    const convictionId = d.kind === 'weigh' ? d.conviction.id : d.convictionId;
    if (d.kind === 'weigh') {
      const w = weightOf.get(symbol);
      weight = w?.weight ?? ZERO;
      limits = w?.limits ?? [];
      const size = nav.gt(0) ? floorToLot(weight.abs().mul(nav).div(price), lot) : ZERO;
      target = weight.lt(0) ? size.neg() : size;
    }
    targets.push({
      instrument: symbol,
      convictionId,
      action: d.kind === 'exit' ? d.action : 'target',
      weight: str(weight),
      quantity: str(target),
      crowdDriven: d.kind === 'weigh' ? d.crowd.crowdDriven : false,
      flipped: d.kind === 'weigh' ? d.flipped : false,
      limits,
    });
    lines.push({
      instrument: symbol,
      current,
      target,
      price,
      lot,
      action: d.kind === 'exit' ? d.action : 'target',
      convictionId,
      firstLeg: position && convictionId !== null && position.convictionId === convictionId ? position.nextLeg : 0,
      venue: venueOf(vault, instrument),
      timeInForce: instrument.assetClass === 'crypto' ? 'GTC' : 'DAY',
    });
  }

  const { intents, dropped } = planOrders(lines, {
    vaultId: vault.id,
    cash: dec(state.cash),
    feeRate: dec(vault.trading.feeRate),
    minNotional: dec(vault.trading.minNotional),
    rebalanceBand: dec(vault.trading.rebalanceBand),
    now,
  });
  for (const d of dropped) {
    skipped.push({ instrument: d.instrument, convictionId: lines.find((l) => l.instrument === d.instrument)?.convictionId ?? null, reason: d.reason });
  }
  return { ...empty(null), targets, skipped, intents };
}

