import { and, asc, eq, inArray, like, sql } from 'drizzle-orm';
import type { AppAbility } from '../auth/abilities.js';
import { orgUnitSubject } from '../auth/abilities.js';
import { hashApiKey, hashPassword, newApiKey } from '../auth/passwords.js';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { orgUnits, partners, roleGrants, users } from '../db/schema.js';
import type { OrgLevel, Role } from './enums.js';
import { DomainError, validation } from './errors.js';
import { LIMITS, code as unitCode, text } from './input.js';

export type OrgUnit = typeof orgUnits.$inferSelect;

/** D1: which level may sit under which. */
const PARENT_LEVEL: Record<OrgLevel, OrgLevel | null> = {
  PROVINCE: null,
  CITY: 'PROVINCE',
  COUNTY: 'CITY',
  CENTER: 'PROVINCE',
};

/** D3: the unit levels each role may be bound to. */
const ROLE_LEVELS: Record<Role, readonly OrgLevel[]> = {
  ADMIN: ['PROVINCE', 'CITY', 'COUNTY', 'CENTER'],
  ACCEPTANCE_AGENT: ['PROVINCE'],
  LEGAL_OFFICER: ['PROVINCE'],
  HANDLER: ['CITY', 'COUNTY', 'CENTER'],
  DEPARTMENT_LEADER: ['CITY', 'COUNTY', 'CENTER'],
  DUTY_MANAGER: ['PROVINCE', 'CITY', 'COUNTY', 'CENTER'],
  AUDITOR: ['PROVINCE', 'CITY', 'COUNTY', 'CENTER'],
};

/** "Everything under unit X" (X included): one index range scan on the path. */
/** Escapes LIKE's wildcards so a path matches only itself as a prefix. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');
export const inSubtree = (path: string) => like(orgUnits.path, `${escapeLike(path)}%`);

export const ancestorIdsOf = (unit: Pick<OrgUnit, 'path'>) => unit.path.split('/').filter(Boolean);

export async function unitById(db: Db, id: string): Promise<OrgUnit | null> {
  const [u] = await db.select().from(orgUnits).where(eq(orgUnits.id, id));
  return u ?? null;
}

export async function listUnits(db: Db): Promise<OrgUnit[]> {
  return db.select().from(orgUnits).orderBy(asc(orgUnits.path));
}

function requireManage(ability: AppAbility, unit: OrgUnit | null, what: string) {
  // A new province sits under no unit. Asking about the bare type 'OrgUnit' would pass any conditional
  // rule (CASL: "some OrgUnit"), letting a province's ADMIN create provinces; ask about a unit without ancestors.
  const ok = ability.can('manage', orgUnitSubject(unit ?? { id: '', path: '/' }));
  if (!ok) throw new DomainError('FORBIDDEN', `You may not ${what}`);
}

export type CreateOrgUnitInput = { parentId: string | null; level: OrgLevel; code: string; name: string };

/** D1: a CITY under a PROVINCE, a COUNTY under a CITY, a CENTER under a PROVINCE; codes unique. */
export async function createOrgUnit(db: Db, ability: AppAbility, input: CreateOrgUnitInput): Promise<OrgUnit> {
  return db.transaction(async (tx) => {
    const parent = input.parentId ? await unitById(tx, input.parentId) : null;
    if (input.parentId && !parent) throw validation(['input', 'parentId'], 'No such parent unit');
    requireManage(ability, parent, parent ? `create units under ${parent.code}` : 'create provinces');
    const name = text(input.name, ['input', 'name'], { required: true, max: LIMITS.name });
    const code = unitCode(input.code.trim().toUpperCase(), ['input', 'code'], { province: input.level === 'PROVINCE' });
    const expected = PARENT_LEVEL[input.level];
    if ((parent?.level ?? null) !== expected) {
      throw validation(
        ['input', 'parentId'],
        expected ? `A ${input.level} must have a ${expected} as its parent` : 'A PROVINCE has no parent',
      );
    }
    const [clash] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.code, code));
    if (clash) throw validation(['input', 'code'], `The code ${code} is already used`);
    const id = crypto.randomUUID();
    const [unit] = await tx
      .insert(orgUnits)
      .values({ id, code, name, level: input.level, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/` })
      .returning();
    return unit!;
  });
}

export type CreateUserInput = {
  username: string;
  password: string;
  displayName: string;
  unitId: string;
  roles: { role: Role; unitId: string }[];
};

export async function createUser(db: Db, ability: AppAbility, input: CreateUserInput) {
  return db.transaction(async (tx) => {
    const unitIds = [...new Set([input.unitId, ...input.roles.map((r) => r.unitId)])];
    const units = new Map((await tx.select().from(orgUnits).where(inArray(orgUnits.id, unitIds))).map((u) => [u.id, u]));
    const home = units.get(input.unitId);
    if (!home) throw validation(['input', 'unitId'], 'No such unit');
    requireManage(ability, home, `add users to ${home.code}`);
    const username = text(input.username, ['input', 'username'], { required: true, max: 64 });
    if (!/^[A-Za-z0-9._@-]{2,64}$/.test(username)) {
      throw validation(['input', 'username'], 'A username is 2–64 letters, digits, dots, hyphens, underscores or @');
    }
    if (input.password.length < 8) throw validation(['input', 'password'], 'A password has at least 8 characters');
    if (input.password.length > 256) throw validation(['input', 'password'], 'A password has at most 256 characters');
    const displayName = text(input.displayName, ['input', 'displayName'], { required: true, max: LIMITS.name });
    if (input.roles.length === 0) throw validation(['input', 'roles'], 'A user needs at least one role');
    input.roles.forEach((r, i) => {
      const unit = units.get(r.unitId);
      if (!unit) throw validation(['input', 'roles', String(i), 'unitId'], 'No such unit');
      requireManage(ability, unit, `grant roles in ${unit.code}`);
      if (!ROLE_LEVELS[r.role].includes(unit.level)) {
        throw validation(
          ['input', 'roles', String(i), 'role'],
          `${r.role} is bound to a unit of level ${ROLE_LEVELS[r.role].join(' or ')}, not ${unit.level}`,
        );
      }
    });
    const [clash] = await tx.select({ id: users.id }).from(users).where(eq(users.username, username));
    if (clash) throw validation(['input', 'username'], `The username ${username} is taken`);
    const [user] = await tx
      .insert(users)
      .values({ username, displayName, unitId: home.id, passwordHash: await hashPassword(input.password) })
      .returning();
    const seen = new Set<string>();
    const grants = input.roles.filter((r) => !seen.has(`${r.role}@${r.unitId}`) && seen.add(`${r.role}@${r.unitId}`));
    await tx.insert(roleGrants).values(grants.map((r) => ({ userId: user!.id, role: r.role, unitId: r.unitId })));
    return user!;
  });
}

/** The bootstrap ADMIN (belongs to no unit, manages every unit), created when no user exists yet. */
export async function ensureBootstrapAdmin(db: Db, username: string, password: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7310002)`);
    const [any] = await tx.select({ id: users.id }).from(users).limit(1);
    if (any) return false;
    const [admin] = await tx
      .insert(users)
      .values({ username, displayName: 'Administrator', unitId: null, passwordHash: await hashPassword(password) })
      .returning();
    await tx.insert(roleGrants).values({ userId: admin!.id, role: 'ADMIN', unitId: null });
    return true;
  });
}

