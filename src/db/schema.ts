import { getTableColumns, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  CALLBACK_RESULTS,
  CHANNELS,
  CLOCK_KINDS,
  CLOCK_STATES,
  CONTACT_KINDS,
  CONTACT_METHODS,
  EXTENSION_STATUSES,
  FINDING_NATURES,
  INVESTIGATION_KINDS,
  OPEN_STATUSES,
  ORG_LEVELS,
  RECTIFICATION_STATUSES,
  REJECTION_REASONS,
  REMEDY_KINDS,
  ROLES,
  SEVERITIES,
  SOURCES,
  STATUSES,
} from '../domain/enums.js';

/** The open statuses as SQL literals: a partial index's predicate and the statements it serves must say the same. */
export const OPEN_STATUS_LIST = sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(', '));

// Tables only: no rule lives here. Timestamps are timestamptz with
// millisecond values written by the application's clock.
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const id = () => uuid('id').primaryKey().defaultRandom();
// Columns that name a row of another table (foreign keys), nullable unless `.notNull()`.
const userRef = (name: string) => uuid(name).references(() => users.id);
const unitRef = (name: string) => uuid(name).references(() => orgUnits.id);
const partnerRef = (name: string) => uuid(name).references(() => partners.id);
/** The case a record belongs to. */
const complaintRef = () =>
  uuid('complaint_id')
    .notNull()
    .references(() => complaints.id);

export const roleEnum = pgEnum('role', ROLES);
export const orgLevelEnum = pgEnum('org_level', ORG_LEVELS);
export const statusEnum = pgEnum('complaint_status', STATUSES);
export const channelEnum = pgEnum('channel', CHANNELS);
export const sourceEnum = pgEnum('source', SOURCES);
export const severityEnum = pgEnum('severity', SEVERITIES);
export const rejectionReasonEnum = pgEnum('rejection_reason', REJECTION_REASONS);
export const findingNatureEnum = pgEnum('finding_nature', FINDING_NATURES);
export const remedyKindEnum = pgEnum('remedy_kind', REMEDY_KINDS);
export const contactMethodEnum = pgEnum('contact_method', CONTACT_METHODS);
export const callbackResultEnum = pgEnum('callback_result', CALLBACK_RESULTS);
export const investigationKindEnum = pgEnum('investigation_kind', INVESTIGATION_KINDS);
export const clockKindEnum = pgEnum('clock_kind', CLOCK_KINDS);
export const clockStateEnum = pgEnum('clock_state', CLOCK_STATES);
export const rectificationStatusEnum = pgEnum('rectification_status', RECTIFICATION_STATUSES);
export const contactKindEnum = pgEnum('contact_kind', CONTACT_KINDS);
export const extensionStatusEnum = pgEnum('extension_status', EXTENSION_STATUSES);

/**
 * D1. `path` is the materialised path of unit ids ('/<province>/<city>/'), so
 * "everything under X" is `path LIKE X.path || '%'`, one index range scan
 * (text_pattern_ops).
 */
export const orgUnits = pgTable(
  'org_units',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    level: orgLevelEnum('level').notNull(),
    parentId: uuid('parent_id').references((): any => orgUnits.id),
    path: text('path').notNull(),
    /** D1a: a closed unit receives no dispatch or delegation and keeps its cases. */
    closed: boolean('closed').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('org_units_code_key').on(t.code),
    index('org_units_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
    index('org_units_parent_idx').on(t.parentId),
  ],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    unitId: unitRef('unit_id'),
    /** D1a, D52: a disabled user cannot sign in and its tokens stop at once. */
    disabled: boolean('disabled').notNull().default(false),
    /** D52: a password an ADMIN set (creation, reset) only lets its owner set a new one. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    /** Bumped on disable, reset and change: a token carries the version it was signed at and stops when it differs. */
    tokenVersion: integer('token_version').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_username_key').on(t.username)],
);

/** D3. A grant with no unit is the bootstrap administrator's ADMIN over the whole tree. */
export const roleGrants = pgTable(
  'role_grants',
  {
    id: id(),
    userId: userRef('user_id').notNull(),
    role: roleEnum('role').notNull(),
    unitId: unitRef('unit_id'),
  },
  (t) => [
    index('role_grants_user_idx').on(t.userId),
    index('role_grants_unit_idx').on(t.unitId, t.role),
  ],
);

/** D40–D41, D52: the key itself is shown once; only its SHA-256 is kept. */
export const partners = pgTable(
  'partners',
  {
    id: id(),
    name: text('name').notNull(),
    carrierCode: text('carrier_code').notNull(),
    provinceId: unitRef('province_id').notNull(),
    apiKeyHash: text('api_key_hash').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('partners_carrier_code_key').on(t.carrierCode),
    uniqueIndex('partners_api_key_hash_key').on(t.apiKeyHash),
  ],
);

/** D5: one row per province and Shanghai day; the UPSERT that bumps it serialises numbering per day. */
export const caseNumberSequences = pgTable(
  'case_number_sequences',
  {
    provinceCode: text('province_code').notNull(),
    day: text('day').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.day] })],
);

/**
 * The complaint and the facts its rules need, kept on the row so that a page
 * of complaints carries everything `viewerActions` and the masks decide on.
 *
 * `reader_units` is every unit whose staff read the case (D54): the handling
 * unit, each unit of the dispatch chain, and all their ancestors. Read
 * permission is then `reader_units && <the viewer's units>`, one GIN lookup.
 */
