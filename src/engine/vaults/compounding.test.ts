import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { compound, isCompoundingDue, nextCompoundingAt } from './compounding.js';
import { dec, str } from './decimal.js';
import { CTX, T0, vaultInput } from './fixtures.js';
import { applyFill, markToMarket } from './ledger.js';
import { initialState, type VaultState } from './state.js';
import { parseVaultConfig } from './validate.js';
import type { CompoundingSchedule, VaultConfigInput } from './vault-schema.js';

const DAY = 86_400_000;
const config = (compounding: VaultConfigInput['compounding'], extra: Partial<VaultConfigInput> = {}) =>
  parseVaultConfig(vaultInput({ compounding, ...extra }), CTX);

let fills = 0;
/** Realizes `pnl` on AAPL (bought at 100, sold at 100 + pnl / 10), leaving no position. */
function realize(state: VaultState, pnl: string): VaultState {
  const base = { vaultId: state.vaultId, instrument: 'AAPL', quantity: '10', fee: '0', ts: T0 };
  const bought = applyFill(state, { ...base, fillId: `b${++fills}`, side: 'BUY', price: '100' }, { allowShort: false, isolated: false }).state;
  const exit = str(dec(100).add(dec(pnl).div(10)));
  return applyFill(bought, { ...base, fillId: `s${fills}`, side: 'SELL', price: exit }, { allowShort: false, isolated: false }).state;
}

describe('compounding schedule', () => {
  const tuesday = Date.UTC(2024, 0, 2, 14, 30);
  it.each<[CompoundingSchedule, number, number | null]>([
    ['daily', tuesday, Date.UTC(2024, 0, 3)],
    ['daily', Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 4)],
    ['weekly', tuesday, Date.UTC(2024, 0, 8)],
    ['weekly', Date.UTC(2024, 0, 7, 23), Date.UTC(2024, 0, 8)],
    ['weekly', Date.UTC(2024, 0, 8), Date.UTC(2024, 0, 15)],
    ['monthly', Date.UTC(2024, 0, 31, 23), Date.UTC(2024, 1, 1)],
    ['monthly', Date.UTC(2024, 11, 15), Date.UTC(2025, 0, 1)],
    ['manual', tuesday, null],
  ])('%s after %i is next due at %s', (schedule, last, next) => {
    expect(nextCompoundingAt(schedule, last)).toBe(next);
  });

  it.each<[CompoundingSchedule, number | null, number, boolean]>([
    ['daily', null, T0, true],
    ['daily', T0, T0 + 1000, false],
    ['daily', T0, Date.UTC(2024, 0, 3), true],
    ['weekly', T0, Date.UTC(2024, 0, 7, 23, 59), false],
    ['manual', T0, T0, true],
  ])('%s, last %s, now %i: due %s', (schedule, last, now, due) => {
    expect(isCompoundingDue(schedule, last, now)).toBe(due);
  });

  it('a compounding that is not due changes nothing', () => {
    const c = config({ rule: 'reinvest_all', schedule: 'daily' });
    const first = compound(realize(initialState(c, T0), '100'), c, {}, T0);
    if (!first.due) throw new Error('first compounding is always due');
    expect(compound(first.state, c, {}, T0 + 1000)).toEqual({ due: false, nextAt: Date.UTC(2024, 0, 3) });
  });
});

