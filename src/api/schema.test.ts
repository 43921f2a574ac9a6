import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { GraphQLError, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildVantaSchema, printVantaSchema } from './schema.js';

const root = new URL('../../', import.meta.url);

describe('the GraphQL schema', () => {
  it('shares one instance of graphql with type-graphql, Apollo and graphql-ws', () => {
    // Node loads `graphql` through its `main` (CommonJS); Vite prefers its `module` field (index.mjs). Two
    // instances break every instanceof check ("Cannot use GraphQLSchema from another module or realm").
    const loadedByNode = (createRequire(import.meta.url)('graphql') as { GraphQLError: unknown }).GraphQLError;
    if (loadedByNode !== GraphQLError) {
      expect.fail(
        "two instances of graphql are loaded: vitest.config.ts needs resolve.alias [{ find: /^graphql$/, replacement: 'graphql/index.js' }]",
      );
    }
  });

  it('matches the committed schema.graphql', async () => {
    const committed = await readFile(new URL('schema.graphql', root), 'utf8');
    const built = printVantaSchema(await buildVantaSchema());
    // Not toEqual on the whole text: a 400-line diff would drown the hint.
    if (built !== committed) {
      expect.fail('schema.graphql is out of date with src/schema and src/resolvers: run `npm run schema:emit`, then `npm run codegen`, and commit both');
    }
  });

  it('validates every operation document in test/graphql against it', async () => {
    const schema = await buildVantaSchema();
    const dir = new URL('test/graphql/', root);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.graphql')).sort();
    expect(files.length).toBeGreaterThan(0);
    // Fragments may live in another file: validate the documents together.
    const source = (await Promise.all(files.map((f) => readFile(new URL(f, dir), 'utf8')))).join('\n');
    expect(validate(schema, parse(source)).map((e) => e.message)).toEqual([]);
  });

  it('builds the same schema twice in one process (one per API server)', async () => {
    const a = printVantaSchema(await buildVantaSchema());
    const b = printVantaSchema(await buildVantaSchema());
    expect(b).toBe(a);
  });
});
