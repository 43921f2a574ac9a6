/**
 * A vault as it trades: its config with its overlay applied. An overlay replaces the fields it names and
 * adds what only an overlay carries (tilts, allow and deny lists, pause). Pure; validation of the result is
 * in validate.ts.
 */
import type { VaultConfig, VaultOverlay } from './vault-schema.js';

export interface Tilts {
  readonly instruments: Readonly<Record<string, number>>;
  readonly tags: Readonly<Record<string, number>>;
}

export interface EffectiveVault extends VaultConfig {
  readonly tilts: Tilts;
  /** Only these instruments take new exposure; null for no restriction beyond the universe. */
  readonly allow: readonly string[] | null;
  /** Never traded, in either direction. */
  readonly deny: readonly string[];
  /** True when the overlay pauses the vault or its status is `paused`. */
  readonly paused: boolean;
}

const NO_TILTS: Tilts = Object.freeze({ instruments: Object.freeze({}), tags: Object.freeze({}) });

export function applyOverlay(config: VaultConfig, overlay: VaultOverlay | null): EffectiveVault {
  const o = overlay ?? {};
  return {
    ...config,
    personaId: o.personaId ?? config.personaId,
    caps: { ...config.caps, ...definedOnly(o.caps ?? {}) },
    cashBuffer: o.cashBuffer ?? config.cashBuffer,
    volatilityTarget: o.volatilityTarget !== undefined ? o.volatilityTarget : config.volatilityTarget,
    kellyCap: o.kellyCap ?? config.kellyCap,
    tilts: o.tilts ?? NO_TILTS,
    allow: o.allow ?? null,
    deny: o.deny ?? [],
    paused: (o.paused ?? false) || config.status === 'paused',
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
