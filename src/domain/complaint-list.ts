import { and, eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';
import { rowReader } from '../db/rows.js';
import { complaints } from '../db/schema.js';
import { shanghaiDate } from '../sla/calendar.js';
import type { Channel, ContactKind, OrgLevel, Severity, Source, Status } from './enums.js';
import { validation } from './errors.js';
import { filterList, inDatabaseRange } from './input.js';
import type { ComplaintRow } from './lifecycle.js';
import { escapeLike } from './org.js';
import { rollupQuery, type StatsCover } from './stats-rollup.js';

const readComplaints = rowReader(complaints, ['searchGrams']);

/**
 * The portals' complaint list (issue "read side"): filters, three orders with
 * a stable tiebreak, keyset pages forwards and backwards, and a count, all
 * over `readable` (the viewer's CASL rules as SQL, src/auth/sql.ts) ANDed
 * with the filter. No OFFSET anywhere; each order has its index.
 */

export type ComplaintFilter = {
  /** D70: the kinds of contact listed; default [COMPLAINT], so existing portals see what they saw. */
  kinds?: readonly ContactKind[] | null;
  status?: readonly Status[] | null;
  businessLine?: readonly string[] | null;
  category?: readonly string[] | null;
  severity?: readonly Severity[] | null;
  source?: readonly Source[] | null;
  channel?: readonly Channel[] | null;
  /** The unit's materialised path; `false` when the filter named no real unit (matches nothing). */
  unitPath?: string | false | null;
  overdue?: boolean | null;
  escalated?: boolean | null;
  registeredFrom?: Date | null;
  registeredTo?: Date | null;
  search?: string | null;
  /** Normalised phone, with the viewer's personal-data rule (D50: never an oracle). */
  customerPhone?: { phone: string; visible: SQL } | null;
};

export type OrderField = 'REGISTERED_AT' | 'DUE_AT' | 'SEVERITY';
export type Order = { field: OrderField; direction: 'ASC' | 'DESC' };
export const DEFAULT_ORDER: Order = { field: 'REGISTERED_AT', direction: 'DESC' };

/** The sort key of each order: its columns, most significant first, ending with the id tiebreak. */
const KEYS: Record<
  OrderField,
  (typeof complaints)['registeredAt' | 'dueKey' | 'severityRank' | 'id'][]
> = {
  REGISTERED_AT: [complaints.registeredAt, complaints.id],
  DUE_AT: [complaints.dueKey, complaints.id],
  SEVERITY: [complaints.severityRank, complaints.registeredAt, complaints.id],
};

/** D70: lists, statistics and assessment count complaints unless asked for other kinds. */
export const DEFAULT_KINDS: readonly ContactKind[] = ['COMPLAINT'];

/** D70, D59: the kinds condition that lists, statistics and assessment share (default [COMPLAINT]). */
export function kindsWhere(
  kinds: readonly ContactKind[] | null | undefined,
  field: string[] = ['input', 'kinds'],
): SQL {
  const values = filterList(kinds ?? DEFAULT_KINDS, field) ?? DEFAULT_KINDS;
  return values.length ? inArray(complaints.kind, [...values]) : sql`false`;
}

export function filterWhere(filter: ComplaintFilter | null | undefined, now: Date): SQL[] {
  const f = filter ?? {};
  const conds: SQL[] = [];
  const within = <T>(
    col: Parameters<typeof inArray>[0],
    given: readonly T[] | null | undefined,
    name: string,
  ) => {
    const values = filterList(given, ['filter', name]);
    if (values == null) return;
    conds.push(values.length ? inArray(col, [...values] as never[]) : sql`false`);
  };
  within(complaints.kind, f.kinds ?? DEFAULT_KINDS, 'kinds');
  within(complaints.status, f.status, 'status');
  within(complaints.businessLine, f.businessLine, 'businessLine');
  within(complaints.category, f.category, 'category');
  within(complaints.severity, f.severity, 'severity');
  within(complaints.source, f.source, 'source');
  within(complaints.channel, f.channel, 'channel');
  if (f.unitPath === false) conds.push(sql`false`);
  else if (f.unitPath)
    conds.push(sql`${complaints.handlingPath} like ${`${escapeLike(f.unitPath)}%`}`);
  // due_key is due_at with 'infinity' for no running clock: the same meaning, on an index (complaints_due_idx).
  if (f.overdue === true) conds.push(lt(complaints.dueKey, now));
  if (f.overdue === false) conds.push(gte(complaints.dueKey, now));
  if (f.escalated === true) conds.push(sql`${complaints.escalationLevel} > 0`);
  if (f.escalated === false) conds.push(eq(complaints.escalationLevel, 0));
  if (f.registeredFrom) conds.push(gte(complaints.registeredAt, f.registeredFrom));
  if (f.registeredTo) conds.push(lt(complaints.registeredAt, f.registeredTo));
  const search = f.search?.trim();
  if (search) conds.push(...searchWhere(search));
  if (f.customerPhone)
    conds.push(and(eq(complaints.customerPhone, f.customerPhone.phone), f.customerPhone.visible)!);
  return conds;
}

/**
 * The conditions of a search (`filter.search`, trimmed, non-empty): the case's number, title or description hold
 * it. `within`: the viewer's read rule as alternatives (`coverArms`, src/auth/read-cover.ts), for a viewer whose
 * cases are few among the newest (`probeFits` false). The rule itself stays in the list's condition; the
 * search adds the grams within its first alternative (a unit's readers), which the planner serves from one scan
 * of the grams-and-readers index (migration 0028), and the text within the others (the viewer's own cases, few)
 * when the grams decide the term (otherwise the text is checked for every case, and the others need nothing).
 * Asked beside the rule alone, a longer term's grams are estimated at a handful of rows (a product over its
 * bigrams), and the planner fetches every match in the province to keep the unit's (49,819 rows at 10M, for
 * 5,889). Each alternative has its own condition because PostgreSQL takes a condition common to every
 * alternative of an OR out of it, and with it the index scan that holds both. `provinces`: every province's code;
 * given, a term shaped like a case number's start is asked of the numbers and of the texts holding a digit
 * (`numberSearch`), whoever the viewer.
 */
export function searchWhere(
  search: string,
  within?: readonly SQL[] | null,
  provinces?: readonly string[] | null,
): SQL[] {
  const conds: SQL[] = [];
  if ([...search].length > 200)
    throw validation(['filter', 'search'], 'search must be at most 200 characters');
  const pattern = `%${escapeLike(search)}%`;
  const numbered = provinces ? numberSearch(search, provinces, pattern) : null;
  if (numbered) return [numbered];
  const text = sql`(${complaints.number} || ' ' || ${complaints.title} || ' ' || ${complaints.description})`;
  // Issue 25 (P8): the stored grams (complaints.search_grams, kept by a trigger, GIN-indexed: migration
  // 0025) find the cases holding every bigram of the term (its character, for one character), for terms
  // of any length (one Chinese character included); an ILIKE keeps the match exact. Being a column, the
  // condition is also a cheap per-row filter, so a frequent term's first page can walk the registration
  // index. An ASCII term of three characters or more is left to the trigram index of 0001 (on this same
  // expression, in any locale). A lone ASCII character has no gram and no trigram: it is the ILIKE alone.
  if (needsGrams(search)) {
    const grams = sql`${complaints.searchGrams} @> search_term_grams(${search})`;
    const decided = gramsDecide(search);
    // Within the rule's alternatives, the others than the first find the term in the text; when the text is
    // checked anyway (below) they need no condition of their own. The alternatives are then exactly the
    // index scans' conditions (a BitmapOr), which PostgreSQL does not evaluate again row by row: at 10M a
    // county's count of a term it holds in 95,000 cases compared each row's grams again (90 of its 410 ms).
    conds.push(
      within?.length
        ? or(
            and(within[0], grams),
            ...within
              .slice(1)
              .map((arm) => (decided ? and(arm, sql`${text} ilike ${pattern}`) : arm)),
          )!
        : grams,
    );
    // The ILIKE keeps the match exact where the grams alone do not decide it (`gramsDecide`: bigrams may lie
    // apart, and keep only some bits of each character). It is wrapped so that the planner does not
    // count it again: the grams imply most of it, but PostgreSQL multiplies the two conditions' selectivities
    // as if independent (720 matches expected for 9,870 at 1M) and then keeps a frequent term's first page off
    // the registration index. A COALESCE has no statistics and is counted as one half, and costs nothing per
    // row (the CASE on the grams written here before evaluated the grams again: 2.3 µs a match at 10M).
    if (!decided) conds.push(sql`coalesce(${text} ilike ${pattern}, false)`);
  } else conds.push(sql`${text} ilike ${pattern}`);
  // The spaces joining the three fields are not in the case: a search with a space must match inside one of them.
  if (search.includes(' ')) {
    conds.push(
      sql`(${complaints.number} ilike ${pattern} or ${complaints.title} ilike ${pattern} or ${complaints.description} ilike ${pattern})`,
    );
  }
  return conds;
}

/**
 * A term shaped like the start of a case number (issue 25, P8; D5): letters, then digits, e.g. `GD20261123`
 * (a day's cases), `gd2026` or a whole number. Its letters and digits meet where a number's code meets its date.
 */
const NUMBER_SHAPE = /^([A-Za-z]+)([0-9]+)$/;
export const numberShaped = (term: string) => NUMBER_SHAPE.test(term);

/**
 * The search condition of a term shaped like a case number's start (`NUMBER_SHAPE`), given every province's code,
 * or null for any other term. A number is its province's code (letters only, never changed: D5, `PROVINCE_CODE`)
 * then digits, so the term is in a number exactly when the number starts with a code ending in the term's letters
 * followed by its digits: a prefix, which the number's btree finds (`complaints_number_key` in the C collation,
 * `complaints_number_pattern_idx` in any other: migration 0032). The title and the description hold it only if they
 * hold a digit: a trigram index of those texts alone (0032) finds them. The term has no space, so the text joined
 * by spaces holds it exactly when one of the three does. The trigram index of the whole text (0001) also finds
 * such a term, but the posting lists of its trigrams cover nearly every case (`gd2`, `202`, `026`): 190 ms at 10M
 * for a day's 10,957 cases, against a few milliseconds for the prefix's range.
 */
function numberSearch(search: string, provinces: readonly string[], pattern: string): SQL | null {
  const shape = NUMBER_SHAPE.exec(search);
  if (!shape) return null;
  const letters = shape[1]!.toUpperCase();
  const prefixes = [
    ...new Set(provinces.filter((c) => c.endsWith(letters)).map((c) => `${c}${shape[2]}%`)),
  ];
  const texts = sql`(${complaints.title} || ' ' || ${complaints.description})`;
  // The partial index's own predicate, written as it is (a literal, not a parameter), so the planner can use it.
  const inText = sql`(${texts} ~ '[0-9]' and ${texts} ilike ${pattern})`;
  return or(...prefixes.map((p) => sql`${complaints.number} like ${p}`), inText)!;
}

/** Whether `search_term_grams` gives the term any gram: two characters or more, or one non-ASCII character. */
export const hasGrams = (term: string) => [...term].length > 1 || (term.codePointAt(0) ?? 0) > 127;

/**
 * Whether a term's stored grams hold it exactly when the case's text does: one non-ASCII character, whose gram
 * is its whole code (migration 0025; both sides lower-cased as the ILIKE does). A bigram keeps only some bits of
 * each code (U+88AB 被 and U+08AB share them), so a longer term's grams may let through a case that lacks it.
 */
export const gramsDecide = (term: string) =>
  [...term].length === 1 && (term.codePointAt(0) ?? 0) > 127;

/**
 * Whether a search needs the gram index: a term with a non-ASCII character (pg_trgm sees no trigram in
 * CJK under the C locale), or a two-character ASCII term (no trigram at all). Longer ASCII terms use the
 * trigram index.
 */
export const needsGrams = (term: string) =>
  hasGrams(term) && ([...term].length < 3 || [...term].some((c) => c.codePointAt(0)! > 127));

// ---------------------------------------------------------------- cursors

type KeyValue = string | number;
const INFINITY = 'infinity';

function keyOf(
  row: ComplaintRow & { dueKey?: Date; severityRank?: number },
  field: OrderField,
): KeyValue[] {
  const iso = (d: Date | null | undefined) =>
    d && Number.isFinite(d.getTime()) ? d.toISOString() : INFINITY;
  if (field === 'REGISTERED_AT') return [row.registeredAt.toISOString(), row.id];
  if (field === 'DUE_AT') return [iso(row.dueAt), row.id];
  return [row.severityRank ?? 0, row.registeredAt.toISOString(), row.id];
}

export const encodeCursor = (field: OrderField, key: KeyValue[]) =>
  Buffer.from(JSON.stringify([field, ...key])).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A key component as `keyOf` writes it for its column: anything else would fail in SQL's casts (an internal error). */
function validComponent(col: (typeof KEYS)[OrderField][number], k: unknown): boolean {
  if (col === complaints.id) return typeof k === 'string' && UUID.test(k);
  if (col === complaints.severityRank)
    return typeof k === 'number' && Number.isInteger(k) && k >= 0 && k <= 3;
  if (k === INFINITY) return col === complaints.dueKey;
  if (typeof k !== 'string') return false;
  const d = new Date(k);
  return Number.isFinite(d.getTime()) && inDatabaseRange(d) && d.toISOString() === k;
}

export function decodeCursor(cursor: string, field: OrderField, arg: string): KeyValue[] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(parsed) && parsed[0] === field && parsed.length === KEYS[field].length + 1) {
      const key = parsed.slice(1) as KeyValue[];
      if (key.every((k, i) => validComponent(KEYS[field][i]!, k))) return key;
    }
  } catch {
    // fall through
  }
  throw validation([arg], `${arg} is not a cursor of this list and order`);
}

