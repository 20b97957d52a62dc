import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt (node:crypto), stored as `scrypt$N$r$p$salt$hash` so the cost can
// rise later without invalidating stored hashes.
const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEYLEN,
      { N: n, r, p, maxmem: 64 * 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    Number(n),
    Number(r),
    Number(p),
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash to compare against when the username does not exist, so that a
 * wrong username takes as long as a wrong password (no hint which was wrong).
 */
let decoy: Promise<string> | undefined;
export const decoyHash = () => (decoy ??= hashPassword(randomBytes(12).toString('hex')));

/** Partner API keys: high-entropy random strings, so one SHA-256 is enough and allows lookup by hash (D52). */
export function newApiKey(): string {
  return `cpk_${randomBytes(24).toString('base64url')}`;
}
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
