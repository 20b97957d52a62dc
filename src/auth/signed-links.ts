import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * D77: links a browser opens without a bearer header (a report's page and
 * CSV), signed for one viewer and valid for 15 minutes. The signature binds
 * the path, the user, the user's token version (a disable, reset or password
 * change voids the links like the tokens) and the expiry; anything altered,
 * or later, is refused with 403.
 */

export const LINK_TTL_SECONDS = 15 * 60;

export type LinkClaims = { userId: string; version: number; expires: number };

const mac = (secret: string, path: string, c: LinkClaims) =>
  createHmac('sha256', `signed-link\n${secret}`)
    .update(`${path}\n${c.userId}\n${c.version}\n${c.expires}`)
    .digest('base64url');

/** `path?u=…&v=…&e=…&s=…`, valid until now + 15 minutes. */
export function signLink(
  secret: string,
  path: string,
  userId: string,
  version: number,
  now: Date,
): string {
  const claims = { userId, version, expires: Math.floor(now.getTime() / 1000) + LINK_TTL_SECONDS };
  const q = new URLSearchParams({
    u: userId,
    v: String(version),
    e: String(claims.expires),
    s: mac(secret, path, claims),
  });
  return `${path}?${q}`;
}

/** The claims of a signed link for `path`, or null when altered or expired. */
export function verifyLink(
  secret: string,
  path: string,
  params: URLSearchParams,
  now: Date,
): LinkClaims | null {
  const userId = params.get('u');
  const version = Number(params.get('v'));
  const expires = Number(params.get('e'));
  const sig = params.get('s');
  if (!userId || !sig || !Number.isInteger(version) || !Number.isInteger(expires)) return null;
  const claims = { userId, version, expires };
  const want = Buffer.from(mac(secret, path, claims));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  return expires * 1000 > now.getTime() ? claims : null;
}
