/**
 * Typed documents for the tests (and a model for the dashboard and clients): reads the emitted
 * `schema.graphql` and the operations in `test/graphql/`, writes `test/gql/`. Run `npm run codegen`
 * after `npm run schema:emit`; commit the output.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/graphql/**/*.graphql'],
  emitLegacyCommonJSImports: false,
  ignoreNoDocuments: false,
  generates: {
    'test/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTime: 'string', LocalDate: 'string', JSON: 'unknown' },
        skipTypename: true,
      },
    },
  },
};

export default config;
