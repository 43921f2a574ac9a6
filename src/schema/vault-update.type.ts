/** What the `vaultUpdated` subscription delivers: one vault event, with the vault as it is now on request. */
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { PersonaDefined, VaultEvent } from '../engine/vaults/events.js';
import { DateTimeScalar, JSONScalar, toDate } from './scalars.js';

/** A vault's own events: a persona definition belongs to no vault. */
type VaultOwnEvent = Exclude<VaultEvent, PersonaDefined>;
type VaultEventKind = VaultOwnEvent['type'];

/** GraphQL enum values in upper case; the engine's event type names as the values. */
export const VaultEventTypeEnum = {
  VAULT_CREATED: 'VaultCreated',
  VAULT_CONFIG_REPLACED: 'VaultConfigReplaced',
  VAULT_OVERLAY_SET: 'VaultOverlaySet',
  PERSONA_SET: 'PersonaSet',
  VAULT_FILL_APPLIED: 'VaultFillApplied',
  VAULT_COMPOUNDED: 'VaultCompounded',
} as const satisfies Record<string, VaultEventKind>;
registerEnumType(VaultEventTypeEnum, {
  name: 'VaultEventType',
  description: 'Created, config replaced, overlay set, persona set, a fill booked in its ledger, compounded.',
});

@ObjectType('VaultUpdate', { description: 'One event of a vault.' })
export class VaultUpdateType {
  @Field(() => ID, { description: 'The event id (in the audit log).' })
  eventId!: string;

  @Field(() => VaultEventTypeEnum)
  type!: VaultEventKind;

  @Field(() => ID)
  vaultId!: string;

  @Field(() => Int, { nullable: true, description: 'The version a change of config, overlay or persona made; null for fills and compounding.' })
  version!: number | null;

  @Field(() => Int, { nullable: true, description: "The books' revision a fill or a compounding made; null for config changes." })
  revision!: number | null;

  @Field(() => String, { nullable: true, description: 'Who made a config change; null for fills and compounding.' })
  actor!: string | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => JSONScalar, { description: "The event's payload as the engine recorded it (for a fill: instrument, side, quantity, price, realized PnL)." })
  details!: unknown;
}

export function toVaultUpdateType(e: VaultOwnEvent): VaultUpdateType {
  const change = 'version' in e.payload ? e.payload : null;
  const books = 'revision' in e.payload ? e.payload : null;
  return {
    eventId: e.id,
    type: e.type,
    vaultId: e.payload.vaultId,
    version: change?.version ?? null,
    revision: books?.revision ?? null,
    actor: change?.actor ?? null,
    reason: change?.reason ?? null,
    at: toDate(e.tsEvent),
    details: e.payload,
  };
}
