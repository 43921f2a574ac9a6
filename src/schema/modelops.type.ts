/** Model operations over GraphQL: comparisons, alias changes and their history, drift reports and alarms. */
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { LiveInterval } from '../engine/modelops/aliases.js';
import type { DriftStat, ModelDriftStatus } from '../engine/modelops/drift.js';
import type { AliasChange, DriftEvent } from '../engine/modelops/events.js';
import type { MetricEvidence, PromotionDecision } from '../engine/modelops/promotion.js';
import type { DriftReportRecord } from '../engine/modelops/store.js';
import { ModelVersionType } from './model.type.js';
import { MutationErrorType } from './mutation.type.js';
import { DateTimeScalar, toDate } from './scalars.js';

@ObjectType('ModelMetricComparison', { description: "One metric of two versions on the same days: `b − a` per day, and the rule's test of it." })
export class ModelMetricComparisonType {
  @Field(() => String, { description: '`precisionAtK` or `ic`.' })
  metric!: string;

  @Field(() => Int, { description: 'Days on which both versions have the metric.' })
  days!: number;

  @Field(() => Float, { nullable: true, description: "Mean of the metric per day for `a`; null without days." })
  a!: number | null;

  @Field(() => Float, { nullable: true })
  b!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean of `b − a` per day.' })
  meanDiff!: number | null;

  @Field(() => Float, { nullable: true, description: 'Lower end of the paired-bootstrap interval of the mean difference.' })
  lower!: number | null;

  @Field(() => Float, { nullable: true })
  upper!: number | null;

  @Field(() => Float, { description: 'What `b` must beat `a` by.' })
  margin!: number;

  @Field(() => Float, { nullable: true, description: 'Bootstrap p-value of `b − a ≤ margin`; null with too few days.' })
  pValue!: number | null;

  @Field(() => Boolean)
  significant!: boolean;
}

@ObjectType('ModelComparison', { description: 'Two versions side by side on their live calls, judged by the promotion rule (Precision@k and IC, paired bootstrap).' })
export class ModelComparisonType {
  @Field(() => ID, { description: 'The decision id: the cause a promotion made on it records.' })
  id!: string;

  @Field(() => ID)
  a!: string;

  @Field(() => ID)
  b!: string;

  @Field(() => String, { description: "The rule's verdict on `b` against `a`: `promote`, `keep` or `demote` (a drift alarm stands against `a`)." })
  verdict!: string;

  @Field(() => ID, { nullable: true, description: 'The version that beats the other on both metrics, significantly; null when neither does.' })
  winner!: string | null;

  @Field(() => Boolean, { description: 'True when `winner` is set.' })
  significant!: boolean;

  @Field(() => Int, { description: 'Days both versions have calls on, within the window.' })
  days!: number;

  @Field(() => String, { nullable: true, description: 'First day compared (`YYYY-MM-DD`).' })
  fromDay!: string | null;

  @Field(() => String, { nullable: true })
  toDay!: string | null;

  @Field(() => [ModelMetricComparisonType])
  metrics!: ModelMetricComparisonType[];

  @Field(() => [String])
  reasons!: string[];
}

const meanOf = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

function metricOf(e: MetricEvidence): ModelMetricComparisonType {
  return {
    metric: e.metric,
    days: e.perDay.length,
    a: meanOf(e.perDay.map((d) => d.live)),
    b: meanOf(e.perDay.map((d) => d.shadow)),
    meanDiff: e.meanDiff,
    lower: e.interval?.lower ?? null,
    upper: e.interval?.upper ?? null,
    margin: e.margin,
    pValue: e.pValue,
    significant: e.significant,
  };
}

/** `forward` judges b against a, `reverse` a against b: the winner is the one its own test promotes. */
export function toComparisonType(a: string, b: string, forward: PromotionDecision, reverse: PromotionDecision): ModelComparisonType {
  const winner = forward.decision === 'promote' ? b : reverse.decision === 'promote' ? a : null;
  return {
    id: forward.id,
    a,
    b,
    verdict: forward.decision,
    winner,
    significant: winner !== null,
    days: forward.days,
    fromDay: forward.window?.from ?? null,
    toDay: forward.window?.to ?? null,
    metrics: [metricOf(forward.evidence.precisionAtK), metricOf(forward.evidence.ic)],
    reasons: [...forward.reasons],
  };
}

@ObjectType('ModelAliasChange', { description: 'One change of a version’s alias (its registration included), with who made it and why.' })
export class ModelAliasChangeType {
  @Field(() => Int, { description: "Position in the model's history, from 1." })
  seq!: number;

  @Field(() => ID)
  versionId!: string;

  @Field(() => String)
  version!: string;