/** `(k1, k2, …) > (v1, v2, …)` (or `<`) as a row comparison: one index range scan. */
function beyond(field: OrderField, key: KeyValue[], op: '>' | '<'): SQL {
  const cols = KEYS[field];
  const vals = key.map((v, i) => {
    const col = cols[i]!;
    if (col === complaints.id) return sql`${v}::uuid`;
    if (col === complaints.severityRank) return sql`${Number(v)}::smallint`;
    return sql`${String(v)}::timestamptz`;
  });
  return sql`(${sql.join(cols, sql`, `)}) ${sql.raw(op)} (${sql.join(vals, sql`, `)})`;
}

export type Page = {
  rows: ComplaintRow[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
};

/**
 * Issue 25 (P8): how many of the newest cases a search's page looks among, in the list's order, before it asks the
 * search's index for every match. A term in 0.5 % of the cases fills a page of 20 within ≈ 4,000 of them.
 */
export const SEARCH_PROBE_ROWS = 20_000;

/**
 * A search split for `listComplaints`'s probe: the list's condition without the search, and the search's (`rows`:
 * how many of the newest cases it looks among, SEARCH_PROBE_ROWS unless a test says otherwise).
 */
export type SearchProbe = {
  rest: SQL;
  matches: SQL;
  rows?: number;
  /** Page newest first month by month instead (a viewer who does not read a whole province), from `now`'s month. */
  months?: { now: Date };
};

/** How many months a page walks back one by one before it asks the rest of the past at once. */
export const SEARCH_MONTHS_PROBED = 3;

/** A case's Asia/Shanghai registration month, as the search index of migration 0030 holds it (the same expression). */
export const REGISTERED_MONTH = sql`((date_trunc('month', ${complaints.registeredAt} at time zone 'Asia/Shanghai'))::date)`;

/** The first day of the Shanghai month of `t`, and of the month before a month's first day. */
export const monthOf = (t: Date) => `${shanghaiDate(t).slice(0, 7)}-01`;
function monthBefore(m: string): string {
  const [y, mo] = [Number(m.slice(0, 4)), Number(m.slice(5, 7))];
  return mo === 1 ? `${y - 1}-12-01` : `${y}-${String(mo - 1).padStart(2, '0')}-01`;
}

/**
 * Whether a search's page should look among the newest cases first (the probe): when the viewer reads a whole
 * province (one of `units`, the viewer's read cover with levels and paths, is a province) and the filter keeps
 * to it (`unitPath` none or the province's). New cases sit at the province, so its cases are the newest cases,
 * and a frequent term's page is found within a few thousand of them. A county's are one in twelve of the
 * newest, a city's one in three, a narrower filter's fewer still: for them the walk reads many cases for each
 * one it keeps (145 ms for a county's page at 10M), while the grams' index, which holds the readers and the
 * registration month beside the grams (migrations 0028, 0030), finds their matches directly, month by month
 * (`SearchProbe.months`). `units` null (a read rule the cover cannot describe:
 * a partner's, a line's) probes as before. A term of the trigram index has no index holding the readers:
 * src/graphql/complaint-list.ts probes for it whoever the viewer.
 */
export function probeFits(
  units: readonly { level: OrgLevel; path: string }[] | null,
  unitPath: string | false | null | undefined,
): boolean {
  if (unitPath === false) return false;
  if (!units) return true; // a read rule of another shape (a partner's, a line's): the walk, as before
  return units.some((u) => u.level === 'PROVINCE' && (unitPath == null || unitPath === u.path));
}

/**
 * The page of a request that asks for none of it (only the list's `totalCount`): no rows, and no statement. Its
 * cursor is still checked (D56, D57), so that a bad one is the same error whatever the selection.
 */
export function unreadPage(
  order: Order,
  page: { after?: string | null; last?: number; before?: string | null },
): Page {
  const backwards = page.last !== undefined;
  const cursor = backwards ? page.before : page.after;
  if (cursor) decodeCursor(cursor, order.field, backwards ? 'before' : 'after');
  return { rows: [], cursors: [], hasNextPage: false, hasPreviousPage: false };
}

export async function listComplaints(
  db: Db,
  where: SQL,
  order: Order,
  page: { first?: number; after?: string | null; last?: number; before?: string | null },
  probe?: SearchProbe | null,
): Promise<Page> {
  const backwards = page.last !== undefined;
  const n = (backwards ? page.last : page.first)!;
  const cursor = backwards ? page.before : page.after;
  const key = cursor ? decodeCursor(cursor, order.field, backwards ? 'before' : 'after') : null;
  // Reading direction: the order itself forwards, its reverse backwards.
  const ascending = (order.direction === 'ASC') !== backwards;
  const conds = [where];
  if (key) conds.push(beyond(order.field, key, ascending ? '>' : '<'));
  const dir = sql.raw(ascending ? 'asc' : 'desc');
  const orderBy = sql.join(
    KEYS[order.field].map((c) => sql`${c} ${dir}`),
    sql`, `,
  );
  const tail = sql`order by ${orderBy} limit ${n + 1}`;
  // A search ordered by registration, forwards: first among the first SEARCH_PROBE_ROWS cases the viewer reads in
  // that order, the newest by default (a walk of complaints_registered_idx that stops at the page's last match). The planner cannot tell how many
  // cases a term of several grams matches (it multiplies the grams as if independent) and would rather fetch
  // and sort every match: 49,819 at 10M for a term in 0.5 % of the cases, 0.4 s. When the newest cases do not
  // fill the page, the term is rare there, and the plain statement below answers: it then has few matches to
  // fetch.
  // A narrow viewer's search, newest first (issue 25, P8): the search index holds the registration month beside the
  // grams and the readers (migration 0030), so each month's matches are found and fetched alone — the page's month
  // and everything after it, then the months before one by one, then the rest of the past at once. The months are
  // disjoint and in the page's order: their rows, in turn, are the page's rows.
  if (probe?.months && order.field === 'REGISTERED_AT' && !backwards && !ascending) {
    const found: ComplaintRow[] = [];
    const more = async (cond: SQL) =>
      found.push(
        ...((await readComplaints.select(
          db,
          and(...conds, cond)!,
          sql`order by ${orderBy} limit ${n + 1 - found.length}`,
        )) as ComplaintRow[]),
      );
    let month = monthOf(key ? new Date(String(key[0])) : probe.months.now);
    await more(sql`${REGISTERED_MONTH} >= ${month}::date`);
    for (let i = 1; i < SEARCH_MONTHS_PROBED && found.length <= n; i++) {
      month = monthBefore(month);
      await more(sql`${REGISTERED_MONTH} = ${month}::date`);
    }
    if (found.length <= n) await more(sql`${REGISTERED_MONTH} < ${month}::date`);
    return pageOf(found, n, order, backwards, key);
  }
  if (probe && !probe.months && order.field === 'REGISTERED_AT' && !backwards) {
    const rest = key
      ? and(probe.rest, beyond(order.field, key, ascending ? '>' : '<'))
      : probe.rest;
    const newest = sql`select w.id from (select ${complaints.id} as id, ${complaints.registeredAt} as registered_at,
        (${probe.matches}) as matches from ${complaints} where ${rest} order by ${orderBy} limit ${probe.rows ?? SEARCH_PROBE_ROWS}) w
      where w.matches order by w.registered_at ${dir}, w.id ${dir} limit ${n + 1}`;
    const found = (await readComplaints.select(
      db,
      sql`${complaints.id} in (${newest})`,
      tail,
    )) as ComplaintRow[];
    if (found.length > n) return pageOf(found, n, order, backwards, key);
  }
  const rows = (await readComplaints.select(db, and(...conds), tail)) as ComplaintRow[];
  return pageOf(rows, n, order, backwards, key);
}

function pageOf(
  rows: ComplaintRow[],
  n: number,
  order: Order,
  backwards: boolean,
  key: unknown,
): Page {
  const more = rows.length > n;
  const pageRows = rows.slice(0, n);
  if (backwards) pageRows.reverse();
  return {
    rows: pageRows,
    cursors: pageRows.map((r) => encodeCursor(order.field, keyOf(r, order.field))),
    hasNextPage: backwards ? key !== null : more,
    hasPreviousPage: backwards ? more : key !== null,
  };
}

/** A count that took longer than it may (issue 25): the filter is too wide to count exactly in time. */
export class CountTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(
      `Counting the cases of this filter took longer than ${timeoutMs} ms: narrow it (a unit, a period, a status) or leave out totalCount`,
    );
    this.name = 'CountTimeout';
  }
}

