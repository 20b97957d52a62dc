// `npm run build`: compiles src/ and plugins/ to JavaScript (tsconfig.build.json)
// and copies the SQL migrations beside them, so that dist/ runs with node alone:
//   dist/src/...        the server (node dist/src/server/main.js)
//   dist/plugins/...    the business lines, found as index.js by src/domain/lines.ts
//   dist/migrations/    found by src/db/migrate.ts at ../../migrations, as in the sources
//   dist/board/         the duty board's page (issue 24), found by src/server/board.ts at ../../board
// Options: --out-dir DIR (default dist; must lie inside the repository, whose
// package.json and node_modules the output uses), --no-check (emit without
// type-checking: the tests' quick build; `npm run typecheck` checks types).
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const at = args.indexOf('--out-dir');
const outDir = resolve(root, at >= 0 ? (args[at + 1] ?? '') : 'dist');
if (relative(root, outDir).startsWith('..') || outDir === root) {
  console.error(`build: --out-dir must be a folder inside ${root}`);
  process.exit(2);
}
const started = Date.now();
rmSync(outDir, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = spawnSync(
  process.execPath,
  [
    tsc,
    '-p',
    resolve(root, 'tsconfig.build.json'),
    '--outDir',
    outDir,
    ...(args.includes('--no-check') ? ['--noCheck'] : []),
  ],
  { stdio: 'inherit', cwd: root },
);
if (run.status !== 0) {
  console.error(`build: tsc failed (exit ${run.status ?? run.signal})`);
  process.exit(1);
}
cpSync(resolve(root, 'migrations'), resolve(outDir, 'migrations'), { recursive: true });
cpSync(resolve(root, 'board'), resolve(outDir, 'board'), { recursive: true });
console.log(
  `build: ${relative(root, outDir)}/ in ${((Date.now() - started) / 1000).toFixed(1)} s; run it with: node ${relative(root, outDir)}/src/server/main.js`,
);
