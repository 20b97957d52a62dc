import { eq } from 'drizzle-orm';
import type { Clock } from '../config/clock.js';
import type { Db } from '../db/client.js';
import { users } from '../db/schema.js';
import { admitLogin, type LoginLimits, settleLogin } from './login-limit.js';
import { decoyHash, verifyPassword } from './passwords.js';
import { signToken } from './tokens.js';
import { loadStaffViewer } from './viewer.js';

type UserRow = typeof users.$inferSelect;

export type LoginOutcome =
  | { ok: true; token: string; user: UserRow | null }
  /** `lockedOut` when D52's limits refused the attempt before any password was checked. */
  | { ok: false; lockedOut: { reason: string; until: Date } | null };

/**
 * A username and password sign in (D52, D1a): the attempt is counted (or
 * refused) before the password is checked; an unknown user costs the same
 * work as a wrong password, and a disabled user is refused as one. `user` is
 * the signed-in row, null when it holds no staff viewer any more.
 */
export async function login(
  db: Db,
  opts: { limits: LoginLimits; jwtSecret: string; clock: Clock },
  username: string,
  password: string,
  address: string | null,
): Promise<LoginOutcome> {
  const { limits, clock } = opts;
  const admission = await admitLogin(db, limits, username, address, clock.now());
  if (!admission.admitted)
    return { ok: false, lockedOut: { reason: admission.reason, until: admission.until } };
  const [user] = await db.select().from(users).where(eq(users.username, username.trim()));
  // Same work whether or not the user exists: no hint which part was wrong.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  // D1a: a disabled user cannot log in, and is told the same as a wrong password (and counted as one).
  const accepted = !!user && ok && !user.disabled;
  await settleLogin(db, limits, admission.attempt, accepted, clock.now());
  if (!accepted) return { ok: false, lockedOut: null };
  const token = await signToken(opts.jwtSecret, user.id, clock.now(), user.tokenVersion);
  const viewer = await loadStaffViewer(db, user.id, null);
  return { ok: true, token, user: viewer && user };
}
