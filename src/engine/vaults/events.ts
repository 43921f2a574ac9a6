/**
 * The vault engine's events: past tense, with the envelope every event carries (types.ts). The service
 * returns them; the caller publishes them. Ids are derived from what changed (vault and version, fill id,
 * compounding time), so the same change always has the same event id and a repeat is dropped downstream.
 */
import { eventId } from '../canonical.js';
import type { EventEnvelope } from '../types.js';
import type { CompoundingResult } from './compounding.js';
import type { GrowthPoint } from './ledger.js';
import type { Persona } from './persona-schema.js';
import type { VaultConfig, VaultOverlay } from './vault-schema.js';

interface Changed {
  readonly vaultId: string;
  readonly version: number;
  readonly actor: string;
  readonly reason: string;
}

export type VaultCreated = EventEnvelope<'VaultCreated', Changed & { readonly config: VaultConfig }>;
export type VaultConfigReplaced = EventEnvelope<'VaultConfigReplaced', Changed & { readonly config: VaultConfig }>;
export type VaultOverlaySet = EventEnvelope<'VaultOverlaySet', Changed & { readonly overlay: VaultOverlay | null }>;
export type PersonaSet = EventEnvelope<
  'PersonaSet',
  Changed & { readonly personaId: string; readonly previousPersonaId: string }
>;
export type PersonaDefined = EventEnvelope<
  'PersonaDefined',
  { readonly persona: Persona; readonly version: number; readonly actor: string; readonly reason: string }
>;
export type VaultFillApplied = EventEnvelope<
  'VaultFillApplied',
  {
    readonly vaultId: string;
    readonly fillId: string;
    readonly instrument: string;
    readonly side: 'BUY' | 'SELL';
    readonly quantity: string;
    readonly price: string;
    readonly fee: string;
    readonly realizedPnl: string;
    /** The position's signed quantity after the fill ('0' when closed). */
    readonly position: string;
    readonly cash: string;
    readonly revision: number;
  }
>;
export type VaultCompounded = EventEnvelope<
  'VaultCompounded',
  { readonly vaultId: string; readonly revision: number; readonly result: CompoundingResult; readonly point: GrowthPoint }
>;

export type VaultEvent =
  | VaultCreated
  | VaultConfigReplaced
  | VaultOverlaySet
  | PersonaSet
  | PersonaDefined
  | VaultFillApplied
  | VaultCompounded;

export type VaultEventType = VaultEvent['type'];

/** The id an event of this type and key will have; computed before the change so the history can record it. */
export function vaultEventId(type: VaultEventType, ...key: readonly unknown[]): string {
  return eventId('vlt', type, ...key);
}

export function envelope<E extends VaultEvent>(
  type: E['type'],
  id: string,
  tsEvent: number,
  tsInit: number,
  payload: E['payload'],
  causationIds: readonly string[] = [],
): E {
  return { id, type, tsEvent, tsInit, causationIds, payload } as E;
}
