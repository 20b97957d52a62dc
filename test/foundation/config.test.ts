import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, DEMO_ADMIN, loadConfig } from '../../src/config/index.js';

// loadConfig(env) reads only the object it is given, never process.env.
const SECRET = 'a-jwt-secret-of-at-least-32-characters!';
const SERVER = {
  DATABASE_URL: 'postgres://app:pw@db.example:5432/complaints',
  JWT_SECRET: SECRET,
  ADMIN_USERNAME: 'root',
  ADMIN_PASSWORD: 'root-password',
};

/** The ConfigError message loadConfig throws for `env` (fails the test when it does not throw). */
function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const tempDirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  tempDirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('config: defaults', () => {
  it('the PostgreSQL pool, its statement timeout and the shutdown drain: defaults, values given, bad values refused', () => {
    expect(loadConfig({ JWT_SECRET: SECRET })).toMatchObject({
      database: { poolMax: 10, statementTimeoutMs: 60_000 },
      drainSeconds: 0,
    });
    expect(
      loadConfig({
        JWT_SECRET: SECRET,
        DATABASE_POOL_MAX: '40',
        DATABASE_STATEMENT_TIMEOUT_MS: '0',
        DRAIN_SECONDS: '10',
      }),
    ).toMatchObject({
      database: { poolMax: 40, statementTimeoutMs: 0 },
      drainSeconds: 10,
    });
    const message = configError({
      JWT_SECRET: SECRET,
      DATABASE_POOL_MAX: '0',
      DATABASE_STATEMENT_TIMEOUT_MS: '-5',
      DRAIN_SECONDS: 'soon',
    });
    for (const name of ['DATABASE_POOL_MAX', 'DATABASE_STATEMENT_TIMEOUT_MS', 'DRAIN_SECONDS'])
      expect(message).toContain(name);
  });

  it('issue 25: DATABASE_JIT is off unless set to on; any other value is refused by name', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).database.jit).toBe(false);
    expect(loadConfig({ JWT_SECRET: SECRET, DATABASE_JIT: 'on' }).database.jit).toBe(true);
    expect(configError({ JWT_SECRET: SECRET, DATABASE_JIT: 'yes' })).toContain('DATABASE_JIT');
  });

  it('issue 25: DATABASE_REPLICA_URL is kept with DATABASE_URL, refused without it or when not a postgres URL', () => {
    const full = {
      DATABASE_URL: 'postgres://p/db',
      JWT_SECRET: SECRET,
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD: 'a-long-password-1',
    };
    expect(loadConfig(full).databaseReplicaUrl).toBeNull();
    expect(
      loadConfig({ ...full, DATABASE_REPLICA_URL: 'postgres://r/db' }).databaseReplicaUrl,
    ).toBe('postgres://r/db');
    expect(configError({ JWT_SECRET: SECRET, DATABASE_REPLICA_URL: 'postgres://r/db' })).toContain(
      'DATABASE_REPLICA_URL: needs DATABASE_URL',
    );
    expect(configError({ ...full, DATABASE_REPLICA_URL: 'mysql://r/db' })).toContain(
      'DATABASE_REPLICA_URL',
    );
  });

  it('PORT 4000, HOST 127.0.0.1, DATA_DIR ./.data resolved to an absolute path', () => {
    // A JWT_SECRET is given so that nothing is written into the project's ./.data.
    const c = loadConfig({ JWT_SECRET: SECRET });
    expect(c.port).toBe(4000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe(resolve('./.data'));
    expect(c.databaseUrl).toBeNull();
    expect(c.nodeEnv).toBe('development');
    expect(c.production).toBe(false);
    expect(c.logLevel).toBe('info');
  });

  it('embedded mode without ADMIN_* uses the demo administrator and seeds the demo', () => {
    const c = loadConfig({ JWT_SECRET: SECRET });
    expect(c.admin).toEqual({ ...DEMO_ADMIN, isDemo: true });
    expect(c.seedDemo).toBe(true);
  });

  it('values given are coerced and kept', () => {
    const dir = tempDir();
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: dir,
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'debug',
      NODE_ENV: 'test',
    });
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: dir,
      jwtSecret: SECRET,
      logLevel: 'debug',
      nodeEnv: 'test',
    });
  });

  it('with DATABASE_URL every required setting is kept and the demo is off by default', () => {
    const c = loadConfig(SERVER);
    expect(c.databaseUrl).toBe(SERVER.DATABASE_URL);
    expect(c.jwtSecret).toBe(SECRET);
    expect(c.admin).toEqual({ username: 'root', password: 'root-password', isDemo: false });
    expect(c.seedDemo).toBe(false);
  });
});

