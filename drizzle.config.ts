import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations to ./migrations; both drivers
// apply that one folder at start (src/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
});
