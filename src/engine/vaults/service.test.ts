import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNIVERSE } from '../collectors/universe.js';
import { TestClock } from '../clock.js';
import { dec } from './decimal.js';
import { conviction, market, T0, vaultInput } from './fixtures.js';
import { VAULT_DATA_DIR } from './json-schema.js';
import type { VaultFill } from './ledger.js';
import { MemoryVaultRepository } from './memory-repository.js';
import { RISK_AVERSE } from './personas.js';
import { VaultService } from './service.js';
import { codeOf } from '../testing/error-code.js';

function setup() {
  const clock = new TestClock(T0);
  const repository = new MemoryVaultRepository();
  return { clock, repository, service: new VaultService({ repository, clock, instruments: UNIVERSE }) };
}

const file = (name: string): unknown => JSON.parse(readFileSync(join(VAULT_DATA_DIR, name), 'utf8'));

let fills = 0;
const fill = (vaultId: string, side: 'BUY' | 'SELL', quantity: string, price: string, extra: Partial<VaultFill> = {}): VaultFill => ({
  fillId: `fill-${++fills}`, vaultId, instrument: 'AAPL', side, quantity, price, fee: '0', ts: T0, ...extra,
});

describe('VaultService: configuration', () => {
  it('creates a vault from a vault file and returns VaultCreated with the envelope', async () => {
    const { service } = setup();
    const { vault, state, events } = await service.createVault('admin@vanta', file('risk-averse-core.vault.json'), 'launch');
    expect(vault).toMatchObject({ id: 'risk-averse-core', version: 1 });
    expect(state).toMatchObject({ cash: '100000', revision: 0, positions: [] });
    expect(events).toEqual([
      {
        id: expect.stringMatching(/^vlt_[0-9a-f]{24}$/),
        type: 'VaultCreated',
        tsEvent: T0,
        tsInit: T0,
        causationIds: [],
        payload: { vaultId: 'risk-averse-core', version: 1, actor: 'admin@vanta', reason: 'launch', config: vault.config },
      },
    ]);
    expect((await service.history('risk-averse-core'))[0]).toMatchObject({ actor: 'admin@vanta', reason: 'launch', eventId: events[0].id });
  });

  it('a bad vault file changes nothing', async () => {
    const { service } = setup();
    const bad = { ...vaultInput(), caps: { perInstrument: 0.5, perSector: 0.2, leverage: 1 } };
    expect(await codeOf(service.createVault('admin', bad))).toBe('VAULT_INVALID');
    expect(await service.listVaults()).toEqual([]);
  });

  it('sets an overlay against the expected version; a stale or invalid one changes nothing', async () => {
    const { service, clock } = setup();
    await service.createVault('admin', vaultInput());
    clock.advance(1000);
    const { vault, effective, events } = await service.setOverlay('ops', 'test-vault', { deny: ['TSLA'], caps: { perInstrument: 0.05 } }, 1, 'earnings week');
    expect(vault.version).toBe(2);
    expect(effective.caps.perInstrument).toBe(0.05);
    expect(events[0]).toMatchObject({ type: 'VaultOverlaySet', tsEvent: T0 + 1000, payload: { vaultId: 'test-vault', version: 2, actor: 'ops', reason: 'earnings week', overlay: { deny: ['TSLA'] } } });
    expect(await codeOf(service.setOverlay('ops', 'test-vault', { paused: true }, 1))).toBe('VAULT_VERSION_CONFLICT');
    expect(await codeOf(service.setOverlay('ops', 'test-vault', { caps: { perInstrument: 0.9 } }, 2))).toBe('VAULT_OVERLAY_INVALID');
    expect(await codeOf(service.setOverlay('ops', 'nope', {}, 1))).toBe('VAULT_NOT_FOUND');
    expect((await service.getVault('test-vault')).vault).toEqual(vault);
    expect((await service.history('test-vault')).map((h) => h.kind)).toEqual(['created', 'overlay_set']);
    const cleared = await service.setOverlay('ops', 'test-vault', null, 2, 'cleared');
    expect(cleared.vault.overlay).toBeNull();
  });

  it('the same change gets the same event id: a replayed command is dropped downstream as a repeat', async () => {
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const { service } = setup();
      await service.createVault('admin', vaultInput());
      ids.push((await service.setOverlay('ops', 'test-vault', { paused: true }, 1)).events[0].id);
    }
    expect(ids[0]).toBe(ids[1]);
  });

  it('switches persona; an overlay persona takes precedence over it', async () => {
    const { service } = setup();
    await service.createVault('admin', vaultInput());
    expect(await codeOf(service.setPersona('admin', 'test-vault', 'ghost', 1))).toBe('PERSONA_NOT_FOUND');
    const { events } = await service.setPersona('admin', 'test-vault', 'contrarian', 1, 'regime change');
    expect(events[0].payload).toMatchObject({ personaId: 'contrarian', previousPersonaId: 'aggressive', version: 2 });
    expect((await service.getVault('test-vault')).persona.id).toBe('contrarian');
    await service.setOverlay('admin', 'test-vault', { personaId: 'risk-averse' }, 2);
    expect((await service.getVault('test-vault')).persona.id).toBe('risk-averse');
  });

  it('defines custom personas by the persona schema; built-in ids are refused', async () => {
    const { service } = setup();
    const custom = { ...RISK_AVERSE, id: 'steady', name: 'Steady', kind: 'custom', minAbsConviction: 0.4 };
    expect(await codeOf(service.definePersona('quant', { ...custom, id: 'risk-averse' }))).toBe('PERSONA_EXISTS');
    expect(await codeOf(service.definePersona('quant', { ...custom, kind: 'aggressive' }))).toBe('PERSONA_INVALID');
    expect(await codeOf(service.definePersona('quant', { ...custom, leverage: -1 }))).toBe('PERSONA_INVALID');
    const { persona, events } = await service.definePersona('quant', custom);
    expect(persona.version).toBe(1);
    expect(events[0]).toMatchObject({ type: 'PersonaDefined', payload: { version: 1, actor: 'quant' } });
    await service.createVault('admin', vaultInput({ personaId: 'steady' }));
    expect((await service.getVault('test-vault')).persona.minAbsConviction).toBe(0.4);
    await service.definePersona('quant', { ...custom, minAbsConviction: 0.45 }, 1);
    expect((await service.getVault('test-vault')).persona.minAbsConviction).toBe(0.45);
  });

  it('replaces the base config whole, keeping the id', async () => {
    const { service } = setup();
    await service.createVault('admin', vaultInput());
    expect(await codeOf(service.replaceConfig('admin', 'test-vault', vaultInput({ id: 'other' }), 1))).toBe('VAULT_INVALID');
    const { vault } = await service.replaceConfig('admin', 'test-vault', vaultInput({ cashBuffer: 0.2 }), 1);
    expect(vault.config.cashBuffer).toBe(0.2);
  });
});

