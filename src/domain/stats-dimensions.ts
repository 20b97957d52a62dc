/**
 * What statistics group by (D30): the dimensions, the time buckets among them
 * and each bucket's format. Shared by the scan (stats.ts) and the rollup
 * (stats-rollup.ts), which must name the same groups.
 */

export const DIMENSIONS = [
  'UNIT',
  'BUSINESS_LINE',
  'CATEGORY',
  'SEVERITY',
  'SOURCE',
  'CHANNEL',
  'STATUS',
  'DAY',
  'WEEK',
  'MONTH',
  'QUARTER',
  'YEAR',
  'KIND',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const TIME: readonly Dimension[] = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'];

/** Fixed formats of the time buckets (no quotes of their own inside: they are written into the SQL as literals). */
export const TIME_FORMAT: Record<string, string> = {
  DAY: 'YYYY-MM-DD',
  WEEK: 'IYYY-"W"IW',
  MONTH: 'YYYY-MM',
  QUARTER: 'YYYY-"Q"Q',
  YEAR: 'YYYY',
};
