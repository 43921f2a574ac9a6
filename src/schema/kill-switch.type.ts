/**
 * Kill switches: global, per vault, per venue. An engaged switch denies new orders it covers (`KILL_SWITCH`)
 * and cancels the open ones.
 */
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { CancelSweep } from '../engine/execution/cancellation.js';
import type { KillSwitchChanged } from '../engine/execution/events.js';
import type { KillSwitchScope, KillSwitchState } from '../engine/execution/kill-switch-store.js';
import { MutationErrorType } from './mutation.type.js';
import { DateTimeScalar, toDate } from './scalars.js';

type ScopeKind = KillSwitchScope['kind'];

export const KillSwitchScopeKindEnum = { GLOBAL: 'global', VAULT: 'vault', VENUE: 'venue' } as const satisfies Record<string, ScopeKind>;
registerEnumType(KillSwitchScopeKindEnum, { name: 'KillSwitchScopeKind', description: 'Every order, one vault\'s, or one venue\'s.' });

@ObjectType('KillSwitchScope')
export class KillSwitchScopeType {
  @Field(() => KillSwitchScopeKindEnum)
  kind!: ScopeKind;

  @Field(() => String, { nullable: true, description: 'The vault id or venue; null for `GLOBAL`.' })
  id!: string | null;
}

@InputType({ description: '`GLOBAL` without an id; `VAULT` with a vault id; `VENUE` with a venue (`paper`).' })
export class KillSwitchScopeInput {
  @Field(() => KillSwitchScopeKindEnum)
  kind!: ScopeKind;

  @Field(() => String, { nullable: true })
  id?: string | null;
}

@ObjectType('KillSwitch', { description: 'A kill switch as last set: engaged or released, by whom and why.' })
export class KillSwitchType {
  @Field(() => String, { description: '`global`, `vault:<id>` or `venue:<id>`.' })
  key!: string;

  @Field(() => KillSwitchScopeType)
  scope!: KillSwitchScopeType;

  @Field(() => Boolean)
  engaged!: boolean;

  @Field(() => String)
  actor!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => DateTimeScalar)
  changedAt!: Date;
}

function toScopeType(scope: KillSwitchScope): KillSwitchScopeType {
  return { kind: scope.kind, id: scope.kind === 'global' ? null : scope.id };
}

export function toKillSwitchType(s: KillSwitchState): KillSwitchType {
  return { key: s.key, scope: toScopeType(s.scope), engaged: s.engaged, actor: s.actor, reason: s.reason, changedAt: toDate(s.changedAt) };
}

/** The switch as the event announced it; the event's time is when it changed. */
export function killSwitchOfEvent(e: KillSwitchChanged): KillSwitchType {
  const p = e.payload;
  return { key: p.key, scope: toScopeType(p.scope), engaged: p.engaged, actor: p.actor, reason: p.reason, changedAt: toDate(e.tsEvent) };
}

@ObjectType('CancelFailure')
export class CancelFailureType {
  @Field(() => String)
  clientOrderId!: string;

  @Field(() => String)
  error!: string;
}

@ObjectType('CancelSweep', { description: 'What engaging a switch did to the open orders it covers.' })
export class CancelSweepType {
  @Field(() => Int, { description: 'Open orders the switch covered.' })
  covered!: number;

  @Field(() => Int, { description: 'No longer open when the sweep ended.' })
  closed!: number;

  @Field(() => Int, { description: 'Still pending cancel at a slow venue; the next sync settles them.' })
  pending!: number;

  @Field(() => [CancelFailureType])
  failed!: CancelFailureType[];
}

export function toCancelSweepType(s: CancelSweep): CancelSweepType {
  return { covered: s.covered, closed: s.closed, pending: s.pending, failed: s.failed.map((f) => ({ ...f })) };
}

@ObjectType({ description: 'The switch as set, or the errors that kept it from being set.' })
export class SetKillSwitchPayload {
  @Field(() => KillSwitchType, { nullable: true })
  killSwitch!: KillSwitchType | null;

  @Field(() => Boolean, { description: 'False when the switch already was in the state asked for (nothing was announced).' })
  changed!: boolean;

  @Field(() => CancelSweepType, { nullable: true, description: 'For an engage: the open orders it cancelled.' })
  sweep!: CancelSweepType | null;

  @Field(() => [MutationErrorType])
  errors!: MutationErrorType[];
}
