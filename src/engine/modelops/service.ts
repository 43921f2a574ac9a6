/**
 * Model operations on a running engine: the registry kept in step with the loaded bundles, drift watched over
 * live traffic against each version's training reference, the promotion rule applied, and every registry and
 * drift event published on the bus (`models.registry`, `models.drift`), where the audit log records it with
 * its actor.
 *
 * **At start** (`start`): each loaded bundle's versions are registered when new (the shipped bundle's go
 * live when their model has no live version, or when the live one is not loaded here; shadow bundles' stay in
 * shadow); versions without a drift reference get one (reference.ts) stored in the registry; one drift
 * monitor per loaded feature-model version is fed with the feature snapshots (`features.computed`) and the
 * version's outputs (`models.outputs`, `models.shadow`).
 *
 * **On a schedule** (the caller's timers call `evaluateDrift` and `evaluatePromotions`): each monitor is
 * evaluated at the engine clock's time, its report stored, its alarms published and applied (LiveSet), and,
 * with `demoteOnAlarm`, a live version under a new alarm demoted with the alarm as cause. For each model with a
 * live and a shadow version, the rule (promotion.ts) decides on the two versions' calls (calls.ts) and a
 * `promote` or `demote` verdict is carried out with the decision's id as cause.
 *
 * **Reinforcement** (reinforcement.ts): every conviction the live stacker scores is judged once its horizon
 * has passed, and its inputs' calls move their multipliers; each move is applied to the live combiner at once
 * (LiveSet) and published as `StackerWeightsChanged` on `models.weights`, caused by the convictions judged.
 * The whole state (the hit rates' drift below a recorded step, the convictions still waiting) is checkpointed
 * in the store at stop and on the caller's schedule (`checkpointReinforcement`), and taken back at start: from
 * the checkpoint, with the records of the audit log's last step when that came after it (a crash since).
 */
import type { Bus } from '../bus/bus.js';
import { Topics } from '../bus/topics.js';
import { eventId } from '../canonical.js';
import type { Clock } from '../clock.js';
import type { Combiner, StackerCombiner } from '../conviction/combiner.js';
import type { EngineLogger } from '../engine.js';
import type { FeatureSet } from '../features/definitions.js';
import type { LoadedEnsemble } from '../models/bundle.js';
import type { FeatureModel } from '../models/feature-models.js';
import type { ConvictionVector, FeatureSnapshot, ModelScored } from '../types.js';
import type { ModelOpsConfig } from './config.js';
import { CallBook } from './calls.js';
import { calibrationFor, type DriftConfig, DriftMonitor, type ModelDriftStatus } from './drift.js';
import { ModelOpsError } from './errors.js';
import { type Alias, type ChangeMeta, type DriftEvent, modelOpsEvent, type ModelOpsEvent, type ModelRegistryEvent, type StackerWeightsChanged } from './events.js';
import { LiveSet } from './live-set.js';
import { decidePromotion, type PromotionConfig, type PromotionDecision } from './promotion.js';
import { buildTrainingReferences, readReferenceFile, referenceOptions, referencePathFor, referenceRecipe } from './reference.js';
import { OnlineReinforcement } from './reinforcement.js';
import type { InputRecord } from '../conviction/reinforcement.js';
import { PriceSeries } from '../price-series.js';
import type { ModelOpsStore } from './store.js';

export interface ModelOpsDeps {
  readonly store: ModelOpsStore;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly log: EngineLogger;
  readonly config: ModelOpsConfig;
  readonly featureSet: FeatureSet;
  /** The ensemble that goes live on first start (the shipped bundle), if one is loaded. */
  readonly live: { readonly ensemble: LoadedEnsemble; readonly source: string } | null;
  /** Bundles whose versions score in shadow. */
  readonly shadow: readonly { readonly ensemble: LoadedEnsemble; readonly source: string }[];
  /** The combiner when no loaded stacker is live (the prior weights). */
  readonly fallbackCombiner: () => Combiner;
  /** The latest recorded reinforcement of a stacker version (from the audit log), taken back at start. */
  readonly lastWeights?: (stacker: string, version: string) => Promise<StackerWeightsChanged | null>;
}

