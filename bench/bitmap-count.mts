// bench/bitmap-count.sql on the embedded database (PGlite, in memory): whether its bitmap scans read the
// heap for a count that needs no column (issue 25, P8). For PostgreSQL, run the .sql file with psql.
//
//   npx tsx bench/bitmap-count.mts
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

const script = readFileSync(new URL('./bitmap-count.sql', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => !line.startsWith('\\') && !line.trimStart().startsWith('--'))
  .join('\n');
const db = new PGlite();
for (const statement of script.split(';').map((s) => s.trim())) {
  if (!statement) continue;
  const { rows } = await db.query<Record<string, unknown>>(statement);
  for (const row of rows) console.log(Object.values(row).join(' | '));
}
await db.close();
