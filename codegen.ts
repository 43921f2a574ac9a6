/**
 * Typed documents, generated from the emitted `schema.graphql`:
 * - `test/gql/` from the operations in `test/graphql/` (typed document nodes, for the tests);
 * - `web/src/gql/` from the dashboard's operations in `web/src/graphql/` (typed document strings, so the
 *   browser bundle needs no GraphQL parser or printer).
 * Run `npm run codegen` after `npm run schema:emit`; commit the output.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const typesConfig = {
  useTypeImports: true,
  enumsAsTypes: true,
  strictScalars: true,
  scalars: { DateTime: 'string', LocalDate: 'string', JSON: 'unknown' },
  skipTypename: true,
};

const config: CodegenConfig = {
  schema: 'schema.graphql',
  emitLegacyCommonJSImports: false,
  ignoreNoDocuments: false,
  generates: {
    'test/gql/': {
      documents: ['test/graphql/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: typesConfig,
    },
    'web/src/gql/': {
      documents: ['web/src/graphql/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { ...typesConfig, documentMode: 'string' },
    },
  },
};

export default config;
