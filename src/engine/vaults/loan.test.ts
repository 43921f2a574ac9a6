import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { compound } from './compounding.js';
import { dec, str } from './decimal.js';
import { CTX, T0, vaultInput } from './fixtures.js';
import { applyFill, markToMarket, type VaultFill } from './ledger.js';
import { accrueInterest, loanDrawdownBreached, settleLoan } from './loan.js';
import { DAY_MS, initialState, type VaultState } from './state.js';
import { parseVaultConfig } from './validate.js';
import type { VaultConfigInput } from './vault-schema.js';

const loanVault = (loan: Partial<NonNullable<VaultConfigInput['loan']>> = {}, extra: Partial<VaultConfigInput> = {}) =>
  parseVaultConfig(
    vaultInput({
      id: 'loan-vault',
      startingCapital: '250000',
      compounding: { rule: 'reinvest_all', schedule: 'manual' },
      loan: { lender: 'Northwind', principal: '250000', lenderShare: 0.2, interestRateAnnual: 0, maxNotional: '400000', maxDrawdown: 0.15, ...loan },
      ...extra,
    }),
    CTX,
  );
const ISOLATED = { allowShort: false, isolated: true };

let n = 0;
function trade(state: VaultState, side: 'BUY' | 'SELL', quantity: string, price: string, instrument = 'AAPL'): VaultState {
  const fill: VaultFill = { fillId: `f${++n}`, vaultId: state.vaultId, instrument, side, quantity, price, fee: '0', ts: T0 };
  return applyFill(state, fill, ISOLATED).state;
}

describe('loan interest', () => {
  it.each<[string, number, string]>([
    ['nothing within the first day', T0 + 3 * 3_600_000, '0'],
    ['one whole day', Date.UTC(2024, 0, 3, 0, 0), '34.25'],
    ['three whole days, each rounded to the cent', Date.UTC(2024, 0, 5, 12), '102.75'],
    ['a year', Date.UTC(2025, 0, 1, 0, 0), '12501.25'],
  ])('accrues %s', (_name, now, owed) => {
    const c = loanVault({ interestRateAnnual: 0.05 });
    const { state } = accrueInterest(initialState(c, T0), c.loan!, now);
    expect(state.loan?.interestOwed).toBe(owed);
  });

  it('accrues each day once however often it is asked', () => {
    const c = loanVault({ interestRateAnnual: 0.05 });
    const day2 = Date.UTC(2024, 0, 3, 1);
    const once = accrueInterest(initialState(c, T0), c.loan!, day2).state;
    expect(accrueInterest(once, c.loan!, day2 + 3_600_000).state).toBe(once);
    expect(once.loan?.accruedThrough).toBe(Date.UTC(2024, 0, 3));
  });
});