  @Field(() => String, { nullable: true, description: '`shadow`, `live` or `retired`; null for the registration.' })
  from!: string | null;

  @Field(() => String)
  to!: string;

  @Field(() => String, { description: 'Who made the change: an API principal, or `system:…` for the schedules.' })
  actor!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => DateTimeScalar, { description: 'When it took effect (event time).' })
  at!: Date;

  @Field(() => ID, { description: 'The event that recorded it, in the audit log.' })
  eventId!: string;
}

export const toAliasChangeType = (c: AliasChange): ModelAliasChangeType => ({
  seq: c.seq,
  versionId: c.versionId,
  version: c.version,
  from: c.from,
  to: c.to,
  actor: c.actor,
  reason: c.reason,
  at: toDate(c.at),
  eventId: c.eventId,
});

@ObjectType('ModelLiveInterval', { description: 'A span during which one version was live.' })
export class ModelLiveIntervalType {
  @Field(() => ID)
  versionId!: string;

  @Field(() => String)
  version!: string;

  @Field(() => DateTimeScalar)
  from!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Null while it still is live.' })
  to!: Date | null;

  @Field(() => String)
  promotedBy!: string;

  @Field(() => String)
  reason!: string;
}

export const toLiveIntervalType = (i: LiveInterval): ModelLiveIntervalType => ({
  versionId: i.versionId,
  version: i.version,
  from: toDate(i.from),
  to: i.to === null ? null : toDate(i.to),
  promotedBy: i.promotedBy,
  reason: i.reason,
});

@ObjectType('ModelAliasHistory', { description: "A model's alias changes in order, and which version was live when." })
export class ModelAliasHistoryType {
  @Field(() => String)
  model!: string;

  @Field(() => [ModelAliasChangeType])
  changes!: ModelAliasChangeType[];

  @Field(() => [ModelLiveIntervalType])
  liveIntervals!: ModelLiveIntervalType[];
}

@ObjectType('ModelAliasPayload', { description: 'What `promoteModel` or `demoteModel` did, or why it did nothing.' })
export class ModelAliasPayload {
  @Field(() => ModelVersionType, { nullable: true, description: 'The version after the change; null when nothing changed.' })
  version!: ModelVersionType | null;

  @Field(() => [ModelAliasChangeType], { description: 'The alias changes made, in order (a promotion first moves the previous live version out).' })
  changes!: ModelAliasChangeType[];

  @Field(() => ModelComparisonType, { nullable: true, description: 'The comparison the promotion rule made with the live version, when there was one.' })
  comparison!: ModelComparisonType | null;

  @Field(() => [MutationErrorType], {
    description: '`MODEL_VERSION_NOT_FOUND`, `PROMOTION_REFUSED` (the rule keeps the live version; pass `override`), `ALIAS_TRANSITION_INVALID`, `ALIAS_TIME_INVALID`, `MODELOPS_DISABLED`.',
  })
  errors!: MutationErrorType[];
}

@ObjectType('DriftKeyStat', { description: "One watched key's drift from its training reference over the window." })
export class DriftKeyStatType {
  @Field(() => String, { description: 'A feature name, or `<model>@<version>` for the model’s own output.' })
  key!: string;

  @Field(() => String, { description: '`feature` or `output`.' })
  kind!: string;

  @Field(() => String, { description: '`ok`, `warn`, `alarm` or `insufficient` (fewer live values than the minimum).' })
  level!: string;

  @Field(() => Float, { description: 'Population stability index.' })
  psi!: number;

  @Field(() => Float)
  kl!: number;

  @Field(() => Float, { description: 'Total variation: the share of the mass that moved between bins.' })
  tv!: number;

  @Field(() => Float, { description: 'How likely a difference this large is from sampling alone.' })
  pValue!: number;

  @Field(() => Int, { description: 'Live values in the window.' })
  n!: number;

  @Field(() => [String], { description: 'The criteria at the level reported: `psi`, `kl`, `shift`.' })
  criteria!: string[];
}

const toKeyStat = (s: DriftStat): DriftKeyStatType => ({
  key: s.key,
  kind: s.kind,
  level: s.level,
  psi: s.psi,
  kl: s.kl,
  tv: s.tv,
  pValue: s.pValue,
  n: s.n,
  criteria: [...s.criteria],
});

