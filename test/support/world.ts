import { eq } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import { signToken } from '../../src/auth/tokens.js';
import {
  loadPartnerViewer,
  loadStaffViewer,
  type PartnerViewer,
  type StaffViewer,
} from '../../src/auth/viewer.js';
import { ManualClock } from '../../src/config/clock.js';
import { type Config, testConfig } from '../../src/config/index.js';
import type { Db } from '../../src/db/client.js';
import { users } from '../../src/db/schema.js';
import type { OrgLevel, Role } from '../../src/domain/enums.js';
import { type LineRegistry, loadPlugins } from '../../src/domain/lines.js';
import {
  createOrgUnit,
  createPartner,
  createUser,
  ensureBootstrapAdmin,
  type OrgUnit,
  unitByCode,
} from '../../src/domain/org.js';
import type { Services } from '../../src/graphql/context.js';
import { type App, createApp } from '../../src/server/app.js';
import { openWorldDatabase, rollback, type TestDatabase } from './db.js';

/**
 * The fixture organisation every test file starts from (D1, D3): Guangdong
 * with three cities, their counties and a big-customer centre, one user per
 * role per relevant unit, and a partner carrier; plus a second province (ZJ)
 * to prove that provinces never see each other. Seeded once per file, through
 * the domain functions, committed; each test then runs in a rolled-back
 * transaction (`world.tx(...)`).
 */
export const ORG: { code: string; level: OrgLevel; parent?: string }[] = [
  { code: 'GD', level: 'PROVINCE' },
  { code: 'GD-BC', level: 'CENTER', parent: 'GD' },
  { code: 'GD-GZ', level: 'CITY', parent: 'GD' },
  { code: 'GD-GZ-TH', level: 'COUNTY', parent: 'GD-GZ' },
  { code: 'GD-GZ-YX', level: 'COUNTY', parent: 'GD-GZ' },
  { code: 'GD-SZ', level: 'CITY', parent: 'GD' },
  { code: 'GD-SZ-NS', level: 'COUNTY', parent: 'GD-SZ' },
  { code: 'ZJ', level: 'PROVINCE' },
  { code: 'ZJ-HZ', level: 'CITY', parent: 'ZJ' },
];

export const STAFF: { username: string; role: Role; unit: string }[] = [
  { username: 'gd.admin', role: 'ADMIN', unit: 'GD' },
  { username: 'gd.agent', role: 'ACCEPTANCE_AGENT', unit: 'GD' },
  { username: 'gd.agent2', role: 'ACCEPTANCE_AGENT', unit: 'GD' },
  { username: 'gd.legal', role: 'LEGAL_OFFICER', unit: 'GD' },
  { username: 'gd.duty', role: 'DUTY_MANAGER', unit: 'GD' },
  { username: 'gd.auditor', role: 'AUDITOR', unit: 'GD' },
  { username: 'bc.handler', role: 'HANDLER', unit: 'GD-BC' },
  { username: 'bc.leader', role: 'DEPARTMENT_LEADER', unit: 'GD-BC' },
  { username: 'gz.handler', role: 'HANDLER', unit: 'GD-GZ' },
  { username: 'gz.handler2', role: 'HANDLER', unit: 'GD-GZ' },
  { username: 'gz.leader', role: 'DEPARTMENT_LEADER', unit: 'GD-GZ' },
  { username: 'gz.duty', role: 'DUTY_MANAGER', unit: 'GD-GZ' },
  { username: 'gz.auditor', role: 'AUDITOR', unit: 'GD-GZ' },
  { username: 'th.handler', role: 'HANDLER', unit: 'GD-GZ-TH' },
  { username: 'th.leader', role: 'DEPARTMENT_LEADER', unit: 'GD-GZ-TH' },
  { username: 'th.duty', role: 'DUTY_MANAGER', unit: 'GD-GZ-TH' },
  { username: 'yx.handler', role: 'HANDLER', unit: 'GD-GZ-YX' },
  { username: 'sz.handler', role: 'HANDLER', unit: 'GD-SZ' },
  { username: 'sz.leader', role: 'DEPARTMENT_LEADER', unit: 'GD-SZ' },
  { username: 'sz.duty', role: 'DUTY_MANAGER', unit: 'GD-SZ' },
  { username: 'ns.handler', role: 'HANDLER', unit: 'GD-SZ-NS' },
  { username: 'zj.agent', role: 'ACCEPTANCE_AGENT', unit: 'ZJ' },
  { username: 'zj.legal', role: 'LEGAL_OFFICER', unit: 'ZJ' },
  { username: 'hz.handler', role: 'HANDLER', unit: 'ZJ-HZ' },
];

export const PASSWORD = 'fixture-password';
/** 2026-11-23 10:00 in Shanghai, a Monday. */
export const T0 = new Date('2026-11-23T10:00:00+08:00');

