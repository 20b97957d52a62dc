import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 26: the production build. scripts/build.mjs (what `npm run build`
// runs) compiles src/ and plugins/ into a folder of the repository, and the
// built server starts with node alone on an embedded database: business lines
// load as compiled .js, migrations are found beside them. The types are
// checked by `tsc --noEmit` (CI's typecheck), so this build skips that
// (--no-check) to stay well inside a minute.
const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

let outDir = '';
let dataDir = '';
let server: ChildProcess | null = null;
let output = '';
let base = '';

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    child.on('close', (code) => done({ code, output: out }));
  });
}

function* jsFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* jsFiles(p);
    else if (e.name.endsWith('.js')) yield p;
  }
}

beforeAll(async () => {
  outDir = mkdtempSync(join(ROOT, '.build-test-'));
  dataDir = mkdtempSync(join(tmpdir(), 'built-server-'));
  const build = await run(process.execPath, [
    'scripts/build.mjs',
    '--out-dir',
    relative(ROOT, outDir),
    '--no-check',
  ]);
  if (build.code !== 0) throw new Error(`build failed:\n${build.output}`);

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    SEED_DEMO: '0',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    NODE_ENV: 'development',
    TZ: 'UTC',
  };
  server = spawn(process.execPath, [join(outDir, 'src/server/main.js')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (output += d));
  server.stderr!.on('data', (d) => (output += d));
  base = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the built server did not start in 45 s:\n${output}`)),
      45_000,
    );
    const look = () => {
      const m = /Complaint platform on (http:\/\/\S+)\/graphql/.exec(output);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    server!.stdout!.on('data', look);
    server!.on('exit', (code) => fail(new Error(`the built server exited (${code}):\n${output}`)));
  });
}, 110_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  for (const dir of [outDir, dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

const gql = async (query: string, token?: string) => {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
};

describe('production build (npm run build, npm run start:prod)', () => {
  it('imports nothing at run time but node built-ins, its own files and the dependencies (no devDependency such as tsx)', () => {
    const allowed = new Set(Object.keys(pkg.dependencies));
    const builtins = new Set(builtinModules);
    const stray = new Set<string>();
    const seen = new Set<string>();
    for (const file of jsFiles(outDir)) {
      const code = readFileSync(file, 'utf8');
      const specs = [
        ...code.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm), // import … from 'x', export … from 'x'
        ...code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm), // import 'x'
        ...code.matchAll(/\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g), // import('x'), require('x')
      ].map((m) => m[1]!);
      for (const spec of specs) {
        if (spec.startsWith('.') || spec.startsWith('node:') || builtins.has(spec)) continue;
        const name = spec.startsWith('@')
          ? spec.split('/').slice(0, 2).join('/')
          : spec.split('/')[0]!;
        seen.add(name);
        if (!allowed.has(name)) stray.add(`${name} (${relative(outDir, file)})`);
      }
    }
    expect([...stray]).toEqual([]);
    expect(seen).toContain('graphql-yoga'); // the scan does find imports
    expect(seen).toContain('chinese-days'); // required at run time (src/sla/calendar.ts)
  });

  it('serves /healthz and /readyz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toMatch(/^ready\n/);
  });

  it('issue 24: serves the duty board from dist/board and its browser builds from node_modules', async () => {
    const page = await fetch(`${base}/board`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/board/app.js');
    for (const path of ['/board/app.js', '/board/vendor/preact.mjs', '/board/vendor/graphql-ws.js'])
      expect((await fetch(`${base}${path}`)).status, path).toBe(200);
  });

  it('answers GraphQL: the bootstrap admin signs in and reads the business lines loaded from dist/plugins', async () => {
    const login = await gql(
      'mutation { login(username: "admin", password: "admin-demo-password") { token userErrors { message } } }',
    );
    const token = login.data?.login?.token as string;
    expect(token, JSON.stringify(login)).toBeTruthy();
    const res = await gql(
      '{ me { __typename ... on User { username } } businessLines { code } }',
      token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.me).toEqual({ __typename: 'User', username: 'admin' });
    expect(res.data.businessLines.map((l: { code: string }) => l.code).sort()).toEqual([
      'billing-dispute',
      'broadband',
      'enterprise',
      'fixed-line',
      'interconnection',
      'iptv',
      'mobile',
    ]);
  });

  it('runs the partner example (examples/partner.ts: graphql-request and graphql-ws) against the built server', async () => {
    // The bootstrap admin sets up what the example needs: a province and a partner carrier with its key.
    const login = await gql(
      'mutation { login(username: "admin", password: "admin-demo-password") { token } }',
    );
    const token = login.data.login.token as string;
    const unit = await gql(
      'mutation { createOrgUnit(input: { code: "BT", level: PROVINCE, name: "Build test" }) { orgUnit { id } userErrors { message } } }',
      token,
    );
    const provinceId = unit.data?.createOrgUnit?.orgUnit?.id as string;
    expect(provinceId, JSON.stringify(unit)).toBeTruthy();
    const partner = await gql(
      `mutation { createPartner(input: { name: "Build partner", carrierCode: "BTP", provinceId: "${provinceId}" }) { apiKey userErrors { message } } }`,
      token,
    );
    const apiKey = partner.data?.createPartner?.apiKey as string;
    expect(apiKey, JSON.stringify(partner)).toBeTruthy();

    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GRAPHQL_URL: `${base}/graphql`,
      PARTNER_API_KEY: apiKey,
      PARTNER_STATE_FILE: join(dataDir, 'partner-example.json'),
      FOLLOW_SECONDS: '20',
    };
    const example = await run(process.execPath, ['--import', 'tsx', 'examples/partner.ts'], env);
    expect(example.code, example.output).toBe(0);
    expect(example.output).toMatch(/the same case, no duplicate/);
    expect(example.output).toMatch(/BT\d{14}\s+REGISTER/);
  }, 60_000);

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => server!.once('exit', (code) => r(code)));
    server!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/"msg":"stopped"/);
  });
});
