/**
 * The model registry port: versions, their aliases and the full history of alias changes, with the events
 * that record each change. `MemoryModelRegistry` keeps the pure alias state (aliases.ts); a SQL implementation
 * keeps the same facts in tables and must pass `modelRegistryContract` (registry.contract.ts).
 *
 * Every mutating call returns the events it recorded; the caller publishes them. A refused change (an unknown
 * version, a forbidden transition, a change dated before the model's latest) throws a `ModelOpsError` and
 * changes nothing.
 */
import {
  type AliasOptions,
  type AliasState,
  aliasAt,
  changeAlias,
  EMPTY_ALIASES,
  type LiveInterval,
  liveAt,
  liveIntervals,
  type NewModelVersion,
  registerVersion,
  type RegisteredVersion,
} from './aliases.js';
import type { Alias, AliasChange, ChangeMeta, ModelRegistryEvent, ModelVersionRegistered } from './events.js';

export interface ModelRegistryRepository {
  /** Registers a version in `shadow`. */
  register(input: NewModelVersion, meta: ChangeMeta): Promise<{ readonly version: RegisteredVersion; readonly event: ModelVersionRegistered }>;
  /** Moves a version to an alias (see the transition table in aliases.ts). */
  setAlias(versionId: string, alias: Alias, meta: ChangeMeta, options?: AliasOptions): Promise<{ readonly events: readonly ModelRegistryEvent[] }>;
  get(versionId: string): Promise<RegisteredVersion | null>;
  /** Versions of one model (or of every model), by model then registration. */
  list(model?: string): Promise<readonly RegisteredVersion[]>;
  /** The model's alias changes, registration included, in order. */
  history(model: string): Promise<readonly AliasChange[]>;
  liveIntervals(model: string): Promise<readonly LiveInterval[]>;
  /** The version live at event time `t`. */
  liveAt(model: string, t: number): Promise<RegisteredVersion | null>;
  /** The alias a version had at event time `t`; null before it was registered. */
  aliasAt(versionId: string, t: number): Promise<Alias | null>;
}

export class MemoryModelRegistry implements ModelRegistryRepository {
  #state: AliasState = EMPTY_ALIASES;

  /** The current state, for a caller that wants the pure functions (it is immutable). */
  get state(): AliasState {
    return this.#state;
  }

  async register(input: NewModelVersion, meta: ChangeMeta): Promise<{ version: RegisteredVersion; event: ModelVersionRegistered }> {
    const { state, event } = registerVersion(this.#state, input, meta);
    this.#state = state;
    return { version: state.versions.get(event.payload.record.id)!, event };
  }

  async setAlias(versionId: string, alias: Alias, meta: ChangeMeta, options?: AliasOptions): Promise<{ events: readonly ModelRegistryEvent[] }> {
    const { state, events } = changeAlias(this.#state, versionId, alias, meta, options);
    this.#state = state;
    return { events };
  }

  async get(versionId: string): Promise<RegisteredVersion | null> {
    return this.#state.versions.get(versionId) ?? null;
  }

  async list(model?: string): Promise<readonly RegisteredVersion[]> {
    const all = [...this.#state.versions.values()].filter((v) => model === undefined || v.record.model === model);
    return all.sort((a, b) => cmp(a.record.model, b.record.model) || a.record.registeredAt - b.record.registeredAt || cmp(a.record.id, b.record.id));
  }

  async history(model: string): Promise<readonly AliasChange[]> {
    return this.#state.history.get(model) ?? [];
  }

  async liveIntervals(model: string): Promise<readonly LiveInterval[]> {
    return liveIntervals(this.#state, model);
  }

  async liveAt(model: string, t: number): Promise<RegisteredVersion | null> {
    const id = liveAt(this.#state, model, t);
    return id === null ? null : this.#state.versions.get(id)!;
  }

  async aliasAt(versionId: string, t: number): Promise<Alias | null> {
    return aliasAt(this.#state, versionId, t);
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
