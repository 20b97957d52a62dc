import { type AnyColumn, and, asc, eq, inArray, like, sql } from 'drizzle-orm';
import type { AppAbility } from '../auth/abilities.js';
import { orgUnitSubject } from '../auth/abilities.js';
import { checkPassword } from '../auth/password-policy.js';
import { hashApiKey, hashPassword, newApiKey, verifyPassword } from '../auth/passwords.js';
import { announceRevocation } from '../auth/revocation.js';
import type { Db } from '../db/client.js';
import { complaints, orgUnits, partners, roleGrants, users } from '../db/schema.js';
import { type AuditBy, recordAudit } from './audit.js';
import { OPEN_STATUSES, type OrgLevel, type Role } from './enums.js';
import { DomainError, validation } from './errors.js';
import { LIMITS, text, code as unitCode } from './input.js';

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
/** `<column> like '<path>%'` for each subtree path, ORed: a row inside one of the subtrees. */
export const inSubtrees = (column: AnyColumn, paths: string[]) =>
  sql.join(
    paths.map((p) => sql`${column} like ${`${escapeLike(p)}%`}`),
    sql` or `,
  );

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

export type CreateOrgUnitInput = {
  parentId: string | null;
  level: OrgLevel;
  code: string;
  name: string;
};

/** Changes made by the system itself (seeding, fixtures): no actor, now. */
const SYSTEM = (): AuditBy => ({ userId: null, at: new Date() });

