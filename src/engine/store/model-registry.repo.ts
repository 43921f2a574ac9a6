/**
 * The model registry over drizzle, on both drivers (it runs modelops/registry.contract.ts): versions in
 * `model_versions` (lineage, metrics, alias as `status`), every alias change of a model in
 * `model_alias_changes`, drift references and reinforcement checkpoints on the version row and drift reports
 * in `drift_reports`.
 *
 * **One rule, one implementation.** A change runs in a transaction that locks the model's `models` row, reads
 * the model's versions and history into the pure alias state (modelops/aliases.ts), applies the very function
 * the memory registry applies, and writes what it added. So the transition table, the time-order check and the
 * event ids are the same in SQL as in memory, and two processes changing one model take turns on its row lock
 * (a unique index also keeps a model to one live version, whatever writes the table).
 */
import { and, asc, desc, eq, gte, lte } from 'drizzle-orm';
import {
  aliasAt,
  type AliasOptions,
  type AliasState,
  changeAlias,
  type LiveInterval,
  liveAt,
  liveIntervals,
  type NewModelVersion,
  registerVersion,
  type RegisteredVersion,
} from '../modelops/aliases.js';
import type { DriftKey, DriftLevel, DriftStat } from '../modelops/drift.js';
import { ModelOpsError } from '../modelops/errors.js';
import type { Alias, AliasChange, ChangeMeta, ModelRegistryEvent, ModelVersionRegistered } from '../modelops/events.js';
import type { ReinforcementCheckpoint } from '../modelops/reinforcement.js';
import type { DriftReportRecord, ModelOpsStore } from '../modelops/store.js';
import type { VantaDb } from './db.js';
import { driftReports, modelAliasChanges, models, modelVersions } from './schema.js';

type VersionRow = typeof modelVersions.$inferSelect;
type ChangeRow = typeof modelAliasChanges.$inferSelect;
type ReportRow = typeof driftReports.$inferSelect;
type Tx = Parameters<Parameters<VantaDb['transaction']>[0]>[0];

/** `Name(k=v,...)` → `{ k: v }`, numbers as numbers: the parameters a model's name carries. */
export function parametersOf(name: string): Record<string, string | number> {
  const open = name.indexOf('(');
  if (open < 0 || !name.endsWith(')')) return {};
  const out: Record<string, string | number> = {};
  for (const part of name.slice(open + 1, -1).split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const value = part.slice(eq + 1);
    const n = Number(value);
    out[part.slice(0, eq)] = value !== '' && Number.isFinite(n) ? n : value;
  }
  return out;
}

function toVersion(row: VersionRow): RegisteredVersion {
  return Object.freeze({
    record: Object.freeze({
      id: row.id,
      model: row.modelId,
      version: row.version,
      parentVersion: row.parentVersion,
      featureSetVersion: row.featureSetVersion,
      trainingWindow: row.trainingFrom === null || row.trainingTo === null ? null : { from: row.trainingFrom, to: row.trainingTo },
      trainedAsOf: row.trainedAsOf,
      artifactHash: row.artifactHash,
      metrics: row.metrics as Record<string, number | null>,
      registeredAt: row.createdAt,
    }),
    alias: row.status as Alias,
  });
}

function toChange(row: ChangeRow): AliasChange {
  return Object.freeze({
    model: row.modelId,
    versionId: row.versionId,
    version: row.version,
    from: row.fromAlias as Alias | null,
    to: row.toAlias as Alias,
    actor: row.actor,
    reason: row.reason,
    at: row.at,
    seq: row.seq,
    eventId: row.eventId,
  });
}

