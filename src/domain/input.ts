// Input rules of D57. Each check throws a VALIDATION DomainError naming the
// field path; messages start with the field's own name.
import { validation } from './errors.js';

/** Maximum lengths, in characters (Unicode code points). */
export const LIMITS = {
  title: 200,
  description: 10_000,
  note: 5_000,
  name: 100,
  address: 500,
  accountNumber: 64,
  externalRef: 255,
  idempotencyKey: 255,
} as const;

const label = (field: string[]) => field[field.length - 1] ?? 'value';
const length = (s: string) => [...s].length;

export interface TextOptions {
  required?: boolean;
  max: number;
  min?: number;
}

/** Trimmed text; blank is missing: null, or "is required" when required. */
export function text(
  value: string | null | undefined,
  field: string[],
  opts: TextOptions & { required: true },
): string;
export function text(
  value: string | null | undefined,
  field: string[],
  opts: TextOptions,
): string | null;
export function text(
  value: string | null | undefined,
  field: string[],
  opts: TextOptions,
): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') {
    if (opts.required) throw validation(field, `${label(field)} is required`);
    return null;
  }
  const n = length(trimmed);
  if (n > opts.max)
    throw validation(field, `${label(field)} must be at most ${opts.max} characters`);
  if (opts.min !== undefined && n < opts.min) {
    throw validation(field, `${label(field)} must be at least ${opts.min} characters`);
  }
  return trimmed;
}

/** Removes spaces and hyphens; then an optional '+' and 5–15 digits: '138 1234-5678' → '13812345678'. */
export function phone(value: string, field: string[]): string {
  const normalised = value.replace(/[\s-]/g, '');
  if (!/^\+?\d{5,15}$/.test(normalised)) {
    throw validation(
      field,
      `${label(field)} must be 5 to 15 digits, optionally after a leading '+'`,
    );
  }
  return normalised;
}

/** A finite amount ≥ 0 with at most 2 decimals (19.99 and 0.1 pass, 1.005 does not); null stays null. */
export function amount(value: number, field: string[]): number;
export function amount(value: number | null | undefined, field: string[]): number | null;
export function amount(value: number | null | undefined, field: string[]): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isFinite(value) || value < 0) {
    throw validation(field, `${label(field)} must be a number of at least 0`);
  }
  // The nearest 2-decimal value must be this very double: robust to binary
  // representation (19.99 × 100 ≠ 1999) yet refuses 1.005 and 1e-7.
  if (Number(value.toFixed(2)) !== value) {
    throw validation(field, `${label(field)} must have at most 2 decimals`);
  }
  return value === 0 ? 0 : value; // no -0
}

const UNIT_CODE = /^[A-Z0-9-]{2,32}$/;
const PROVINCE_CODE = /^[A-Z]{2,32}$/;

/** A unit's code: 2–32 of A–Z, 0–9 and '-'; a province's: 2–32 letters A–Z. Returned trimmed. */
export function code(value: string, field: string[], opts: { province?: boolean } = {}): string {
  const trimmed = value.trim();
  if (opts.province) {
    if (!PROVINCE_CODE.test(trimmed)) {
      throw validation(field, `${label(field)} of a province must be 2 to 32 letters A–Z`);
    }
  } else if (!UNIT_CODE.test(trimmed)) {
    throw validation(field, `${label(field)} must be 2 to 32 characters of A–Z, 0–9 and '-'`);
  }
  return trimmed;
}

/** Strictly after now and not after latest (when given): a later one is refused, not cut. */
export function futureDeadline(
  deadline: Date,
  now: Date,
  latest: Date | null,
  field: string[],
): Date {
  const t = deadline.getTime();
  if (Number.isNaN(t) || t <= now.getTime())
    throw validation(field, `${label(field)} must lie in the future`);
  if (latest !== null && t > latest.getTime()) {
    throw validation(field, `${label(field)} must not be after ${latest.toISOString()}`);
  }
  return deadline;
}

/** The earliest instant a past event may be dated: nothing this platform handles happened before. */
const EARLIEST = Date.UTC(1990, 0, 1);

/** An instant that has already happened (e.g. D8's `occurredAt`): not in the future, not before 1990. */
export function pastInstant(value: Date, now: Date, field: string[]): Date {
  const t = value.getTime();
  if (Number.isNaN(t) || t > now.getTime())
    throw validation(field, `${label(field)} must not lie in the future`);
  if (t < EARLIEST) throw validation(field, `${label(field)} must not be before 1990`);
  return value;
}

/** A page size (`first`, `last`): absent → def; otherwise an integer 1–100. */
export function pageSize(value: number | null | undefined, def: number, field: string): number {
  if (value === null || value === undefined) return def;
  if (!Number.isInteger(value) || value < 1 || value > 100) {
    throw validation([field], `${field} must be between 1 and 100`);
  }
  return value;
}

/** A page of a keyset list read newest first: at most `limit + 1` rows below `after` (null: from the newest). */
export type KeysetWindow = { limit: number; after: bigint | null };

/** The entries a list filter (statuses, categories, actions …) may name (issue 19: 70,000 broke the statement). */
export const MAX_FILTER_LIST = 100;

/** A list filter's values: at most MAX_FILTER_LIST of them. */
export function filterList<T>(
  values: readonly T[] | null | undefined,
  field: string[],
): readonly T[] | null | undefined {
  if (values != null && values.length > MAX_FILTER_LIST) {
    throw validation(field, `${label(field)} takes at most ${MAX_FILTER_LIST} values`);
  }
  return values;
}

/** How deep a JSON value given by a caller may nest (`details` are flat objects: depth 1). */
export const MAX_JSON_DEPTH = 16;

/**
 * The nesting depth of a JSON value, walked without recursion and stopping at `max + 1`: so a hostile value
 * (20,000 nested arrays) is measured in constant stack before any recursive code (hashing, validation) sees it.
 */
export function jsonDepth(value: unknown, max = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (depth > max) return depth;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth]);
  }
  return deepest;
}

/** A JSON input no deeper than MAX_JSON_DEPTH, else VALIDATION. */
export function shallowJson<T>(value: T, field: string[]): T {
  if (jsonDepth(value) > MAX_JSON_DEPTH)
    throw validation(field, `${label(field)} must not nest deeper than ${MAX_JSON_DEPTH} levels`);
  return value;
}

const MIN_TIME = new Date('0001-01-01T00:00:00.000Z').getTime();
const MAX_TIME = new Date('9999-12-31T23:59:59.999Z').getTime();

/** An instant the database stores and serves as written (years 1–9999): a cursor or filter outside is refused, not a 500. */
export function inDatabaseRange(d: Date): boolean {
  const t = d.getTime();
  return Number.isFinite(t) && t >= MIN_TIME && t <= MAX_TIME;
}