/** D1: a CITY under a PROVINCE, a COUNTY under a CITY, a CENTER under a PROVINCE; codes unique. */
export async function createOrgUnit(
  db: Db,
  ability: AppAbility,
  input: CreateOrgUnitInput,
  by: AuditBy = SYSTEM(),
): Promise<OrgUnit> {
  return db.transaction(async (tx) => {
    const parent = input.parentId ? await unitById(tx, input.parentId) : null;
    if (input.parentId && !parent) throw validation(['input', 'parentId'], 'No such parent unit');
    requireManage(
      ability,
      parent,
      parent ? `create units under ${parent.code}` : 'create provinces',
    );
    const name = text(input.name, ['input', 'name'], { required: true, max: LIMITS.name });
    const code = unitCode(input.code.trim().toUpperCase(), ['input', 'code'], {
      province: input.level === 'PROVINCE',
    });
    const expected = PARENT_LEVEL[input.level];
    if ((parent?.level ?? null) !== expected) {
      throw validation(
        ['input', 'parentId'],
        expected
          ? `A ${input.level} must have a ${expected} as its parent`
          : 'A PROVINCE has no parent',
      );
    }
    const [clash] = await tx
      .select({ id: orgUnits.id })
      .from(orgUnits)
      .where(eq(orgUnits.code, code));
    if (clash) throw validation(['input', 'code'], `The code ${code} is already used`);
    const id = crypto.randomUUID();
    const [unit] = await tx
      .insert(orgUnits)
      .values({
        id,
        code,
        name,
        level: input.level,
        parentId: parent?.id ?? null,
        path: `${parent?.path ?? '/'}${id}/`,
      })
      .returning();
    await recordAudit(tx, by, {
      action: 'CREATE_ORG_UNIT',
      unitId: unit!.id,
      targetUnitId: unit!.id,
      detail: { code, name, level: input.level, parent: parent?.code ?? null },
    });
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

/**
 * D3, D52: a user with its grants. The password is the ADMIN's choice, so it
 * only lets its owner set a new one (`mustChangePassword`).
 */
export async function createUser(
  db: Db,
  ability: AppAbility,
  input: CreateUserInput,
  by: AuditBy = SYSTEM(),
) {
  return db.transaction(async (tx) => {
    const unitIds = [...new Set([input.unitId, ...input.roles.map((r) => r.unitId)])];
    const units = new Map(
      (await tx.select().from(orgUnits).where(inArray(orgUnits.id, unitIds))).map((u) => [u.id, u]),
    );
    const home = units.get(input.unitId);
    if (!home) throw validation(['input', 'unitId'], 'No such unit');
    requireManage(ability, home, `add users to ${home.code}`);
    const username = text(input.username, ['input', 'username'], { required: true, max: 64 });
    if (!/^[A-Za-z0-9._@-]{2,64}$/.test(username)) {
      throw validation(
        ['input', 'username'],
        'A username is 2–64 letters, digits, dots, hyphens, underscores or @',
      );
    }
    checkPassword(input.password, username, ['input', 'password']);
    const displayName = text(input.displayName, ['input', 'displayName'], {
      required: true,
      max: LIMITS.name,
    });
    if (input.roles.length === 0)
      throw validation(['input', 'roles'], 'A user needs at least one role');
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
    const [clash] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, username));
    if (clash) throw validation(['input', 'username'], `The username ${username} is taken`);
    const [user] = await tx
      .insert(users)
      .values({
        username,
        displayName,
        unitId: home.id,
        passwordHash: await hashPassword(input.password),
        mustChangePassword: true,
      })
      .returning();
    const seen = new Set<string>();
    const grants = input.roles.filter(
      (r) => !seen.has(`${r.role}@${r.unitId}`) && seen.add(`${r.role}@${r.unitId}`),
    );
    await tx
      .insert(roleGrants)
      .values(grants.map((r) => ({ userId: user!.id, role: r.role, unitId: r.unitId })));
    await recordAudit(tx, by, {
      action: 'CREATE_USER',
      unitId: home.id,
      targetUserId: user!.id,
      detail: {
        username,
        roles: grants.map((r) => ({ role: r.role, unit: units.get(r.unitId)!.code })),
      },
    });
    return user!;
  });
}

/** The bootstrap ADMIN (belongs to no unit, manages every unit), created when no user exists yet. */
export async function ensureBootstrapAdmin(
  db: Db,
  username: string,
  password: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7310002)`);
    const [any] = await tx.select({ id: users.id }).from(users).limit(1);
    if (any) return false;
    const [admin] = await tx
      .insert(users)
      .values({
        username,
        displayName: 'Administrator',
        unitId: null,
        passwordHash: await hashPassword(password),
      })
      .returning();
    await tx.insert(roleGrants).values({ userId: admin!.id, role: 'ADMIN', unitId: null });
    return true;
  });
}

export type CreatePartnerInput = { name: string; carrierCode: string; provinceId: string | null };

/** D40, D41, D52: a partner carrier of one province; its API key is returned once and only its hash kept. */
export async function createPartner(
  db: Db,
  ability: AppAbility,
  input: CreatePartnerInput,
  by: AuditBy = SYSTEM(),
) {
  return db.transaction(async (tx) => {
    let province: OrgUnit | null;
    if (input.provinceId) {
      province = await unitById(tx, input.provinceId);
      if (province?.level !== 'PROVINCE')
        throw validation(['input', 'provinceId'], 'Not a province');
    } else {
      const provinces = await tx
        .select()
        .from(orgUnits)
        .where(eq(orgUnits.level, 'PROVINCE'))
        .limit(2);
      if (provinces.length !== 1) {
        throw validation(
          ['input', 'provinceId'],
          'Name the province: there is not exactly one (D41)',
        );
      }
      province = provinces[0]!;
    }
    requireManage(ability, province, `create partners of ${province.code}`);
    const name = text(input.name, ['input', 'name'], { required: true, max: LIMITS.name });
    const carrierCode = unitCode(input.carrierCode.trim().toUpperCase(), ['input', 'carrierCode']);
    const [clash] = await tx
      .select({ id: partners.id })
      .from(partners)
      .where(eq(partners.carrierCode, carrierCode));
    if (clash)
      throw validation(['input', 'carrierCode'], `The carrier code ${carrierCode} is already used`);
    const apiKey = newApiKey();
    const [partner] = await tx
      .insert(partners)
      .values({ name, carrierCode, provinceId: province.id, apiKeyHash: hashApiKey(apiKey) })
      .returning();
    await recordAudit(tx, by, {
      action: 'CREATE_PARTNER',
      unitId: province.id,
      targetPartnerId: partner!.id,
      detail: { name, carrierCode },
    });
    return { partner: partner!, apiKey };
  });
}

export async function unitsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(orgUnits)
    .where(inArray(orgUnits.id, [...ids]));
}

/** Every province's code (D5: a case number starts with its province's; codes never change, units are never deleted). */
export async function provinceCodes(db: Db): Promise<string[]> {
  const rows = await db
    .select({ code: orgUnits.code })
    .from(orgUnits)
    .where(eq(orgUnits.level, 'PROVINCE'));
  return rows.map((r) => r.code);
}

export async function unitByCode(db: Db, code: string) {
  const [u] = await db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.code, code.trim().toUpperCase())));
  return u ?? null;
}

// ---------------------------------------------------------------- accounts (D1a, D52)

async function managedUser(tx: Db, ability: AppAbility, id: string, what: string) {
  const [user] = await tx.select().from(users).where(eq(users.id, id)).for('update');
  if (!user) throw new DomainError('NOT_FOUND', 'No such user');
  const home = user.unitId ? await unitById(tx, user.unitId) : null;
  requireManage(ability, home, what);
  return user;
}

/** D1a, D52: the user can no longer sign in and every token of theirs stops at once, on every instance. */
export async function disableUser(db: Db, ability: AppAbility, id: string, by: AuditBy) {
  return db.transaction(async (tx) => {
    const user = await managedUser(tx, ability, id, 'disable this user');
    if (user.id === by.userId) throw validation(['id'], 'You cannot disable yourself');
    if (user.disabled) return user;
    const [updated] = await tx
      .update(users)
      .set({ disabled: true, tokenVersion: user.tokenVersion + 1 })
      .where(eq(users.id, id))
      .returning();
    await recordAudit(tx, by, {
      action: 'DISABLE_USER',
      unitId: user.unitId,
      targetUserId: user.id,
      detail: { username: user.username },
    });
    await announceRevocation(tx, `user:${user.id}`);
    return updated!;
  });
}

/**
 * D52: an ADMIN sets a new password; the user's tokens stop at once, and the
 * new password only lets its owner set one of their own (`changePassword`).
 */
export async function resetPassword(
  db: Db,
  ability: AppAbility,
  userId: string,
  newPassword: string,
  by: AuditBy,
) {
  return db.transaction(async (tx) => {
    const user = await managedUser(tx, ability, userId, "reset this user's password");
    if (user.id === by.userId)
      throw validation(['userId'], 'Change your own password with changePassword');
    checkPassword(newPassword, user.username, ['newPassword']);
    const [updated] = await tx
      .update(users)
      .set({
        passwordHash: await hashPassword(newPassword),
        mustChangePassword: true,
        tokenVersion: user.tokenVersion + 1,
      })
      .where(eq(users.id, userId))
      .returning();
    await recordAudit(tx, by, {
      action: 'RESET_PASSWORD',
      unitId: user.unitId,
      targetUserId: user.id,
      detail: { username: user.username },
    });
    await announceRevocation(tx, `user:${user.id}`);
    return updated!;
  });
}

/** D52: the owner sets their own password (the current one proves it); their other tokens stop. */
export async function changePassword(
  db: Db,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  by: AuditBy,
) {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user || user.disabled) throw new DomainError('NOT_FOUND', 'No such user');
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      throw validation(['input', 'currentPassword'], 'The current password is wrong');
    }
    checkPassword(input.newPassword, user.username, ['input', 'newPassword']);
    if (input.newPassword === input.currentPassword)
      throw validation(
        ['input', 'newPassword'],
        'The new password must differ from the current one',
      );
    const [updated] = await tx
      .update(users)
      .set({
        passwordHash: await hashPassword(input.newPassword),
        mustChangePassword: false,
        tokenVersion: user.tokenVersion + 1,
      })
      .where(eq(users.id, userId))
      .returning();
    await recordAudit(tx, by, {
      action: 'CHANGE_PASSWORD',
      unitId: user.unitId,
      targetUserId: user.id,
      detail: { username: user.username },
    });
    await announceRevocation(tx, `user:${user.id}`);
    return updated!;
  });
}

/** D40, D52: a new key, returned once; the old one stops at once (its hash is replaced). */
export async function rotatePartnerKey(
  db: Db,
  ability: AppAbility,
  partnerId: string,
  by: AuditBy,
) {
  return db.transaction(async (tx) => {
    const [partner] = await tx
      .select()
      .from(partners)
      .where(eq(partners.id, partnerId))
      .for('update');
    if (!partner) throw new DomainError('NOT_FOUND', 'No such partner');
    requireManage(ability, await unitById(tx, partner.provinceId), "rotate this partner's key");
    const apiKey = newApiKey();
    const [updated] = await tx
      .update(partners)
      .set({ apiKeyHash: hashApiKey(apiKey) })
      .where(eq(partners.id, partnerId))
      .returning();
    await recordAudit(tx, by, {
      action: 'ROTATE_PARTNER_KEY',
      unitId: partner.provinceId,
      targetPartnerId: partner.id,
      detail: { carrierCode: partner.carrierCode },
    });
    await announceRevocation(tx, `partner:${partner.id}`);
    return { partner: updated!, apiKey };
  });
}

/** D1a: rename and close (or reopen) a unit. A closed unit gets no dispatch or delegation and keeps its cases. */
export async function updateOrgUnit(
  db: Db,
  ability: AppAbility,
  input: { id: string; name?: string | null; closed?: boolean | null },
  by: AuditBy,
) {
  return db.transaction(async (tx) => {
    const [unit] = await tx.select().from(orgUnits).where(eq(orgUnits.id, input.id)).for('update');
    if (!unit) throw new DomainError('NOT_FOUND', 'No such unit');
    requireManage(ability, unit, `change ${unit.code}`);
    const set: Partial<OrgUnit> = {};
    if (input.name != null)
      set.name = text(input.name, ['input', 'name'], { required: true, max: LIMITS.name })!;
    if (input.closed != null) set.closed = input.closed;
    if (!Object.keys(set).length) return unit;
    const [updated] = await tx
      .update(orgUnits)
      .set(set)
      .where(eq(orgUnits.id, unit.id))
      .returning();
    await recordAudit(tx, by, {
      action: 'UPDATE_ORG_UNIT',
      unitId: unit.id,
      targetUnitId: unit.id,
      detail: {
        code: unit.code,
        ...(set.name !== undefined && { name: { from: unit.name, to: set.name } }),
        ...(set.closed !== undefined && { closed: set.closed }),
      },
    });
    return updated!;
  });
}

/**
 * D1a: a COUNTY moves to another city of its province at any time; a CITY
 * (or a CENTER) to another province only with no open case in its subtree.
 * In one transaction: the subtree's paths, the copied handling paths of its
 * cases, and the reader sets (D54) of every case handled in it or dispatched
 * to it, re-derived from the new tree: staff of the new ancestors read them,
 * those of the old ones no longer do. History and events stay as they were.
 */
export async function moveOrgUnit(
  db: Db,
  ability: AppAbility,
  input: { id: string; parentId: string },
  by: AuditBy,
) {
  return db.transaction(async (tx) => {
    // Units in a fixed order (by id) so two moves never wait on each other in opposite orders.
    const locked = await tx
      .select()
      .from(orgUnits)
      .where(inArray(orgUnits.id, [input.id, input.parentId]))
      .orderBy(asc(orgUnits.id))
      .for('update');
    const unit = locked.find((u) => u.id === input.id);
    const parent = locked.find((u) => u.id === input.parentId);
    if (!unit) throw new DomainError('NOT_FOUND', 'No such unit');
    if (!parent) throw validation(['input', 'parentId'], 'No such parent unit');
    requireManage(ability, unit, `move ${unit.code}`);
    requireManage(ability, parent, `move units under ${parent.code}`);
    const expected = PARENT_LEVEL[unit.level];
    if (!expected) throw validation(['input', 'id'], 'A PROVINCE has no parent to move to');
    if (parent.level !== expected)
      throw validation(
        ['input', 'parentId'],
        `A ${unit.level} must have a ${expected} as its parent`,
      );
    if (parent.path.startsWith(unit.path))
      throw validation(['input', 'parentId'], 'A unit cannot move under itself');
    if (parent.id === unit.parentId) return unit;
    const provinceOf = (path: string) => path.split('/')[1];
    const crossesProvince = provinceOf(parent.path) !== provinceOf(unit.path);
    if (unit.level === 'COUNTY' && crossesProvince) {
      throw validation(
        ['input', 'parentId'],
        'A county moves only to another city of the same province (D1a)',
      );
    }
    const prefix = `${escapeLike(unit.path)}%`;
    if (crossesProvince) {
      const [open] = await tx
        .select({ id: complaints.id })
        .from(complaints)
        .where(
          and(
            like(complaints.handlingPath, prefix),
            inArray(complaints.status, [...OPEN_STATUSES]),
          ),
        )
        .limit(1);
      if (open)
        throw validation(
          ['input', 'id'],
          `${unit.code} has open cases: it moves to another province only when they are all ended (D1a)`,
        );
    }
    const newPath = `${parent.path}${unit.id}/`;
    const oldLen = unit.path.length;
    const subtree = (
      await tx.select({ id: orgUnits.id }).from(orgUnits).where(like(orgUnits.path, prefix))
    ).map((u) => u.id);
    await tx
      .update(orgUnits)
      .set({ path: sql`${newPath} || substr(${orgUnits.path}, ${oldLen + 1})` })
      .where(like(orgUnits.path, prefix));
    await tx.update(orgUnits).set({ parentId: parent.id }).where(eq(orgUnits.id, unit.id));
    const ids = sql`array[${sql.join(
      subtree.map((id) => sql`${id}`),
      sql`, `,
    )}]::uuid[]`;
    // D54: the handling unit's path and every dispatched unit's, with all their ancestors, from the tree as it is now.
    await tx.execute(sql`
      update complaints c set
        handling_path = h.path,
        reader_units = (
          select array_agg(distinct a.id)
          from org_units o, lateral unnest(string_to_array(trim(both '/' from o.path), '/')) as a(id)
          where o.id = c.handling_unit_id or o.id = any(c.dispatch_chain)
        )::uuid[]
      from org_units h
      where h.id = c.handling_unit_id and (c.handling_unit_id = any(${ids}) or c.dispatch_chain && ${ids})`);
    const [moved] = await tx.select().from(orgUnits).where(eq(orgUnits.id, unit.id));
    const from = unit.parentId ? await unitById(tx, unit.parentId) : null;
    await recordAudit(tx, by, {
      action: 'MOVE_ORG_UNIT',
      unitId: unit.id,
      targetUnitId: unit.id,
      detail: { code: unit.code, from: from?.code ?? null, to: parent.code },
    });
    // The old and the new parent's auditors learn of it too.
    if (from)
      await recordAudit(tx, by, {
        action: 'MOVE_ORG_UNIT',
        unitId: from.id,
        targetUnitId: unit.id,
        detail: { code: unit.code, from: from.code, to: parent.code },
      });
    await recordAudit(tx, by, {
      action: 'MOVE_ORG_UNIT',
      unitId: parent.id,
      targetUnitId: unit.id,
      detail: { code: unit.code, from: from?.code ?? null, to: parent.code },
    });
    return moved!;
  });
}
