// `npm run contract`: checks the printed schema against the team's shared API
// contract, ../shared/contract/check, which lives beside the repository in the
// team's workspace and CI, not in a clone. Without it this says so and exits 0;
// CONTRACT_REQUIRED=1 makes its absence an error (exit 2).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = resolve(root, '../shared/contract/check');
const schema = join(root, 'schema/schema.graphql');

if (!existsSync(check)) {
  const required = process.env.CONTRACT_REQUIRED === '1';
  console.log(
    `contract check ${required ? 'FAILED' : 'skipped'}: ${check} not found.\n` +
      'The API contract lives in the team workspace beside this repository (../shared/contract), which a clone does not have;\n' +
      'CI runs the check there. The schema clients code against is schema/schema.graphql.',
  );
  process.exit(required ? 2 : 0);
}
const run = spawnSync(process.execPath, [check, schema], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
