import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { orgUnits, partners, roleGrants, users } from '../db/schema.js';
import type { OrgLevel, Role } from '../domain/enums.js';
import { hashApiKey } from './passwords.js';
import { verifyToken } from './tokens.js';

/** A role grant with what the rules need of its unit (D3). `unitId` null: the bootstrap ADMIN over the whole tree. */
export type Grant = {
  role: Role;
  unitId: string | null;
  unitPath: string | null;
  unitLevel: OrgLevel | null;
  provinceId: string | null;
};

export type StaffViewer = {
  kind: 'user';
  id: string;
  username: string;
  displayName: string;
  unitId: string | null;
  grants: Grant[];
  /** When the credentials stop being valid (sockets close then). */
  expiresAt: Date | null;
  /**
   * D52: the password was set by an ADMIN (creation, reset): until its owner
   * sets a new one (`changePassword`) the viewer holds no grant in effect and
   * reads and does nothing else.
   */
  mustChangePassword: boolean;
};

export type PartnerViewer = {
  kind: 'partner';
  id: string;
  name: string;
  carrierCode: string;
  provinceId: string;
  expiresAt: null;
};

export type Viewer = StaffViewer | PartnerViewer;

/** The province of a unit is the first id of its materialised path. */
export const provinceOfPath = (path: string) => path.split('/')[1] ?? null;

/**
 * The staff viewer of a user, or null when it is disabled or (with
 * `tokenVersion`) its token was signed before a disable, reset or change
 * (D52: tokens stop at once, on every instance, as this reads the database).
 */
export async function loadStaffViewer(db: Db, userId: string, expiresAt: Date | null, tokenVersion?: number): Promise<StaffViewer | null> {
  const rows = await db
    .select({
      id: users.id,
      disabled: users.disabled,
      mustChangePassword: users.mustChangePassword,
      tokenVersion: users.tokenVersion,
      username: users.username,
      displayName: users.displayName,
      unitId: users.unitId,
      role: roleGrants.role,
      grantUnitId: roleGrants.unitId,
      unitPath: orgUnits.path,
      unitLevel: orgUnits.level,
    })
    .from(users)
    .leftJoin(roleGrants, eq(roleGrants.userId, users.id))
    .leftJoin(orgUnits, eq(orgUnits.id, roleGrants.unitId))
    .where(eq(users.id, userId));
  const [first] = rows;
  if (!first || first.disabled) return null;
  if (tokenVersion !== undefined && tokenVersion !== first.tokenVersion) return null;
  return {
    kind: 'user',
    id: first.id,
    username: first.username,
    displayName: first.displayName,
    unitId: first.unitId,
    expiresAt,
    mustChangePassword: first.mustChangePassword,
    grants: rows
      .filter((r) => r.role && !first.mustChangePassword)
      .map((r) => ({
        role: r.role!,
        unitId: r.grantUnitId,
        unitPath: r.unitPath,
        unitLevel: r.unitLevel,
        provinceId: r.unitPath ? provinceOfPath(r.unitPath) : null,
      })),
  };
}

export async function loadPartnerViewer(db: Db, apiKey: string): Promise<PartnerViewer | null> {
  const [p] = await db.select().from(partners).where(eq(partners.apiKeyHash, hashApiKey(apiKey)));
  if (!p) return null;
  return { kind: 'partner', id: p.id, name: p.name, carrierCode: p.carrierCode, provinceId: p.provinceId, expiresAt: null };
}

export type Credentials = { bearer?: string | null; apiKey?: string | null };

/**
 * Who is calling. `undefined`: no credentials were given; `null`: they were
 * given and are not valid. Both end as UNAUTHENTICATED (D55).
 */
export async function authenticate(
  db: Db,
  secret: string,
  creds: Credentials,
  now: Date,
): Promise<Viewer | null | undefined> {
  if (creds.apiKey) return loadPartnerViewer(db, creds.apiKey);
  if (creds.bearer) {
    const token = await verifyToken(secret, creds.bearer, now);
    return token ? loadStaffViewer(db, token.userId, token.expiresAt, token.version) : null;
  }
  return undefined;
}

/** Reads `Authorization: Bearer …` / `X-API-Key: …` (HTTP) or `{ authorization, apiKey }` (connection_init). */
export function credentialsFrom(get: (name: string) => unknown): Credentials {
  const auth = get('authorization');
  const apiKey = get('x-api-key') ?? get('apiKey');
  const bearer = typeof auth === 'string' && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : null;
  return { bearer, apiKey: typeof apiKey === 'string' ? apiKey.trim() : null };
}