/** The viewer's readable set in the rollup's shape (src/auth/read-cover.ts), its units with their paths. */
export type CountCover = Omit<StatsCover, 'kinds'>;

/**
 * Issue 25, D59: the statement counting the list's cases from the statistics rollup
 * (src/domain/stats-rollup.ts), or null when the filter holds something the rollup cannot count
 * (a search, overdue, escalated, a phone) or names no unit: the caller counts by scanning then.
 * `where` is the list's whole condition (readable AND filterWhere(filter)): the rollup counts the
 * viewer's subtrees, and the rest (the other readable cases, the window's partial days) is counted
 * with it from `complaints`, so the figure is exactly the list's.
 */
export function rollupCountQuery(
  where: SQL,
  filter: ComplaintFilter | null | undefined,
  cover: CountCover,
): SQL | null {
  const f = filter ?? {};
  if (f.overdue != null || f.escalated != null || f.customerPhone || f.search?.trim()) return null;
  if (f.unitPath === false) return null;
  return rollupQuery({
    where,
    from: f.registeredFrom ?? null,
    to: f.registeredTo ?? null,
    dims: [],
    unitPath: f.unitPath ?? null,
    cover: { ...cover, kinds: f.kinds ?? DEFAULT_KINDS },
    filter: {
      status: f.status,
      businessLine: f.businessLine,
      category: f.category,
      severity: f.severity,
      source: f.source,
      channel: f.channel,
    },
  });
}

