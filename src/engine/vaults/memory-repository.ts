/**
 * The vault repository in memory: for embedded runs, tests and backtests. Each method completes without
 * yielding between its check and its write, which is what makes the version checks atomic here.
 */
import { VaultError } from './errors.js';
import type { GrowthPoint } from './ledger.js';
import type { Persona } from './persona-schema.js';
import { deepFreeze } from './personas.js';
import type { ChangeMeta, GrowthRange, PersonaRecord, VaultChangeKind, VaultRecord, VaultRepository, VaultVersion } from './ports.js';
import type { VaultState } from './state.js';
import type { VaultConfig, VaultOverlay } from './vault-schema.js';

interface Row {
  record: VaultRecord;
  readonly history: VaultVersion[];
  state: VaultState;
  readonly fills: Set<string>;
  readonly growth: Map<number, GrowthPoint>;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class MemoryVaultRepository implements VaultRepository {
  readonly #vaults = new Map<string, Row>();
  readonly #personas = new Map<string, PersonaRecord>();

  async createVault(config: VaultConfig, state: VaultState, change: ChangeMeta): Promise<VaultRecord> {
    if (this.#vaults.has(config.id)) throw new VaultError('VAULT_EXISTS', `vault ${config.id} already exists`);
    const record = deepFreeze<VaultRecord>({ id: config.id, version: 1, config, overlay: null, createdAt: change.at, updatedAt: change.at });
    this.#vaults.set(config.id, {
      record,
      history: [this.#version(record, 'created', change)],
      state: deepFreeze({ ...state, revision: 0 }),
      fills: new Set(),
      growth: new Map(),
    });
    return record;
  }

  async getVault(id: string): Promise<VaultRecord | null> {
    return this.#vaults.get(id)?.record ?? null;
  }

  async listVaults(): Promise<readonly VaultRecord[]> {
    return [...this.#vaults.values()].map((r) => r.record).sort(byId);
  }

  async updateVault(
    id: string,
    expectedVersion: number,
    next: { readonly config: VaultConfig; readonly overlay: VaultOverlay | null },
    kind: Exclude<VaultChangeKind, 'created'>,
    change: ChangeMeta,
  ): Promise<VaultRecord> {
    const row = this.#row(id);
    if (row.record.version !== expectedVersion) {
      throw new VaultError('VAULT_VERSION_CONFLICT', `vault ${id} is at version ${row.record.version}, not ${expectedVersion}`);
    }
    const record = deepFreeze<VaultRecord>({
      ...row.record,
      version: expectedVersion + 1,
      config: next.config,
      overlay: next.overlay,
      updatedAt: change.at,
    });
    row.record = record;
    row.history.push(this.#version(record, kind, change));
    return record;
  }

  async history(id: string): Promise<readonly VaultVersion[]> {
    return [...(this.#vaults.get(id)?.history ?? [])];
  }

  async versionOf(id: string, version: number): Promise<VaultVersion | null> {
    return this.#vaults.get(id)?.history.find((v) => v.version === version) ?? null;
  }

  async savePersona(persona: Persona, expectedVersion: number | null, change: ChangeMeta): Promise<PersonaRecord> {
    const stored = this.#personas.get(persona.id);
    if (expectedVersion === null && stored) throw new VaultError('PERSONA_EXISTS', `persona ${persona.id} already exists`);
    if (expectedVersion !== null && stored?.version !== expectedVersion) {
      if (!stored) throw new VaultError('PERSONA_NOT_FOUND', `persona ${persona.id} does not exist`);
      throw new VaultError('PERSONA_VERSION_CONFLICT', `persona ${persona.id} is at version ${stored.version}, not ${expectedVersion}`);
    }
    const record = deepFreeze<PersonaRecord>({
      persona,
      version: (stored?.version ?? 0) + 1,
      actor: change.actor,
      createdAt: stored?.createdAt ?? change.at,
      updatedAt: change.at,
    });
    this.#personas.set(persona.id, record);
    return record;
  }

  async getPersona(id: string): Promise<PersonaRecord | null> {
    return this.#personas.get(id) ?? null;
  }

  async listPersonas(): Promise<readonly PersonaRecord[]> {
    return [...this.#personas.values()].sort((a, b) => byId(a.persona, b.persona));
  }

  async getState(vaultId: string): Promise<VaultState | null> {
    return this.#vaults.get(vaultId)?.state ?? null;
  }

  async saveState(state: VaultState, expectedRevision: number, fillId?: string): Promise<VaultState> {
    const row = this.#row(state.vaultId);
    if (row.state.revision !== expectedRevision) {
      throw new VaultError('VAULT_STATE_CONFLICT', `vault ${state.vaultId} state is at revision ${row.state.revision}, not ${expectedRevision}`);
    }
    if (fillId !== undefined && row.fills.has(fillId)) {
      throw new VaultError('FILL_DUPLICATE', `fill ${fillId} was already applied to vault ${state.vaultId}`);
    }
    const saved = deepFreeze({ ...state, revision: expectedRevision + 1 });
    row.state = saved;
    if (fillId !== undefined) row.fills.add(fillId);
    return saved;
  }

  async hasFill(vaultId: string, fillId: string): Promise<boolean> {
    return this.#vaults.get(vaultId)?.fills.has(fillId) ?? false;
  }

  async appendGrowthPoint(point: GrowthPoint): Promise<boolean> {
    const row = this.#row(point.vaultId);
    if (row.growth.has(point.ts)) return false;
    row.growth.set(point.ts, deepFreeze(point));
    return true;
  }

  async growthCurve(vaultId: string, range: GrowthRange = {}): Promise<readonly GrowthPoint[]> {
    const points = [...(this.#vaults.get(vaultId)?.growth.values() ?? [])];
    return points
      .filter((p) => (range.from === undefined || p.ts >= range.from) && (range.to === undefined || p.ts <= range.to))
      .sort((a, b) => a.ts - b.ts);
  }

  #row(id: string): Row {
    const row = this.#vaults.get(id);
    if (!row) throw new VaultError('VAULT_NOT_FOUND', `vault ${id} does not exist`);
    return row;
  }

  #version(record: VaultRecord, kind: VaultChangeKind, change: ChangeMeta): VaultVersion {
    return deepFreeze({
      vaultId: record.id,
      version: record.version,
      kind,
      config: record.config,
      overlay: record.overlay,
      actor: change.actor,
      reason: change.reason,
      at: change.at,
      eventId: change.eventId,
    });
  }
}
