/**
 * Model versions and their aliases, as a pure structure: every function takes a state and returns a new one
 * with the events that record the change. The registry port (registry.ts) keeps one of these in memory; a SQL
 * implementation keeps the same facts in tables and passes the same contract suite.
 *
 * **Aliases.** A version is registered in `shadow` (scored and recorded, not acted on). One version per model is
 * `live` at a time; `retired` versions are kept for the record and can be brought back live (a rollback), never
 * to shadow. The transition table:
 *
 * | from \ to | shadow        | live          | retired      |
 * |-----------|---------------|---------------|--------------|
 * | shadow    | –             | ModelPromoted | ModelRetired |
 * | live      | ModelDemoted  | –             | ModelRetired |
 * | retired   | (invalid)     | ModelPromoted | –            |
 *
 * Promoting a version moves the model's previous live version out first (to `retired`, or to `shadow` when
 * asked, to keep comparing it), in the same change and at the same time, so the live intervals never overlap.
 *
 * **History.** Every change of a model is numbered (`seq`) and dated in event time; a change dated before the
 * model's latest is refused, so the history reads in time order and "which version was live at t" has one answer.
 */
import { ModelOpsError } from './errors.js';
import {
  type Alias,
  type AliasChange,
  type ChangeMeta,
  type ModelDemoted,
  type ModelPromoted,
  modelOpsEvent,
  modelOpsEventId,
  type ModelRegistryEvent,
  type ModelRetired,
  type ModelVersionRecord,
  type ModelVersionRegistered,
} from './events.js';

export type NewModelVersion = Omit<ModelVersionRecord, 'id' | 'registeredAt'>;

export interface RegisteredVersion {
  readonly record: ModelVersionRecord;
  readonly alias: Alias;
}

export interface LiveInterval {
  readonly model: string;
  readonly versionId: string;
  readonly version: string;
  /** Live during [from, to); `to` is null while it still is. */
  readonly from: number;
  readonly to: number | null;
  readonly promotedBy: string;
  readonly reason: string;
  /** The event that made it live. */
  readonly eventId: string;
}

export interface AliasState {
  readonly versions: ReadonlyMap<string, RegisteredVersion>;
  /** Per model, its changes in order. */
  readonly history: ReadonlyMap<string, readonly AliasChange[]>;
}

export const EMPTY_ALIASES: AliasState = Object.freeze({ versions: new Map(), history: new Map() });

export interface AliasOptions {
  /** Where a promotion moves the previous live version. Default `retired`. */
  readonly previousLive?: 'retired' | 'shadow';
}

export const versionIdOf = (model: string, version: string): string => `${model}@${version}`;

const ALLOWED: Readonly<Record<Alias, readonly Alias[]>> = {
  shadow: ['live', 'retired'],
  live: ['shadow', 'retired'],
  retired: ['live'],
};

function checkMeta(meta: ChangeMeta, last: AliasChange | undefined, model: string): void {
  if (!Number.isSafeInteger(meta.at)) throw new ModelOpsError('ALIAS_TIME_INVALID', `a change must be dated in integer epoch ms, got ${meta.at}`);
  if (last && meta.at < last.at) {
    throw new ModelOpsError('ALIAS_TIME_INVALID', `${model}: a change at ${meta.at} is dated before its latest change at ${last.at}`);
  }
}

export function registerVersion(state: AliasState, input: NewModelVersion, meta: ChangeMeta): { state: AliasState; event: ModelVersionRegistered } {
  if (!input.model || !input.version) throw new ModelOpsError('MODEL_VERSION_INVALID', 'a version needs a model name and a version');
  const id = versionIdOf(input.model, input.version);
  if (state.versions.has(id)) throw new ModelOpsError('MODEL_VERSION_EXISTS', `${id} is registered already`);
  const history = state.history.get(input.model) ?? [];
  checkMeta(meta, history.at(-1), input.model);
  const record: ModelVersionRecord = Object.freeze({ ...input, id, registeredAt: meta.at });
  const seq = history.length + 1;
  const eventId = modelOpsEventId('ModelVersionRegistered', [id, seq]);
  const change: AliasChange = Object.freeze({
    model: input.model, versionId: id, version: input.version, from: null, to: 'shadow', actor: meta.actor, reason: meta.reason, at: meta.at, seq, eventId,
  });
  const event = modelOpsEvent<ModelVersionRegistered>('ModelVersionRegistered', [id, seq], meta.at, meta.tsInit ?? meta.at, { record, change }, meta.causationIds);
  return {
    state: {
      versions: new Map(state.versions).set(id, Object.freeze({ record, alias: 'shadow' as const })),
      history: new Map(state.history).set(input.model, Object.freeze([...history, change])),
    },
    event,
  };
}