export const complaints = pgTable(
  'complaints',
  {
    id: id(),
    number: text('number').notNull(),
    version: integer('version').notNull().default(1),
    status: statusEnum('status').notNull(),
    /** D70: what the contact is; COMPLAINT unless registered otherwise. */
    kind: contactKindEnum('kind').notNull().default('COMPLAINT'),
    suspended: boolean('suspended').notNull().default(false),
    suspendedAt: ts('suspended_at'),
    channel: channelEnum('channel').notNull(),
    source: sourceEnum('source').notNull(),
    businessLine: text('business_line'),
    category: text('category'),
    severity: severityEnum('severity'),
    title: text('title').notNull(),
    description: text('description').notNull(),
    customerName: text('customer_name').notNull(),
    customerPhone: text('customer_phone').notNull(),
    customerAddress: text('customer_address'),
    customerAccount: text('customer_account'),
    anonymisedAt: ts('anonymised_at'),
    /** D15: when the case last ended (CLOSED, REJECTED, WITHDRAWN; kept by ARCHIVED), null while open; retention counts from it. */
    endedAt: ts('ended_at'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    contactAt: ts('contact_at').notNull(),
    /** D8: when the event complained about happened, as given at registration or acceptance. */
    occurredAt: ts('occurred_at'),
    registeredAt: ts('registered_at').notNull(),
    acceptedAt: ts('accepted_at'),
    resolvedAt: ts('resolved_at'),
    repliedAt: ts('replied_at'),
    closedAt: ts('closed_at'),
    archivedAt: ts('archived_at'),
    /** D10, D23: when the customer was first answered on the substance (a reply, an answer on the spot, a substantive contact). */
    answeredAt: ts('answered_at'),
    firstResponderId: userRef('first_responder_id'),
    partnerId: partnerRef('partner_id'),
    externalRef: text('external_ref'),
    externalDeadline: ts('external_deadline'),
    provinceId: unitRef('province_id').notNull(),
    handlingUnitId: unitRef('handling_unit_id').notNull(),
    /** The handling unit's path and level, copied so rules and the unit filter need no join. */
    handlingPath: text('handling_path').notNull(),
    handlingLevel: orgLevelEnum('handling_level').notNull(),
    /** D9, D41: owned by the regulatory & legal affairs department (transfers, partners' cases, lines held by the LEGAL_OFFICER). */
    legalOwned: boolean('legal_owned').notNull().default(false),
    /** Units the case was dispatched or delegated to, in order (D53). */
    dispatchChain: uuid('dispatch_chain').array().notNull().default(sql`'{}'::uuid[]`),
    readerUnits: uuid('reader_units').array().notNull(),
    /** D14: who calls back, fixed when the case is resolved. */
    callerBackUnitId: unitRef('caller_back_unit_id'),
    callbackOwed: boolean('callback_owed').notNull().default(false),
    secondCallbackOwed: boolean('second_callback_owed').notNull().default(false),
    hasFinding: boolean('has_finding').notNull().default(false),
    escalationLevel: integer('escalation_level').notNull().default(0),
    escalationPending: boolean('escalation_pending').notNull().default(false),
    reopenCount: integer('reopen_count').notNull().default(0),
    rejectionReason: rejectionReasonEnum('rejection_reason'),
    /** D31: same customer and line within 30 days, decided at registration so it survives anonymisation. */
    isRepeat: boolean('is_repeat').notNull().default(false),
    /** The earliest due time among running clocks (order by DUE_AT, `overdue`). */
    dueAt: ts('due_at'),
    lastEventHash: text('last_event_hash'),
    /** D71: the contact this complaint was converted from, and the complaint a contact became. */
    convertedFromId: uuid('converted_from_id'),
    convertedToId: uuid('converted_to_id'),
    /** D74: the body that transferred the case (e.g. 广东省通信管理局), and when feedback was first recorded to it. */
    transferredBy: text('transferred_by'),
    transferFeedbackAt: ts('transfer_feedback_at'),
    /** D73: while supervised, the supervising unit and the supervisor (null until someone takes it). */
    supervisingUnitId: uuid('supervising_unit_id'),
    supervisorId: uuid('supervisor_id'),
    /** D78: the latest time promised to the customer; who decides the oldest pending extension request (seats, null: none pending). */
    promisedAt: ts('promised_at'),
    extensionDeciders: text('extension_deciders').array(),
    /** Sort keys of `complaints(orderBy:)`, kept by the database so keyset pages run on plain indexes. */
    dueKey: timestamp('due_key', { withTimezone: true, mode: 'date' })
      .notNull()
      .generatedAlwaysAs(sql`coalesce(due_at, 'infinity'::timestamptz)`),
    severityRank: smallint('severity_rank')
      .notNull()
      .generatedAlwaysAs(
        sql`case severity when 'URGENT' then 3 when 'MAJOR' then 2 when 'ORDINARY' then 1 else 0 end`,
      ),
    /**
     * Issue 25 (P8): the search grams of number, title and description (bigrams and non-ASCII characters, as
     * integers: `search_grams` of migration 0025), kept by the trigger `complaints_search_grams` whenever one of
     * the three is written, and read by nothing but the search condition (`ComplaintRow` leaves it out).
     */
    searchGrams: integer('search_grams').array().notNull().default(sql`'{}'::int[]`),
  },
  (t) => [
    uniqueIndex('complaints_number_key').on(t.number),
    index('complaints_registered_idx').on(t.registeredAt, t.id),
    index('complaints_due_idx').on(t.dueKey, t.id),
    index('complaints_severity_idx').on(t.severityRank, t.registeredAt, t.id),
    index('complaints_status_idx').on(t.status, t.registeredAt),
    /**
     * Issue 25: a viewer's own cases (D10, the read rule's `first_responder_id = me`), and those outside the subtrees
     * they read (the exact rest beside the statistics rollup). Migration 0033 dropped the first responder's own btree.
     */
    index('complaints_first_responder_path_idx').using(
      'btree',
      t.firstResponderId,
      sql`${t.handlingPath} text_pattern_ops`,
    ),
    /** Issue 25: cases read through the dispatch chain by units outside the handling unit's ancestry (migration 0020's function). */
    index('complaints_outside_readers_idx')
      .using('gin', sql`complaint_outside_readers(${t.readerUnits}, ${t.handlingPath})`)
      .where(sql`cardinality(complaint_outside_readers(${t.readerUnits}, ${t.handlingPath})) > 0`),
    /**
     * Issue 25, D32: the open cases (a few per cent of history) by subtree, for the duty briefing; migration
     * 0021 adds INCLUDE (the columns its counts and the read rule need), so it is read by index-only scans.
     */
    index('complaints_open_idx')
      .using('btree', sql`${t.handlingPath} text_pattern_ops`, t.status)
      .where(sql`${t.status} in (${OPEN_STATUS_LIST})`),
    /** Issue 25, D73: the supervised cases by subtree (the briefing's supervised overdue). */
    index('complaints_supervised_idx')
      .using('btree', sql`${t.handlingPath} text_pattern_ops`)
      .where(sql`${t.supervisingUnitId} is not null`),
    index('complaints_partner_idx').on(t.partnerId),
    index('complaints_handling_path_idx').using('btree', sql`${t.handlingPath} text_pattern_ops`),
    index('complaints_phone_idx').on(t.customerPhone),
    /**
     * Issue 25 (P8): which cases hold every gram of a search term, and, in the same scan, which of them a unit
     * reads (migration 0028) in which registration month (0030, btree_gin): a county's search meets its own
     * matches without the readers' whole list, and its first page its newest month's matches alone.
     */
    index('complaints_search_month_idx').using(
      'gin',
      t.searchGrams,
      t.readerUnits,
      sql`((date_trunc('month', ${t.registeredAt} at time zone 'Asia/Shanghai'))::date)`,
    ),
    index('complaints_archived_idx').on(t.archivedAt).where(sql`${t.anonymisedAt} is null`),
    index('complaints_ended_idx').on(t.endedAt).where(sql`${t.anonymisedAt} is null`),
    index('complaints_supervisor_idx').on(t.supervisorId).where(sql`${t.supervisorId} is not null`),
    index('complaints_converted_from_idx')
      .on(t.convertedFromId)
      .where(sql`${t.convertedFromId} is not null`),
  ],
);

/**
 * Every column of `complaints` but `search_grams` (its trigger writes it, only the search condition reads it):
 * what reads or returns whole cases selects, so that no row carries its grams to the application.
 */
export const complaintColumns = (() => {
  const { searchGrams: _, ...rest } = getTableColumns(complaints);
  return rest;
})();

/**
 * Issue 25, D59: how many complaints there are per handling unit, Asia/Shanghai
 * registration day, kind, status, line, category, severity, source and
 * channel — the dimensions `complaintStats` groups and filters by. Written
 * only by the trigger of migration 0020 on `complaints` (every insert,
 * delete and change of one of those columns, whatever the write path) as
 * delta rows (`folded` false: +1 / −1, appended, so no writer waits on
 * another's row lock); `stats_rollup_compact()` folds them into one row per
 * key (`folded` true). A key's count is the sum of its rows, always exact.
 */
export const complaintCounts = pgTable(
  'complaint_counts',
  {
    handlingPath: text('handling_path').notNull(),
    handlingUnitId: uuid('handling_unit_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    kind: contactKindEnum('kind').notNull(),
    status: statusEnum('status').notNull(),
    businessLine: text('business_line'),
    category: text('category'),
    severity: severityEnum('severity'),
    source: sourceEnum('source').notNull(),
    channel: channelEnum('channel').notNull(),
    n: integer('n').notNull(),
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [
    // NULLS NOT DISTINCT in the migration (drizzle-kit cannot say it): one folded row per key, nulls included.
    uniqueIndex('complaint_counts_key')
      .on(
        t.handlingPath,
        t.day,
        t.kind,
        t.status,
        t.businessLine,
        t.category,
        t.severity,
        t.source,
        t.channel,
      )
      .where(sql`${t.folded}`),
    index('complaint_counts_day_idx').on(t.day),
    index('complaint_counts_path_idx').using(
      'btree',
      sql`${t.handlingPath} text_pattern_ops`,
      t.day,
    ),
    index('complaint_counts_deltas_idx').on(t.day).where(sql`not ${t.folded}`),
  ],
);

/**
 * Issue 25: the same counts with fewer dimensions — handling unit, day, kind
 * and status — for the requests that group and filter by no other (the
 * common ones: totals, per unit, per period, per status); about 5 % of
 * `complaint_counts`' rows. Kept and folded with it by the same trigger and
 * functions (migration 0020).
 */
export const complaintStatusCounts = pgTable(
  'complaint_status_counts',
  {
    handlingPath: text('handling_path').notNull(),
    handlingUnitId: uuid('handling_unit_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    kind: contactKindEnum('kind').notNull(),
    status: statusEnum('status').notNull(),
    n: integer('n').notNull(),
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [
    uniqueIndex('complaint_status_counts_key')
      .on(t.handlingPath, t.day, t.kind, t.status)
      .where(sql`${t.folded}`),
    index('complaint_status_counts_day_idx').on(t.day),
    index('complaint_status_counts_path_idx').using(
      'btree',
      sql`${t.handlingPath} text_pattern_ops`,
      t.day,
    ),
    index('complaint_status_counts_deltas_idx').on(t.day).where(sql`not ${t.folded}`),
  ],
);

/**
 * Issue 25, D59: `complaint_counts` by Asia/Shanghai registration month (`month`: the month's first day)
 * instead of day — the same key otherwise, kept by the same trigger in the same transaction as delta
 * rows, folded by `stats_rollup_compact()` and recounted by `stats_rollup_rebuild()` (migration
 * 0024). A window's whole months are read from it, its other whole days from `complaint_counts`
 * (src/domain/stats-rollup.ts): a province's year grouped or filtered by a line, category, severity,
 * source or channel reads a third of the day rows at 1M, and saturates at the combinations present.
 */
export const complaintMonthCounts = pgTable(
  'complaint_month_counts',
  {
    handlingPath: text('handling_path').notNull(),
    handlingUnitId: uuid('handling_unit_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    kind: contactKindEnum('kind').notNull(),
    status: statusEnum('status').notNull(),
    businessLine: text('business_line'),
    category: text('category'),
    severity: severityEnum('severity'),
    source: sourceEnum('source').notNull(),
    channel: channelEnum('channel').notNull(),
    n: integer('n').notNull(),
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [
    // NULLS NOT DISTINCT in the migration (drizzle-kit cannot say it): one folded row per key, nulls included.
    uniqueIndex('complaint_month_counts_key')
      .on(
        t.handlingPath,
        t.month,
        t.kind,
        t.status,
        t.businessLine,
        t.category,
        t.severity,
        t.source,
        t.channel,
      )
      .where(sql`${t.folded}`),
    index('complaint_month_counts_month_idx').on(t.month),
    index('complaint_month_counts_path_idx').using(
      'btree',
      sql`${t.handlingPath} text_pattern_ops`,
      t.month,
    ),
    index('complaint_month_counts_deltas_idx').on(t.month).where(sql`not ${t.folded}`),
  ],
);

/**
 * Issue 25: `complaint_status_counts` by Asia/Shanghai registration month (unit, month, kind, status):
 * the whole months of the requests the narrow rollup serves (totals, per unit, month, quarter, year,
 * status, kind). Kept, folded and recounted with the others (migration 0024).
 */
export const complaintStatusMonthCounts = pgTable(
  'complaint_status_month_counts',
  {
    handlingPath: text('handling_path').notNull(),
    handlingUnitId: uuid('handling_unit_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    kind: contactKindEnum('kind').notNull(),
    status: statusEnum('status').notNull(),
    n: integer('n').notNull(),
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [
    uniqueIndex('complaint_status_month_counts_key')
      .on(t.handlingPath, t.month, t.kind, t.status)
      .where(sql`${t.folded}`),
    index('complaint_status_month_counts_month_idx').on(t.month),
    index('complaint_status_month_counts_path_idx').using(
      'btree',
      sql`${t.handlingPath} text_pattern_ops`,
      t.month,
    ),
    index('complaint_status_month_counts_deltas_idx').on(t.month).where(sql`not ${t.folded}`),
  ],
);

/**
 * Issue 25: per Asia/Shanghai registration month, unit, kind and status, the counts by ONE of the wide
 * dimensions at a time — `dim` BUSINESS_LINE, CATEGORY, SEVERITY, SOURCE or CHANNEL and its `value` as text
 * (null when the case has none) — so that a grouping or filter naming a single wide dimension (the report's
 * five breakdowns, `totalCount` by line) reads a few thousand rows for a province's year instead of every
 * combination of the five. Five rows per case; kept, folded and recounted with the others (migration 0024).
 */
export const complaintDimMonthCounts = pgTable(
  'complaint_dim_month_counts',
  {
    handlingPath: text('handling_path').notNull(),
    handlingUnitId: uuid('handling_unit_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    kind: contactKindEnum('kind').notNull(),
    status: statusEnum('status').notNull(),
    dim: text('dim').notNull(),
    value: text('value'),
    n: integer('n').notNull(),
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [
    // NULLS NOT DISTINCT in the migration (drizzle-kit cannot say it): one folded row per key, nulls included.
    uniqueIndex('complaint_dim_month_counts_key')
      .on(t.handlingPath, t.month, t.kind, t.status, t.dim, t.value)
      .where(sql`${t.folded}`),
    index('complaint_dim_month_counts_month_idx').on(t.dim, t.month),
    index('complaint_dim_month_counts_deltas_idx').on(t.month).where(sql`not ${t.folded}`),
  ],
);

export const assignments = pgTable(
  'assignments',
  {
    id: id(),
    complaintId: complaintRef(),
    fromUnitId: unitRef('from_unit_id').notNull(),
    toUnitId: unitRef('to_unit_id').notNull(),
    deadline: ts('deadline').notNull(),
    assignedAt: ts('assigned_at').notNull(),
    acknowledgedAt: ts('acknowledged_at'),
    reportedAt: ts('reported_at'),
    returnedAt: ts('returned_at'),
    /** D31: how many times this unit's report was sent back for rework (a confirmation or review that did not approve). */
    sentBack: integer('sent_back').notNull().default(0),
  },
  (t) => [index('assignments_complaint_idx').on(t.complaintId, t.assignedAt)],
);

export const investigations = pgTable(
  'investigations',
  {
    id: id(),
    complaintId: complaintRef(),
    kind: investigationKindEnum('kind').notNull(),
    findings: text('findings').notNull(),
    recordedAt: ts('recorded_at').notNull(),
    recordedBy: userRef('recorded_by').notNull(),
  },
  (t) => [index('investigations_complaint_idx').on(t.complaintId, t.recordedAt)],
);

export const responsibilityFindings = pgTable(
  'responsibility_findings',
  {
    id: id(),
    complaintId: complaintRef(),
    nature: findingNatureEnum('nature').notNull(),
    responsibleUnitId: unitRef('responsible_unit_id'),
    responsiblePerson: text('responsible_person'),
    rootCause: text('root_cause').notNull(),
    /** D79: the root-cause code (the base list or the line's own); findings from before D79 read OTHER. */
    cause: text('cause').notNull().default('OTHER'),
    remedyKind: remedyKindEnum('remedy_kind').notNull(),
    remedyAmount: numeric('remedy_amount', { precision: 14, scale: 2 }),
    rectification: text('rectification'),
    determinedAt: ts('determined_at').notNull(),
    determinedBy: userRef('determined_by').notNull(),
  },
  (t) => [index('responsibility_complaint_idx').on(t.complaintId, t.determinedAt)],
);

export const customerContacts = pgTable(
  'customer_contacts',
  {
    id: id(),
    complaintId: complaintRef(),
    method: contactMethodEnum('method').notNull(),
    content: text('content').notNull(),
    final: boolean('final').notNull(),
    /** D23: it answers the customer's request (stops ANSWER). A reply or an answer on the spot always does. */
    substantive: boolean('substantive').notNull().default(false),
    at: ts('at').notNull(),
    byUserId: userRef('by_user_id'),
  },
  (t) => [index('contacts_complaint_idx').on(t.complaintId, t.at)],
);

export const callbacks = pgTable(
  'callbacks',
  {
    id: id(),
    complaintId: complaintRef(),
    result: callbackResultEnum('result').notNull(),
    note: text('note'),
    second: boolean('second').notNull().default(false),
    at: ts('at').notNull(),
    byUserId: userRef('by_user_id').notNull(),
  },
  (t) => [index('callbacks_complaint_idx').on(t.complaintId, t.at)],
);

export const supervisionNotes = pgTable(
  'supervision_notes',
  {
    id: id(),
    complaintId: complaintRef(),
    note: text('note').notNull(),
    byUserId: userRef('by_user_id'),
    at: ts('at').notNull(),
  },
  (t) => [index('supervision_complaint_idx').on(t.complaintId, t.at)],
);

/** D73: a supervision ledger (督办台账): one row per time a case was supervised. */
export const supervisions = pgTable(
  'supervisions',
  {
    id: id(),
    complaintId: complaintRef(),
    supervisingUnitId: unitRef('supervising_unit_id').notNull(),
    supervisorId: userRef('supervisor_id'),
    /** Why: ESCALATION, SEVERITY, FAULT_REPORT or OPENED. */
    reason: text('reason').notNull(),
    openedBy: userRef('opened_by'),
    openedAt: ts('opened_at').notNull(),
    endedAt: ts('ended_at'),
  },
  (t) => [index('supervisions_complaint_idx').on(t.complaintId, t.openedAt)],
);

/** D73: the holder's progress reports to the supervisor. */
export const progressReports = pgTable(
  'progress_reports',
  {
    id: id(),
    supervisionId: uuid('supervision_id')
      .notNull()
      .references(() => supervisions.id),
    complaintId: complaintRef(),
    note: text('note').notNull(),
    byUserId: userRef('by_user_id').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [index('progress_reports_complaint_idx').on(t.complaintId, t.at)],
);

/** D74: feedback sent to whoever transferred a case. */
export const transferFeedback = pgTable(
  'transfer_feedback',
  {
    id: id(),
    complaintId: complaintRef(),
    method: contactMethodEnum('method').notNull(),
    content: text('content').notNull(),
    byUserId: userRef('by_user_id').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [index('transfer_feedback_complaint_idx').on(t.complaintId, t.at)],
);

/** D78: requests to move a running clock's due time, and their decisions. */
export const extensions = pgTable(
  'extensions',
  {
    id: id(),
    complaintId: complaintRef(),
    clockId: uuid('clock_id').notNull(),
    clock: clockKindEnum('clock').notNull(),
    fromDueAt: ts('from_due_at'),
    toDueAt: ts('to_due_at').notNull(),
    reason: text('reason').notNull(),
    status: extensionStatusEnum('status').notNull().default('PENDING'),
    requestedBy: userRef('requested_by').notNull(),
    /** The unit whose seat the requester held; the unit above it decides. */
    requesterUnitId: unitRef('requester_unit_id').notNull(),
    requestedAt: ts('requested_at').notNull(),
    decidedBy: userRef('decided_by'),
    decidedAt: ts('decided_at'),
    decisionNote: text('decision_note'),
  },
  (t) => [index('extensions_complaint_idx').on(t.complaintId, t.requestedAt)],
);

export const escalations = pgTable(
  'escalations',
  {
    id: id(),
    complaintId: complaintRef(),
    requestedBy: userRef('requested_by'),
    requestedAt: ts('requested_at').notNull(),
    note: text('note').notNull(),
    decidedBy: userRef('decided_by'),
    decidedAt: ts('decided_at'),
    approved: boolean('approved'),
    decisionNote: text('decision_note'),
  },
  (t) => [index('escalations_complaint_idx').on(t.complaintId, t.requestedAt)],
);

/**
 * D51, D56: the append-only event log, hash-chained per case. `position` is
 * assigned in commit order (see src/events/append.ts), so it doubles as the
 * outbox cursor that LISTEN/NOTIFY announces.
 */
export const complaintEvents = pgTable(
  'complaint_events',
  {
    id: id(),
    position: bigint('position', { mode: 'bigint' }).notNull(),
    complaintId: complaintRef(),
    action: text('action').notNull(),
    fromStatus: statusEnum('from_status'),
    toStatus: statusEnum('to_status'),
    actorUserId: userRef('actor_user_id'),
    actorPartnerId: partnerRef('actor_partner_id'),
    at: ts('at').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown> | null>(),
    /** D51: the event's free text, kept beside the hashed payload (which holds its noteSha256); set to null by D15's anonymisation only. */
    note: text('note'),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('complaint_events_position_key').on(t.position),
    index('complaint_events_complaint_idx').on(t.complaintId, t.position),
  ],
);

export const slaClocks = pgTable(
  'sla_clocks',
  {
    id: id(),
    complaintId: complaintRef(),
    kind: clockKindEnum('kind').notNull(),
    assignmentId: uuid('assignment_id').references(() => assignments.id),
    budget: jsonb('budget').$type<Record<string, number>>(),
    startedAt: ts('started_at').notNull(),
    dueAt: ts('due_at'),
    warnAt: ts('warn_at'),
    stoppedAt: ts('stopped_at'),
    pausedAt: ts('paused_at'),
    /** Working days the budget was moved by pauses so far: a calendar change recomputes `dueAt` as start + budget + these. */
    pausedWorkdays: integer('paused_workdays').notNull().default(0),
    /** D24: a fixed due time (a transfer's own deadline, D9/D20) never moves and never pauses. */
    fixed: boolean('fixed').notNull().default(false),
    state: clockStateEnum('state').notNull(),
    /** D75: a RECTIFY clock belongs to this rectification (not to the case's own path: the case's stops, pauses and archive leave it alone). */
    rectificationId: uuid('rectification_id'),
    warned: boolean('warned').notNull().default(false),
    breached: boolean('breached').notNull().default(false),
  },
  (t) => [
    index('sla_clocks_complaint_idx').on(t.complaintId),
    index('sla_clocks_warn_idx')
      .on(t.warnAt)
      .where(sql`${t.stoppedAt} is null and ${t.pausedAt} is null and not ${t.warned}`),
    // Issue 25: on `pendingDueAt` (the due time while the clock can still breach), whose statistics (migration 0026's
    // `sla_clocks_pending_due_stats`) are those of the running clocks alone: on due_at's, the planner judged from
    // history's long-past clocks that a third of the running ones were past due and scanned every clock.
    index('sla_clocks_due_idx')
      .on(pendingDueAt(t))
      .where(sql`${t.stoppedAt} is null and ${t.pausedAt} is null and not ${t.breached}`),
  ],
);

/**
 * A clock's due time while it can still breach (running and not marked breached), else null: where the scanner
 * looks for breaches (`sla_clocks_due_idx`) and the statistics count late clocks the scanner has not marked yet.
 */
export function pendingDueAt(c: {
  stoppedAt: AnyPgColumn;
  pausedAt: AnyPgColumn;
  breached: AnyPgColumn;
  dueAt: AnyPgColumn;
}) {
  return sql`(case when ${c.stoppedAt} is null and ${c.pausedAt} is null and not ${c.breached} then ${c.dueAt} end)`;
}

/**
 * D36: what a business line records of its own on a case (e.g. a billing
 * dispute's adjustments), so that a line needs no table of its own: one folder
 * is the whole line (D37). `data` is the line's, validated by it.
 */
export const lineRecords = pgTable(
  'line_records',
  {
    id: id(),
    complaintId: complaintRef(),
    line: text('line').notNull(),
    kind: text('kind').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    byUserId: userRef('by_user_id'),
    at: ts('at').notNull(),
  },
  (t) => [index('line_records_complaint_idx').on(t.complaintId, t.line, t.kind, t.at)],
);

/** One row: bumped with every calendar change, so each instance knows when its cached calendar is stale. */
export const calendarRevision = pgTable('calendar_revision', {
  id: integer('id').primaryKey().default(1),
  revision: bigint('revision', { mode: 'number' }).notNull().default(0),
});

/**
 * D27: the years whose statutory calendar is loaded (holidays and make-up
 * working days as published). A year not listed counts Monday–Friday, and the
 * server warns about it (src/sla/calendar-years.ts).
 */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  loadedAt: ts('loaded_at').notNull(),
  /** Who loaded it: a user id, or null for the published years seeded by migrations. */
  loadedBy: userRef('loaded_by'),
});

export const calendarDays = pgTable('calendar_days', {
  date: date('date', { mode: 'string' }).primaryKey(),
  workday: boolean('workday').notNull(),
  name: text('name'),
});

/** D50: who read which case's personal data unmasked, and when. Append-only. */
export const personalDataReads = pgTable(
  'personal_data_reads',
  {
    id: id(),
    position: bigint('position', { mode: 'bigint' }).generatedAlwaysAsIdentity(),
    viewerUserId: userRef('viewer_user_id'),
    viewerPartnerId: partnerRef('viewer_partner_id'),
    complaintId: complaintRef(),
    /** Which personal fields were served: name, phone, address, accountNumber. */
    fields: text('fields').array().notNull().default(sql`'{}'::text[]`),
    at: ts('at').notNull(),
  },
  (t) => [
    index('pdr_complaint_idx').on(t.complaintId, t.position),
    index('pdr_position_idx').on(t.position),
  ],
);

/** D40: a partner's idempotency keys, kept at least 30 days. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    partnerId: partnerRef('partner_id').notNull(),
    key: text('key').notNull(),
    payloadHash: text('payload_hash').notNull(),
    complaintId: complaintRef(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.key] })],
);

/**
 * D52: login attempts, per username and per client address, shared by every instance. A row is written
 * before the password is checked (so parallel attempts count at once) and deleted when it was right;
 * `refused` rows are the lock-out's refusals, kept as their log. Old rows are pruned by the limiter.
 */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    username: text('username').notNull(),
    address: text('address'),
    at: ts('at').notNull(),
    refused: boolean('refused').notNull().default(false),
  },
  (t) => [
    index('login_attempts_username_idx').on(t.username, t.at),
    index('login_attempts_address_idx').on(t.address, t.at),
  ],
);

/** D52: a username or an address locked out until `until` (key `u:<username>` or `a:<address>`). */
export const loginLockouts = pgTable('login_lockouts', {
  key: text('key').primaryKey(),
  until: ts('until').notNull(),
});

/**
 * D52, D1a, issue 18: who changed users, grants, partners and units, and who
 * exported what. Append-only; read by the AUDITORs of `unit_id`'s subtree.
 */
export const auditRecords = pgTable(
  'audit_records',
  {
    id: id(),
    position: bigint('position', { mode: 'bigint' }).generatedAlwaysAsIdentity(),
    actorUserId: userRef('actor_user_id'),
    actorPartnerId: partnerRef('actor_partner_id'),
    /** CREATE_USER, DISABLE_USER, RESET_PASSWORD, CHANGE_PASSWORD, CREATE_PARTNER, ROTATE_PARTNER_KEY, CREATE_ORG_UNIT, MOVE_ORG_UNIT, UPDATE_ORG_UNIT, EXPORT_COMPLAINTS, EXPORT_STATS. */
    action: text('action').notNull(),
    /** The unit whose AUDITORs read the record (a user's unit, a partner's province, the unit changed, an export's scope). */
    unitId: unitRef('unit_id'),
    targetUserId: userRef('target_user_id'),
    targetPartnerId: partnerRef('target_partner_id'),
    targetUnitId: unitRef('target_unit_id'),
    /** What changed, never a password or key (e.g. roles granted, the old and new parent, an export's filter and row count). */
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    at: ts('at').notNull(),
  },
  (t) => [
    index('audit_records_unit_idx').on(t.unitId, t.position),
    index('audit_records_position_idx').on(t.position),
  ],
);

/**
 * D51, D56, issue 26: one scheduled verification of every case's event chain (src/events/verify-schedule.ts):
 * when it ran, what it checked and the cases whose chain is broken (each with its first bad event).
 * A run is claimed under an advisory lock, so across instances one runs at a time.
 */
export const chainVerifications = pgTable(
  'chain_verifications',
  {
    id: id(),
    startedAt: ts('started_at').notNull(),
    finishedAt: ts('finished_at').notNull(),
    cases: integer('cases').notNull(),
    events: integer('events').notNull(),
    /** [{ complaintId, number, position, eventId, reason }] */
    broken: jsonb('broken')
      .$type<
        { complaintId: string; number: string; position: string; eventId: string; reason: string }[]
      >()
      .notNull()
      .default([]),
  },
  (t) => [index('chain_verifications_started_idx').on(t.startedAt)],
);

/**
 * D75: what a responsible unit must put right after a VALID or PARTIALLY_VALID
 * finding with a suggestion, opened when the case becomes RESOLVED (one per
 * finding). `responsible_path` is the unit's path, so "the unit and its
 * ancestors read it" and the subtree filter are one prefix test.
 */
export const rectifications = pgTable(
  'rectifications',
  {
    id: id(),
    complaintId: complaintRef(),
    findingId: uuid('finding_id')
      .notNull()
      .references(() => responsibilityFindings.id),
    responsibleUnitId: unitRef('responsible_unit_id').notNull(),
    responsiblePath: text('responsible_path').notNull(),
    what: text('what').notNull(),
    status: rectificationStatusEnum('status').notNull(),
    openedAt: ts('opened_at').notNull(),
    /** The running RECTIFY clock's due time (moved on reopening). */
    dueAt: ts('due_at').notNull(),
    measures: text('measures'),
    doneAt: ts('done_at'),
    doneBy: userRef('done_by'),
    verifiedAt: ts('verified_at'),
    verifiedBy: userRef('verified_by'),
    verifyNote: text('verify_note'),
  },
  (t) => [
    uniqueIndex('rectifications_finding_key').on(t.findingId),
    index('rectifications_complaint_idx').on(t.complaintId),
    index('rectifications_opened_idx').on(t.openedAt, t.id),
    index('rectifications_path_idx').using('btree', sql`${t.responsiblePath} text_pattern_ops`),
  ],
);

/**
 * D76: an incident (an outage, a tariff change: many customers complaining at
 * once), for units the opener's grants cover. `unit_paths` are those units'
 * paths (who counts it, who may link and close). The written notice is due 2
 * hours after opening (clock NOTICE, kept here).
 */
export const incidents = pgTable(
  'incidents',
  {
    id: id(),
    /** The order incidents were opened in, for the live feed of openings (src/live/position-feed.ts). */
    position: bigint('position', { mode: 'bigint' }).generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    category: text('category'),
    provinceId: unitRef('province_id').notNull(),
    unitIds: uuid('unit_ids').array().notNull(),
    unitPaths: text('unit_paths').array().notNull(),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at'),
    openedBy: userRef('opened_by').notNull(),
    openedAt: ts('opened_at').notNull(),
    noticeDueAt: ts('notice_due_at').notNull(),
    noticeAt: ts('notice_at'),
    notice: text('notice'),
    noticeBy: userRef('notice_by'),
    closedBy: userRef('closed_by'),
  },
  (t) => [
    uniqueIndex('incidents_position_key').on(t.position),
    index('incidents_opened_idx').on(t.openedAt, t.id),
    index('incidents_open_idx').on(t.provinceId).where(sql`${t.endedAt} is null`),
  ],
);

/** D76: a case belongs to one incident at most (the primary key). */
export const incidentComplaints = pgTable(
  'incident_complaints',
  {
    complaintId: uuid('complaint_id')
      .primaryKey()
      .references(() => complaints.id),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    linkedAt: ts('linked_at').notNull(),
    linkedBy: userRef('linked_by'),
  },
  (t) => [index('incident_complaints_incident_idx').on(t.incidentId, t.linkedAt)],
);

/**
 * D76: registrations per hotspot key and minute, kept in the registration's
 * transaction (src/domain/hotspots.ts), so the watcher reads O(keys × 60)
 * rows per pass, never the cases. `line` is '' for a case without a line.
 */
export const registrationMinutes = pgTable(
  'registration_minutes',
  {
    unitId: unitRef('unit_id').notNull(),
    line: text('line').notNull(),
    minute: ts('minute').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.unitId, t.line, t.minute] }),
    index('registration_minutes_minute_idx').on(t.minute),
  ],
);

/** D76: one HOTSPOT alert per key and clock hour (Asia/Shanghai), whichever instance raised it first. */
export const hotspotAlerts = pgTable(
  'hotspot_alerts',
  {
    id: id(),
    position: bigint('position', { mode: 'bigint' }).generatedAlwaysAsIdentity(),
    unitId: unitRef('unit_id').notNull(),
    /** The key unit's path, so "at or below a unit" needs no join. */
    unitPath: text('unit_path').notNull(),
    line: text('line').notNull(),
    /** The clock hour (Asia/Shanghai) the alert belongs to: the unique key with unit and line. */
    hour: ts('hour').notNull(),
    windowStart: ts('window_start').notNull(),
    count: integer('count').notNull(),
    baseline: numeric('baseline', { precision: 12, scale: 2, mode: 'number' }).notNull(),
    at: ts('at').notNull(),
  },
  (t) => [
    uniqueIndex('hotspot_alerts_key').on(t.unitId, t.line, t.hour),
    index('hotspot_alerts_at_idx').on(t.at),
    index('hotspot_alerts_position_idx').on(t.position),
  ],
);

/** D77: a periodic analysis report of a unit; `figures` are frozen at submission (null: computed when read). */
export const analysisReports = pgTable(
  'analysis_reports',
  {
    id: id(),
    position: bigint('position', { mode: 'bigint' }).generatedAlwaysAsIdentity(),
    unitId: unitRef('unit_id').notNull(),
    unitPath: text('unit_path').notNull(),
    period: text('period').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    status: text('status').notNull(),
    figures: jsonb('figures').$type<Record<string, unknown>>(),
    findings: text('findings'),
    measures: text('measures'),
    suggestions: text('suggestions'),
    typicalCaseIds: uuid('typical_case_ids').array().notNull().default(sql`'{}'::uuid[]`),
    authorId: userRef('author_id'),
    submittedAt: ts('submitted_at'),
    decidedBy: userRef('decided_by'),
    decidedAt: ts('decided_at'),
    decisionNote: text('decision_note'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('analysis_reports_key').on(t.unitId, t.period, t.periodStart),
    index('analysis_reports_path_idx').using('btree', sql`${t.unitPath} text_pattern_ops`),
  ],
);
