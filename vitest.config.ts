import { defineConfig } from 'vitest/config';

// One PGlite database per test file (opened in test/support/db.ts); tests
// isolate themselves by rolling back. TEST_DATABASE_URL switches every file
// to a real PostgreSQL (each file gets its own schema-fresh database).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
