import { SignJWT, jwtVerify, errors } from 'jose';

export const TOKEN_TTL_SECONDS = 12 * 60 * 60;
const ISSUER = 'complaint-platform';

/**
 * `ver` is the user's token version when the token was signed: disabling the
 * user, resetting or changing its password bumps the stored version, and a
 * token whose version differs stops at once (checked against the database on
 * every request, so on every instance).
 */
export async function signToken(secret: string, userId: string, now: Date, version = 0): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ ver: version })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + TOKEN_TTL_SECONDS)
    .sign(new TextEncoder().encode(secret));
}

export type VerifiedToken = { userId: string; expiresAt: Date; version: number };

/** Null for anything but a valid, unexpired HS256 token of ours. */
export async function verifyToken(secret: string, token: string, now: Date): Promise<VerifiedToken | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      currentDate: now,
    });
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
    return { userId: payload.sub, expiresAt: new Date(payload.exp * 1000), version: typeof payload.ver === 'number' ? payload.ver : 0 };
  } catch (e) {
    if (e instanceof errors.JOSEError) return null;
    throw e;
  }
}
