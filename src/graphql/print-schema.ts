import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPlugins } from '../domain/lines.js';
import { printSortedSchema } from './schema.js';

// `npm run schema:print`: the checked-in SDL that CI compares for drift and
// ../shared/contract/check compares against the public contract.
const out = fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url));
mkdirSync(fileURLToPath(new URL('../../schema', import.meta.url)), { recursive: true });
writeFileSync(out, printSortedSchema(await loadPlugins())); // the lines' own API included (D36)
console.log(`wrote ${out}`);
