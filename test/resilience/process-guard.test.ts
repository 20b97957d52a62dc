import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPostgresSocketRace } from '../../src/server/process-guard.js';

/**
 * Issue 19: postgres.js's socket race (`Cannot read properties of null (reading 'write')` thrown from a timer in
 * its connection.js when the database drops a connection) killed an instance in 5 of 8 database restarts. The
 * process guard logs that one error and keeps the process; any other uncaught error still ends it (exit 1).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const race = () => {
  const e = new TypeError("Cannot read properties of null (reading 'write')");
  e.stack = `${e.name}: ${e.message}\n    at nextWrite (/app/node_modules/postgres/src/connection.js:255:22)\n    at process.processImmediate (node:internal/timers:483:21)`;
  return e;
};

function run(throwing: string) {
  const script = `
    import { guardProcess } from './src/server/process-guard.ts';
    const lines = [];
    guardProcess({ error: (f, m) => lines.push(m) });
    setImmediate(() => { ${throwing} });
    setTimeout(() => { console.log(JSON.stringify({ alive: true, lines })); process.exit(0); }, 200);
  `;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('issue 19: the process guard', () => {
  it('issue 19: recognises postgres.js’s socket race and nothing else', () => {
    expect(isPostgresSocketRace(race())).toBe(true);
    const elsewhere = race();
    elsewhere.stack = elsewhere.stack!.replace(
      'postgres/src/connection.js',
      'src/domain/complaints.ts',
    );
    expect(isPostgresSocketRace(elsewhere)).toBe(false);
    expect(isPostgresSocketRace(new TypeError('x is not a function'))).toBe(false);
  });

  it('issue 19: the race thrown from a timer is logged and the process goes on; another uncaught error still ends it', () => {
    const survived = run(
      `const e = new TypeError("Cannot read properties of null (reading 'write')"); e.stack = e.name + ': ' + e.message + '\\n    at nextWrite (/app/node_modules/postgres/src/connection.js:255:22)'; throw e;`,
    );
    expect(survived.status).toBe(0);
    expect(JSON.parse(survived.stdout.trim())).toEqual({
      alive: true,
      lines: ['database connection lost while writing (postgres.js); the connection is replaced'],
    });
    const died = run(`throw new Error('a bug');`);
    expect(died.status).toBe(1);
    expect(died.stdout).not.toMatch(/alive/);
    expect(died.stderr).toMatch(/a bug/);
  });
});
