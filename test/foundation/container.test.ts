import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 26: the container files, checked as far as a machine without a Docker
// engine allows. The build the Dockerfile runs is the one build.test.ts runs
// (npm run build); here: the Dockerfile's shape and the files it copies, and
// compose.yaml parsed as YAML (by python3's yaml module: no YAML parser is a
// dependency of this project; the compose checks are skipped, and say so,
// where python3 or its yaml module is missing).
const ROOT = resolve(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

const pythonYaml = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;
if (!pythonYaml)
  console.warn('container.test: python3 with PyYAML not found: compose.yaml is not parsed here');

function loadCompose(): any {
  const run = spawnSync(
    'python3',
    [
      '-c',
      'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))',
      join(ROOT, 'compose.yaml'),
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`compose.yaml does not parse:\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1]!;

  it('builds in stages on a Node LTS image and runs the built server as a non-root user', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(stages.every((s) => s.startsWith('${NODE_IMAGE} AS '))).toBe(true);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/readyz/m);
    expect(runtime).toMatch(/^CMD \[[^\]]*"dist\/src\/server\/main\.js"\]$/m);
    // only the built output, the production node_modules and package.json ("type": "module")
    const copies = [...runtime.matchAll(/^COPY (.*)$/gm)].map((m) => m[1]);
    expect(copies).toEqual([
      'package.json ./',
      '--from=deps /app/node_modules ./node_modules',
      '--from=build /app/dist ./dist',
    ]);
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.*) \S+$/gm)].flatMap((m) =>
      m[1]!.split(/\s+/),
    );
    expect(sources.length).toBeGreaterThan(3);
    for (const s of sources) {
      expect(existsSync(join(ROOT, s)), s).toBe(true);
      expect(ignored.includes(s), `${s} is in .dockerignore`).toBe(false);
    }
  });
});

describe.skipIf(!pythonYaml)('compose.yaml', () => {
  it('has PostgreSQL 15, a one-shot migration, two API instances after it and a load balancer in front of them', () => {
    const { services, volumes } = loadCompose();
    expect(Object.keys(services).sort()).toEqual(['api-1', 'api-2', 'db', 'lb', 'migrate']);
    expect(services.db.image).toBe('postgres:15');
    expect(volumes).toHaveProperty('pgdata');

    expect(services.migrate.command).toEqual(['node', 'dist/src/server/migrate-main.js']);
    expect(existsSync(join(ROOT, 'src/server/migrate-main.ts'))).toBe(true); // what dist/src/server/migrate-main.js is built from
    expect(services.migrate.restart).toBe('no');
    expect(services.migrate.depends_on.db.condition).toBe('service_healthy');

    for (const api of ['api-1', 'api-2']) {
      expect(services[api].image).toBe(services.migrate.image);
      expect(services[api].depends_on.migrate.condition).toBe('service_completed_successfully');
      expect(services[api].environment.DATABASE_URL).toMatch(/@db:5432\//);
      expect(services[api].environment.NODE_ENV).toBe('production');
      expect(services.lb.depends_on[api].condition).toBe('service_healthy');
    }
    expect(services.lb.volumes).toContain('./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
  });

  it('the load balancer sends HTTP and WebSocket to both instances', () => {
    const nginx = read('deploy/nginx.conf');
    expect([...nginx.matchAll(/^\s*server (api-\d):4000\b/gm)].map((m) => m[1])).toEqual([
      'api-1',
      'api-2',
    ]);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
  });

  it('takes every setting from .env, whose example holds no secret', () => {
    const compose = read('compose.yaml');
    const used = new Set([...compose.matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]!));
    const example = new Map(
      read('.env.example')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => l.split('=', 2) as [string, string]),
    );
    expect([...used].filter((v) => !example.has(v))).toEqual([]);
    for (const secret of ['POSTGRES_PASSWORD', 'JWT_SECRET', 'ADMIN_PASSWORD'])
      expect(example.get(secret), secret).toBe('');
  });
});