/** A manual alias change's outcome: the events recorded, or why the rule refused it. */
export type ManualChange =
  | { readonly ok: true; readonly events: readonly ModelRegistryEvent[]; readonly decision: PromotionDecision | null }
  | { readonly ok: false; readonly code: 'PROMOTION_REFUSED'; readonly message: string; readonly decision: PromotionDecision | null };

export const SYSTEM_ACTOR = 'system:modelops';
export const DRIFT_ACTOR = 'system:drift-monitor';
export const PROMOTION_ACTOR = 'system:promotion-rule';

export class ModelOps {
  readonly live: LiveSet;
  readonly #deps: ModelOpsDeps;
  readonly #featureModels = new Map<string, FeatureModel>();
  readonly #stackers = new Map<string, StackerCombiner>();
  readonly #monitors = new Map<string, DriftMonitor>();
  readonly #status = new Map<string, ModelDriftStatus>();
  /** Bar closes, once for everything that judges calls: the call book and the reinforcement. */
  readonly #prices = new PriceSeries();
  readonly #calls: CallBook;
  readonly #decisions = new Map<string, PromotionDecision>();
  /** stacker version id → its reinforcement on live traffic. */
  readonly #reinforcement = new Map<string, OnlineReinforcement>();
  /** stacker version id → the revision of its reinforcement last checkpointed (or restored from a checkpoint). */
  readonly #checkpointed = new Map<string, number>();
  #chain: Promise<unknown> = Promise.resolve();
  #monitorsReady: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(deps: ModelOpsDeps) {
    this.#deps = deps;
    for (const b of [...(deps.live ? [deps.live] : []), ...deps.shadow]) {
      for (const m of b.ensemble.featureModels) this.#featureModels.set(`${m.modelId}@${m.version}`, m);
      const c = b.ensemble.combiner;
      if (c) this.#stackers.set(`${c.name}@${c.version}`, c);
    }
    this.live = new LiveSet(this.#featureModels, this.#stackers, deps.fallbackCombiner);
    this.#calls = new CallBook(deps.config.promotion.windowDays + 1, this.#prices);
    // The checkpoints' schedule is the caller's (`checkpointReinforcement`); the rest are the bias's parameters.
    const { enabled, checkpointMs, ...params } = deps.config.reinforcement;
    if (enabled) {
      for (const [id, c] of this.#stackers) this.#reinforcement.set(id, new OnlineReinforcement(c.stacker.params.inputs, c, this.#prices, params));
    }
  }

  /** True for a feature model loaded from one of the bundles this controller manages. */
  manages(versionId: string): boolean {
    return this.#featureModels.has(versionId);
  }

  get store(): ModelOpsStore {
    return this.#deps.store;
  }

  get promotionConfig(): PromotionConfig {
    return this.#deps.config.promotion;
  }

  /** Registers the loaded bundles, builds the missing references and the drift monitors. */
  async start(): Promise<void> {
    const { live, shadow } = this.#deps;
    if (live) await this.#registerBundle(live.ensemble, live.source, true);
    for (const s of shadow) await this.#registerBundle(s.ensemble, s.source, false);
    await this.refreshAliases();
    await this.#restoreReinforcement();
    // References may take seconds to rebuild on a first start: the engine need not wait for them.
    if (this.#deps.config.drift.enabled) {
      this.#monitorsReady = this.#buildMonitors().catch((err: unknown) =>
        this.#deps.log.error({ err: err instanceof Error ? err.message : String(err) }, 'modelops: drift monitors could not be built; drift is not watched'),
      );
    }
  }

