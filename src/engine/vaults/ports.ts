/**
 * What the vault engine persists, as ports: an in-memory implementation (memory-repository.ts) and, later,
 * SQL ones run the same contract suite (repository.contract.ts).
 *
 * Vault configs are versioned: every change is applied atomically against the version the caller read
 * (`VAULT_VERSION_CONFLICT` otherwise) and recorded with its actor, reason and event id. Vault state is
 * saved against its revision (`VAULT_STATE_CONFLICT` otherwise), together with the id of the fill that
 * changed it, so a fill is applied once however often it is delivered. Stored values are plain JSON.
 */
import type { GrowthPoint } from './ledger.js';
import type { Persona } from './persona-schema.js';
import type { VaultState } from './state.js';
import type { VaultConfig, VaultOverlay } from './vault-schema.js';

export type VaultChangeKind = 'created' | 'config_replaced' | 'overlay_set' | 'persona_set';

/** Who changed something, why, when, and the event that announced it. */
export interface ChangeMeta {
  readonly actor: string;
  readonly reason: string;
  readonly at: number;
  readonly eventId: string;
}

export interface VaultRecord {
  readonly id: string;
  /** 1 when created; +1 on every change. */
  readonly version: number;
  readonly config: VaultConfig;
  readonly overlay: VaultOverlay | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** One entry of a vault's history: the vault as it was after the change. */
export interface VaultVersion {
  readonly vaultId: string;
  readonly version: number;
  readonly kind: VaultChangeKind;
  readonly config: VaultConfig;
  readonly overlay: VaultOverlay | null;
  readonly actor: string;
  readonly reason: string;
  readonly at: number;
  readonly eventId: string;
}

export interface PersonaRecord {
  readonly persona: Persona;
  readonly version: number;
  readonly actor: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface GrowthRange {
  /** Inclusive. */
  readonly from?: number;
  /** Inclusive. */
  readonly to?: number;
}

export interface VaultRepository {
  /** Stores version 1 and the vault's first state (revision 0) together. `VAULT_EXISTS` if the id is taken. */
  createVault(config: VaultConfig, state: VaultState, change: ChangeMeta): Promise<VaultRecord>;
  getVault(id: string): Promise<VaultRecord | null>;
  /** Sorted by id. */
  listVaults(): Promise<readonly VaultRecord[]>;
  /**
   * Replaces config and overlay when the stored version is `expectedVersion`, as version + 1.
   * `VAULT_NOT_FOUND`, `VAULT_VERSION_CONFLICT`; on either nothing changes.
   */
  updateVault(
    id: string,
    expectedVersion: number,
    next: { readonly config: VaultConfig; readonly overlay: VaultOverlay | null },
    kind: Exclude<VaultChangeKind, 'created'>,
    change: ChangeMeta,
  ): Promise<VaultRecord>;
  /** Every version, oldest first; empty for an unknown vault. */
  history(id: string): Promise<readonly VaultVersion[]>;
  versionOf(id: string, version: number): Promise<VaultVersion | null>;

  /**
   * Stores a custom persona. `expectedVersion` null: it must not exist yet (`PERSONA_EXISTS`); a number: the
   * stored version must be that one (`PERSONA_VERSION_CONFLICT`). Returns it with its new version.
   */
  savePersona(persona: Persona, expectedVersion: number | null, change: ChangeMeta): Promise<PersonaRecord>;
  getPersona(id: string): Promise<PersonaRecord | null>;
  /** Sorted by id. */
  listPersonas(): Promise<readonly PersonaRecord[]>;

  getState(vaultId: string): Promise<VaultState | null>;
  /**
   * Saves the state when the stored revision is `expectedRevision`, as revision + 1, and returns what was
   * stored. With `fillId`, records it in the same step; a fill id recorded before gives `FILL_DUPLICATE`.
   * `VAULT_NOT_FOUND`, `VAULT_STATE_CONFLICT`; on any error nothing changes.
   */
  saveState(state: VaultState, expectedRevision: number, fillId?: string): Promise<VaultState>;
  hasFill(vaultId: string, fillId: string): Promise<boolean>;

  /** Appends a point; false (and nothing stored) when the vault already has a point at that time. */
  appendGrowthPoint(point: GrowthPoint): Promise<boolean>;
  /** Points in the range, oldest first. */
  growthCurve(vaultId: string, range?: GrowthRange): Promise<readonly GrowthPoint[]>;
}
