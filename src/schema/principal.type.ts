/** Who a request is made as: what `me` answers, so that a client can hide what its roles cannot do. */
import { Field, ID, ObjectType } from 'type-graphql';
import { type Principal, type Role, RoleEnum } from '../api/roles.js';

@ObjectType('Principal', { description: 'Who a request is made as: an API key, a JWT subject, or the anonymous principal (authentication off).' })
export class PrincipalType {
  @Field(() => ID, { description: 'The API key id, the token subject, or `anonymous`.' })
  id!: string;

  @Field(() => String, { description: "The key's name, the token's `name` (else its subject), or `anonymous`." })
  name!: string;

  @Field(() => [RoleEnum], { description: 'The roles it holds; a field names the roles that may call it.' })
  roles!: Role[];

  @Field(() => String, { description: '`api-key`, `jwt` or `anonymous`.' })
  via!: string;
}

export function toPrincipalType(p: Principal): PrincipalType {
  return { id: p.id, name: p.name, roles: [...p.roles], via: p.via };
}
