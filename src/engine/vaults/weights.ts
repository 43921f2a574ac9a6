/**
 * Target weights for the instruments a vault trades on conviction. Pure decimal arithmetic, in this order:
 *
 * 1. raw weight: proportional mode |score| × tilt, normalized over the candidates to the room left in the
 *    gross budget; banded mode bandWeights[band] × tilt.
 * 2. per-instrument cap: min(caps.perInstrument, persona.maxPositionWeight, Kelly cap). The Kelly cap reads
 *    the score as an edge: a bet won with probability p = (1 + |score|) / 2 at even odds has full-Kelly
 *    fraction f* = 2p − 1 = |score|, and the vault allows kellyCap × f* (0.5 = half Kelly).
 * 3. volatility scaling: × min(1, target / σ), σ the instrument's annualized volatility. After the caps, so
 *    a volatile instrument is held smaller than a quiet one even when both reach their cap; it only scales
 *    down, so a quiet instrument is never levered up past what its conviction and caps allow.
 * 4. per-sector cap: each sector's Σ|w|, with the positions held outside this allocation, ≤ caps.perSector.
 * 5. budget: Σ|w| + held gross ≤ leverage × (1 − cashBuffer) (and, for a loan vault, maxNotional / NAV);
 *    Σ long w + held long ≤ 1 − cashBuffer, since vaults never borrow cash: leverage beyond 1 comes from
 *    shorts.
 * 6. each weight is rounded toward zero to 8 places, so rounding can only tighten a cap.
 * Steps 4 and 5 scale weights down proportionally, so the earlier caps still hold after them.
 */
import type { AllocationMode } from './vault-schema.js';
import type { ConvictionBand } from '../types.js';
import { Dec, dec, maxDec, minDec, ONE, WEIGHT_PLACES, ZERO } from './decimal.js';

export interface WeightCandidate {
  readonly instrument: string;
  readonly sector: string;
  /** The score the persona trades, signed, in -1..1. */
  readonly score: number;
  readonly band: ConvictionBand;
  /** Product of the overlay's tilts that apply; 0 excludes the instrument. */
  readonly tilt: number;
  /** Annualized volatility, > 0. */
  readonly volatility: number;
}

export interface WeightParams {
  readonly mode: AllocationMode;
  readonly bandWeights: Readonly<Partial<Record<ConvictionBand, number>>>;
  readonly perInstrument: number;
  readonly personaMax: number;
  readonly perSector: number;
  readonly kellyCap: number;
  readonly volatilityTarget: number;
  /** Largest Σ|w| of the whole vault. */
  readonly grossBudget: Dec;
  /** Largest Σ long w of the whole vault. */
  readonly longBudget: Dec;
  /** |weight| of positions held outside this allocation, in total, long, and per sector. */
  readonly heldGross: Dec;
  readonly heldLong: Dec;
  readonly heldBySector: ReadonlyMap<string, Dec>;
}

export type WeightLimit = 'tilt' | 'volatility' | 'instrument_cap' | 'persona_cap' | 'kelly_cap' | 'sector_cap' | 'budget' | 'long_budget';

export interface Weighted {
  readonly instrument: string;
  /** Signed fraction of NAV. */
  readonly weight: Dec;
  /** Which limits bound the weight, in the order they applied. */
  readonly limits: readonly WeightLimit[];
}

interface Working {
  readonly c: WeightCandidate;
  abs: Dec;
  readonly limits: WeightLimit[];
}

export function targetWeights(candidates: readonly WeightCandidate[], p: WeightParams): Weighted[] {
  const grossRoom = maxDec(p.grossBudget.sub(p.heldGross), ZERO);
  const rows: Working[] = candidates.map((c) => {
    const tilt = new Dec(c.tilt);
    const limits: WeightLimit[] = tilt.isZero() ? ['tilt'] : [];
    const base = p.mode === 'proportional' ? new Dec(Math.abs(c.score)) : new Dec(p.bandWeights[c.band] ?? 0);
    return { c, abs: base.mul(tilt), limits };
  });

  if (p.mode === 'proportional') {
    const total = rows.reduce((acc, r) => acc.add(r.abs), ZERO);
    for (const r of rows) r.abs = total.isZero() ? ZERO : r.abs.div(total).mul(grossRoom);
  }

  for (const r of rows) {
    const caps: [WeightLimit, Dec][] = [
      ['instrument_cap', new Dec(p.perInstrument)],
      ['persona_cap', new Dec(p.personaMax)],
      ['kelly_cap', new Dec(p.kellyCap).mul(new Dec(Math.abs(r.c.score)))],
    ];
    const [limit, cap] = caps.reduce((a, b) => (b[1].lt(a[1]) ? b : a));
    if (r.abs.gt(cap)) {
      r.abs = cap;
      r.limits.push(limit);
    }
    const factor = minDec(ONE, new Dec(p.volatilityTarget).div(new Dec(r.c.volatility)));
    if (factor.lt(ONE) && r.abs.gt(0)) {
      r.abs = r.abs.mul(factor);
      r.limits.push('volatility');
    }
  }

  const sectors = [...new Set(rows.map((r) => r.c.sector))].sort();
  for (const sector of sectors) {
    const members = rows.filter((r) => r.c.sector === sector);
    const room = maxDec(new Dec(p.perSector).sub(p.heldBySector.get(sector) ?? ZERO), ZERO);
    scaleInto(members, room, 'sector_cap');
  }
  scaleInto(rows, grossRoom, 'budget');
  scaleInto(
    rows.filter((r) => r.c.score > 0),
    maxDec(p.longBudget.sub(p.heldLong), ZERO),
    'long_budget',
  );

  return rows.map((r) => {
    const abs = r.abs.toDecimalPlaces(WEIGHT_PLACES, Dec.ROUND_DOWN);
    return { instrument: r.c.instrument, weight: r.c.score < 0 ? abs.neg() : abs, limits: r.limits };
  });
}

function scaleInto(rows: readonly Working[], room: Dec, limit: WeightLimit): void {
  const total = rows.reduce((acc, r) => acc.add(r.abs), ZERO);
  if (total.lte(room)) return;
  for (const r of rows) {
    if (r.abs.isZero()) continue;
    r.abs = r.abs.mul(room).div(total).toDecimalPlaces(WEIGHT_PLACES + 4, Dec.ROUND_DOWN);
    r.limits.push(limit);
  }
}

/** The overlay's tilt for an instrument and the routing tags of its conviction: the product of all that apply. */
export function tiltOf(
  tilts: { readonly instruments: Readonly<Record<string, number>>; readonly tags: Readonly<Record<string, number>> },
  instrument: string,
  tags: readonly string[],
): number {
  let t = dec(tilts.instruments[instrument] ?? 1);
  for (const tag of [...new Set(tags)].sort()) {
    const v = tilts.tags[tag];
    if (v !== undefined) t = t.mul(new Dec(v));
  }
  return t.toNumber();
}