  /**
   * Each reinforced stacker takes back its state, and the live combiner its multipliers: the checkpoint, with
   * the records of the audit log's last step instead when that step came after it (see `stepAfter`); without a
   * checkpoint, that step's records alone.
   */
  async #restoreReinforcement(): Promise<void> {
    const { log, store, lastWeights } = this.#deps;
    for (const [id, loop] of this.#reinforcement) {
      const saved = await store.reinforcementState(id);
      const restored = saved ? loop.restoreCheckpoint(saved) : null;
      const last = (await lastWeights?.(loop.stacker.name, loop.stacker.version)) ?? null;
      const step = last?.payload.state && (!restored || stepAfter(last, loop)) ? last : null;
      if (restored && !step) {
        this.#checkpointed.set(id, loop.revision);
        log.info({ stacker: id, asOf: loop.asOf, waiting: loop.counts.waiting, skipped: restored.skipped }, 'modelops: reinforcement restored from its checkpoint');
      } else if (restored && step) {
        const forgotten = loop.adoptStep(step.payload.state!, step.tsEvent);
        log.warn(
          { stacker: id, from: step.id, asOf: loop.asOf, waiting: loop.counts.waiting, forgotten, skipped: restored.skipped },
          'modelops: reinforcement restored from its checkpoint, with the records of the later step in the audit log',
        );
      } else if (step) {
        loop.bias.restore(step.payload.state!);
        log.info({ stacker: id, from: step.id }, 'modelops: reinforcement weights restored from the audit log');
      } else {
        continue;
      }
      this.live.setReinforcement(id, loop.multipliers());
    }
  }

  /** Stores the checkpoint of each reinforced stacker whose state changed since its last one. */
  checkpointReinforcement(): Promise<void> {
    return this.#serialized(async () => {
      for (const [id, loop] of this.#reinforcement) {
        const revision = loop.revision;
        if (this.#checkpointed.get(id) === revision) continue;
        await this.#deps.store.setReinforcementState(id, loop.checkpoint());
        this.#checkpointed.set(id, revision);
      }
    });
  }

  /** Resolves once the drift monitors are built (at once when drift is off). */
  get monitorsReady(): Promise<void> {
    return this.#monitorsReady;
  }

  /** Stops building references, if that is still going on, and waits for it; checkpoints the reinforcement. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#monitorsReady;
    await this.checkpointReinforcement();
  }

  /** Re-reads the aliases from the registry (after a change made here or by another process). */
  async refreshAliases(): Promise<void> {
    const versions = await this.#deps.store.list();
    this.live.setAliases(new Map(versions.map((v) => [v.record.id, v.alias] as const)));
  }

  /** Feeds the drift monitors and the call book; the job subscribes these to the bus. */
  observeSnapshot(snapshot: FeatureSnapshot): void {
    for (const m of this.#monitors.values()) m.observeSnapshot(snapshot);
  }

  observeOutput(event: ModelScored): void {
    const id = `${event.payload.modelId}@${event.payload.modelVersion}`;
    this.#monitors.get(id)?.observeOutput(event.payload, event.tsEvent);
    this.#calls.observeOutput(event.payload, event.tsEvent);
  }

  /** Told of each conviction with the input values it was scored from (CONVICTION_INPUTS order). */
  observeConviction(values: readonly number[], vector: ConvictionVector, tsEvent: number): void {
    for (const loop of this.#reinforcement.values()) loop.observeConviction(values, vector, tsEvent);
  }

  /** A bar: judges the calls and convictions that came due, and publishes what moved the stacker's weights. */
  async observeBar(instrument: string, ts: number, close: number): Promise<void> {
    this.#prices.add(instrument, ts, close);
    const events: StackerWeightsChanged[] = [];
    for (const [id, loop] of this.#reinforcement) {
      const { changes, causedBy } = loop.judge(instrument, ts);
      if (changes.length === 0) continue;
      const multipliers = loop.multipliers();
      this.live.setReinforcement(id, multipliers);
      events.push(
        modelOpsEvent<StackerWeightsChanged>(
          'StackerWeightsChanged',
          [id, instrument, ts, ...causedBy],
          ts,
          this.#deps.clock.now(),
          {
            stacker: loop.stacker.name,
            version: loop.stacker.version,
            changes,
            multipliers: Object.fromEntries(multipliers),
            state: Object.fromEntries(loop.inputs.map((input) => [input, loop.bias.record(input)!] as const)),
          },
          causedBy,
        ),
      );
    }
    if (events.length > 0) await this.#publish(events);
  }

  /** The reinforcement of a stacker version: each input's hit rate, calls judged and multiplier; null when not reinforced. */
  reinforcement(stackerId: string): (InputRecord & { readonly input: string })[] | null {
    const loop = this.#reinforcement.get(stackerId);
    return loop ? loop.inputs.map((input) => ({ input, ...loop.bias.record(input)! })) : null;
  }

  driftStatus(versionId: string): ModelDriftStatus | null {
    return this.#status.get(versionId) ?? null;
  }

  /** The latest drift evaluation of every watched version, by version id. */
  driftStatuses(): ReadonlyMap<string, ModelDriftStatus> {
    return new Map(this.#status);
  }

  lastDecision(model: string): PromotionDecision | null {
    return this.#decisions.get(model) ?? null;
  }

  /** Evaluates every monitor now: stores the reports, publishes and applies the alarms. */
  evaluateDrift(): Promise<void> {
    return this.#serialized(() => this.#evaluateDrift());
  }

  /** Applies the promotion rule to each model with a live and a shadow version. */
  evaluatePromotions(): Promise<void> {
    return this.#serialized(() => this.#evaluatePromotions());
  }

  /** The rule's verdict on `shadowId` against `liveId`, on their recorded calls (read only). */
  compare(liveId: string, shadowId: string): PromotionDecision {
    const [l, s] = [liveId, shadowId].map((id) => {
      const at = id.lastIndexOf('@');
      return { model: id.slice(0, at), version: id.slice(at + 1), calls: this.#calls.calls(id) };
    });
    return decidePromotion(
      { live: l!, shadow: s!, liveDriftAlarm: this.#status.get(liveId)?.raisedBy ?? null, shadowDriftAlarm: this.#status.get(shadowId)?.raisedBy ?? null },
      this.promotionConfig,
    );
  }

  /**
   * Makes a version live. Without `override` the rule must say `promote` against the model's live version
   * (a model with no live version has nothing to beat); with it, the change is made and recorded as an override.
   */
  promote(versionId: string, who: { readonly actor: string; readonly reason: string; readonly override: boolean }): Promise<ManualChange> {
    return this.#serialized(async () => {
      const target = await this.#deps.store.get(versionId);
      if (!target) throw new ModelOpsError('MODEL_VERSION_NOT_FOUND', `no version ${versionId}`);
      const current = (await this.#deps.store.list(target.record.model)).find((v) => v.alias === 'live') ?? null;
      let decision: PromotionDecision | null = null;
      if (current && current.record.id !== versionId) decision = this.compare(current.record.id, versionId);
      if (!who.override && decision && decision.decision !== 'promote') {
        return { ok: false, code: 'PROMOTION_REFUSED', message: `the promotion rule keeps ${current!.record.id} live: ${decision.reasons.join('; ')}`, decision } as const;
      }
      const reason = who.override ? `override: ${who.reason}` : who.reason;
      const events = await this.#change(versionId, 'live', { actor: who.actor, reason, causationIds: decision ? [decision.id] : [] });
      return { ok: true, events, decision } as const;
    });
  }

  /** Moves a version out of live (to shadow by default). */
  demote(versionId: string, who: { readonly actor: string; readonly reason: string; readonly to: 'shadow' | 'retired' }): Promise<ManualChange> {
    return this.#serialized(async () => {
      const events = await this.#change(versionId, who.to, { actor: who.actor, reason: who.reason, causationIds: [] });
      return { ok: true, events, decision: null } as const;
    });
  }

  /** Runs `work` after whatever change is in flight, so changes made here never interleave. */
  #serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(work, work);
    this.#chain = next.catch(() => undefined);
    return next;
  }

  async #change(versionId: string, to: Alias, meta: Omit<ChangeMeta, 'at'>, previousLive: 'retired' | 'shadow' = 'shadow'): Promise<readonly ModelRegistryEvent[]> {
    const now = this.#deps.clock.now();
    const { events } = await this.#deps.store.setAlias(versionId, to, { ...meta, at: now, tsInit: now }, { previousLive });
    await this.#publish(events);
    await this.refreshAliases();
    return events;
  }

  async #publish(events: readonly ModelOpsEvent[]): Promise<void> {
    const isDrift = (e: ModelOpsEvent): e is DriftEvent => e.type === 'DriftAlarmRaised' || e.type === 'DriftAlarmCleared';
    const isWeights = (e: ModelOpsEvent): e is StackerWeightsChanged => e.type === 'StackerWeightsChanged';
    const registry = events.filter((e): e is ModelRegistryEvent => !isDrift(e) && !isWeights(e));
    const drift = events.filter(isDrift);
    const weights = events.filter(isWeights);
    if (registry.length) await this.#deps.bus.publishMany(Topics.modelRegistry, registry);
    if (drift.length) await this.#deps.bus.publishMany(Topics.modelDrift, drift);
    if (weights.length) await this.#deps.bus.publishMany(Topics.modelWeights, weights);
  }

  async #registerBundle(ensemble: LoadedEnsemble, source: string, goLive: boolean): Promise<void> {
    const b = ensemble.bundle;
    const trainingStart = typeof b.training.start === 'string' ? Date.parse(b.training.start) : Number.NaN;
    const days = typeof b.training.days === 'number' ? b.training.days : null;
    const window = Number.isFinite(trainingStart) && days !== null ? { from: trainingStart, to: trainingStart + days * 86_400_000 } : null;
    // A TF.js model left unloaded (TF.js off) does not score: it is registered when it first does.
    for (const m of b.models.filter((model) => !ensemble.unloaded.includes(model))) {
      const id = `${m.name}@${m.version}`;
      const now = this.#deps.clock.now();
      const meta = { actor: SYSTEM_ACTOR, at: now, tsInit: now };
      const versions = await this.#deps.store.list(m.name);
      if (!versions.some((v) => v.record.id === id)) {
        const latest = versions.at(-1);
        const { event } = await this.#deps.store.register(
          {
            model: m.name,
            version: m.version,
            parentVersion: latest?.record.version ?? null,
            featureSetVersion: b.featureSetVersion,
            trainingWindow: window,
            trainedAsOf: window?.to ?? null,
            artifactHash: m.artifactHash,
            metrics: b.metrics,
          },
          { ...meta, reason: `loaded from ${source}` },
        );
        await this.#publish([event]);
      }
      if (!goLive) continue;
      const live = (await this.#deps.store.list(m.name)).find((v) => v.alias === 'live');
      const loaded = live && (this.#featureModels.has(live.record.id) || this.#stackers.has(live.record.id));
      if (live?.record.id === id || loaded) continue;
      const reason = live ? `${live.record.id} is not in the loaded bundles; ${source} goes live` : `first start: ${source} goes live`;
      const { events } = await this.#deps.store.setAlias(id, 'live', { ...meta, reason }, { previousLive: 'retired' });
      await this.#publish(events);
    }
  }

  async #buildMonitors(): Promise<void> {
    const c = this.#deps.config.drift;
    const driftConfig: Partial<DriftConfig> = {
      psi: c.psi,
      kl: c.kl,
      shift: c.shift,
      minSamples: c.minSamples,
      windowMs: c.windowMs,
      slotMs: c.slotMs,
      calibration: { margin: c.calibrationMargin },
      action: c.action === 'halt' ? { kind: 'halt' } : { kind: 'cut_weight', multiplier: c.cutMultiplier },
    };
    const bundles = [...(this.#deps.live ? [this.#deps.live] : []), ...this.#deps.shadow];
    for (const { ensemble, source } of bundles) {
      const options = { ...referenceOptions(c), aborted: () => this.#stopped };
      const ids = ensemble.featureModels.map((m) => `${m.modelId}@${m.version}`);
      const missing: string[] = [];
      const uncalibrated: string[] = [];
      for (const id of ids) {
        const stored = await this.#deps.store.reference(id);
        if (!stored) missing.push(id);
        else if (!stored.some((k) => calibrationFor(k, c))) uncalibrated.push(id);
      }
      if (missing.length + uncalibrated.length > 0) {
        const started = Date.now();
        // Written next to the bundle by `vanta reference` for this recipe, else built by replaying the training
        // seeds. A stored reference without the null divergence of this window (from an earlier release, or for
        // other window settings) is replaced only from such a file: a replay that cannot calibrate it for these
        // settings (windows too short for the minimum sample) would give it again.
        const file = referencePathFor(source);
        const written = await readReferenceFile(file, referenceRecipe(ensemble, options), ids).catch((err: unknown) => {
          this.#deps.log.warn({ err, file }, 'modelops: the drift reference file is unreadable; building the reference instead');
          return null;
        });
        const replace = written ? [...missing, ...uncalibrated] : missing;
        const refs = written ?? (missing.length > 0 ? await buildTrainingReferences(ensemble, this.#deps.featureSet, options) : []);
        if (this.#stopped) return;
        for (const r of refs) if (replace.includes(r.versionId)) await this.#deps.store.setReference(r.versionId, r.keys);
        if (replace.length > 0) {
          this.#deps.log.info(
            { source, from: written ? file : 'replay', versions: replace, ms: Date.now() - started },
            written ? 'modelops: training references read' : 'modelops: training references built',
          );
        }
      }
      for (const m of ensemble.featureModels) {
        const id = `${m.modelId}@${m.version}`;
        const keys = (await this.#deps.store.reference(id)) ?? [];
        if (keys.length === 0 || this.#monitors.has(id)) continue;
        // A feature model's outputs are watched as `<model>@<version>` (drift.ts, outputKey).
        const own = keys.filter((k) => k.kind === 'feature' || k.key === id);
        const monitor = new DriftMonitor(own, [{ model: m.modelId, version: m.version, keys: own.map((k) => k.key) }], driftConfig);
        this.#monitors.set(id, monitor);
        // An alarm that stood at the last stop stands again (and acts) until an evaluation clears it.
        const last = await this.#deps.store.latestDriftReport(m.modelId, m.version);
        if (last?.alarmed && last.raisedBy && monitor.restoreAlarm(m.modelId, m.version, last.raisedBy)) {
          const status = monitor.status(m.modelId, m.version)!;
          this.#status.set(id, status);
          this.live.setDrift(id, status.weightMultiplier, !status.scoring);
          this.#deps.log.warn({ model: id, raisedBy: last.raisedBy }, 'modelops: a drift alarm standing at the last stop is restored');
        }
      }
    }
  }

  async #evaluateDrift(): Promise<void> {
    const now = this.#deps.clock.now();
    for (const [id, monitor] of this.#monitors) {
      const report = monitor.evaluate(now);
      const status = report.models[0]!;
      this.#status.set(id, status);
      this.live.setDrift(id, status.weightMultiplier, !status.scoring);
      await this.#deps.store.appendDriftReports([
        {
          id: eventId('drf', id, now),
          model: status.model,
          version: status.version,
          asOf: now,
          windowStart: report.windowStart,
          windowEnd: report.windowEnd,
          level: status.level,
          alarmed: status.alarmed,
          raisedBy: status.raisedBy,
          weightMultiplier: status.weightMultiplier,
          keys: report.keys,
        },
      ]);
      if (report.events.length === 0) continue;
      await this.#publish(report.events);
      for (const e of report.events) {
        this.#deps.log.warn({ model: id, type: e.type, eventId: e.id }, e.type === 'DriftAlarmRaised' ? 'modelops: drift alarm raised' : 'modelops: drift alarm cleared');
        if (e.type === 'DriftAlarmRaised' && this.#deps.config.drift.demoteOnAlarm && this.live.alias(id) === 'live') {
          const keys = e.payload.alarms.map((a) => a.key).join(', ');
          await this.#change(id, 'shadow', { actor: DRIFT_ACTOR, reason: `drift alarm on ${keys}`, causationIds: [e.id] });
        }
      }
    }
  }

  async #evaluatePromotions(): Promise<void> {
    const versions = await this.#deps.store.list();
    const byModel = new Map<string, typeof versions>();
    for (const v of versions) byModel.set(v.record.model, [...(byModel.get(v.record.model) ?? []), v]);
    for (const [model, list] of byModel) {
      const live = list.find((v) => v.alias === 'live');
      const shadows = list.filter((v) => v.alias === 'shadow' && this.#featureModels.has(v.record.id));
      if (!live || shadows.length === 0) continue;
      // The latest shadow version is the candidate.
      const candidate = shadows.at(-1)!;
      const decision = this.compare(live.record.id, candidate.record.id);
      this.#decisions.set(model, decision);
      if (decision.decision === 'keep') continue;
      const target = decision.decision === 'promote' ? candidate.record.id : live.record.id;
      const to: Alias = decision.decision === 'promote' ? 'live' : 'shadow';
      this.#deps.log.info({ model, decision: decision.decision, target, reasons: decision.reasons }, 'modelops: promotion rule');
      await this.#change(target, to, { actor: PROMOTION_ACTOR, reason: decision.reasons.join('; '), causationIds: [decision.id] });
    }
  }
}

/**
 * True when the recorded step came after the checkpoint the reinforcement restored: later in event time, or at
 * its time but caused by a conviction the checkpoint still holds waiting (another instrument's bar of that time
 * judged after the checkpoint was taken).
 */
function stepAfter(step: StackerWeightsChanged, loop: OnlineReinforcement): boolean {
  if (loop.asOf === null || step.tsEvent > loop.asOf) return true;
  return step.tsEvent === loop.asOf && step.causationIds.some((id) => loop.waits(id));
}