describe('compounding rules', () => {
  it.each<[string, VaultConfigInput['compounding'], string, Partial<Record<'cash' | 'reserve' | 'withdrawn' | 'reinvested' | 'swept' | 'carried' | 'pending', string>>]>([
    ['reinvest_all keeps the profit trading', { rule: 'reinvest_all', schedule: 'manual' }, '1000', { cash: '101000', reinvested: '1000', swept: '0', carried: '0' }],
    ['reinvest_all carries a loss', { rule: 'reinvest_all', schedule: 'manual' }, '-250', { cash: '99750', reinvested: '0', carried: '-250' }],
    ['reinvest_fraction sweeps the rest to the reserve, in whole cents', { rule: 'reinvest_fraction', fraction: 0.7, schedule: 'manual' }, '1000.05', { cash: '100700.04', reserve: '300.01', reinvested: '700.04', swept: '300.01' }],
    ['reinvest_fraction 0 sweeps all of it', { rule: 'reinvest_fraction', fraction: 0, schedule: 'manual' }, '512.5', { cash: '100000', reserve: '512.5', swept: '512.5', reinvested: '0' }],
    ['reinvest_fraction sweeps nothing from a loss', { rule: 'reinvest_fraction', fraction: 0.5, schedule: 'manual' }, '-80', { cash: '99920', reserve: '0', carried: '-80' }],
    ['fixed_base withdraws what exceeds the base', { rule: 'fixed_base', schedule: 'manual' }, '2500', { cash: '100000', withdrawn: '2500' }],
    ['fixed_base with a lower base withdraws down to it', { rule: 'fixed_base', base: '90000', schedule: 'manual' }, '10', { cash: '90000', withdrawn: '10010' }],
    ['fixed_base withdraws nothing below the base', { rule: 'fixed_base', schedule: 'manual' }, '-10', { cash: '99990', withdrawn: '0', carried: '-10' }],
  ])('%s', (_name, rule, pnl, expected) => {
    const c = config(rule);
    const out = compound(realize(initialState(c, T0), pnl), c, {}, T0);
    if (!out.due) throw new Error('manual compounding is always due');
    const got = {
      cash: out.state.cash,
      reserve: out.state.reserve,
      withdrawn: out.state.withdrawn,
      reinvested: out.result.reinvested,
      swept: out.result.swept,
      carried: out.result.carriedForward,
      pending: out.state.pendingSweep,
    };
    expect(got).toMatchObject(expected);
    expect(out.state.lastCompoundedAt).toBe(T0);
    expect(out.state.uncompoundedPnl).toBe(out.result.carriedForward);
  });

  it('a loss carried forward is made good before a later profit is swept', () => {
    const c = config({ rule: 'reinvest_fraction', fraction: 0.5, schedule: 'manual' });
    const first = compound(realize(initialState(c, T0), '-200'), c, {}, T0);
    if (!first.due) throw new Error('due');
    const second = compound(realize(first.state, '500'), c, {}, T0 + 1);
    if (!second.due) throw new Error('due');
    expect(second.result.realizedPnl).toBe('300');
    expect(second.result.swept).toBe('150');
  });

  it('a sweep cash cannot pay is owed and paid when cash allows, never overdrawing', () => {
    const c = config({ rule: 'reinvest_fraction', fraction: 0, schedule: 'manual' }, { startingCapital: '1000' });
    let state = realize(initialState(c, T0), '400');
    // Put all but 100 of the cash into a position.
    state = applyFill(state, { fillId: 'big', vaultId: c.id, instrument: 'MSFT', side: 'BUY', quantity: '13', price: '100', fee: '0', ts: T0 }, { allowShort: false, isolated: false }).state;
    const first = compound(state, c, {}, T0);
    if (!first.due) throw new Error('due');
    expect(first.state.cash).toBe('0');
    expect(first.result.swept).toBe('100');
    expect(first.state.pendingSweep).toBe('300');
    const sold = applyFill(first.state, { fillId: 'sell', vaultId: c.id, instrument: 'MSFT', side: 'SELL', quantity: '13', price: '100', fee: '0', ts: T0 }, { allowShort: false, isolated: false }).state;
    const second = compound(sold, c, {}, T0 + 1);
    if (!second.due) throw new Error('due');
    expect(second.result.swept).toBe('300');
    expect(second.state.pendingSweep).toBe('0');
    expect(second.state.reserve).toBe('400');
    expect(second.state.cash).toBe('1000');
  });

  it('never changes what the owner has (nav + reserve + withdrawn), over random PnL (seeded)', () => {
    const rng = new Random(7);
    const rules: VaultConfigInput['compounding'][] = [
      { rule: 'reinvest_all', schedule: 'manual' },
      { rule: 'reinvest_fraction', fraction: 0.35, schedule: 'manual' },
      { rule: 'fixed_base', schedule: 'manual' },
    ];
    for (const rule of rules) {
      const c = config(rule);
      let state = initialState(c, T0);
      for (let i = 0; i < 60; i++) {
        state = realize(state, str(dec(rng.int(-50_000, 80_000)).div(100)));
        const before = markToMarket(state, {});
        const out = compound(state, c, {}, T0 + i);
        if (!out.due) throw new Error('due');
        const after = markToMarket(out.state, {});
        const owned = (s: VaultState, nav: string) => dec(nav).add(dec(s.reserve)).add(dec(s.withdrawn));
        expect(str(owned(out.state, after.nav))).toBe(str(owned(state, before.nav)));
        expect(dec(out.state.cash).gte(0)).toBe(true);
        state = out.state;
      }
    }
  });
});