export function changeAlias(
  state: AliasState,
  versionId: string,
  to: Alias,
  meta: ChangeMeta,
  options: AliasOptions = {},
): { state: AliasState; events: readonly ModelRegistryEvent[] } {
  const current = state.versions.get(versionId);
  if (!current) throw new ModelOpsError('MODEL_VERSION_NOT_FOUND', `no version ${versionId}`);
  const from = current.alias;
  if (!ALLOWED[from].includes(to)) throw new ModelOpsError('ALIAS_TRANSITION_INVALID', `${versionId} cannot go from ${from} to ${to}`);
  const model = current.record.model;
  checkMeta(meta, state.history.get(model)?.at(-1), model);
  const versions = new Map(state.versions);
  const history = [...(state.history.get(model) ?? [])];
  const events: ModelRegistryEvent[] = [];

  const move = (target: RegisteredVersion, next: Alias, reason: string, replaced: string | null): void => {
    const seq = history.length + 1;
    const type = next === 'live' ? 'ModelPromoted' : next === 'retired' ? 'ModelRetired' : 'ModelDemoted';
    const key = [target.record.id, seq];
    const eventId = modelOpsEventId(type, key);
    const change: AliasChange = Object.freeze({
      model, versionId: target.record.id, version: target.record.version, from: target.alias, to: next, actor: meta.actor, reason, at: meta.at, seq, eventId,
    });
    history.push(change);
    versions.set(target.record.id, Object.freeze({ record: target.record, alias: next }));
    const tsInit = meta.tsInit ?? meta.at;
    if (type === 'ModelPromoted') events.push(modelOpsEvent<ModelPromoted>(type, key, meta.at, tsInit, { change, replaced }, meta.causationIds));
    else if (type === 'ModelRetired') events.push(modelOpsEvent<ModelRetired>(type, key, meta.at, tsInit, { change }, meta.causationIds));
    else events.push(modelOpsEvent<ModelDemoted>(type, key, meta.at, tsInit, { change }, meta.causationIds));
  };

  let replaced: string | null = null;
  if (to === 'live') {
    const previous = [...versions.values()].find((v) => v.record.model === model && v.alias === 'live');
    if (previous) {
      replaced = previous.record.id;
      move(previous, options.previousLive ?? 'retired', `replaced by ${versionId}: ${meta.reason}`, null);
    }
  }
  move(current, to, meta.reason, replaced);
  return { state: { versions, history: new Map(state.history).set(model, Object.freeze(history)) }, events };
}

/** Which version of a model was live when, oldest first. */
export function liveIntervals(state: AliasState, model: string): readonly LiveInterval[] {
  const out: LiveInterval[] = [];
  const open = new Map<string, number>(); // version id → index in out
  for (const c of state.history.get(model) ?? []) {
    if (c.to === 'live') {
      open.set(c.versionId, out.length);
      out.push({ model, versionId: c.versionId, version: c.version, from: c.at, to: null, promotedBy: c.actor, reason: c.reason, eventId: c.eventId });
    } else if (c.from === 'live') {
      const i = open.get(c.versionId)!;
      out[i] = { ...out[i]!, to: c.at };
      open.delete(c.versionId);
    }
  }
  return out;
}

/** The version live at event time `t` (a change dated `t` is in force at `t`); null when none was. */
export function liveAt(state: AliasState, model: string, t: number): string | null {
  let live: string | null = null;
  for (const c of state.history.get(model) ?? []) {
    if (c.at > t) break;
    if (c.to === 'live') live = c.versionId;
    else if (c.from === 'live' && live === c.versionId) live = null;
  }
  return live;
}

/** The alias a version had at event time `t`; null before it was registered. */
export function aliasAt(state: AliasState, versionId: string, t: number): Alias | null {
  const v = state.versions.get(versionId);
  if (!v) return null;
  let alias: Alias | null = null;
  for (const c of state.history.get(v.record.model) ?? []) {
    if (c.at > t) break;
    if (c.versionId === versionId) alias = c.to;
  }
  return alias;
}
