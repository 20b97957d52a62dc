import { asc } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../config/index.js';
import { complaints } from '../db/schema.js';
import { verifyChain } from '../events/append.js';
import { openDatabase } from './boot.js';

// `npm run verify:chains`: recomputes every case's event chain (D51, D56)
// from the stored events and prints the cases whose chain is broken. Exit
// code 0 when every chain verifies, 1 when one does not.
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
  let cases = 0;
  let events = 0;
  let broken = 0;
  try {
    const rows = await database.db.select({ id: complaints.id, number: complaints.number }).from(complaints).orderBy(asc(complaints.number));
    for (const c of rows) {
      const report = await verifyChain(database.db, c.id);
      cases++;
      events += report.checked;
      if (!report.ok) {
        broken++;
        console.log(`BROKEN ${c.number}: event position ${report.brokenAt.position} (${report.brokenAt.eventId}): ${report.brokenAt.reason}`);
      }
    }
  } finally {
    await database.close();
  }
  console.log(`${cases} cases, ${events} events checked: ${broken === 0 ? 'every chain verifies' : `${broken} broken`}`);
  process.exit(broken === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
