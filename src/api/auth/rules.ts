/**
 * The roles each root field of a built schema declares with `@Authorized`, read back from type-graphql's
 * metadata: what the role matrix test checks against its table, and how a field without a rule is found.
 */
import type { GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

export type RootOperation = 'Query' | 'Mutation' | 'Subscription';

export interface RootFieldRule {
  readonly operation: RootOperation;
  readonly field: string;
  /** The declared roles (empty: any authenticated principal); undefined when the field has no `@Authorized`. */
  readonly roles: readonly string[] | undefined;
}

/** One rule per root field of `schema` (after `buildSchema`, which fills in the metadata's roles). */
export function rootFieldRules(schema: GraphQLSchema): RootFieldRule[] {
  const storage = getMetadataStorage();
  const declared: Record<RootOperation, readonly { schemaName: string; roles?: unknown[] | undefined }[]> = {
    Query: storage.queries,
    Mutation: storage.mutations,
    Subscription: storage.subscriptions,
  };
  const rules: RootFieldRule[] = [];
  for (const operation of ['Query', 'Mutation', 'Subscription'] as const) {
    const type = operation === 'Query' ? schema.getQueryType() : operation === 'Mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    if (!type) continue;
    for (const field of Object.keys(type.getFields())) {
      // The last definition wins in type-graphql, as in the schema.
      const meta = declared[operation].filter((d) => d.schemaName === field).at(-1);
      rules.push({ operation, field, roles: meta?.roles?.map(String) });
    }
  }
  return rules;
}
