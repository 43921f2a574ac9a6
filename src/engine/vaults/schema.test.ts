import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VaultError } from './errors.js';
import { CTX, effective, vaultInput } from './fixtures.js';
import { renderVaultJsonSchemas, SCHEMA_FILES, VAULT_DATA_DIR } from './json-schema.js';
import { BUILT_IN_PERSONAS, RISK_AVERSE } from './personas.js';
import { parseOverlay, parsePersona, parseVaultConfig } from './validate.js';

function issuesOf(fn: () => unknown): { code: string; issues: string[] } {
  try {
    fn();
  } catch (err) {
    if (err instanceof VaultError) return { code: err.code, issues: err.issues.map((i) => `${i.path}: ${i.message}`) };
    throw err;
  }
  throw new Error('expected a VaultError');
}

describe('JSON Schemas in data/vaults', () => {
  it.each(SCHEMA_FILES)('%s is up to date with the zod schema (regenerate with writeVaultJsonSchemas)', (file) => {
    const committed = readFileSync(join(VAULT_DATA_DIR, file), 'utf8');
    expect(committed).toBe(renderVaultJsonSchemas()[file]);
  });

  it('describes strict objects, so editors flag unknown keys too', () => {
    const vault = JSON.parse(renderVaultJsonSchemas()['vault.schema.json']) as Record<string, unknown>;
    expect(vault.additionalProperties).toBe(false);
    expect(vault.required).toEqual(expect.arrayContaining(['id', 'personaId', 'startingCapital', 'caps', 'allocation']));
  });
});

describe('example vault files', () => {
  const files = readdirSync(VAULT_DATA_DIR).filter((f) => f.endsWith('.vault.json')).sort();

  it('ships one per built-in persona', () => {
    const personas = files.map((f) => (JSON.parse(readFileSync(join(VAULT_DATA_DIR, f), 'utf8')) as { personaId: string }).personaId);
    expect(new Set(personas)).toEqual(new Set(BUILT_IN_PERSONAS.map((p) => p.id)));
  });

  it.each(files)('%s validates whole against the simulator universe', (file) => {
    const config = parseVaultConfig(JSON.parse(readFileSync(join(VAULT_DATA_DIR, file), 'utf8')), CTX);
    expect(`${config.id}.vault.json`).toBe(file);
    expect(Object.isFrozen(config.caps)).toBe(true);
  });
});

describe('parseVaultConfig', () => {
  it('fills defaults: paper venue, USD, active, fee allowance and min notional', () => {
    const v = parseVaultConfig(vaultInput(), CTX);
    expect(v.venues).toEqual({ default: 'paper', byAssetClass: {}, byInstrument: {} });
    expect(v.baseCurrency).toBe('USD');
    expect(v.status).toBe('active');
    expect(v.trading).toEqual({ minNotional: '10', feeRate: 0.001, rebalanceBand: 0.05, lotSizes: {}, defaultLots: {} });
    expect(v.volatilityTarget).toBeNull();
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['instrument cap above sector cap', { caps: { perInstrument: 0.4, perSector: 0.3, leverage: 1 } }, ['caps.perInstrument: must be ≤ caps.perSector']],
    ['sector cap above 1', { caps: { perInstrument: 0.1, perSector: 1.2, leverage: 1 } }, ['caps.perSector: Too big: expected number to be <=1']],
    ['negative leverage', { caps: { perInstrument: 0.1, perSector: 0.3, leverage: -1 } }, ['caps.leverage: Too small: expected number to be >=0']],
    ['cash buffer of 1', { cashBuffer: 1 }, ['cashBuffer: Too big: expected number to be <1']],
    ['unknown persona', { personaId: 'yolo' }, ['personaId: unknown persona yolo']],
    ['unknown instrument', { universe: { instruments: ['AAPL', 'NOPE'] } }, ['universe.instruments[1]: unknown instrument NOPE']],
    ['instrument listed twice', { universe: { instruments: ['AAPL', 'AAPL'] } }, ['universe.instruments[1]: AAPL is listed twice']],
    ['empty universe', { universe: { instruments: [], tags: [] } }, ['universe: must name at least one instrument or tag']],
    ['bad tag', { universe: { tags: ['Asset Crypto'] } }, ['universe.tags[0]: must be a routing tag (asset:crypto, sector:technology, insider)']],
    ['unknown key', { colour: 'red' }, ['colour: unknown key']],
    ['float money', { startingCapital: 100000 }, ['startingCapital: Invalid input: expected string, received number']],
    ['zero capital', { startingCapital: '0' }, ['startingCapital: must be a positive decimal string']],
    ['band weight above the instrument cap', { allocation: { mode: 'banded', bandWeights: { STRONG: 0.2 } } }, ['allocation.bandWeights.STRONG: must be ≤ caps.perInstrument']],
    ['banded with no weight', { allocation: { mode: 'banded', bandWeights: {} } }, ['allocation.bandWeights: must give at least one band a weight > 0']],
    ['reduce fraction of 0', { ttlExpiry: { action: 'reduce', fraction: 0 } }, ['ttlExpiry.fraction: Too small: expected number to be >0']],
    ['lot size for an unknown instrument', { trading: { lotSizes: { ZZZ: '1' } } }, ['trading.lotSizes.ZZZ: unknown instrument ZZZ']],
    ['venue for an unknown instrument', { venues: { byInstrument: { ZZZ: 'alpaca' } } }, ['venues.byInstrument.ZZZ: unknown instrument ZZZ']],
    [
      'loan principal differs from starting capital',
      { loan: { lender: 'L', principal: '5000', lenderShare: 0.2, maxNotional: '9000', maxDrawdown: 0.1 } },
      ['startingCapital: must equal loan.principal'],
    ],
  ])('%s is refused with VAULT_INVALID naming the field', (_name, overrides, expected) => {
    const { code, issues } = issuesOf(() => parseVaultConfig(vaultInput(overrides as never), CTX));
    expect(code).toBe('VAULT_INVALID');
    expect(issues).toEqual(expected);
  });

  it('reports every problem at once', () => {
    const { issues } = issuesOf(() =>
      parseVaultConfig(vaultInput({ personaId: 'nobody', caps: { perInstrument: 0.5, perSector: 0.2, leverage: 1 }, universe: { instruments: ['XXX'] } }), CTX),
    );
    expect(issues).toEqual([
      'caps.perInstrument: must be ≤ caps.perSector',
      'personaId: unknown persona nobody',
      'universe.instruments[0]: unknown instrument XXX',
    ]);
  });

  it('the error message names the paths', () => {
    expect(() => parseVaultConfig(vaultInput({ cashBuffer: -0.1 }), CTX)).toThrow(/vault invalid: cashBuffer: /);
  });
});

