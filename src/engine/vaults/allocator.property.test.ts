/**
 * Property tests of the allocator over many random vaults, states, convictions and markets (seeded, so a
 * failure is reproducible from its case number).
 */
import { describe, expect, it } from 'vitest';
import { SIM_PARAMS } from '../collectors/universe.js';
import { Random } from '../random.js';
import type { ConvictionVector } from '../types.js';
import { allocate, type AllocationInput, lotOf } from './allocator.js';
import { dec, str } from './decimal.js';
import { conviction, CTX, EQUITIES, CRYPTO, INSTRUMENTS, T0, vaultInput } from './fixtures.js';
import { applyFill } from './ledger.js';
import { applyOverlay } from './overlay.js';
import type { Persona } from './persona-schema.js';
import { BUILT_IN_PERSONAS } from './personas.js';
import { initialState, type Position } from './state.js';
import { parseOverlay, parseVaultConfig } from './validate.js';
import type { VaultConfigInput } from './vault-schema.js';

const SYMBOLS = [...EQUITIES.slice(0, 16), ...CRYPTO.slice(0, 6)];
const CASES = 400;
const NOW = T0 + 30 * 60_000;

const round = (x: number, places: number) => Number(x.toFixed(places));

function randomCase(seed: number): AllocationInput {
  const rng = new Random(seed);
  const perInstrument = round(0.02 + rng.next() * 0.4, 3);
  const perSector = round(Math.min(1, perInstrument + rng.next() * 0.6), 3);
  const banded = rng.chance(0.4);
  const input: VaultConfigInput = vaultInput({
    id: `prop-${seed}`,
    startingCapital: String(rng.int(1_000, 2_000_000)),
    universe: rng.chance(0.3) ? { instruments: [], tags: ['asset:equity', 'asset:crypto'] } : { instruments: SYMBOLS, tags: [] },
    allocation: banded
      ? { mode: 'banded', bandWeights: { MODERATE: round(perInstrument * rng.next(), 4), STRONG: round(perInstrument * rng.next(), 4), EXTREME: perInstrument } }
      : { mode: 'proportional' },
    caps: { perInstrument, perSector, leverage: round(rng.next() * 3, 2), allowShort: rng.chance(0.5) },
    cashBuffer: round(rng.next() * 0.5, 3),
    volatilityTarget: rng.chance(0.5) ? null : round(0.05 + rng.next() * 0.5, 3),
    kellyCap: round(0.1 + rng.next() * 0.9, 2),
    ttlExpiry: rng.chance(0.5) ? { action: 'close' } : { action: 'reduce', fraction: round(0.1 + rng.next() * 0.9, 2) },
    trading: { minNotional: String(rng.int(0, 200)), feeRate: round(rng.next() * 0.01, 5), lotSizes: {}, defaultLots: {} },
  });
  const config = parseVaultConfig(input, CTX);
  const deny = SYMBOLS.filter(() => rng.chance(0.15));
  const allow = rng.chance(0.3) ? SYMBOLS.filter((s) => !deny.includes(s) && rng.chance(0.6)) : [];
  const overlay = rng.chance(0.6)
    ? parseOverlay(
        {
          deny,
          ...(allow.length ? { allow } : {}),
          tilts: { instruments: { [rng.pick(SYMBOLS)]: round(rng.next() * 3, 2) }, tags: { 'asset:crypto': round(rng.next() * 2, 2) } },
          ...(rng.chance(0.1) ? { paused: true } : {}),
        },
        config,
        CTX,
      ).overlay
    : null;
  const vault = applyOverlay(config, overlay);
  const persona: Persona = rng.chance(0.7)
    ? rng.pick(BUILT_IN_PERSONAS)
    : { ...rng.pick(BUILT_IN_PERSONAS), id: 'custom', kind: 'custom', minAbsConviction: round(rng.next() * 0.6, 2), maxPositionWeight: round(0.01 + rng.next() * 0.5, 3), leverage: round(rng.next() * 3, 2) };

  const prices: Record<string, string> = {};
  const volatility: Record<string, number> = {};
  for (const s of SYMBOLS) {
    const p = SIM_PARAMS.get(s)!;
    if (rng.chance(0.95)) prices[s] = str(dec(p.price).mul(dec(round(0.8 + rng.next() * 0.4, 4))).toDecimalPlaces(s.endsWith('-USD') ? 6 : 2));
    if (rng.chance(0.95)) volatility[s] = round(p.vol * (0.5 + rng.next()), 4);
  }

  const base = initialState(config, T0);
  const positions: Position[] = [];
  let cash = dec(base.cash);
  for (const s of SYMBOLS) {
    if (!rng.chance(0.25)) continue;
    const instrument = INSTRUMENTS.get(s)!;
    const price = dec(prices[s] ?? String(SIM_PARAMS.get(s)!.price));
    const budget = cash.mul(round(rng.next() * 0.2, 3));
    const short = vault.caps.allowShort && rng.chance(0.3);
    const q = budget.div(price).div(lotOf(vault, instrument)).trunc().mul(lotOf(vault, instrument));
    if (q.isZero()) continue;
    const avg = price.mul(dec(round(0.85 + rng.next() * 0.3, 4))).toDecimalPlaces(6);
    cash = short ? cash.add(q.mul(avg)) : cash.sub(q.mul(avg));
    positions.push({
      instrument: s,
      quantity: str(short ? q.neg() : q),
      costBasis: str(q.mul(avg)),
      avgPrice: str(avg),
      realizedPnl: '0',
      openedAt: T0,
      convictionId: rng.chance(0.7) ? `cnv_${s}_old` : null,
      convictionExpiresAt: rng.chance(0.8) ? NOW + rng.int(-HOUR_MS, HOUR_MS) : null,
      nextLeg: rng.int(0, 3),
      expiryHandled: rng.chance(0.2),
    });
  }

  const convictions: ConvictionVector[] = [];
  const count = rng.int(0, 24);
  for (let i = 0; i < count; i++) {
    const s = rng.pick(SYMBOLS);
    const score = round(rng.next() * 2 - 1, 4);
    const social = rng.next();
    convictions.push(
      conviction(s, score, {
        id: `cnv_${seed}_${i}`,
        createdAt: NOW - rng.int(0, 2 * HOUR_MS),
        ttl: rng.int(60, 4 * 3600),
        reasons: [
          ['mentions.zscore', round(score * social, 4), 3],
          ['insider.zscore', round(score * (1 - social), 4), 2],
          ...(rng.chance(0.1) ? ([['bot_swarm_share_1h', 0.01, round(rng.next(), 2)]] as const) : []),
        ],
      }),
    );
  }
  // Some vaults are short of cash: most of their equity sits in positions.
  if (rng.chance(0.25)) cash = cash.mul(dec(round(rng.next() * 0.05, 4))).toDecimalPlaces(2);
  return { vault, persona, state: { ...base, cash: str(cash), positions }, convictions, market: { prices, volatility }, instruments: INSTRUMENTS, now: NOW };
}

