import { loadConfigOrExit } from '../config/index.js';
import { verifyAllChains } from '../events/verify.js';
import { openDatabase } from './boot.js';

// `npm run verify:chains`: recomputes every case's event chain (D51, D56)
// from the stored events and prints the cases whose chain is broken. Exit
// code 0 when every chain verifies, 1 when one does not.
async function main() {
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  let report: Awaited<ReturnType<typeof verifyAllChains>>;
  try {
    report = await verifyAllChains(database.db, (b) =>
      console.log(
        `BROKEN ${b.number}: event position ${b.brokenAt.position} (${b.brokenAt.eventId}): ${b.brokenAt.reason}`,
      ),
    );
  } finally {
    await database.close();
  }
  const { cases, events, broken } = report;
  console.log(
    `${cases} cases, ${events} events checked: ${broken.length === 0 ? 'every chain verifies' : `${broken.length} broken`}`,
  );
  process.exit(broken.length === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
