import { errors, jwtVerify, SignJWT } from 'jose';

export const TOKEN_TTL_SECONDS = 12 * 60 * 60;
const ISSUER = 'complaint-platform';

/**
 * `ver` is the user's token version when the token was signed: disabling the
 * user, resetting or changing its password bumps the stored version, and a
 * token whose version differs stops at once (checked against the database on
 * every request, so on every instance).
 */
export async function signToken(
  secret: string,
  userId: string,
  now: Date,
  version = 0,
): Promise<string> {
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
export async function verifyToken(
  secret: string,
  token: string,
  now: Date,
): Promise<VerifiedToken | null> {
  const checked = await checkToken(secret, token, now);
  return 'problem' in checked ? null : checked;
}

/** Why a token is refused: past its expiry, or not a token of ours at all (malformed, bad signature, wrong issuer). */
export type TokenProblem = 'TOKEN_EXPIRED' | 'TOKEN_INVALID';

/**
 * Tokens whose signature has been checked, by their exact text (and the
 * secret that checked them): a request carrying one again skips the HMAC
 * (issue 25: verifying through WebCrypto was ~15 % of a registration's CPU).
 * Only what the signature proved is kept; expiry is judged against `now` on
 * every use, and revocation (the token version) is checked against the
 * database on every request as before. Bounded: the oldest entry goes first.
 */
const verified = new Map<string, VerifiedToken>();
const VERIFIED_MAX = 10_000;

export async function checkToken(
  secret: string,
  token: string,
  now: Date,
): Promise<VerifiedToken | { problem: TokenProblem }> {
  const key = `${secret.length}:${secret}\u0000${token}`;
  const known = verified.get(key);
  if (known) {
    if (known.expiresAt.getTime() > now.getTime()) return known;
    verified.delete(key); // from now on jose says why
  }
  const checked = await verifyOnce(secret, token, now);
  if (!('problem' in checked)) {
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(key, checked);
  }
  return checked;
}

async function verifyOnce(
  secret: string,
  token: string,
  now: Date,
): Promise<VerifiedToken | { problem: TokenProblem }> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      currentDate: now,
    });
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number')
      return { problem: 'TOKEN_INVALID' };
    return {
      userId: payload.sub,
      expiresAt: new Date(payload.exp * 1000),
      version: typeof payload.ver === 'number' ? payload.ver : 0,
    };
  } catch (e) {
    // Expiry is judged only once the signature holds (jose checks claims after it): a forged expired token is invalid.
    if (e instanceof errors.JWTExpired) return { problem: 'TOKEN_EXPIRED' };
    if (e instanceof errors.JOSEError) return { problem: 'TOKEN_INVALID' };
    throw e;
  }
}
