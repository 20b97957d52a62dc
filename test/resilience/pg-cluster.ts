import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster this test owns, so that it may stop, restart and start it (the one of
 * TEST_DATABASE_URL is shared with the other test files). Started as .ci/run starts its own: PG_BIN (default
 * /usr/lib/postgresql/15/bin), run as `postgres` when we are root, trust auth on 127.0.0.1 only, no fsync.
 */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const pgAvailable = () =>
  existsSync(join(PG_BIN, 'pg_ctl')) && existsSync(join(PG_BIN, 'initdb'));

const root = () => process.getuid?.() === 0;

function asPg(cmd: string, args: string[], cwd: string) {
  const [file, argv] = root() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return execFileSync(file, argv, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  }).toString();
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export type Cluster = {
  url: (db?: string) => string;
  port: number;
  stop(): void;
  start(): void;
  restart(): void;
  destroy(): void;
};

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync('/tmp/faults-pg-');
  if (root())
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    );
  const data = join(dir, 'data');
  asPg(
    join(PG_BIN, 'initdb'),
    [
      '-D',
      data,
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C',
      '--auth=trust',
      '--no-sync',
      '--no-instructions',
    ],
    dir,
  );
  const port = await freePort();
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
  const ctl = (...args: string[]) =>
    asPg(
      join(PG_BIN, 'pg_ctl'),
      ['-D', data, '-l', join(dir, 'postgres.log'), '-w', '-t', '30', ...args],
      dir,
    );
  const start = () => void ctl('-o', opts, 'start');
  start();
  return {
    port,
    url: (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`,
    start,
    stop: () => void ctl('-m', 'fast', 'stop'),
    restart: () => void ctl('-m', 'fast', '-o', opts, 'restart'),
    destroy() {
      try {
        ctl('-m', 'immediate', 'stop');
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