const HOUR_MS = 3_600_000;
const cases = Array.from({ length: CASES }, (_, i) => i + 1);

describe('allocator properties', () => {
  it(`hold over ${CASES} random vaults, states and convictions`, () => {
    let intents = 0;
    for (const seed of cases) {
      const input = randomCase(seed);
      const { vault, persona, state, market } = input;
      const plan = allocate(input);
      const label = `case ${seed}`;
      intents += plan.intents.length;
      const instrumentCap = Math.min(vault.caps.perInstrument, persona.maxPositionWeight);
      const budget = dec(Math.min(vault.caps.leverage, persona.leverage)).mul(dec(1).sub(dec(vault.cashBuffer)));

      // Weights within caps, sum within leverage × (1 − cash buffer).
      const targets = plan.targets.filter((t) => t.action === 'target');
      let gross = dec(0);
      const bySector = new Map<string, ReturnType<typeof dec>>();
      for (const t of targets) {
        const w = dec(t.weight).abs();
        const c = input.convictions.filter((x) => x.id === t.convictionId)[0]!;
        expect(w.lte(instrumentCap), `${label} ${t.instrument} instrument cap`).toBe(true);
        expect(w.lte(dec(vault.kellyCap).mul(Math.abs(c.convictionScore))), `${label} ${t.instrument} Kelly cap`).toBe(true);
        gross = gross.add(w);
        const sector = INSTRUMENTS.get(t.instrument)!.sector;
        bySector.set(sector, (bySector.get(sector) ?? dec(0)).add(w));
        if (!vault.caps.allowShort) expect(dec(t.weight).gte(0), `${label} long only`).toBe(true);
      }
      expect(gross.lte(budget), `${label} gross ${gross} > ${budget}`).toBe(true);
      for (const [sector, w] of bySector) expect(w.lte(vault.caps.perSector), `${label} ${sector}`).toBe(true);

      // No intent for a denied instrument; quantities are positive decimal strings.
      for (const i of plan.intents) {
        expect(vault.deny.includes(i.instrument), `${label} denied ${i.instrument}`).toBe(false);
        expect(i.quantity).toMatch(/^(?!0+(\.0+)?$)\d+(\.\d+)?$/);
        expect(i.vaultId).toBe(vault.id);
        if (vault.paused) expect(['stop', 'expire', 'close'], `${label} paused`).toContain(i.reason);
      }

      // Cash never negative after the planned trades at the given prices, with the fee allowance.
      let after = state;
      for (const [k, i] of plan.intents.entries()) {
        const price = market.prices[i.instrument]!;
        const fee = str(dec(i.quantity).mul(dec(price)).mul(dec(vault.trading.feeRate)).toDecimalPlaces(8, 0));
        after = applyFill(after, { fillId: `p${k}`, vaultId: vault.id, instrument: i.instrument, side: i.side, quantity: i.quantity, price, fee, ts: NOW }, { allowShort: true, isolated: false }).state;
      }
      expect(dec(after.cash).gte(0), `${label} cash ${after.cash}`).toBe(true);
      if (!vault.caps.allowShort) {
        for (const p of after.positions) {
          const before = state.positions.find((x) => x.instrument === p.instrument);
          if (!before || dec(before.quantity).gte(0)) expect(dec(p.quantity).gte(0), `${label} ${p.instrument} went short`).toBe(true);
        }
      }
    }
    // The cases must exercise the allocator, not skip everything.
    expect(intents).toBeGreaterThan(CASES);
  });

  it('same inputs give byte-identical intents, whatever the order of the convictions', () => {
    for (const seed of cases.slice(0, 150)) {
      const input = randomCase(seed);
      const a = JSON.stringify(allocate(input));
      const shuffled = [...input.convictions].reverse();
      const b = JSON.stringify(allocate({ ...randomCase(seed), convictions: shuffled }));
      expect(b, `case ${seed}`).toBe(a);
    }
  });
});
