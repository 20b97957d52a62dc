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
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The run's database templates (migrated; with the fixture world), copied per file.
    globalSetup: ['test/support/templates.ts'],
    maxWorkers: 2,
    reporters: ['default'],
    env: { TZ: 'UTC' },
    // Every test in UTC; the clock and calendar rules (D8, D23–D27) once more in
    // the operator's own time zone, where a bug that reads the process's local
    // time would show (all arithmetic must use Asia/Shanghai explicitly).
    projects: [
      { extends: true, test: { name: 'utc', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'tz-shanghai',
          include: [
            'test/sla/clock-rules.test.ts',
            'test/sla/budget.test.ts',
            'test/sla/calendar.test.ts',
          ],
          env: { TZ: 'Asia/Shanghai' },
        },
      },
    ],
  },
});
