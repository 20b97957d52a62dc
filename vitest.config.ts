import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// One PGlite database per test file (opened in test/support/db.ts); tests
// isolate themselves by rolling back. TEST_DATABASE_URL switches every file
// to a real PostgreSQL (each file gets its own schema-fresh database).
export default defineConfig({
  // One copy of graphql, as under tsx: otherwise src/ gets graphql's ESM build
  // and yoga its CommonJS one, and yoga masks our GraphQLErrors (FORBIDDEN,
  // VALIDATION) as internal errors because `instanceof` fails across copies.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