describe('config: the embedded JWT secret', () => {
  it('is generated into DATA_DIR and the same secret is read on the next load', () => {
    const dir = join(tempDir(), 'nested', 'data');
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    const file = join(dir, 'jwt-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);
    expect(statSync(file).mode & 0o077).toBe(0); // readable by the owner only

    const second = loadConfig({ DATA_DIR: dir });
    expect(second.jwtSecret).toBe(first.jwtSecret);
  });

  it('differs between two data directories', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).jwtSecret).not.toBe(
      loadConfig({ DATA_DIR: tempDir() }).jwtSecret,
    );
  });

  it('an explicit JWT_SECRET wins and nothing is written', () => {
    const dir = join(tempDir(), 'untouched');
    expect(loadConfig({ DATA_DIR: dir, JWT_SECRET: SECRET }).jwtSecret).toBe(SECRET);
    expect(() => statSync(dir)).toThrow();
  });
});

describe('config: refused environments', () => {
  it.each(['JWT_SECRET', 'ADMIN_USERNAME', 'ADMIN_PASSWORD'] as const)(
    'with DATABASE_URL, %s is required',
    (name) => {
      const env: NodeJS.ProcessEnv = { ...SERVER };
      delete env[name];
      expect(configError(env)).toMatch(new RegExp(`${name}: required when DATABASE_URL is set`));
    },
  );

  it('with DATABASE_URL alone, one message names all three missing settings', () => {
    const message = configError({ DATABASE_URL: SERVER.DATABASE_URL });
    for (const name of ['JWT_SECRET', 'ADMIN_USERNAME', 'ADMIN_PASSWORD'])
      expect(message).toContain(`${name}: required`);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
  ])('a bad %s (%s) is refused, naming PORT', (name, value) => {
    expect(configError({ JWT_SECRET: SECRET, [name]: value })).toMatch(
      /^Invalid environment:\n\s+PORT: /,
    );
  });

  it('a bad LOG_LEVEL is refused, naming LOG_LEVEL and the allowed values', () => {
    const message = configError({ JWT_SECRET: SECRET, LOG_LEVEL: 'loud' });
    expect(message).toContain('LOG_LEVEL:');
    expect(message).toContain('"info"');
  });

  it.each(['mysql://db/complaints', 'localhost:5432', 'not a url'])(
    'a DATABASE_URL that is not postgres:// (%s) is refused',
    (url) => {
      expect(configError({ ...SERVER, DATABASE_URL: url })).toContain(
        'DATABASE_URL: must be a postgres:// URL',
      );
    },
  );

  it('postgresql:// is accepted as well as postgres://', () => {
    expect(loadConfig({ ...SERVER, DATABASE_URL: 'postgresql://db/complaints' }).databaseUrl).toBe(
      'postgresql://db/complaints',
    );
  });

  it('a short JWT_SECRET and a short ADMIN_PASSWORD are refused with their minimum', () => {
    const message = configError({ ...SERVER, JWT_SECRET: 'short', ADMIN_PASSWORD: 'short' });
    expect(message).toContain('JWT_SECRET: must be at least 32 characters');
    expect(message).toContain('ADMIN_PASSWORD: must be at least 12 characters (D52)');
  });

  it('every problem is listed in one message', () => {
    const message = configError({ PORT: 'x', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(message).toContain('PORT:');
    expect(message).toContain('LOG_LEVEL:');
    expect(message).toContain('DATABASE_URL:');
  });

  it('production without DATABASE_URL is refused and no secret is generated', () => {
    const dir = join(tempDir(), 'prod');
    expect(configError({ NODE_ENV: 'production', DATA_DIR: dir })).toContain(
      'DATABASE_URL: required in production',
    );
    expect(() => statSync(dir)).toThrow();
  });

  it('production with DATABASE_URL is accepted', () => {
    const c = loadConfig({ ...SERVER, NODE_ENV: 'production' });
    expect(c.production).toBe(true);
  });
});
