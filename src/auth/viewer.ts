import { eq, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';
import { partners } from '../db/schema.js';
import type { OrgLevel, Role } from '../domain/enums.js';
import { hashApiKey } from './passwords.js';
import { checkToken, type TokenProblem } from './tokens.js';

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

/** A row of `staff_viewer_rows(user id)` (migration 0036): the user, with one of its grants and that grant's unit. */
type ViewerRow = {
  id: string;
  disabled: boolean;
  must_change_password: boolean;
  token_version: number;
  username: string;
  display_name: string;
  unit_id: string | null;
  role: Role | null;
  grant_unit_id: string | null;
  unit_path: string | null;
  unit_level: OrgLevel | null;
};

/** The province of a unit is the first id of its materialised path. */
export const provinceOfPath = (path: string) => path.split('/')[1] ?? null;

/**
 * The staff viewer of a user, or null when it is disabled or (with
 * `tokenVersion`) its token was signed before a disable, reset or change
 * (D52: tokens stop at once, on every instance, as this reads the database).
 */
export async function loadStaffViewer(
  db: Db,
  userId: string,
  expiresAt: Date | null,
  tokenVersion?: number,
): Promise<StaffViewer | null> {
  // migration 0036: the user, its grants and their units, in one statement planned once per connection
  const rows = rowsOf<ViewerRow>(await db.execute(sql`select * from staff_viewer_rows(${userId})`));
  const [first] = rows;
  if (!first || first.disabled) return null;
  if (tokenVersion !== undefined && tokenVersion !== first.token_version) return null;
  return {
    kind: 'user',
    id: first.id,
    username: first.username,
    displayName: first.display_name,
    unitId: first.unit_id,
    expiresAt,
    mustChangePassword: first.must_change_password,
    grants: rows
      .filter((r) => r.role && !first.must_change_password)
      .map((r) => ({
        role: r.role!,
        unitId: r.grant_unit_id,
        unitPath: r.unit_path,
        unitLevel: r.unit_level,
        provinceId: r.unit_path ? provinceOfPath(r.unit_path) : null,
      })),
  };
}

export async function loadPartnerViewer(db: Db, apiKey: string): Promise<PartnerViewer | null> {
  const [p] = await db
    .select()
    .from(partners)
    .where(eq(partners.apiKeyHash, hashApiKey(apiKey)));
  if (!p) return null;
  return {
    kind: 'partner',
    id: p.id,
    name: p.name,
    carrierCode: p.carrierCode,
    provinceId: p.provinceId,
    expiresAt: null,
  };
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
  const r = await identify(db, secret, creds, now);
  return r.viewer ?? (r.problem ? null : undefined);
}

/** Why credentials that were given are refused; the caller says it in UNAUTHENTICATED's `reason` (no data either way). */
export type CredentialsProblem = TokenProblem | 'USER_UNKNOWN' | 'API_KEY_UNKNOWN';

export const PROBLEM_MESSAGES: Record<CredentialsProblem, string> = {
  TOKEN_EXPIRED: 'The token has expired: sign in again',
  TOKEN_INVALID: 'The token is not valid (malformed, or not signed by this platform)',
  USER_UNKNOWN:
    'The token no longer opens a session: its user is unknown or disabled, or the password was changed or reset since',
  API_KEY_UNKNOWN: 'The API key is not valid',
};

/** Who is calling, or why the credentials given are refused (both undefined/null: none were given). */
export async function identify(
  db: Db,
  secret: string,
  creds: Credentials,
  now: Date,
): Promise<{ viewer: Viewer | null; problem: CredentialsProblem | null }> {
  if (creds.apiKey) {
    const viewer = await loadPartnerViewer(db, creds.apiKey);
    return viewer ? { viewer, problem: null } : { viewer: null, problem: 'API_KEY_UNKNOWN' };
  }
  if (creds.bearer) {
    const token = await checkToken(secret, creds.bearer, now);
    if ('problem' in token) return { viewer: null, problem: token.problem };
    const viewer = await loadStaffViewer(db, token.userId, token.expiresAt, token.version);
    return viewer ? { viewer, problem: null } : { viewer: null, problem: 'USER_UNKNOWN' };
  }
  return { viewer: null, problem: null };
}

/** Reads `Authorization: Bearer …` / `X-API-Key: …` (HTTP) or `{ authorization, apiKey }` (connection_init). */
export function credentialsFrom(get: (name: string) => unknown): Credentials {
  const auth = get('authorization');
  const apiKey = get('x-api-key') ?? get('apiKey');
  const bearer =
    typeof auth === 'string' && /^Bearer\s+/i.test(auth)
      ? auth.replace(/^Bearer\s+/i, '').trim()
      : null;
  return { bearer, apiKey: typeof apiKey === 'string' ? apiKey.trim() : null };
}
