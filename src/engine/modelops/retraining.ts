/**
 * Rolling retraining: every `everyMs` of event time a model is retrained on the trailing `windowMs` of data,
 * and the new version lands in shadow with its parent, to earn the live alias through the promotion policy.
 *
 * **When.** Decision times sit on a fixed grid, `anchor + k·everyMs`, so the windows are the same however late
 * or often the job runs. At `now` the decision time is the latest grid point at or before `now`; a retrain is
 * due when no version of the model was trained as of it or later. A job that was down for several periods
 * trains once, on the latest window (a model trained on an old window would be stale on arrival).
 *
 * **On what.** The rows of [decision − labelHorizon − windowMs, decision − labelHorizon): every row's label
 * (the outcome `labelHorizonMs` after it) is known by the decision time, so the trainer never needs anything
 * stamped after it. The trainer is told `asOf`, the decision time, and must read nothing later.
 *
 * **Lineage.** The parent is the version live at the decision time, else the model's latest version; the new
 * version records its parent, window, `trainedAsOf` and feature-set version.
 */
import { eventId } from '../canonical.js';
import type { RegisteredVersion } from './aliases.js';
import { ModelOpsError } from './errors.js';
import type { ModelVersionRegistered } from './events.js';
import type { ModelRegistryRepository } from './registry.js';

export interface RetrainSchedule {
  readonly model: string;
  readonly everyMs: number;
  readonly windowMs: number;
  /** How far a row's label looks ahead: the window ends this long before the decision. */
  readonly labelHorizonMs: number;
  /** Origin of the grid of decision times. Default 0 (with whole days, UTC midnights). */
  readonly anchor?: number;
  readonly featureSetVersion: string;
}

export interface TrainingWindow {
  readonly from: number;
  readonly to: number;
}

export interface RetrainPlan {
  /** Derived from the model and the decision time: the causation id of the registration. */
  readonly id: string;
  readonly model: string;
  readonly decisionTime: number;
  readonly window: TrainingWindow;
  readonly parentVersion: string | null;
  readonly featureSetVersion: string;
  /** For a trainer that draws at random: derived from the plan, so a rerun trains the same model. */
  readonly seed: number;
}

export interface TrainingRequest extends RetrainPlan {
  /** Nothing stamped after this may be read (the decision time). */
  readonly asOf: number;
}

export interface TrainedVersion {
  /** The new version's name, e.g. the first 12 hex digits of its artifact's hash (bundle.ts). */
  readonly version: string;
  readonly artifactHash: string | null;
  readonly metrics: Readonly<Record<string, number | null>>;
}

export type Trainer = (request: TrainingRequest) => Promise<TrainedVersion>;

const DAY = 86_400_000;

function checkSchedule(s: RetrainSchedule): void {
  const bad = (why: string) => new ModelOpsError('RETRAIN_INVALID', `${s.model}: ${why}`);
  if (!s.model) throw new ModelOpsError('RETRAIN_INVALID', 'a schedule names its model');
  for (const [name, v] of [['everyMs', s.everyMs], ['windowMs', s.windowMs]] as const) {
    if (!(Number.isSafeInteger(v) && v > 0)) throw bad(`${name} must be a positive integer`);
  }
  if (!(Number.isSafeInteger(s.labelHorizonMs) && s.labelHorizonMs >= 0)) throw bad('labelHorizonMs must be a non-negative integer');
  if (s.anchor !== undefined && !Number.isSafeInteger(s.anchor)) throw bad('anchor must be an integer');
  if (!s.featureSetVersion) throw bad('a schedule names the feature-set version it trains on');
}

/** The latest grid point at or before `now`. */
export function decisionTimeAt(schedule: RetrainSchedule, now: number): number {
  const anchor = schedule.anchor ?? 0;
  return anchor + Math.floor((now - anchor) / schedule.everyMs) * schedule.everyMs;
}

/** The window a decision at `decisionTime` trains on. */
export function trainingWindowAt(schedule: RetrainSchedule, decisionTime: number): TrainingWindow {
  const to = decisionTime - schedule.labelHorizonMs;
  return { from: to - schedule.windowMs, to };
}

/**
 * The retrain due at `now`, or null when the model has been trained as of the latest decision time.
 * `versions` are the model's registered versions; `live` the version live at the decision time, if any.
 */
export function planRetrain(schedule: RetrainSchedule, now: number, versions: readonly RegisteredVersion[], live: RegisteredVersion | null): RetrainPlan | null {
  checkSchedule(schedule);
  const decisionTime = decisionTimeAt(schedule, now);
  const own = versions.filter((v) => v.record.model === schedule.model);
  const latestTrained = Math.max(Number.NEGATIVE_INFINITY, ...own.map((v) => v.record.trainedAsOf ?? Number.NEGATIVE_INFINITY));
  if (latestTrained >= decisionTime) return null;
  const latest = own.reduce<RegisteredVersion | null>((a, v) => (a === null || v.record.registeredAt >= a.record.registeredAt ? v : a), null);
  const parent = live?.record.model === schedule.model ? live : latest;
  const id = eventId('rtn', schedule.model, decisionTime);
  return {
    id,
    model: schedule.model,
    decisionTime,
    window: trainingWindowAt(schedule, decisionTime),
    parentVersion: parent?.record.version ?? null,
    featureSetVersion: schedule.featureSetVersion,
    seed: Number.parseInt(id.slice(4, 12), 16),
  };
}

export interface RetrainResult {
  readonly plan: RetrainPlan;
  readonly version: RegisteredVersion;
  readonly event: ModelVersionRegistered;
}

/** Runs the retrain due, if any: plans it from the registry, calls the trainer, registers the result in shadow. */
export class Retrainer {
  constructor(
    private readonly registry: ModelRegistryRepository,
    private readonly trainer: Trainer,
    readonly schedule: RetrainSchedule,
  ) {
    checkSchedule(schedule);
  }

  /** The plan due at `now`, without training. */
  async due(now: number): Promise<RetrainPlan | null> {
    const decision = decisionTimeAt(this.schedule, now);
    const [versions, live] = await Promise.all([this.registry.list(this.schedule.model), this.registry.liveAt(this.schedule.model, decision)]);
    return planRetrain(this.schedule, now, versions, live);
  }

  async runIfDue(now: number, actor = 'retraining'): Promise<RetrainResult | null> {
    const plan = await this.due(now);
    if (!plan) return null;
    const trained = await this.trainer({ ...plan, asOf: plan.decisionTime });
    if (!trained || typeof trained.version !== 'string' || trained.version.length === 0) {
      throw new ModelOpsError('RETRAIN_INVALID', `${plan.model}: the trainer returned no version for the window ending ${new Date(plan.window.to).toISOString()}`);
    }
    const { version, event } = await this.registry.register(
      {
        model: plan.model,
        version: trained.version,
        parentVersion: plan.parentVersion,
        featureSetVersion: plan.featureSetVersion,
        trainingWindow: plan.window,
        trainedAsOf: plan.decisionTime,
        artifactHash: trained.artifactHash,
        metrics: trained.metrics,
      },
      {
        actor,
        reason: `scheduled retrain every ${+(this.schedule.everyMs / DAY).toFixed(3)} days on ${+(this.schedule.windowMs / DAY).toFixed(3)} days of data`,
        at: now,
        causationIds: [plan.id],
      },
    );
    return { plan, version, event };
  }
}
