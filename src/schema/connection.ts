/**
 * Relay-style connections: `edges { cursor node }`, `pageInfo { hasNextPage endCursor }`, `totalCount`.
 * Cursors are the store's opaque keyset cursors, passed through unchanged.
 */
import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Page } from '../engine/store/ports.js';

@ObjectType({ description: 'Where a page ends and whether another one follows.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * The abstract base of `<Name>Connection`; declares `<Name>Edge` on the way. Subclass it with
 * `@ObjectType()` to name the connection (type-graphql's generic-type pattern).
 */
export function ConnectionType<T extends object>(name: string, nodeType: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeType implements Edge<T> {
    @Field(() => String, { description: 'Opaque cursor of this edge.' })
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  // Not emitted itself: only the named subclasses are reachable from the resolvers.
  @ObjectType()
  abstract class ConnectionBase implements Connection<T> {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many items match the filter, over all pages.' })
    totalCount!: number;
  }
  return ConnectionBase;
}

/** A store page as a connection, each item mapped to its GraphQL shape. */
export function toConnection<I, T>(page: Page<I>, map: (item: I) => T): Connection<T> {
  const edges = page.items.map((item, i) => ({ cursor: page.cursors[i] ?? '', node: map(item) }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: page.totalCount,
  };
}
