/**
 * Whole validation of vault files, overlays and personas. Everything wrong is reported at once, each issue
 * naming its field path; on any issue nothing is returned (the caller changes nothing).
 */
import type { Instrument } from '../types.js';
import { dec } from './decimal.js';
import { issuesOfZod, VaultError, type VaultIssue } from './errors.js';
import { applyOverlay, type EffectiveVault } from './overlay.js';
import { BANDS, type Persona, PersonaSchema } from './persona-schema.js';
import { deepFreeze } from './personas.js';
import { type VaultConfig, VaultConfigSchema, type VaultOverlay, VaultOverlaySchema } from './vault-schema.js';

/** What validation needs to know from outside the document. */
export interface ValidationContext {
  /** The instruments Vanta knows. */
  readonly instruments: ReadonlyMap<string, Instrument>;
  /** True when a persona with this id exists (built in or custom). */
  readonly personaExists: (id: string) => boolean;
}

export function instrumentMap(instruments: readonly Instrument[]): ReadonlyMap<string, Instrument> {
  return new Map(instruments.map((i) => [i.symbol, i]));
}

/** Reads a vault file (parsed JSON) or vault input; throws `VAULT_INVALID` naming every bad field. */
export function parseVaultConfig(input: unknown, ctx: ValidationContext): VaultConfig {
  const parsed = VaultConfigSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('VAULT_INVALID', 'vault invalid', issuesOfZod(parsed.error));
  const { $schema: _ignored, ...config } = parsed.data;
  const issues = checkVault(applyOverlay(config, null), ctx);
  if (issues.length) throw new VaultError('VAULT_INVALID', 'vault invalid', issues);
  return deepFreeze(config);
}

/**
 * Reads an overlay for a vault and returns it with the vault it makes; throws `VAULT_OVERLAY_INVALID` when
 * the overlay is malformed, names unknown instruments or personas, or makes the vault invalid once applied.
 */
export function parseOverlay(
  input: unknown,
  base: VaultConfig,
  ctx: ValidationContext,
): { readonly overlay: VaultOverlay; readonly effective: EffectiveVault } {
  const parsed = VaultOverlaySchema.safeParse(input);
  if (!parsed.success) throw new VaultError('VAULT_OVERLAY_INVALID', 'overlay invalid', issuesOfZod(parsed.error));
  const { $schema: _ignored, ...overlay } = parsed.data;
  const issues: VaultIssue[] = [];
  const known = (list: readonly string[] | undefined, path: string) =>
    (list ?? []).forEach((s, i) => {
      if (!ctx.instruments.has(s)) issues.push({ path: `${path}[${i}]`, message: `unknown instrument ${s}` });
    });
  known(overlay.allow, 'allow');
  known(overlay.deny, 'deny');
  for (const s of Object.keys(overlay.tilts?.instruments ?? {})) {
    if (!ctx.instruments.has(s)) issues.push({ path: `tilts.instruments.${s}`, message: `unknown instrument ${s}` });
  }
  (overlay.deny ?? []).forEach((s, i) => {
    if (overlay.allow?.includes(s)) issues.push({ path: `deny[${i}]`, message: `${s} is also in allow` });
  });
  const effective = applyOverlay(base, overlay);
  issues.push(...checkVault(effective, ctx));
  if (issues.length) throw new VaultError('VAULT_OVERLAY_INVALID', 'overlay invalid', dedupe(issues));
  return { overlay: deepFreeze(overlay), effective: deepFreeze(effective) };
}

/** Reads a persona; throws `PERSONA_INVALID` naming every bad field. */
export function parsePersona(input: unknown): Persona {
  const parsed = PersonaSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('PERSONA_INVALID', 'persona invalid', issuesOfZod(parsed.error));
  const { $schema: _ignored, ...persona } = parsed.data;
  const issues: VaultIssue[] = [];
  persona.bands.forEach((b, i) => {
    if (persona.bands.indexOf(b) !== i) issues.push({ path: `bands[${i}]`, message: `${b} is listed twice` });
  });
  if (issues.length) throw new VaultError('PERSONA_INVALID', 'persona invalid', issues);
  return deepFreeze(persona);
}

/** The checks that span fields or need outside knowledge, on a vault with its overlay applied. */
export function checkVault(v: EffectiveVault, ctx: ValidationContext): VaultIssue[] {
  const issues: VaultIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  if (v.caps.perInstrument > v.caps.perSector) add('caps.perInstrument', 'must be ≤ caps.perSector');
  if (!ctx.personaExists(v.personaId)) add('personaId', `unknown persona ${v.personaId}`);

  if (v.universe.instruments.length === 0 && v.universe.tags.length === 0) {
    add('universe', 'must name at least one instrument or tag');
  }
  v.universe.instruments.forEach((s, i) => {
    if (!ctx.instruments.has(s)) add(`universe.instruments[${i}]`, `unknown instrument ${s}`);
    else if (v.universe.instruments.indexOf(s) !== i) add(`universe.instruments[${i}]`, `${s} is listed twice`);
  });
  for (const s of Object.keys(v.venues.byInstrument)) {
    if (!ctx.instruments.has(s)) add(`venues.byInstrument.${s}`, `unknown instrument ${s}`);
  }
  for (const s of Object.keys(v.trading.lotSizes)) {
    if (!ctx.instruments.has(s)) add(`trading.lotSizes.${s}`, `unknown instrument ${s}`);
  }

  if (v.allocation.mode === 'banded') {
    const weights = v.allocation.bandWeights;
    if (!BANDS.some((b) => (weights[b] ?? 0) > 0)) add('allocation.bandWeights', 'must give at least one band a weight > 0');
    for (const b of BANDS) {
      const w = weights[b];
      if (w !== undefined && w > v.caps.perInstrument) add(`allocation.bandWeights.${b}`, 'must be ≤ caps.perInstrument');
    }
  }

  if (v.loan) {
    if (!dec(v.startingCapital).eq(dec(v.loan.principal))) add('startingCapital', 'must equal loan.principal');
  }
  return issues;
}

function dedupe(issues: readonly VaultIssue[]): VaultIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
