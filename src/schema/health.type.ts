/** The server's health, as load balancers and dashboards see it. */
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { HealthReport } from '../api/deps.js';

export const HealthStatusEnum = { OK: 'ok', DEGRADED: 'degraded' } as const satisfies Record<
  string,
  HealthReport['status']
>;
registerEnumType(HealthStatusEnum, { name: 'HealthStatus' });

@ObjectType('Health')
export class HealthType {
  @Field(() => HealthStatusEnum)
  status!: HealthReport['status'];

  @Field(() => String)
  version!: string;

  @Field(() => Int)
  uptimeSeconds!: number;

  @Field(() => String, { description: 'TensorFlow.js backend in use (`tensorflow`, `wasm`, `cpu`), or `none`.' })
  mlBackend!: string;

  @Field(() => String, { description: '`pglite` or `postgres`.' })
  storeKind!: string;

  @Field(() => Boolean)
  storeOk!: boolean;

  @Field(() => String, { description: '`memory` or `redis`.' })
  busKind!: string;

  @Field(() => Int, { description: 'Events published but not yet handled, over all topics and groups.' })
  pipelineLag!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Milliseconds from the newest conviction's source signal being seen to its scoring.",
  })
  lastIngestToConvictionMs!: number | null;

  @Field(() => Int)
  signalsStored!: number;

  @Field(() => Int)
  convictionsStored!: number;
}

export function toHealthType(h: HealthReport): HealthType {
  return { ...h };
}
