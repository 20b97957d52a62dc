import { describe, expect, it } from 'vitest';
import { formatDateTime, parseDateTime } from '../../src/graphql/datetime.js';

/** D57: DateTime goes out as Shanghai wall time with +08:00 and milliseconds, and reads back as the same instant. */
describe('D57: DateTime output', () => {
  // the obvious formulation, kept as the reference the fast one must agree with
  const reference = (d: Date) =>
    `${new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, -1)}+08:00`;

  it('is Shanghai wall time at the edges of days, months, leap days and years', () => {
    expect(formatDateTime(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01T00:00:00.000+08:00');
    expect(formatDateTime(new Date('2024-02-28T16:00:00.007Z'))).toBe(
      '2024-02-29T00:00:00.007+08:00',
    );
    expect(formatDateTime(new Date('2026-11-23T01:59:59.999Z'))).toBe(
      '2026-11-23T09:59:59.999+08:00',
    );
    expect(formatDateTime(new Date('1969-12-31T15:00:00Z'))).toBe('1969-12-31T23:00:00.000+08:00');
  });

  it('agrees with the toISOString formulation and round-trips, over 20,000 instants from 1900 to 2100', () => {
    let seed = 20261123;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const from = Date.UTC(1900, 0, 1);
    const span = Date.UTC(2100, 0, 1) - from;
    for (let i = 0; i < 20_000; i++) {
      const d = new Date(from + Math.floor(next() * span));
      const out = formatDateTime(d);
      expect(out).toBe(reference(d));
      expect(parseDateTime(out)!.getTime()).toBe(d.getTime());
    }
  });
});