describe('VaultService: trading and books', () => {
  it('closes the loop: allocate, fill the intents, allocate again and nothing is left to do', async () => {
    const { service } = setup();
    await service.createVault('admin', vaultInput());
    const convictions = [conviction('AAPL', 0.8), conviction('BTC-USD', 0.9), conviction('XOM', 0.6)];
    const { intents } = await service.allocate('test-vault', convictions, market(), T0 + 1000);
    expect(intents.map((i) => `${i.side} ${i.quantity} ${i.instrument} ${i.reason}`)).toEqual(['BUY 54 AAPL open', 'BUY 0.147991 BTC-USD open', 'BUY 100 XOM open']);
    for (const [k, i] of intents.entries()) {
      const c = convictions.find((x) => x.id === i.convictionId)!;
      const price = market().prices[i.instrument]!;
      const fee = dec(i.quantity).mul(price).mul('0.001').toDecimalPlaces(2).toFixed();
      const out = await service.applyFill({
        fillId: `x${k}`, vaultId: 'test-vault', instrument: i.instrument, side: i.side, quantity: i.quantity, price, fee, ts: T0 + 2000,
        convictionId: i.convictionId, convictionExpiresAt: c.expiresAt, leg: i.leg, reason: i.reason, eventId: `evt_fill_${k}`,
      });
      expect(out.applied).toBe(true);
      expect(out.events[0]).toMatchObject({ type: 'VaultFillApplied', tsEvent: T0 + 2000, causationIds: [`evt_fill_${k}`] });
    }
    const again = await service.allocate('test-vault', convictions, market(), T0 + 3000);
    expect(again.intents.map((i) => `${i.side} ${i.quantity} ${i.instrument} ${i.reason} ${i.leg}`)).toEqual([]);
    const state = await service.state('test-vault');
    expect(state.positions.map((p) => [p.instrument, p.quantity, p.nextLeg])).toEqual([['AAPL', '54', 1], ['BTC-USD', '0.147991', 1], ['XOM', '100', 1]]);
    // After the convictions expire, the TTL rule closes everything with `expire`.
    const later = await service.allocate('test-vault', [], market(), T0 + 2 * 3_600_000);
    expect(later.intents.map((i) => `${i.side} ${i.quantity} ${i.instrument} ${i.reason}`)).toEqual(['SELL 54 AAPL expire', 'SELL 0.147991 BTC-USD expire', 'SELL 100 XOM expire']);
  });

  it('applies a fill once, however often it is delivered', async () => {
    const { service } = setup();
    await service.createVault('admin', vaultInput());
    const f = fill('test-vault', 'BUY', '10', '185');
    const first = await service.applyFill(f);
    const second = await service.applyFill(f);
    expect([first.applied, second.applied]).toEqual([true, false]);
    expect(second.events).toEqual([]);
    expect(second.state).toEqual(first.state);
    expect((await service.state('test-vault')).revision).toBe(1);
  });

  it('refuses a fill for a long-only vault that would go short, and one for an unknown vault', async () => {
    const { service } = setup();
    await service.createVault('admin', vaultInput());
    expect(await codeOf(service.applyFill(fill('test-vault', 'SELL', '1', '185')))).toBe('FILL_REJECTED');
    expect(await codeOf(service.applyFill(fill('nope', 'BUY', '1', '185')))).toBe('VAULT_NOT_FOUND');
    expect((await service.state('test-vault')).revision).toBe(0);
  });

  it('compounds when due, records the growth point and returns VaultCompounded', async () => {
    const { service } = setup();
    await service.createVault('admin', vaultInput({ compounding: { rule: 'reinvest_fraction', fraction: 0.5, schedule: 'daily' } }));
    await service.applyFill(fill('test-vault', 'BUY', '10', '100'));
    await service.applyFill(fill('test-vault', 'SELL', '10', '150'));
    const done = await service.compound('test-vault', T0 + 1000);
    if (!done.due) throw new Error('first compounding is due');
    expect(done.result).toMatchObject({ realizedPnl: '500', swept: '250', reinvested: '250' });
    expect(done.events[0]).toMatchObject({ type: 'VaultCompounded', tsEvent: T0 + 1000, payload: { vaultId: 'test-vault', revision: done.state.revision } });
    expect(done.point).toMatchObject({ equity: '100250', reserve: '250', totalValue: '100500' });
    const notDue = await service.compound('test-vault', T0 + 2000);
    expect(notDue).toMatchObject({ due: false, nextAt: Date.UTC(2024, 0, 3), events: [] });
    expect(await service.growthCurve('test-vault')).toEqual([done.point]);
    expect((await service.recordGrowth('test-vault', {}, T0 + 1000)).recorded).toBe(false);
    expect((await service.recordGrowth('test-vault', {}, T0 + 5000)).recorded).toBe(true);
    expect(await service.growthCurve('test-vault')).toHaveLength(2);
  });

  it('a closed vault takes no fills and plans nothing', async () => {
    const { service } = setup();
    await service.createVault('admin', vaultInput({ status: 'closed' }));
    expect(await codeOf(service.applyFill(fill('test-vault', 'BUY', '1', '185')))).toBe('VAULT_CLOSED');
    expect((await service.allocate('test-vault', [conviction('AAPL', 0.9)], market())).plan.halted).toBe('closed');
  });
});

