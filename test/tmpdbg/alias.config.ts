import { defineConfig } from 'vitest/config';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
export default defineConfig({
  root: '/work/main',
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: { include: ['test/foundation/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000, pool: 'forks' },
});
