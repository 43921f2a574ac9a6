/** The collectors' statuses: what each data source is doing, how far behind it is, and how it last failed. */
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { CollectorFailure, CollectorState, CollectorStatus } from '../engine/collectors/status.js';
import { DateTimeScalar, toDate } from './scalars.js';

export const CollectorStateEnum = {
  IDLE: 'idle',
  POLLING: 'polling',
  STREAMING: 'streaming',
  BACKOFF: 'backoff',
  STOPPED: 'stopped',
  DISABLED: 'disabled',
} as const satisfies Record<string, CollectorState>;
registerEnumType(CollectorStateEnum, {
  name: 'CollectorState',
  description:
    '`IDLE` (waiting for the next poll), `POLLING` (a poll or connection in flight), `STREAMING` (a stream delivering), `BACKOFF` (the last attempt failed; waiting longer), `STOPPED`, `DISABLED` (configured but not started; see `reason`).',
});

@ObjectType('CollectorFailure', { description: "A collector's latest failed poll or connection." })
export class CollectorFailureType {
  @Field(() => String, { description: 'With credentials redacted.' })
  message!: string;

  @Field(() => String, { nullable: true, description: 'E.g. `HTTP_STATUS`, `HTTP_TIMEOUT`.' })
  code!: string | null;

  @Field(() => Int, { nullable: true, description: 'The HTTP status, for `HTTP_STATUS`.' })
  status!: number | null;

  @Field(() => DateTimeScalar)
  at!: Date;
}

@ObjectType('CollectorStatus', { description: 'What one collector is doing, since this server started it.' })
export class CollectorStatusType {
  @Field(() => String, { description: 'The source, e.g. `sec`, `news`.' })
  name!: string;

  @Field(() => CollectorStateEnum)
  state!: CollectorState;

  @Field(() => String, { nullable: true, description: 'Why a `DISABLED` collector is not running.' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'The saved cursor as stored (JSON), redacted; null before the first poll.' })
  cursor!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastSuccessAt!: Date | null;

  @Field(() => CollectorFailureType, { nullable: true })
  lastError!: CollectorFailureType | null;

  @Field(() => Int, { description: 'Failed polls or connections.' })
  errorCount!: number;

  @Field(() => Int, { description: 'Signals published.' })
  published!: number;

  @Field(() => Int, { description: 'Documents sent to the dead-letter topic.' })
  deadLettered!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Milliseconds from the newest event published to now: how far behind the world it is.',
  })
  lagMs!: number | null;
}

function toFailure(f: CollectorFailure): CollectorFailureType {
  return { message: f.message, code: f.code, status: f.status, at: toDate(f.at) };
}

export function toCollectorStatusType(s: CollectorStatus): CollectorStatusType {
  return {
    name: s.name,
    state: s.state,
    reason: s.reason,
    cursor: s.cursor,
    lastSuccessAt: s.lastSuccessAt === null ? null : toDate(s.lastSuccessAt),
    lastError: s.lastError ? toFailure(s.lastError) : null,
    errorCount: s.errorCount,
    published: s.published,
    deadLettered: s.deadLettered,
    lagMs: s.lagMs,
  };
}
