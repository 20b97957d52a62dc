import { loadConfigOrExit } from '../config/index.js';
import { openDatabase } from './boot.js';

// `npm run migrate` / `node dist/src/server/migrate-main.js`: applies the
// migrations and exits, for a deployment's one-shot migration step (the
// server also migrates at start; on PostgreSQL an advisory lock makes
// concurrent runs take turns).
async function main() {
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  await database.close();
  console.log(
    `migrations applied (${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
