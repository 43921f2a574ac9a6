/** The entity graph: one entity, a search, and each entity's neighbours. */
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { Role } from '../api/roles.js';
import type { EdgeKind, EntityKind } from '../engine/entities/ids.js';
import type { NeighbourDirection } from '../engine/entities/ports.js';
import {
  EdgeKindEnum,
  EntityKindEnum,
  EntityType,
  NeighbourDirectionEnum,
  NeighbourType,
  toEntityType,
  toNeighbourType,
} from '../schema/entity.type.js';
import { checkId } from './args.js';
import type { ApiContext } from './context.js';
import { TranslateErrors } from './errors.js';
import { checkCount } from './filing-args.js';

const DEFAULT_COUNT = 20;
const MAX_COUNT = 100;

@Resolver(() => EntityType)
@UseMiddleware(TranslateErrors)
export class EntityResolver {
  @Authorized(Role.Markets)
  @Query(() => EntityType, { nullable: true, description: 'Null when the graph has no entity with this id.' })
  async entity(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string): Promise<EntityType | null> {
    const entity = await ctx.deps.store.entities.getEntity(checkId('id', id));
    return entity ? toEntityType(entity) : null;
  }

  @Authorized(Role.Markets)
  @Query(() => [EntityType], {
    description:
      'Entities whose name or id contains `search` (any case), and those an identifier names exactly (a symbol, a CIK with or without padding, a CUSIP held in a 13F): exact matches first, then by name.',
  })
  async entities(
    @Ctx() ctx: ApiContext,
    @Arg('search', () => String) search: string,
    @Arg('kind', () => EntityKindEnum, { nullable: true }) kind: EntityKind | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_COUNT, description: '1..100' }) first: number | null,
  ): Promise<EntityType[]> {
    const limit = checkCount('first', first, DEFAULT_COUNT, MAX_COUNT);
    const found = await ctx.deps.store.entities.search(checkId('search', search).trim(), {
      ...(kind ? { kind } : {}),
      limit,
    });
    return found.map(toEntityType);
  }

  @FieldResolver(() => [NeighbourType], {
    description: "Entities one edge away: outgoing edges first, then by edge kind and the neighbour's id.",
  })
  async neighbours(
    @Root() entity: EntityType,
    @Ctx() ctx: ApiContext,
    @Arg('direction', () => NeighbourDirectionEnum, { nullable: true, defaultValue: 'both' })
    direction: NeighbourDirection | null,
    @Arg('kinds', () => [EdgeKindEnum], { nullable: true, description: 'Only edges of these kinds.' })
    kinds: EdgeKind[] | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_COUNT, description: '1..100' }) first: number | null,
  ): Promise<NeighbourType[]> {
    const limit = checkCount('first', first, DEFAULT_COUNT, MAX_COUNT);
    const found = await ctx.deps.store.entities.neighbours(entity.id, {
      direction: direction ?? 'both',
      ...(kinds ? { kinds } : {}),
      limit,
    });
    return found.map(toNeighbourType);
  }
}