export type World = {
  database: TestDatabase;
  config: Config;
  clock: ManualClock;
  lines: LineRegistry;
  units: Record<string, OrgUnit>;
  staff: Record<string, StaffViewer>;
  partner: PartnerViewer;
  partnerKey: string;
  zjPartner: PartnerViewer;
  zjPartnerKey: string;
  admin: StaffViewer;
  token(username: string): Promise<string>;
  /** Services whose handle is `db` (a rolled-back transaction in tests). */
  services(db: Db): Services;
  app(db: Db): App;
  /** Runs a test body in a transaction that is rolled back. */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
};

/** The partners' API keys: shown once when the world is seeded, kept for the tests that call as a partner. */
export type WorldKeys = { partnerKey: string; zjPartnerKey: string };

/**
 * Writes the fixture organisation into an empty, migrated database, through
 * the domain functions. Done once per run into a template (test/support/templates.ts)
 * that every file's database is a copy of; `buildWorld` without keys seeds it itself.
 */
export async function seedWorld(db: Db, config: Config): Promise<WorldKeys> {
  await ensureBootstrapAdmin(db, config.admin.username, config.admin.password);
  const [adminRow] = await db.select().from(users).where(eq(users.username, config.admin.username));
  const ability = defineAbilityFor((await loadStaffViewer(db, adminRow!.id, null))!);
  const units: Record<string, OrgUnit> = {};
  for (const u of ORG) {
    units[u.code] = await createOrgUnit(db, ability, {
      parentId: u.parent ? units[u.parent]!.id : null,
      level: u.level,
      code: u.code,
      name: `Unit ${u.code}`,
    });
  }
  for (const s of STAFF) {
    const unitId = units[s.unit]!.id;
    const user = await createUser(db, ability, {
      username: s.username,
      password: PASSWORD,
      displayName: `Name of ${s.username}`,
      unitId,
      roles: [{ role: s.role, unitId }],
    });
    // The fixture's users have set their own password already (D52: an ADMIN-set one only lets them change it).
    await db.update(users).set({ mustChangePassword: false }).where(eq(users.id, user.id));
  }
  const { apiKey: partnerKey } = await createPartner(db, ability, {
    name: 'Partner GD',
    carrierCode: 'PGD',
    provinceId: units.GD!.id,
  });
  const { apiKey: zjPartnerKey } = await createPartner(db, ability, {
    name: 'Partner ZJ',
    carrierCode: 'PZJ',
    provinceId: units.ZJ!.id,
  });
  return { partnerKey, zjPartnerKey };
}

/** The fixture world of a database: seeded here, or (given its keys) read from a copy of the seeded template. */
export async function buildWorld(database: TestDatabase, seeded?: WorldKeys): Promise<World> {
  const config = testConfig();
  const clock = new ManualClock(T0);
  const lines = await loadPlugins();
  const db = database.db;
  const { partnerKey, zjPartnerKey } = seeded ?? (await seedWorld(db, config));
  const [adminRow] = await db.select().from(users).where(eq(users.username, config.admin.username));
  const admin = (await loadStaffViewer(db, adminRow!.id, null))!;
  const units: Record<string, OrgUnit> = {};
  for (const u of ORG) units[u.code] = (await unitByCode(db, u.code))!;
  const staff: Record<string, StaffViewer> = {};
  for (const s of STAFF) {
    const [user] = await db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, s.username));
    staff[s.username] = (await loadStaffViewer(db, user!.id, null))!;
  }
  const partner = (await loadPartnerViewer(db, partnerKey))!;
  const zjPartner = (await loadPartnerViewer(db, zjPartnerKey))!;
  const services = (handle: Db): Services => ({ config, clock, database, db: handle, lines });
  return {
    database,
    config,
    clock,
    lines,
    units,
    staff,
    partner,
    partnerKey,
    zjPartner,
    zjPartnerKey,
    admin,
    token: (username) =>
      signToken(
        config.jwtSecret,
        username === 'admin' ? admin.id : staff[username]!.id,
        clock.now(),
      ),
    services,
    app: (handle) => createApp(services(handle)),
    tx: (fn) => rollback(db, fn),
  };
}

/** Opens the file's database and fixture world before its tests; drops it after. */
export function useWorld(): () => World {
  let world: World | undefined;
  beforeAll(async () => {
    // A copy of the run's seeded template (test/support/templates.ts): no migration, no seeding per file.
    const { database, seeded } = await openWorldDatabase();
    world = await buildWorld(database, seeded);
  });
  afterAll(async () => {
    await world?.database.drop();
  });
  return () => {
    if (!world) throw new Error('useWorld: the world is not built yet (call it at file level)');
    return world;
  };
}
