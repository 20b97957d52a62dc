import { describe, expect, it } from 'vitest';
import { checkToken, signToken, TOKEN_TTL_SECONDS } from '../../src/auth/tokens.js';

/**
 * Issue 25: a token's signature is checked once per process and remembered
 * by its exact text; the remembered answer never outlives the token, never
 * serves another secret, and a changed token is checked afresh.
 */
const SECRET = 'token-cache-secret-token-cache-secret-42';
const T0 = new Date('2026-11-23T02:00:00.000Z');

describe('D55: verified tokens remembered (issue 25)', () => {
  it('D55: a token checked once is still accepted, then TOKEN_EXPIRED once past its expiry, as jose says without the cache', async () => {
    const token = await signToken(SECRET, '00000000-0000-4000-8000-000000000001', T0, 3);
    const first = await checkToken(SECRET, token, T0);
    expect(first).toEqual({
      userId: '00000000-0000-4000-8000-000000000001',
      expiresAt: new Date(T0.getTime() + TOKEN_TTL_SECONDS * 1000),
      version: 3,
    });
    expect(await checkToken(SECRET, token, new Date(T0.getTime() + 60_000))).toEqual(first);
    expect(
      await checkToken(SECRET, token, new Date(T0.getTime() + TOKEN_TTL_SECONDS * 1000 + 1000)),
    ).toEqual({ problem: 'TOKEN_EXPIRED' });
    expect(
      await checkToken(SECRET, token, new Date(T0.getTime() + TOKEN_TTL_SECONDS * 1000)),
    ).toEqual({ problem: 'TOKEN_EXPIRED' });
  });

  it('D55: a remembered token is TOKEN_INVALID under another secret, and a token with one character changed is checked afresh', async () => {
    const token = await signToken(SECRET, '00000000-0000-4000-8000-000000000002', T0);
    expect(await checkToken(SECRET, token, T0)).not.toHaveProperty('problem');
    expect(await checkToken(`${SECRET}-rotated`, token, T0)).toEqual({ problem: 'TOKEN_INVALID' });
    const [h, p, sig] = token.split('.') as [string, string, string];
    const forged = `${h}.${p}.${sig.slice(0, 5)}${sig[5] === 'A' ? 'B' : 'A'}${sig.slice(6)}`;
    expect(await checkToken(SECRET, forged, T0)).toEqual({ problem: 'TOKEN_INVALID' });
  });
});
