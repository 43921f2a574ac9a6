/** Filters over orders and fills, for the `orders` and `fills` queries. */
import { Field, ID, InputType } from 'type-graphql';
import type { OrderStatus } from '../engine/execution/order.js';
import { OrderStatusEnum } from './order.type.js';
import { DateTimeScalar } from './scalars.js';

@InputType({ description: 'Every field set must match (AND).' })
export class OrderFilter {
  @Field(() => ID, { nullable: true })
  vaultId?: string | null;

  @Field(() => String, { nullable: true, description: 'Instrument symbol, e.g. `AAPL`.' })
  instrument?: string | null;

  @Field(() => String, { nullable: true, description: 'E.g. `paper`.' })
  venue?: string | null;

  @Field(() => OrderStatusEnum, { nullable: true })
  status?: OrderStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'Only orders that may still trade.' })
  openOnly?: boolean | null;
}

@InputType({ description: 'Every field set must match (AND).' })
export class FillFilter {
  @Field(() => ID, { nullable: true })
  vaultId?: string | null;

  @Field(() => String, { nullable: true })
  venue?: string | null;

  @Field(() => ID, { nullable: true })
  clientOrderId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only fills at or after this time.' })
  since?: Date | null;
}
