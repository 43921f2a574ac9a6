/**
 * Builds the GraphQL schema from the type-graphql classes, and prints it to `schema.graphql`
 * (`npm run schema:emit`, which is `vanta schema`), where codegen and clients read it.
 */
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { resolvers } from '../resolvers/index.js';
import { ApiPubSub } from './pubsub.js';
import { authChecker } from './roles.js';

export interface BuildSchemaOptions {
  /** Where subscriptions listen. Defaults to a fresh in-memory pub/sub (enough to print the schema). */
  readonly pubSub?: ApiPubSub;
  /** Also write the printed schema to this path. */
  readonly emitSchemaFile?: string;
}

export const SCHEMA_HEADER = [
  '# This file is generated from the type-graphql classes in src/schema and src/resolvers.',
  '# Do not edit it by hand: run `npm run schema:emit` (then `npm run codegen`).',
  '',
  '',
].join('\n');

export async function buildVantaSchema(options: BuildSchemaOptions = {}): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    pubSub: options.pubSub ?? new ApiPubSub(),
    validate: false,
    authChecker,
  });
  if (options.emitSchemaFile) await writeFile(options.emitSchemaFile, printVantaSchema(schema), 'utf8');
  return schema;
}

/** The schema's SDL, types sorted lexicographically so the file diffs cleanly. */
export function printVantaSchema(schema: GraphQLSchema): string {
  return `${SCHEMA_HEADER}${printSchema(lexicographicSortSchema(schema))}\n`;
}

/** Writes the schema's SDL to `path` (what `vanta schema [path]` calls). */
export async function emitSchema(path: string): Promise<void> {
  await buildVantaSchema({ emitSchemaFile: path });
}