@ObjectType('DriftReport', { description: "One version's drift at one scheduled evaluation." })
export class DriftReportType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  model!: string;

  @Field(() => String)
  version!: string;

  @Field(() => DateTimeScalar, { description: 'The evaluation time (event time).' })
  asOf!: Date;

  @Field(() => DateTimeScalar)
  windowStart!: Date;

  @Field(() => DateTimeScalar)
  windowEnd!: Date;

  @Field(() => String, { description: 'The worst level among its keys.' })
  level!: string;

  @Field(() => Boolean, { description: 'True while an alarm stands (raised, not cleared).' })
  alarmed!: boolean;

  @Field(() => ID, { nullable: true, description: 'The event that raised the standing alarm.' })
  raisedBy!: string | null;

  @Field(() => Float, { description: 'What the version’s stacker weight was multiplied by: 1 without an alarm, 0 when halted.' })
  weightMultiplier!: number;

  @Field(() => [DriftKeyStatType])
  keys!: DriftKeyStatType[];
}

export const toDriftReportType = (r: DriftReportRecord): DriftReportType => ({
  id: r.id,
  model: r.model,
  version: r.version,
  asOf: toDate(r.asOf),
  windowStart: toDate(r.windowStart),
  windowEnd: toDate(r.windowEnd),
  level: r.level,
  alarmed: r.alarmed,
  raisedBy: r.raisedBy,
  weightMultiplier: r.weightMultiplier,
  keys: r.keys.map(toKeyStat),
});

@ObjectType('DriftAlarm', { description: 'A drift alarm raised or cleared against a model version.' })
export class DriftAlarmType {
  @Field(() => ID)
  eventId!: string;

  @Field(() => String, { description: '`RAISED` or `CLEARED`.' })
  state!: string;

  @Field(() => String)
  model!: string;

  @Field(() => String)
  version!: string;

  @Field(() => String, { nullable: true, description: 'What the alarm does while it stands: `cut_weight` or `halt`; null on a clearing.' })
  action!: string | null;

  @Field(() => Float, { nullable: true, description: 'The weight multiplier of a `cut_weight` alarm.' })
  multiplier!: number | null;

  @Field(() => [String], { description: 'The keys in alarm (empty on a clearing).' })
  keys!: string[];

  @Field(() => DateTimeScalar)
  windowStart!: Date;

  @Field(() => DateTimeScalar)
  windowEnd!: Date;

  @Field(() => DateTimeScalar)
  at!: Date;
}

export function toDriftAlarmType(e: DriftEvent): DriftAlarmType {
  const raised = e.type === 'DriftAlarmRaised';
  const action = raised ? e.payload.action : null;
  return {
    eventId: e.id,
    state: raised ? 'RAISED' : 'CLEARED',
    model: e.payload.model,
    version: e.payload.version,
    action: action?.kind ?? null,
    multiplier: action?.kind === 'cut_weight' ? action.multiplier : null,
    keys: raised ? e.payload.alarms.map((a) => a.key) : [],
    windowStart: toDate(e.payload.windowStart),
    windowEnd: toDate(e.payload.windowEnd),
    at: toDate(e.tsEvent),
  };
}

@ObjectType('StackerInputWeight', { description: "One input of a stacker under the reinforcement bias: the realized hit rate of that model's calls and the multiplier it puts on the input's weight." })
export class StackerInputWeightType {
  @Field(() => String, { description: 'The stacker input, e.g. `classifier:gbdt`.' })
  input!: string;

  @Field(() => Float, { description: 'Exponentially weighted share of its judged calls whose direction came true (0.5 before any).' })
  hitRate!: number;

  @Field(() => Int, { description: 'Calls judged so far (since the server started).' })
  calls!: number;

  @Field(() => Float, { description: "What the input's stacker weight is multiplied by (with any drift cut on top)." })
  multiplier!: number;
}

@ObjectType('ModelDriftStatus', { description: "A watched version's drift as of its latest evaluation, and what a standing alarm does to it." })
export class ModelDriftStatusType {
  @Field(() => ID, { description: '`<name>@<version>`.' })
  versionId!: string;

  @Field(() => String)
  model!: string;

  @Field(() => String)
  version!: string;

  @Field(() => String, { description: 'The worst level among its keys: `ok`, `warn`, `alarm` or `insufficient` (too few live values yet).' })
  level!: string;

  @Field(() => Boolean, { description: 'True while an alarm stands (raised, not cleared).' })
  alarmed!: boolean;

  @Field(() => ID, { nullable: true, description: 'The event that raised the standing alarm.' })
  raisedBy!: string | null;

  @Field(() => Float, { description: 'What its stacker weight is multiplied by now: 1 without an alarm, 0 when halted.' })
  weightMultiplier!: number;

  @Field(() => Boolean, { description: 'False while a halting alarm stands.' })
  scoring!: boolean;
}

export function toModelDriftStatusType(versionId: string, s: ModelDriftStatus): ModelDriftStatusType {
  return { versionId, model: s.model, version: s.version, level: s.level, alarmed: s.alarmed, raisedBy: s.raisedBy, weightMultiplier: s.weightMultiplier, scoring: s.scoring };
}
