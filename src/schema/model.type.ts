/** Models, their versions, feature values, and the explanation of a conviction. */
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { ReplayResult } from '../engine/audit/replay.js';
import type { ConvictionExplanation, ExplainedOutput } from '../engine/conviction/explanation.js';
import type { ModelVersionInfo } from '../engine/models/catalog.js';
import { ConvictionVectorType, toConvictionVectorType } from './conviction.type.js';
import { DateTimeScalar, JSONScalar } from './scalars.js';

@ObjectType('ModelVersion', { description: 'One version of a model that scores (or scored) convictions.' })
export class ModelVersionType {
  @Field(() => ID, { description: '`<name>@<version>`.' })
  id!: string;

  @Field(() => String, { description: 'The model name with its parameters, e.g. `GBDT(rounds=300,depth=4,...)`.' })
  name!: string;

  @Field(() => String, { description: '`zscore`, `anomaly`, `changepoint`, `classifier`, `forecaster`, `graph` or `stacker`.' })
  kind!: string;

  @Field(() => String, { description: 'For trained models the first 12 hex digits of the artifact hash; `1` for models written in code.' })
  version!: string;

  @Field(() => String, { description: '`live`, `shadow` or `retired`.' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'The feature set version the model was trained on.' })
  featureSetVersion!: string | null;

  @Field(() => [String], { description: 'The features it reads, in order.' })
  features!: string[];

  @Field(() => Int, { nullable: true, description: 'The horizon its label spoke for, in seconds.' })
  horizonSeconds!: number | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the artifact.' })
  artifactHash!: string | null;

  @Field(() => JSONScalar, { description: 'What training measured (rows, validation log loss and its no-skill baseline, ...).' })
  metrics!: unknown;

  @Field(() => JSONScalar, { description: 'What it was trained on (source, seeds, days, horizon).' })
  training!: unknown;
}

export function toModelVersionType(v: ModelVersionInfo): ModelVersionType {
  return {
    id: v.id,
    name: v.name,
    kind: v.kind,
    version: v.version,
    status: v.status,
    featureSetVersion: v.featureSetVersion,
    features: [...v.features],
    horizonSeconds: v.horizonMs === null ? null : Math.round(v.horizonMs / 1000),
    artifactHash: v.artifactHash,
    metrics: v.metrics,
    training: v.training,
  };
}

@ObjectType('FeatureValue', { description: 'One feature of an entity as of a time.' })
export class FeatureValueType {
  @Field(() => String)
  feature!: string;

  @Field(() => String, { description: 'The feature version the value was computed under.' })
  version!: string;

  @Field(() => Float, { nullable: true, description: 'Null when no usable value was known at the time.' })
  value!: number | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'The event time the value is as of.' })
  asOf!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the value is missing: `absent`, `stale` or `undefined`.' })
  missing!: string | null;
}

@ObjectType('FeatureAttribution', { description: "One feature's signed share of a model's output (TreeSHAP for the tree ensemble)." })
export class FeatureAttributionType {
  @Field(() => String)
  feature!: string;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => Float, { description: "In the model's own units (log-odds for a classifier)." })
  contribution!: number;
}

@ObjectType('ExplainedModelOutput', { description: 'A model output a conviction was scored from, as recorded.' })
export class ExplainedModelOutputType {
  @Field(() => ID, { description: 'The `ModelScored` event.' })
  eventId!: string;

  @Field(() => String)
  modelId!: string;

  @Field(() => String)
  modelVersion!: string;

  @Field(() => String)
  series!: string;

  @Field(() => Float, { description: "The model's score (z-score, P(up), anomaly score)." })
  score!: number;

  @Field(() => Float, { nullable: true, description: 'Its signed evidence for an up move, -1..1, where the model states one.' })
  signal!: number | null;

  @Field(() => String, { nullable: true })
  summary!: string | null;

  @Field(() => [FeatureAttributionType])
  attributions!: FeatureAttributionType[];

  @Field(() => ID, { nullable: true, description: 'The feature snapshot it was computed from.' })
  snapshotId!: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'The feature values of that snapshot.' })
  featureValues!: unknown;
}

@ObjectType('ConvictionExplanation', { description: 'A conviction with every model output behind it, down to feature values.' })
export class ConvictionExplanationType {
  @Field(() => ConvictionVectorType)
  conviction!: ConvictionVectorType;

  @Field(() => [ExplainedModelOutputType])
  outputs!: ExplainedModelOutputType[];
}

function toExplainedOutput(o: ExplainedOutput): ExplainedModelOutputType {
  return {
    eventId: o.eventId,
    modelId: o.output.modelId,
    modelVersion: o.output.modelVersion,
    series: o.output.series,
    score: o.output.score,
    signal: o.output.signal ?? null,
    summary: o.output.summary ?? null,
    attributions: (o.output.attributions ?? []).map((a) => ({ ...a })),
    snapshotId: o.snapshot?.eventId ?? null,
    featureValues: o.snapshot?.values ?? null,
  };
}

export function toExplanationType(e: ConvictionExplanation): ConvictionExplanationType {
  return { conviction: toConvictionVectorType(e.conviction), outputs: e.outputs.map(toExplainedOutput) };
}


@ObjectType('ReplayDifference', { description: 'One field where the recomputed conviction differs from the recorded one.' })
export class ReplayDifferenceType {
  @Field(() => String, { description: 'A JSON path into the vector, e.g. `reasonVector[0].contribution`.' })
  path!: string;

  @Field(() => JSONScalar, { nullable: true })
  recorded!: unknown;

  @Field(() => JSONScalar, { nullable: true })
  replayed!: unknown;
}

@ObjectType('ConvictionReplay', { description: 'A conviction recomputed from the model outputs and combiner version the audit log recorded.' })
export class ConvictionReplayType {
  @Field(() => String, { description: '`IDENTICAL`, `DIFFERENT`, or `UNAVAILABLE` (see `reason`).' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'Why it could not be replayed, when it could not.' })
  reason!: string | null;

  @Field(() => [ReplayDifferenceType])
  differences!: ReplayDifferenceType[];

  @Field(() => ConvictionVectorType, { nullable: true, description: 'The recomputed vector, when it differs.' })
  replayed!: ConvictionVectorType | null;
}

export function toReplayType(r: ReplayResult): ConvictionReplayType {
  if (r.status === 'unavailable') return { status: 'UNAVAILABLE', reason: r.reason, differences: [], replayed: null };
  if (r.status === 'identical') return { status: 'IDENTICAL', reason: null, differences: [], replayed: null };
  return { status: 'DIFFERENT', reason: null, differences: r.differences.map((d) => ({ ...d })), replayed: toConvictionVectorType(r.replayed) };
}