/**
 * The number of cases `where` matches. With `timeoutMs` (PostgreSQL) the count is cut off after that long
 * and answered as a CountTimeout, so a filter no index serves costs a bounded time, not a scan of every
 * case; the timeout is set for this statement only (`set_config(…, true)`, restored after). With `rollup`
 * (the filter `where` was made from and the viewer's cover) a filter the statistics rollup covers is
 * counted from it (issue 25: `rollupCountQuery`), under the same timeout.
 */
export async function countComplaints(
  db: Db,
  where: SQL,
  opts: {
    timeoutMs?: number;
    rollup?: { filter: ComplaintFilter | null | undefined; cover: CountCover } | null;
  } = {},
): Promise<number> {
  const rolled = opts.rollup
    ? rollupCountQuery(where, opts.rollup.filter, opts.rollup.cover)
    : null;
  if (rolled) {
    const count = async (h: Db) => Number(rowsOf<{ n: number }>(await h.execute(rolled))[0]!.n);
    return bounded(db, count, opts.timeoutMs);
  }
  const count = async (h: Db) =>
    Number((await h.select({ n: sql<number>`count(*)::int` }).from(complaints).where(where))[0]!.n);
  return bounded(db, count, opts.timeoutMs);
}

/** `count(db)`, cut off after `timeoutMs` (a CountTimeout) when given. */
async function bounded(
  db: Db,
  count: (h: Db) => Promise<number>,
  timeoutMs: number | undefined,
): Promise<number> {
  if (!timeoutMs) return count(db);
  const ms = Math.max(1, Math.floor(timeoutMs));
  try {
    return await db.transaction(async (tx) => {
      const [was] = rowsOf<{ t: string }>(
        await tx.execute(sql`select current_setting('statement_timeout') as t`),
      );
      await tx.execute(sql`select set_config('statement_timeout', ${String(ms)}, true)`);
      const n = await count(tx);
      // Inside an enclosing transaction (a savepoint here) a local setting would outlive this count.
      await tx.execute(sql`select set_config('statement_timeout', ${was!.t}, true)`);
      return n;
    });
  } catch (err) {
    if (
      (err as { code?: string })?.code === '57014' ||
      (err as { cause?: { code?: string } })?.cause?.code === '57014'
    )
      throw new CountTimeout(ms);
    throw err;
  }
}