export type CreatePartnerInput = { name: string; carrierCode: string; provinceId: string | null };

/** D40, D41, D52: a partner carrier of one province; its API key is returned once and only its hash kept. */
export async function createPartner(db: Db, ability: AppAbility, input: CreatePartnerInput) {
  return db.transaction(async (tx) => {
    let province: OrgUnit | null;
    if (input.provinceId) {
      province = await unitById(tx, input.provinceId);
      if (!province || province.level !== 'PROVINCE') throw validation(['input', 'provinceId'], 'Not a province');
    } else {
      const provinces = await tx.select().from(orgUnits).where(eq(orgUnits.level, 'PROVINCE')).limit(2);
      if (provinces.length !== 1) {
        throw validation(['input', 'provinceId'], 'Name the province: there is not exactly one (D41)');
      }
      province = provinces[0]!;
    }
    requireManage(ability, province, `create partners of ${province.code}`);
    const name = text(input.name, ['input', 'name'], { required: true, max: LIMITS.name });
    const carrierCode = unitCode(input.carrierCode.trim().toUpperCase(), ['input', 'carrierCode']);
    const [clash] = await tx.select({ id: partners.id }).from(partners).where(eq(partners.carrierCode, carrierCode));
    if (clash) throw validation(['input', 'carrierCode'], `The carrier code ${carrierCode} is already used`);
    const apiKey = newApiKey();
    const [partner] = await tx
      .insert(partners)
      .values({ name, carrierCode, provinceId: province.id, apiKeyHash: hashApiKey(apiKey) })
      .returning();
    return { partner: partner!, apiKey };
  });
}

export async function unitsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.select().from(orgUnits).where(inArray(orgUnits.id, [...ids]));
}

export async function unitByCode(db: Db, code: string) {
  const [u] = await db.select().from(orgUnits).where(and(eq(orgUnits.code, code.trim().toUpperCase())));
  return u ?? null;
}
