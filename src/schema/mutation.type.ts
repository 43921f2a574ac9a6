/**
 * What a mutation reports when it fails in a way the caller can act on (an invalid document, a stale version,
 * an unknown id): data in its payload, not a GraphQL error, so a client can show every problem next to its
 * field. Unexpected failures are still GraphQL errors.
 */
import { Field, ObjectType } from 'type-graphql';

@ObjectType('MutationError', { description: 'An expected failure of a mutation; nothing was changed.' })
export class MutationErrorType {
  @Field(() => String, {
    description:
      'The engine\'s code: `VAULT_INVALID`, `VAULT_OVERLAY_INVALID`, `VAULT_EXISTS`, `VAULT_VERSION_CONFLICT`, `VAULT_NOT_FOUND`, `PERSONA_INVALID`, `PERSONA_NOT_FOUND`, `PERSONA_EXISTS`, `PERSONA_VERSION_CONFLICT`, `ORDER_NOT_FOUND`, `ORDER_INVALID_TRANSITION`, `VENUE_NOT_ROUTED`, `TRADING_DISABLED`, ...',
  })
  code!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The field in the submitted document, e.g. `caps.perInstrument` or `universe.instruments[2]`; null when the failure is not about one field.',
  })
  path!: string | null;

  @Field(() => String)
  message!: string;
}