describe('parseOverlay', () => {
  const base = parseVaultConfig(vaultInput(), CTX);

  it('applies over the vault: caps merged, persona switched, lists and pause kept', () => {
    const { overlay, effective: v } = parseOverlay(
      { caps: { perInstrument: 0.05 }, personaId: 'contrarian', deny: ['TSLA'], allow: ['AAPL', 'MSFT'], paused: true, tilts: { tags: { insider: 2 } } },
      base,
      CTX,
    );
    expect(overlay.deny).toEqual(['TSLA']);
    expect(v.caps).toEqual({ perInstrument: 0.05, perSector: 0.3, leverage: 1, allowShort: false });
    expect(v.personaId).toBe('contrarian');
    expect(v.allow).toEqual(['AAPL', 'MSFT']);
    expect(v.paused).toBe(true);
    expect(v.tilts).toEqual({ instruments: {}, tags: { insider: 2 } });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['caps crossing once applied', { caps: { perInstrument: 0.5 } }, ['caps.perInstrument: must be ≤ caps.perSector']],
    ['unknown persona', { personaId: 'ghost' }, ['personaId: unknown persona ghost']],
    ['unknown denied instrument', { deny: ['AAPL', 'NOPE'] }, ['deny[1]: unknown instrument NOPE']],
    ['instrument both allowed and denied', { allow: ['AAPL'], deny: ['AAPL'] }, ['deny[0]: AAPL is also in allow']],
    ['empty allow list', { allow: [] }, ['allow: Too small: expected array to have >=1 items']],
    ['negative tilt', { tilts: { instruments: { AAPL: -1 } } }, ['tilts.instruments.AAPL: Too small: expected number to be >=0']],
    ['tilt on an unknown instrument', { tilts: { instruments: { NOPE: 1 } } }, ['tilts.instruments.NOPE: unknown instrument NOPE']],
    ['unknown key', { weights: {} }, ['weights: unknown key']],
  ])('%s is refused with VAULT_OVERLAY_INVALID', (_name, overlay, expected) => {
    const { code, issues } = issuesOf(() => parseOverlay(overlay, base, CTX));
    expect(code).toBe('VAULT_OVERLAY_INVALID');
    expect(issues).toEqual(expected);
  });

  it('an empty overlay leaves the vault as it is', () => {
    const { effective: v } = parseOverlay({}, base, CTX);
    expect(v).toEqual(effective());
  });
});

describe('parsePersona', () => {
  it('built-in personas pass the same schema', () => {
    for (const p of BUILT_IN_PERSONAS) expect(parsePersona(p)).toEqual(p);
  });

  it('built-in personas are frozen deep', () => {
    expect(Object.isFrozen(RISK_AVERSE)).toBe(true);
    expect(Object.isFrozen(RISK_AVERSE.flip)).toBe(true);
    expect(Object.isFrozen(RISK_AVERSE.bands)).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['max weight of 0', { maxPositionWeight: 0 }, ['maxPositionWeight: Too small: expected number to be >0']],
    ['stop-loss of 100%', { stopLoss: 1 }, ['stopLoss: Too big: expected number to be <1']],
    ['no bands', { bands: [] }, ['bands: Too small: expected array to have >=1 items']],
    ['a band twice', { bands: ['STRONG', 'STRONG'] }, ['bands[1]: STRONG is listed twice']],
    ['unknown flip mode', { flip: { mode: 'always' } }, ['flip.mode: Invalid option: expected one of "none"|"crowd"|"crowd_only"']],
    ['min conviction above 1', { minAbsConviction: 1.5 }, ['minAbsConviction: Too big: expected number to be <=1']],
  ])('%s is refused with PERSONA_INVALID', (_name, overrides, expected) => {
    const { code, issues } = issuesOf(() => parsePersona({ ...RISK_AVERSE, id: 'mine', kind: 'custom', ...overrides }));
    expect(code).toBe('PERSONA_INVALID');
    expect(issues).toEqual(expected);
  });
});
