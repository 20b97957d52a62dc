import { DomainError } from '../domain/errors.js';

/**
 * D52: a password is at least 12 characters, not blank, not the username
 * (in any case, nor the username with a few characters around it), and not
 * one of the passwords every guessing list starts with.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

// The most common passwords of 12 characters or more in public breach lists, lower-cased.
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123123123123',
  '111111111111',
  '000000000000',
  'qwertyuiop12',
  'qwertyuiopas',
  'qwerty123456',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'password1234',
  'password123!',
  'passwordpassword',
  'iloveyou1234',
  'administrator',
  'admin1234567',
  'admin123456789',
  'welcome12345',
  'changeme1234',
  'letmein12345',
  'abcdefghijkl',
  'abc123456789',
  'asdfghjkl123',
  'zaq12wsxcde3',
  'qazwsxedcrfv',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'p@ssw0rd1234',
  'p@ssword1234',
  'passw0rd1234',
  'superman1234',
  'trustno11234',
  'woaini123456',
  'woaini520520',
  '5201314520',
  '520131452013',
  'a123456789012',
  'aa1234567890',
  'qq1234567890',
]);

export function passwordProblem(password: string, username: string): string | null {
  if (password.trim() === '') return 'A password must not be blank';
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `A password has at least ${MIN_PASSWORD_LENGTH} characters`;
  if ([...password].length > MAX_PASSWORD_LENGTH)
    return `A password has at most ${MAX_PASSWORD_LENGTH} characters`;
  const p = password.trim().toLowerCase();
  const u = username.trim().toLowerCase();
  if (u && (p === u || (p.includes(u) && p.length - u.length < 6)))
    return 'A password must not be (or be made of) the username';
  if (COMMON.has(p) || /^(.)\1+$/.test(p) || /^(?:0123456789|1234567890)+\d*$/.test(p))
    return 'That password is too common';
  return null;
}

/** VALIDATION on `field` when the password breaks the policy. */
export function checkPassword(password: string, username: string, field: string[]) {
  const problem = passwordProblem(password, username);
  if (problem) throw new DomainError('VALIDATION', problem, field);
}