function toReport(row: ReportRow): DriftReportRecord {
  return {
    id: row.id,
    model: row.modelId,
    version: row.version,
    asOf: row.asOf,
    windowStart: row.windowStart,
    windowEnd: row.windowEnd,
    level: row.level as DriftLevel,
    alarmed: row.alarmed,
    raisedBy: row.raisedBy,
    weightMultiplier: row.weightMultiplier,
    keys: row.keys as DriftStat[],
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class DrizzleModelRegistry implements ModelOpsStore {
  constructor(private readonly db: VantaDb) {}

  async register(input: NewModelVersion, meta: ChangeMeta): Promise<{ version: RegisteredVersion; event: ModelVersionRegistered }> {
    if (!input.model || !input.version) throw new ModelOpsError('MODEL_VERSION_INVALID', 'a version needs a model name and a version');
    return this.db.transaction(async (tx) => {
      await tx
        .insert(models)
        .values({ id: input.model, name: input.model, params: parametersOf(input.model), createdAt: meta.at })
        .onConflictDoNothing();
      const before = await this.#lockAndLoad(tx, input.model);
      const { state, event } = registerVersion(before, input, meta);
      const version = state.versions.get(event.payload.record.id)!;
      const r = version.record;
      await tx.insert(modelVersions).values({
        id: r.id,
        modelId: r.model,
        version: r.version,
        status: version.alias,
        params: parametersOf(r.model),
        metrics: r.metrics,
        artifact: null,
        createdAt: r.registeredAt,
        promotedAt: null,
        parentVersion: r.parentVersion,
        featureSetVersion: r.featureSetVersion,
        trainingFrom: r.trainingWindow?.from ?? null,
        trainingTo: r.trainingWindow?.to ?? null,
        trainedAsOf: r.trainedAsOf,
        artifactHash: r.artifactHash,
      });
      await this.#writeChanges(tx, before, state, r.model);
      return { version, event };
    });
  }

  async setAlias(versionId: string, alias: Alias, meta: ChangeMeta, options?: AliasOptions): Promise<{ events: readonly ModelRegistryEvent[] }> {
    return this.db.transaction(async (tx) => {
      const found = await tx.select({ model: modelVersions.modelId }).from(modelVersions).where(eq(modelVersions.id, versionId)).limit(1);
      if (!found[0]) throw new ModelOpsError('MODEL_VERSION_NOT_FOUND', `no version ${versionId}`);
      const model = found[0].model;
      const before = await this.#lockAndLoad(tx, model);
      const { state, events } = changeAlias(before, versionId, alias, meta, options);
      await this.#writeChanges(tx, before, state, model);
      return { events };
    });
  }

  async get(versionId: string): Promise<RegisteredVersion | null> {
    const rows = await this.db.select().from(modelVersions).where(eq(modelVersions.id, versionId)).limit(1);
    return rows[0] ? toVersion(rows[0]) : null;
  }

  async list(model?: string): Promise<readonly RegisteredVersion[]> {
    const rows = await (model === undefined
      ? this.db.select().from(modelVersions)
      : this.db.select().from(modelVersions).where(eq(modelVersions.modelId, model)));
    return rows
      .map(toVersion)
      .sort((a, b) => cmp(a.record.model, b.record.model) || a.record.registeredAt - b.record.registeredAt || cmp(a.record.id, b.record.id));
  }

  async history(model: string): Promise<readonly AliasChange[]> {
    const rows = await this.db.select().from(modelAliasChanges).where(eq(modelAliasChanges.modelId, model)).orderBy(asc(modelAliasChanges.seq));
    return rows.map(toChange);
  }

  async liveIntervals(model: string): Promise<readonly LiveInterval[]> {
    return liveIntervals(await this.#load(this.db, model), model);
  }

  async liveAt(model: string, t: number): Promise<RegisteredVersion | null> {
    const state = await this.#load(this.db, model);
    const id = liveAt(state, model, t);
    return id === null ? null : state.versions.get(id)!;
  }

  async aliasAt(versionId: string, t: number): Promise<Alias | null> {
    const found = await this.db.select({ model: modelVersions.modelId }).from(modelVersions).where(eq(modelVersions.id, versionId)).limit(1);
    if (!found[0]) return null;
    return aliasAt(await this.#load(this.db, found[0].model), versionId, t);
  }

  async setReference(versionId: string, keys: readonly DriftKey[]): Promise<void> {
    const rows = await this.db.update(modelVersions).set({ driftReference: keys }).where(eq(modelVersions.id, versionId)).returning({ id: modelVersions.id });
    if (rows.length === 0) throw new ModelOpsError('MODEL_VERSION_NOT_FOUND', `no version ${versionId}`);
  }

  async reference(versionId: string): Promise<readonly DriftKey[] | null> {
    const rows = await this.db.select({ ref: modelVersions.driftReference }).from(modelVersions).where(eq(modelVersions.id, versionId)).limit(1);
    return (rows[0]?.ref as DriftKey[] | null | undefined) ?? null;
  }

  async setReinforcementState(versionId: string, checkpoint: ReinforcementCheckpoint): Promise<void> {
    const rows = await this.db
      .update(modelVersions)
      .set({ reinforcementState: checkpoint })
      .where(eq(modelVersions.id, versionId))
      .returning({ id: modelVersions.id });
    if (rows.length === 0) throw new ModelOpsError('MODEL_VERSION_NOT_FOUND', `no version ${versionId}`);
  }

  async reinforcementState(versionId: string): Promise<ReinforcementCheckpoint | null> {
    const rows = await this.db.select({ state: modelVersions.reinforcementState }).from(modelVersions).where(eq(modelVersions.id, versionId)).limit(1);
    return (rows[0]?.state as ReinforcementCheckpoint | null | undefined) ?? null;
  }

  async appendDriftReports(reports: readonly DriftReportRecord[]): Promise<void> {
    if (reports.length === 0) return;
    await this.db
      .insert(driftReports)
      .values(
        reports.map((r) => ({
          id: r.id,
          modelId: r.model,
          version: r.version,
          asOf: r.asOf,
          windowStart: r.windowStart,
          windowEnd: r.windowEnd,
          level: r.level,
          alarmed: r.alarmed,
          raisedBy: r.raisedBy,
          weightMultiplier: r.weightMultiplier,
          keys: r.keys,
        })),
      )
      .onConflictDoNothing();
  }

  async driftReports(model: string, from: number, to: number, limit: number): Promise<readonly DriftReportRecord[]> {
    const rows = await this.db
      .select()
      .from(driftReports)
      .where(and(eq(driftReports.modelId, model), gte(driftReports.asOf, from), lte(driftReports.asOf, to)))
      .orderBy(asc(driftReports.asOf), asc(driftReports.id))
      .limit(limit);
    return rows.map(toReport);
  }

  async latestDriftReport(model: string, version: string): Promise<DriftReportRecord | null> {
    const rows = await this.db
      .select()
      .from(driftReports)
      .where(and(eq(driftReports.modelId, model), eq(driftReports.version, version)))
      .orderBy(desc(driftReports.asOf), desc(driftReports.id))
      .limit(1);
    return rows[0] ? toReport(rows[0]) : null;
  }

  /** Locks the model's row (when it exists) and reads its state. */
  async #lockAndLoad(tx: Tx, model: string): Promise<AliasState> {
    await tx.select({ id: models.id }).from(models).where(eq(models.id, model)).for('update');
    return this.#load(tx, model);
  }

  async #load(db: VantaDb | Tx, model: string): Promise<AliasState> {
    // One after the other: a transaction is one connection.
    const versions = await db.select().from(modelVersions).where(eq(modelVersions.modelId, model));
    const changes = await db.select().from(modelAliasChanges).where(eq(modelAliasChanges.modelId, model)).orderBy(asc(modelAliasChanges.seq));
    return {
      versions: new Map(versions.map((r) => [r.id, toVersion(r)] as const)),
      history: new Map(changes.length ? [[model, changes.map(toChange)] as const] : []),
    };
  }

  /** Writes the changes `after` added to `before`: the history rows, then each version's alias, in order. */
  async #writeChanges(tx: Tx, before: AliasState, after: AliasState, model: string): Promise<void> {
    const known = before.history.get(model)?.length ?? 0;
    const added = (after.history.get(model) ?? []).slice(known);
    for (const c of added) {
      await tx.insert(modelAliasChanges).values({
        modelId: c.model,
        seq: c.seq,
        versionId: c.versionId,
        version: c.version,
        fromAlias: c.from,
        toAlias: c.to,
        actor: c.actor,
        reason: c.reason,
        at: c.at,
        eventId: c.eventId,
      });
      if (c.from !== null) {
        await tx
          .update(modelVersions)
          .set({ status: c.to, ...(c.to === 'live' ? { promotedAt: c.at } : {}) })
          .where(eq(modelVersions.id, c.versionId));
      }
    }
  }
}
