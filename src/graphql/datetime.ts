/**
 * D57: DateTime values go out with the +08:00 offset (Asia/Shanghai has no
 * DST, so the offset is fixed), millisecond precision.
 */
const OFFSET_MS = 8 * 60 * 60 * 1000;

export function formatDateTime(d: Date): string {
  const iso = new Date(d.getTime() + OFFSET_MS).toISOString(); // …T10:00:00.000Z, shifted to Shanghai's wall time
  return `${iso.slice(0, -1)}+08:00`;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses ISO-8601 with an explicit offset; anything else is null. */
export function parseDateTime(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}