describe('loan profit share above the high-water mark', () => {
  it.each<[string, string, string, string, string]>([
    ['a whole gain', '10000', '2000', '8000', '258000'],
    ['an awkward gain: the lender gets cents, the vault the rest', '1234.567', '246.91', '987.657', '250987.657'],
    ['a half cent rounds to even', '0.025', '0', '0.025', '250000.025'],
    ['a loss shares nothing', '-5000', '0', '0', '250000'],
  ])('%s', (_name, pnl, lender, vault, hwm) => {
    const c = loanVault();
    const state = trade(trade(initialState(c, T0), 'BUY', '1000', '100'), 'SELL', '1000', str(dec(100).add(dec(pnl).div(1000))));
    const { state: after, settlement } = settleLoan(state, c.loan!, {}, T0);
    expect(settlement.gain).toBe(pnl);
    expect([settlement.lenderPart, settlement.vaultPart, settlement.highWaterMark]).toEqual([lender, vault, hwm]);
    expect(dec(settlement.lenderPart).add(dec(settlement.vaultPart)).eq(dec(pnl).gt(0) ? dec(pnl) : 0)).toBe(true);
    expect(after.loan?.lenderPaid).toBe(lender);
  });

  it('lender and vault parts always sum to the gain exactly, the lender’s in whole cents (seeded)', () => {
    const rng = new Random(99);
    for (let i = 0; i < 500; i++) {
      const share = rng.int(1, 99) / 100;
      const c = loanVault({ lenderShare: share });
      const pnl = str(dec(rng.int(1, 10_000_000)).div(1000));
      const state = trade(trade(initialState(c, T0), 'BUY', '1000', '100'), 'SELL', '1000', str(dec(100).add(dec(pnl).div(1000))));
      const { settlement } = settleLoan(state, c.loan!, {}, T0);
      expect(dec(settlement.lenderPart).add(dec(settlement.vaultPart)).eq(dec(pnl))).toBe(true);
      expect(dec(settlement.lenderPart).decimalPlaces()).toBeLessThanOrEqual(2);
    }
  });

  it('shares only what recovers above the mark after a loss', () => {
    const c = loanVault();
    let state = trade(trade(initialState(c, T0), 'BUY', '1000', '100'), 'SELL', '1000', '110'); // +10000
    state = settleLoan(state, c.loan!, {}, T0).state; // HWM 258000, lender paid 2000: NAV 258000
    state = trade(trade(state, 'BUY', '1000', '100'), 'SELL', '1000', '95'); // -5000: NAV 253000
    const below = settleLoan(state, c.loan!, {}, T0);
    expect(below.settlement.lenderPart).toBe('0');
    state = trade(trade(below.state, 'BUY', '1000', '100'), 'SELL', '1000', '108'); // +8000: NAV 261000
    const above = settleLoan(state, c.loan!, {}, T0);
    expect(above.settlement.gain).toBe('3000');
    expect(above.settlement.lenderPart).toBe('600');
  });

  it('shares unrealized gains at the marks given, and owes what cash cannot pay without touching NAV', () => {
    const c = loanVault({}, { caps: { perInstrument: 1, perSector: 1, leverage: 1 } });
    const state = trade(initialState(c, T0), 'BUY', '2500', '100'); // all cash invested
    const { state: after, settlement } = settleLoan(state, c.loan!, { AAPL: '104' }, T0);
    expect(settlement.gain).toBe('10000');
    expect(settlement.lenderPaid).toBe('0');
    expect(after.loan?.lenderOwed).toBe('2000');
    expect(markToMarket(after, { AAPL: '104' }).nav).toBe('258000');
  });
});

describe('loan accounting over time', () => {
  it('every unit is accounted for: equity + paid out = principal + trading PnL (seeded)', () => {
    const rng = new Random(4242);
    const c = loanVault({ interestRateAnnual: 0.08, lenderShare: 0.25 }, { compounding: { rule: 'reinvest_fraction', fraction: 0.6, schedule: 'manual' } });
    let state = initialState(c, T0);
    let price = dec(100);
    for (let day = 1; day <= 120; day++) {
      const q = rng.int(1, 800);
      state = trade(state, 'BUY', String(q), str(price));
      price = price.mul(dec(1 + rng.normal() * 0.02).toDecimalPlaces(4)).toDecimalPlaces(2);
      state = trade(state, 'SELL', String(q), str(price));
      const out = compound(state, c, {}, T0 + day * DAY_MS);
      if (!out.due) throw new Error('due');
      state = out.state;
      const loan = state.loan!;
      const left = dec(state.cash).add(dec(state.reserve)).add(dec(loan.interestPaid)).add(dec(loan.lenderPaid));
      expect(str(left)).toBe(str(dec('250000').add(dec(state.realizedPnl))));
      expect(dec(state.cash).gte(0)).toBe(true);
    }
    expect(dec(state.loan!.interestPaid).gt(0)).toBe(true);
  });

  it.each<[string, string, boolean]>([
    ['a 10% drawdown is within a 15% limit', '225000', false],
    ['exactly at the limit is within it', '212500', false],
    ['beyond the limit is a breach', '212499.99', true],
  ])('%s', (_name, nav, breached) => {
    const c = loanVault();
    const state = initialState(c, T0);
    expect(loanDrawdownBreached(c.loan!, state.loan!, dec(nav))).toBe(breached);
  });
});
