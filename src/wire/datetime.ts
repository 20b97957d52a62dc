/**
 * D57: DateTime values go out with the +08:00 offset (Asia/Shanghai has no
 * DST, so the offset is fixed), millisecond precision.
 */
const OFFSET_MS = 8 * 60 * 60 * 1000;

const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const p3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** Shanghai wall time with the offset, e.g. 2026-11-23T10:00:00.000+08:00 (from UTC fields: faster than toISOString, which lists show hundreds of). */
export function formatDateTime(d: Date): string {
  const t = new Date(d.getTime() + OFFSET_MS);
  const y = t.getUTCFullYear();
  if (y < 1000 || y > 9999) return `${t.toISOString().slice(0, -1)}+08:00`;
  return `${y}-${p2(t.getUTCMonth() + 1)}-${p2(t.getUTCDate())}T${p2(t.getUTCHours())}:${p2(t.getUTCMinutes())}:${p2(t.getUTCSeconds())}.${p3(t.getUTCMilliseconds())}+08:00`;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses ISO-8601 with an explicit offset; anything else is null. */
export function parseDateTime(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO.test(value)) return null;
  const d = new Date(value);
  // Years 1–9999 only: what the database stores (issue 19: year 0 or +275760 was a 500 from its cast).
  return Number.isNaN(d.getTime()) || d.getTime() < MIN_TIME || d.getTime() > MAX_TIME ? null : d;
}

const MIN_TIME = Date.parse('0001-01-01T00:00:00.000Z');
const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}
