import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator (client preset) for the examples: the printed schema (schema/schema.graphql,
 * `npm run schema:print`) and the operations written with `graphql(...)` in examples/*.ts give typed
 * documents in examples/gql/ (committed). `npm run examples:codegen` writes them; a test fails when they
 * are not current (test/examples/examples.test.ts).
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['examples/*.ts'],
  ignoreNoDocuments: false,
  generates: {
    'examples/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        onlyOperationTypes: true,
        scalars: { DateTime: 'string', Date: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
