import { ConfigError, loadConfig } from '../config/index.js';
import { openDatabase } from './boot.js';

// `npm run migrate` / `node dist/src/server/migrate-main.js`: applies the
// migrations and exits, for a deployment's one-shot migration step (the
// server also migrates at start; on PostgreSQL an advisory lock makes
// concurrent runs take turns).
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const database = await openDatabase(config);
  await database.close();
  console.log(`migrations applied (${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