describe('VaultService: loan vaults are isolated', () => {
  async function twoVaults() {
    const ctx = setup();
    await ctx.service.createVault('admin', vaultInput({ id: 'house', startingCapital: '10000000' }));
    await ctx.service.createVault('admin', file('aggressive-tech-loan.vault.json'));
    // The loan vault puts nearly all its cash to work.
    await ctx.service.applyFill(fill('aggressive-tech-loan', 'BUY', '1300', '185'));
    return ctx;
  }

  it('a loan vault can never draw on another vault’s cash: its fill beyond its own cash is refused', async () => {
    const { service } = await twoVaults();
    const house = await service.state('house');
    const loan = await service.state('aggressive-tech-loan');
    expect(loan.cash).toBe('9500');
    expect(await codeOf(service.applyFill(fill('aggressive-tech-loan', 'BUY', '100', '185', { instrument: 'MSFT' })))).toBe('LOAN_ISOLATION');
    expect(await service.state('aggressive-tech-loan')).toEqual(loan);
    expect(await service.state('house')).toEqual(house);
  });

  it('the allocator sizes a loan vault’s buys from its own cash only', async () => {
    const { service } = setup();
    await service.createVault('admin', vaultInput({ id: 'house', startingCapital: '10000000' }));
    await service.createVault('admin', { ...(file('aggressive-tech-loan.vault.json') as object), cashBuffer: 0, caps: { perInstrument: 0.15, perSector: 1, leverage: 1 } });
    const convictions = ['AAPL', 'MSFT', 'NVDA', 'GOOGL', 'META', 'AMD', 'ORCL', 'CRM', 'ADBE'].map((s) => conviction(s, 0.9));
    const { intents } = await service.allocate('aggressive-tech-loan', convictions, market(), T0 + 1000);
    const spend = intents.filter((i) => i.side === 'BUY').reduce((acc, i) => acc.add(dec(i.quantity).mul(market().prices[i.instrument]!).mul('1.001')), dec(0));
    expect(intents.every((i) => i.vaultId === 'aggressive-tech-loan')).toBe(true);
    expect(spend.gt(230000)).toBe(true);
    expect(spend.lte('250000')).toBe(true);
  });

  it('settles the lender’s share on compounding, parts summing to the gain exactly', async () => {
    const { service } = await twoVaults();
    await service.applyFill(fill('aggressive-tech-loan', 'SELL', '1300', '190.1234'));
    const done = await service.compound('aggressive-tech-loan', Date.UTC(2024, 0, 3, 1));
    if (!done.due) throw new Error('due');
    const s = done.result.loan!;
    expect(s.interestAccrued).toBe('34.25');
    expect(dec(s.lenderPart).add(dec(s.vaultPart)).eq(dec(s.gain))).toBe(true);
    expect(s.gain).toBe('6626.17');
    expect(s.lenderPart).toBe('1325.23');
    expect(done.state.loan).toMatchObject({ lenderPaid: '1325.23', interestPaid: '34.25', lenderOwed: '0', interestOwed: '0' });
  });
});
