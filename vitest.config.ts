import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * What `npm test` leaves to `npm run test:full` (CI runs both groups): no rule
 * is tested only here. These drive a real browser over the pages, build the
 * production bundle, start server processes (start-up, the examples) or seed
 * the whole demo province; each takes 15–45 s of a 2-core machine. Run one
 * with `npx vitest run <file>` (the `slow` project) or all with `--project slow`.
 */
const SLOW = [
  'test/board/board-browser.test.ts',
  'test/reports/report-browser.test.ts',
  'test/hardening/graphiql-browser.test.ts',
  'test/foundation/build.test.ts',
  'test/hardening/startup.test.ts',
  'test/examples/examples.test.ts',
  'test/foundation/demo.test.ts',
];

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
      {
        extends: true,
        test: {
          name: 'utc',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SLOW],
        },
      },
      { extends: true, test: { name: 'slow', include: SLOW } },
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
