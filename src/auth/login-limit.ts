import { and, count, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { loginAttempts, loginLockouts } from '../db/schema.js';

/**
 * D52: password guessing is limited per username and per client address, on every instance at once (the
 * state is in the database). An attempt is counted before its password is checked, under an advisory lock
 * per username and per address, so 20 parallel attempts cannot all get past a limit of 5; a right password
 * takes its attempt back. When a username (or address) reaches its limit within the window it is locked
 * out for the window's length, and every login for it fails the same way as a wrong password, the right
 * one included. Refusals are recorded (`refused`) for the log and the auditors.
 */
export type LoginLimits = { maxPerUsername: number; maxPerAddress: number; windowMinutes: number };

export type Attempt = { id: bigint; username: string; address: string | null };

export type Admission =
  | { admitted: true; attempt: Attempt }
  | { admitted: false; reason: 'USERNAME_LOCKED' | 'ADDRESS_LOCKED'; until: Date };

const normal = (username: string) => username.trim().toLowerCase();

/** Before a password is checked: admits the attempt (counting it) or refuses it (recording the refusal). */
export async function admitLogin(
  db: Db,
  limits: LoginLimits,
  username: string,
  address: string | null,
  now: Date,
): Promise<Admission> {
  const user = normal(username);
  const since = new Date(now.getTime() - limits.windowMinutes * 60_000);
  return db.transaction(async (tx) => {
    // One at a time per username, then per address (always this order: no deadlock between the two).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`login:u:${user}`}, 0))`);
    if (address)
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${`login:a:${address}`}, 0))`,
      );
    const keys = [`u:${user}`, ...(address ? [`a:${address}`] : [])];
    const locks = await tx
      .select()
      .from(loginLockouts)
      .where(and(inArray(loginLockouts.key, keys), gt(loginLockouts.until, now)));
    const attempts = async (
      col: typeof loginAttempts.username | typeof loginAttempts.address,
      value: string,
    ) => {
      const [r] = await tx
        .select({ n: count() })
        .from(loginAttempts)
        .where(and(eq(col, value), gt(loginAttempts.at, since), eq(loginAttempts.refused, false)));
      return r?.n ?? 0;
    };
    let refusal: Admission | null = null;
    const userLock = locks.find((l) => l.key === keys[0]);
    const addressLock = locks.find((l) => l.key !== keys[0]);
    if (userLock) refusal = { admitted: false, reason: 'USERNAME_LOCKED', until: userLock.until };
    else if (addressLock)
      refusal = { admitted: false, reason: 'ADDRESS_LOCKED', until: addressLock.until };
    else if ((await attempts(loginAttempts.username, user)) >= limits.maxPerUsername)
      refusal = {
        admitted: false,
        reason: 'USERNAME_LOCKED',
        until: new Date(now.getTime() + limits.windowMinutes * 60_000),
      };
    else if (address && (await attempts(loginAttempts.address, address)) >= limits.maxPerAddress)
      refusal = {
        admitted: false,
        reason: 'ADDRESS_LOCKED',
        until: new Date(now.getTime() + limits.windowMinutes * 60_000),
      };
    if (refusal) {
      await tx.insert(loginAttempts).values({ username: user, address, at: now, refused: true });
      return refusal;
    }
    const [row] = await tx
      .insert(loginAttempts)
      .values({ username: user, address, at: now })
      .returning({ id: loginAttempts.id });
    return { admitted: true, attempt: { id: row!.id, username: user, address } };
  });
}

/** After the password was checked: a right one takes its attempt back; a wrong one stays and may lock the username or address out. */
export async function settleLogin(
  db: Db,
  limits: LoginLimits,
  attempt: Attempt,
  ok: boolean,
  now: Date,
): Promise<void> {
  if (ok) {
    await db.delete(loginAttempts).where(eq(loginAttempts.id, attempt.id));
    return;
  }
  const since = new Date(now.getTime() - limits.windowMinutes * 60_000);
  const until = new Date(now.getTime() + limits.windowMinutes * 60_000);
  const lock = async (
    key: string,
    col: typeof loginAttempts.username | typeof loginAttempts.address,
    value: string,
    max: number,
  ) => {
    const [r] = await db
      .select({ n: count() })
      .from(loginAttempts)
      .where(and(eq(col, value), gt(loginAttempts.at, since), eq(loginAttempts.refused, false)));
    if ((r?.n ?? 0) >= max) {
      await db
        .insert(loginLockouts)
        .values({ key, until })
        .onConflictDoUpdate({
          target: loginLockouts.key,
          set: { until: sql`greatest(${loginLockouts.until}, excluded.until)` },
        });
    }
  };
  await lock(
    `u:${attempt.username}`,
    loginAttempts.username,
    attempt.username,
    limits.maxPerUsername,
  );
  if (attempt.address)
    await lock(
      `a:${attempt.address}`,
      loginAttempts.address,
      attempt.address,
      limits.maxPerAddress,
    );
  // Rows older than a day say nothing any more: pruned now and then (one in fifty failures).
  if (Math.random() < 0.02) {
    await db
      .delete(loginAttempts)
      .where(lt(loginAttempts.at, new Date(now.getTime() - 86_400_000)));
    await db.delete(loginLockouts).where(lt(loginLockouts.until, now));
  }
}
