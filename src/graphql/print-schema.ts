import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSortedSchema } from './schema.js';

// `npm run schema:print`: the checked-in SDL that CI compares for drift and
// ../shared/contract/check compares against the public contract.
const out = fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url));
mkdirSync(fileURLToPath(new URL('../../schema', import.meta.url)), { recursive: true });
writeFileSync(out, printSortedSchema());
console.log(`wrote ${out}`);
