/**
 * The queries of the statistics (DOMAIN §5 and D59) and what the tests do
 * with their rows.
 */

export const STATS = `query ($i: StatsInput!) { complaintStats(input: $i) { keys count } }`;
export const LIST_TOTAL = `query ($f: ComplaintFilter) { complaints(filter: $f, first: 1) { totalCount } }`;
export const ASSESSMENT = `query ($i: AssessmentInput!) {
  assessment(input: $i) {
    unit { code }
    user { id username }
    received resolved resolutionRate meanResponseMinutes satisfactionRate reopenRate repeatRate
    clocks { clock total onTime rate }
  }
}`;
export const BRIEFING = `query ($unitId: ID) {
  dutyBriefing(unitId: $unitId) {
    unit { code }
    openByStatus { status count }
    overdue majorOpen escalated receivedToday
    topCategories { category count }
  }
}`;

export type Row = { keys: Record<string, string>; count: number };

/** Rows in a stable order (by their keys), for exact comparison. */
export const sorted = (rows: Row[]) =>
  [...rows].sort((a, b) => JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys)));

export const sum = (rows: Row[]) => rows.reduce((n, r) => n + r.count, 0);

/** An instant from an ISO string with its offset. */
export const at = (iso: string) => new Date(iso);
