import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Issue 19: a start that cannot succeed says why in one line and exits non-zero, before anything is
 * seeded: a port already in use (it used to seed, then hang for ever) and a database that cannot be
 * reached (it used to print a raw stack). `npm start` itself (src/server/main.ts), as a process.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** `npm start`'s server in a child process, with `env` and nothing of the test runner's environment. */
const startServer = (env: Record<string, string>) =>
  spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

function start(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = startServer({ NODE_ENV: 'development', ...env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after 40 s: ${stdout}${stderr}`));
    }, 40_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('issue 19: /metrics on a port of its own', () => {
  it('issue 19: with METRICS_PORT and METRICS_TOKEN, `npm start` serves /metrics there, behind the token, and not on PORT', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'startup-'));
    dirs.push(dataDir);
    const [port, metricsPort] = [await freePort(), await freePort()];
    const child = startServer({
      PORT: String(port),
      DATA_DIR: dataDir,
      SEED_DEMO: '0',
      METRICS_PORT: String(metricsPort),
      METRICS_TOKEN: 'scrape-token-0123456789',
    });
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`not listening after 60 s: ${out}${err}`)),
          60_000,
        );
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('Complaint platform on')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
      });
      const metrics = `http://127.0.0.1:${metricsPort}/metrics`;
      expect((await fetch(metrics)).status).toBe(401);
      const ok = await fetch(metrics, {
        headers: { authorization: 'Bearer scrape-token-0123456789' },
      });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('graphql_operations_total');
      expect(
        (
          await fetch(`http://127.0.0.1:${port}/metrics`, {
            headers: { authorization: 'Bearer scrape-token-0123456789' },
          })
        ).status,
      ).toBe(404);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/graphql`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});

describe('issue 19: start-up failures are one clear line and a non-zero exit', () => {
  it('issue 19: a port already in use stops the server before the database is opened or seeded', async () => {
    const holder: Server = await new Promise((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => resolve(s));
    });
    const { port } = holder.address() as { port: number };
    const dataDir = mkdtempSync(join(tmpdir(), 'startup-'));
    dirs.push(dataDir);
    try {
      const r = await start({ PORT: String(port), DATA_DIR: dataDir, SEED_DEMO: '1' });
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toEqual([
        `Port 127.0.0.1:${port} is already in use: stop what holds it or set PORT`,
      ]);
      expect(r.stdout).not.toMatch(/Complaint platform on/);
      // Nothing was opened, migrated or seeded: no embedded database in DATA_DIR.
      expect(existsSync(join(dataDir, 'pglite'))).toBe(false);
    } finally {
      holder.close();
    }
  }, 60_000);

  it('issue 19: an unreachable database is one line naming it, no stack, exit 1', async () => {
    const dbPort = await freePort(); // nothing listens there
    const r = await start({
      PORT: '0',
      DATABASE_URL: `postgres://someone:secret@127.0.0.1:${dbPort}/complaints`,
      JWT_SECRET: 'startup-test-secret-startup-test-secret',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'admin-password-long',
    });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `Cannot reach the database at 127.0.0.1:${dbPort}: connection refused (is PostgreSQL running? check DATABASE_URL)`,
    );
    expect(r.stderr).not.toMatch(/secret|\bat .*\.ts:\d+/);
  }, 60_000);
});
