import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Server instances as processes of their own (test/live/instance.ts: what `npm start` does, without the
 * scanner and the demo seed), for the multi-instance and fault tests on PostgreSQL.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type Instance = { url: string; pid: number; child: ChildProcess; stderr: string[] };

/** Starts one on `databaseUrl` and resolves once it listens (its `{ url, pid }` line); `env` adds or overrides settings. */
export async function startInstance(
  databaseUrl: string,
  config: { jwtSecret: string; admin: { username: string; password: string } },
  env: Record<string, string> = {},
): Promise<Instance> {
  const stderr: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/live/instance.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      JWT_SECRET: config.jwtSecret,
      ADMIN_USERNAME: config.admin.username,
      ADMIN_PASSWORD: config.admin.password,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SEED_DEMO: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d) => stderr.push(String(d)));
  let out = '';
  const ready = new Promise<{ url: string; pid: number }>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    child.once('exit', (code) =>
      reject(new Error(`instance exited with ${code}: ${stderr.join('')}`)),
    );
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`instance did not start in 60 s: ${stderr.join('')}`)),
      60_000,
    ).unref(),
  );
  return { ...(await Promise.race([ready, timeout])), child, stderr };
}

/** Whether the process still runs. */
export const alive = (i: Instance) => i.child.exitCode === null && i.child.signalCode === null;

/** SIGTERM, then SIGKILL after 10 s; resolves when it has exited. */
export async function stopInstance(i: Instance | undefined) {
  if (!i || !alive(i)) return;
  const exited = new Promise((resolve) => i.child.once('exit', resolve));
  i.child.kill('SIGTERM');
  const timer = setTimeout(() => i.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
