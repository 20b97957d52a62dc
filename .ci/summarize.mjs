#!/usr/bin/env node
// Reads one vitest JSON report and prints its counts for .ci/run.
//
//   node .ci/summarize.mjs <report.json> <vitest-exit-code>
//
// stdout: one line "<passed> <failed> <skipped>" (skipped = pending + todo).
// stderr: what failed, one line each (at most 40), for the CI log.
//
// A run is never allowed to look green when vitest said otherwise:
// - no readable report (vitest crashed or was killed)  -> 1 failed;
// - a test file that failed to load (no test inside it failed, so
//   numFailedTests misses it)                           -> 1 failed per file;
// - vitest exited non-zero with no failure counted so far (unhandled error,
//   no test files found, ...)                           -> 1 failed.
// Uses only node built-ins: it must work even when `npm ci` failed.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [file, rcArg = '0'] = process.argv.slice(2);
const rc = Number.parseInt(rcArg, 10) || 0;
const say = (line) => process.stderr.write(`${line}\n`);

let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  say(
    `  ✗ no usable JSON report (${e.code ?? e.message}); vitest exited with ${rc}: counting this run as 1 failed`,
  );
  console.log('0 1 0');
  process.exit(0);
}

const num = (key) => (Number.isFinite(report[key]) ? report[key] : 0);
const passed = num('numPassedTests');
let failed = num('numFailedTests');
const skipped = num('numPendingTests') + num('numTodoTests');

const lines = [];
const firstLine = (s) =>
  String(s ?? '')
    .trim()
    .split('\n')[0]
    .slice(0, 200);
for (const f of Array.isArray(report.testResults) ? report.testResults : []) {
  const name = f.name ? relative(process.cwd(), f.name) : '(unknown file)';
  const bad = (f.assertionResults ?? []).filter((a) => a.status === 'failed');
  for (const a of bad) {
    lines.push(`  ✗ ${name} > ${a.fullName || a.title}: ${firstLine(a.failureMessages?.[0])}`);
  }
  if (f.status === 'failed' && bad.length === 0) {
    failed += 1;
    lines.push(`  ✗ ${name}: ${firstLine(f.message) || 'the file failed to run'}`);
  }
}
if (failed === 0 && rc !== 0) {
  failed = 1;
  lines.push(
    `  ✗ vitest exited with ${rc} although no test failed (unhandled error, no test files, ...): counting 1 failed`,
  );
}

for (const l of lines.slice(0, 40)) say(l);
if (lines.length > 40) say(`  … and ${lines.length - 40} more`);
console.log(`${passed} ${failed} ${skipped}`);
