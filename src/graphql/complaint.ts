import DataLoader from 'dataloader';
import { eq } from 'drizzle-orm';
import type { GraphQLResolveInfo } from 'graphql';
import { canRead, seesPersonalData } from '../auth/complaint-rules.js';
import { readsInternals, seesDispatchSuggestions } from '../auth/guards.js';
import { complaintColumns, complaints, personalDataReads, type slaClocks } from '../db/schema.js';
import { viewerActions, type Who } from '../domain/complaints.js';
import {
  ACTIONS,
  CALLBACK_RESULTS,
  CHANNELS,
  CLOCK_KINDS,
  CLOCK_STATES,
  type ClockState,
  CONTACT_METHODS,
  FINDING_NATURES,
  INVESTIGATION_KINDS,
  REJECTION_REASONS,
  REMEDY_KINDS,
  SEVERITIES,
  SOURCES,
  STATUSES,
} from '../domain/enums.js';
import type { ComplaintRow } from '../domain/lifecycle.js';
import { type CustomerView, customerView, maskDetails } from '../domain/mask.js';
import type { OrgUnit } from '../domain/org.js';
import type { BusinessLinePlugin } from '../domain/plugin.js';
import { suggestDispatch } from '../domain/routing.js';
import { builder, exposeAll, exposeNullable } from './builder.js';
import { selectedFields } from './connection.js';
import type { Context } from './context.js';
import {
  ACTION_DOCS,
  CALLBACK_RESULT_DOCS,
  CHANNEL_DOCS,
  CLOCK_KIND_DOCS,
  CLOCK_STATE_DOCS,
  CONTACT_METHOD_DOCS,
  documentedEnums,
  FINDING_NATURE_DOCS,
  INVESTIGATION_KIND_DOCS,
  REJECTION_REASON_DOCS,
  REMEDY_KIND_DOCS,
  SEVERITY_DOCS,
  SOURCE_DOCS,
  STATUS_DOCS,
} from './enum-docs.js';
import { idOf, toGlobalId } from './global-id.js';
import { PartnerRef, UserRef } from './identity.js';
import { NodeRef, registerNode, tag } from './node.js';
import { loadUnit, OrgUnitRef } from './org-unit.js';

/** The case's enums: each a domain list (src/domain/enums.ts) and its values' descriptions (./enum-docs.ts). */
export const {
  ComplaintStatus: ComplaintStatusEnum,
  Channel: ChannelEnum,
  Source: SourceEnum,
  Severity: SeverityEnum,
  RejectionReason: RejectionReasonEnum,
  FindingNature: FindingNatureEnum,
  RemedyKind: RemedyKindEnum,
  ContactMethod: ContactMethodEnum,
  CallbackResult: CallbackResultEnum,
  InvestigationKind: InvestigationKindEnum,
  ClockKind: ClockKindEnum,
  ClockState: ClockStateEnum,
  ComplaintAction: ComplaintActionEnum,
} = documentedEnums({
  ComplaintStatus: [
    STATUSES,
    STATUS_DOCS,
    'Where a case is in its lifecycle (D3 table). Open: RECEIVED through REPLIED; CLOSED, REJECTED and WITHDRAWN wait for the archive; ARCHIVED is final.',
  ],
  Channel: [CHANNELS, CHANNEL_DOCS, 'How the customer got in touch (D4).'],
  Source: [
    SOURCES,
    SOURCE_DOCS,
    'Who brought the case: the customer, a body above that transferred it, or a partner carrier (D4, D9).',
  ],
  Severity: [SEVERITIES, SEVERITY_DOCS, 'How serious the case is, set at acceptance (D4, D13).'],
  RejectionReason: [REJECTION_REASONS, REJECTION_REASON_DOCS, 'Why a case was not accepted (D8).'],
  FindingNature: [
    FINDING_NATURES,
    FINDING_NATURE_DOCS,
    'Whether the complaint was justified, as the handling unit found (D12).',
  ],
  RemedyKind: [
    REMEDY_KINDS,
    REMEDY_KIND_DOCS,
    'What the customer was given to put things right (D12).',
  ],
  ContactMethod: [
    CONTACT_METHODS,
    CONTACT_METHOD_DOCS,
    'How a contact or reply reached the customer.',
  ],
  CallbackResult: [CALLBACK_RESULTS, CALLBACK_RESULT_DOCS, 'What the callback (回访) found (D14).'],
  InvestigationKind: [
    INVESTIGATION_KINDS,
    INVESTIGATION_KIND_DOCS,
    'Which investigation was recorded.',
  ],
  ClockKind: [
    CLOCK_KINDS,
    CLOCK_KIND_DOCS,
    'A time limit on a case (SLA clock). Hours and minutes are wall-clock time; working days follow the statutory calendar and end at 24:00 Asia/Shanghai. Default budgets below; a business line may override them (D20).',
  ],
  ClockState: [
    CLOCK_STATES,
    CLOCK_STATE_DOCS,
    'Where a clock stands now; warnings at 80 % of the budget, breaches at 100 %.',
  ],
  ComplaintAction: [
    ACTIONS,
    ACTION_DOCS,
    'What can be done to a complaint: one value per complaint mutation (D56).',
  ],
});
export const ContactKindEnum = builder.enumType('ContactKind', {
  description: "What a customer's contact is (D70: 咨询、查询、投诉、业务受理、障碍申告).",
  values: {
    COMPLAINT: { description: 'A complaint (投诉): the lifecycle of DOMAIN §3.' },
    CONSULTATION: { description: 'A consultation (咨询): answered within 4 hours (D71).' },
    QUERY: {
      description:
        'A query (查询), e.g. about a bill or a service: answered within 24 hours (D71).',
    },
    BUSINESS_REQUEST: {
      description: 'A business request (业务受理): answered within 24 hours (D71).',
    },
    FAULT_REPORT: {
      description:
        "A big customer's or internet café's fault report (障碍申告): repaired against the REPAIR clock (D72).",
    },
  },
});

// ---------------------------------------------------------------- business lines

const CategoryRef = builder.objectRef<{ code: string; name: string }>('Category').implement({
  description:
    "A category (or root-cause) code and its name: the five base categories of every line, then the line's own (D4, D79).",
  fields: (t) =>
    exposeAll(t, 'String', {
      code: 'The stable code clients send, e.g. BILLING_DISPUTE.',
      name: 'The name to show, Chinese then English, e.g. 计费争议 Billing dispute.',
    }),
});

export const BusinessLineRef = builder.objectRef<BusinessLinePlugin>('BusinessLine').implement({
  description: 'A business line (固话, 宽带, 移动, …), contributed by a plugin folder (D33).',
  fields: (t) => ({
    code: t.exposeString('code', {
      description: "The code clients send as `businessLine`: the name of the line's plugin folder.",
    }),
    name: t.exposeString('name', { description: 'The name to show.' }),
    categories: t.field({
      type: [CategoryRef],
      description:
        "The categories a case of this line may be accepted under: the five base ones, then the line's own.",
      resolve: (l) => [...l.categories],
    }),
    detailsSchema: t.field({
      type: 'JSON',
      description: "JSON Schema of the line's `details` (D58), for portals to draw the form.",
      resolve: (l, _, ctx) => ctx.services.lines.detailsSchema(l.code),
    }),
  }),
});

builder.queryFields((t) => ({
  businessLines: t.field({
    type: [BusinessLineRef],
    description:
      'Every business line this server runs, with its categories and the JSON Schema of its details; any signed-in viewer.',
    resolve: (_, __, ctx) => ctx.services.lines.all(),
  }),
  rootCauses: t.field({
    type: [CategoryRef],
    description: "Root-cause codes (D79): the base list, then the business lines' own.",
    resolve: (_, __, ctx) => ctx.services.lines.rootCauses(),
  }),
}));

// ---------------------------------------------------------------- reading a case

/** The viewer as the domain's `Who` (the auth guard has made sure there is one). */
export const whoOf = (ctx: Context): Who => ({ viewer: ctx.viewer!, ability: ctx.ability });

/** D40, decided in src/auth: a partner reads no internal part of its cases. */
const isPartner = (ctx: Context) => !readsInternals(ctx.viewer);

/** A case row as this viewer may see it: null when D54 says it is absent. */
export function readable(ctx: Context, c: ComplaintRow | null | undefined): ComplaintRow | null {
  return c && ctx.viewer && canRead(ctx.ability, c) ? tag('Complaint', c) : null;
}

export async function loadComplaint(ctx: Context, id: string | null) {
  return id ? readable(ctx, await ctx.loaders.complaint.load(id)) : null;
}

registerNode('Complaint', async (ids, ctx) => Promise.all(ids.map((id) => loadComplaint(ctx, id))));

const CustomerRef = builder.objectRef<CustomerView>('Customer').implement({
  description:
    'Personal data; masked (e.g. 张*, 138****5678) unless the viewer works the case: shown in full to the province acceptance centre, handlers and department leaders of the units in its dispatch chain and above, the first responder and the submitting partner; every full read is logged (D50). Duty managers and auditors always see it masked. Null after the retention period (D15).',
  fields: (t) => ({
    ...exposeNullable(t, 'String', {
      name: "The customer's name; masked keeps the first character (张*).",
      phone:
        'The contact phone; masked keeps the first 3 and last 4 digits (138****5678; shorter numbers only the last 4).',
      address:
        'The address; masked keeps up to the district or county (广东省广州市天河区****). Null when none was given.',
      accountNumber:
        'The account or service number; masked keeps the last 4. Null when none was given.',
    }),
    masked: t.exposeBoolean('masked', {
      description:
        'True when the fields above are masked for this viewer (or anonymised after retention).',
    }),
  }),
});

const PERSONAL_FIELDS = ['name', 'phone', 'address', 'accountNumber'] as const;

/** The personal fields a `customer { … }` selection asks for (fragments included). */
function personalFieldsOf(info: GraphQLResolveInfo): string[] {
  const asked = selectedFields(info);
  return PERSONAL_FIELDS.filter((f) => asked.has(f));
}

const readLogs = new WeakMap<
  object,
  DataLoader<{ complaintId: string; fields: string[] }, true, string>
>();

/** D50: every unmasked read is recorded, batched per request into one INSERT. */
function logRead(ctx: Context, complaintId: string, fields: string[]) {
  let loader = readLogs.get(ctx.loaders);
  if (!loader) {
    const viewer = ctx.viewer!;
    loader = new DataLoader(
      async (reads) => {
        const at = ctx.services.clock.now();
        await ctx.db.insert(personalDataReads).values(
          reads.map((r) => ({
            viewerUserId: viewer.kind === 'user' ? viewer.id : null,
            viewerPartnerId: viewer.kind === 'partner' ? viewer.id : null,
            complaintId: r.complaintId,
            fields: r.fields,
            at,
          })),
        );
        return reads.map(() => true as const);
      },
      { cacheKeyFn: (r) => `${r.complaintId}:${r.fields.join(',')}` },
    );
    readLogs.set(ctx.loaders, loader);
  }
  return loader.load({ complaintId, fields });
}

/** D50: full for those who work the case (and logged), masked for every other reader. */
async function customerOf(
  ctx: Context,
  c: ComplaintRow,
  info: GraphQLResolveInfo,
): Promise<CustomerView> {
  const view = customerView(c, seesPersonalData(ctx.ability, c));
  if (!view.masked) {
    const fields = personalFieldsOf(info);
    if (fields.length) await logRead(ctx, c.id, fields);
  }
  return view;
}

/**
 * D50: the personal-data fields the line declares in `details` are masked,
 * logged and anonymised exactly like the customer's: in full (and logged as
 * `details.<field>`) for those who work the case, masked for other readers.
 */
async function detailsOf(ctx: Context, c: ComplaintRow): Promise<Record<string, unknown> | null> {
  if (!c.businessLine) return null;
  const personal = ctx.services.lines.personalData(c.businessLine);
  const present = Object.keys(personal).filter((f) => typeof c.details[f] === 'string');
  if (!present.length || c.anonymisedAt) return c.details;
  if (seesPersonalData(ctx.ability, c)) {
    await logRead(
      ctx,
      c.id,
      present.map((f) => `details.${f}`),
    );
    return c.details;
  }
  return maskDetails(c.details, personal);
}

type AssignmentRow = Awaited<ReturnType<Context['loaders']['assignments']['load']>>[number];
type InvestigationRow = Awaited<ReturnType<Context['loaders']['investigations']['load']>>[number];
type FindingRow = Awaited<ReturnType<Context['loaders']['findings']['load']>>[number];
type ContactRow = Awaited<ReturnType<Context['loaders']['contacts']['load']>>[number];
type CallbackRow = Awaited<ReturnType<Context['loaders']['callbacks']['load']>>[number];
type NoteRow = Awaited<ReturnType<Context['loaders']['supervisionNotes']['load']>>[number];
type ClockRow = typeof slaClocks.$inferSelect;

const userField = (ctx: Context, id: string | null) =>
  id ? ctx.loaders.user.load(id).then((u) => u && tag('User', u)) : null;

const AssignmentRef = builder.objectRef<AssignmentRow>('Assignment').implement({
  description:
    'One dispatch (province → city or centre) or delegation (city → county) of the case, with its deadline (D7). Empty for partners.',
  fields: (t) => ({
    fromUnit: t.field({
      type: OrgUnitRef,
      description: 'The unit that sent it.',
      resolve: async (a, _, ctx) => (await loadUnit(ctx, a.fromUnitId))!,
    }),
    toUnit: t.field({
      type: OrgUnitRef,
      description: 'The unit it was sent to.',
      resolve: async (a, _, ctx) => (await loadUnit(ctx, a.toUnitId))!,
    }),
    deadline: t.expose('deadline', {
      type: 'DateTime',
      description:
        "When the receiving unit's report is due (the ASSIGNMENT clock); never after RESOLVE's due time (D24).",
    }),
    assignedAt: t.expose('assignedAt', {
      type: 'DateTime',
      description: 'When it was dispatched or delegated.',
    }),
    acknowledgedAt: t.expose('acknowledgedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the receiving unit took it; null until then.',
    }),
    reportedAt: t.expose('reportedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the receiving unit submitted its report; null until then.',
    }),
    returnedAt: t.expose('returnedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the receiving unit sent it back (wrong unit).',
    }),
  }),
});

const InvestigationRef = builder.objectRef<InvestigationRow>('Investigation').implement({
  description: 'An investigation a handler recorded. Empty for partners.',
  fields: (t) => ({
    kind: t.field({
      type: InvestigationKindEnum,
      description: 'Initial or detailed.',
      resolve: (i) => i.kind,
    }),
    findings: t.exposeString('findings', {
      description:
        'What was found (up to 5,000 characters); erased after the retention period (D15).',
    }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', description: 'When it was recorded.' }),
    recordedBy: t.field({
      type: UserRef,
      description: 'The handler who recorded it.',
      resolve: async (i, _, ctx) => (await userField(ctx, i.recordedBy))!,
    }),
  }),
});

const RemedyRef = builder
  .objectRef<{ kind: FindingRow['remedyKind']; amount: number | null }>('Remedy')
  .implement({
    description: 'What the customer was given (D12).',
    fields: (t) => ({
      kind: t.field({
        type: RemedyKindEnum,
        description: 'The kind of remedy.',
        resolve: (r) => r.kind,
      }),
      amount: t.exposeFloat('amount', {
        nullable: true,
        description:
          'Yuan, at most 2 decimals, for COMPENSATION and BILL_ADJUSTED; null otherwise.',
      }),
    }),
  });

const FindingRef = builder.objectRef<FindingRow>('ResponsibilityFinding').implement({
  description:
    'Who was responsible and what was done about it, as the handling unit determined; a report needs one (D12).',
  fields: (t) => ({
    nature: t.field({
      type: FindingNatureEnum,
      description: 'Whether the complaint was justified.',
      resolve: (f) => f.nature,
    }),
    responsibleUnit: t.field({
      type: OrgUnitRef,
      nullable: true,
      description: 'The unit found responsible; null when none was named.',
      resolve: (f, _, ctx) => loadUnit(ctx, f.responsibleUnitId),
    }),
    responsiblePerson: t.exposeString('responsiblePerson', {
      nullable: true,
      description: 'The person found responsible, free text; null when none was named.',
    }),
    rootCause: t.exposeString('rootCause', {
      description:
        'The root cause, free text (the codes of `rootCauses` are not yet required here).',
    }),
    cause: t.exposeString('cause', {
      description:
        'The root-cause code, one of `rootCauses` (findings recorded before codes existed read OTHER). D79',
    }),
    remedy: t.field({
      type: RemedyRef,
      description: 'What the customer was given.',
      resolve: (f) => ({
        kind: f.remedyKind,
        amount: f.remedyAmount === null ? null : Number(f.remedyAmount),
      }),
    }),
    rectification: t.exposeString('rectification', {
      nullable: true,
      description: 'What the responsible unit should put right; null when nothing was suggested.',
    }),
    determinedAt: t.expose('determinedAt', {
      type: 'DateTime',
      description: 'When the finding was recorded.',
    }),
  }),
});

const ContactRef = builder.objectRef<ContactRow>('CustomerContact').implement({
  description:
    'A contact with the customer: a progress note, a substantive answer, an answer on the spot or the reply. A partner reads every contact and reply made to it (D40).',
  fields: (t) => ({
    method: t.field({
      type: ContactMethodEnum,
      description: 'How it reached the customer.',
      resolve: (c) => c.method,
    }),
    content: t.exposeString('content', {
      description:
        'What the customer was told (up to 5,000 characters); erased after the retention period (D15).',
    }),
    final: t.exposeBoolean('final', {
      description:
        'True for the reply (or the answer given on the spot) that resolved the case for the customer; false for other contacts.',
    }),
    at: t.expose('at', { type: 'DateTime', description: 'When it was recorded.' }),
  }),
});

const CallbackRef = builder.objectRef<CallbackRow>('Callback').implement({
  description: 'A callback (回访) to the customer after the reply (D14). Empty for partners.',
  fields: (t) => ({
    result: t.field({
      type: CallbackResultEnum,
      description: 'What the customer said, or UNREACHABLE.',
      resolve: (c) => c.result,
    }),
    note: t.exposeString('note', {
      nullable: true,
      description: "The caller's remark; null when none was given or after the retention period.",
    }),
    at: t.expose('at', { type: 'DateTime', description: 'When it was recorded.' }),
    second: t.exposeBoolean('second', {
      description:
        'True for the second callback, recorded on the closed case (always on the lines that declare it, else when the sample picks the case) (D14).',
    }),
  }),
});

export const SupervisionNoteRef = builder.objectRef<NoteRow>('SupervisionNote').implement({
  description:
    'A supervision note (督办) by a legal officer, a duty manager or a department leader above the handling unit (D13). Empty for partners.',
  fields: (t) => ({
    note: t.exposeString('note', {
      description: 'What the supervisor asks for (up to 5,000 characters).',
    }),
    by: t.field({
      type: UserRef,
      description: 'Who wrote it.',
      resolve: async (n, _, ctx) => (await userField(ctx, n.byUserId))!,
    }),
    at: t.expose('at', { type: 'DateTime', description: 'When it was written.' }),
  }),
});

/** A clock's state now: WARNING and BREACHED follow the clock even between two scans of the scanner. */
export function clockState(c: ClockRow, now: Date): ClockState {
  if (c.stoppedAt) return c.state === 'MISSED' || c.state === 'CANCELLED' ? c.state : 'MET';
  if (c.pausedAt) return 'PAUSED';
  if (c.breached || (c.dueAt && now >= c.dueAt)) return 'BREACHED';
  if (c.warned || (c.warnAt && now >= c.warnAt)) return 'WARNING';
  return 'RUNNING';
}

const SlaClockRef = builder.objectRef<ClockRow>('SlaClock').implement({
  description: 'One time limit of the case, as it runs or as it ended (D20–D26).',
  fields: (t) => ({
    kind: t.field({
      type: ClockKindEnum,
      description: 'Which time limit.',
      resolve: (c) => c.kind,
    }),
    state: t.field({
      type: ClockStateEnum,
      description: 'Where it stands now, computed at the time of the request.',
      resolve: (c, _, ctx) => clockState(c, ctx.services.clock.now()),
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'When it started.' }),
    dueAt: t.expose('dueAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When it is due, moved later by pauses (D24); null for a clock without a budget.',
    }),
    stoppedAt: t.expose('stoppedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it stopped; null while it runs or is paused.',
    }),
  }),
});

const DispatchSuggestionRef = builder
  .objectRef<{ unit: OrgUnit; reason: string }>('DispatchSuggestion')
  .implement({
    description: 'Where a line suggests dispatching a case (D34).',
    fields: (t) => ({
      unit: t.field({
        type: OrgUnitRef,
        description: 'The unit suggested.',
        resolve: (s) => tag('OrgUnit', s.unit),
      }),
      reason: t.exposeString('reason', {
        description: "Why, for the agent, e.g. the city the customer's address names.",
      }),
    }),
  });

export const ComplaintRef = builder.objectRef<ComplaintRow>('Complaint');

/** D40: a partner reads none of the internal parts of its cases. */
const internal = <T>(ctx: Context, empty: T, read: () => T | Promise<T>): T | Promise<T> =>
  isPartner(ctx) ? empty : read();

ComplaintRef.implement({
  description:
    'A case: a complaint a customer (or a partner carrier, or a body above) brought, and everything done about it. Staff read it when a role of theirs is bound to its handling unit, a unit of its dispatch chain or an ancestor; the first responder always; a partner what it submitted, without the internal parts (D40, D54). Times are DateTimes in +08:00 (Asia/Shanghai).',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({
      description: 'Global ID; pass it to `complaint(id:)`, `node` and every complaint mutation.',
      resolve: (c) => toGlobalId('Complaint', c.id),
    }),
    number: t.exposeString('number', {
      description:
        'Case number for people: province code, date of registration (Asia/Shanghai) and a 6-digit daily sequence, e.g. GD20261122000042; never reused (D5).',
    }),
    version: t.exposeInt('version', {
      description:
        'Goes up by one with every change; send it as `expectedVersion` to be refused with CONFLICT when someone changed the case meanwhile.',
    }),
    status: t.field({
      type: ComplaintStatusEnum,
      description: 'Where the case is in its lifecycle.',
      resolve: (c) => c.status,
    }),
    suspended: t.exposeBoolean('suspended', {
      description:
        'True while the case waits for the customer: its clocks are paused (`suspendComplaint`, `resumeComplaint`).',
    }),
    channel: t.field({
      type: ChannelEnum,
      description: 'How the customer got in touch.',
      resolve: (c) => c.channel,
    }),
    source: t.field({
      type: SourceEnum,
      description: 'Who brought the case.',
      resolve: (c) => c.source,
    }),
    businessLine: t.field({
      type: BusinessLineRef,
      nullable: true,
      description: 'The business line; null until one is given at registration or acceptance.',
      resolve: (c, _, ctx) =>
        c.businessLine ? (ctx.services.lines.get(c.businessLine) ?? null) : null,
    }),
    suggestedDispatch: t.field({
      type: DispatchSuggestionRef,
      nullable: true,
      description:
        "Where the case's business line suggests dispatching it (D34), for the province desk; a suggestion, not a decision. Null when the line has none, and for partners.",
      resolve: async (c, _, ctx) => {
        if (!seesDispatchSuggestions(ctx.viewer) || !c.businessLine) return null;
        const s = suggestDispatch(
          ctx.services.lines,
          c,
          await ctx.loaders.provinceUnits.load(c.provinceId),
        );
        const unit = s && (await ctx.loaders.unit.load(s.unitId));
        return s && unit ? { unit, reason: s.reason } : null;
      },
    }),
    category: t.exposeString('category', {
      nullable: true,
      description:
        'A category code of its business line (see `BusinessLine.categories`); null until accepted.',
    }),
    severity: t.field({
      type: SeverityEnum,
      nullable: true,
      description: 'Set at acceptance; null until then.',
      resolve: (c) => c.severity,
    }),
    title: t.exposeString('title', { description: 'A short title, 1–200 characters.' }),
    description: t.exposeString('description', {
      description:
        'What the customer complains about, 1–10,000 characters; erased after the retention period (D15).',
    }),
    customer: t.field({
      type: CustomerRef,
      description: 'The customer, masked unless the viewer works the case (D50).',
      resolve: (c, _, ctx, info) => customerOf(ctx, c, info),
    }),
    details: t.field({
      type: 'JSON',
      nullable: true,
      description:
        "Line-specific details, validated by the business line's plugin; its personal-data fields masked like `customer` (D50).",
      resolve: (c, _, ctx) => detailsOf(ctx, c),
    }),
    contactAt: t.expose('contactAt', {
      type: 'DateTime',
      description:
        'When the customer got in touch; registration is measured from it (REGISTER clock, target 10 minutes, D6).',
    }),
    occurredAt: t.expose('occurredAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When the event complained about happened, as given at registration or acceptance (D8).',
    }),
    registeredAt: t.expose('registeredAt', {
      type: 'DateTime',
      description: 'When the case was registered.',
    }),
    acceptedAt: t.expose('acceptedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was accepted; null until then.',
    }),
    resolvedAt: t.expose('resolvedAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When it became RESOLVED (or was answered on the spot); null until then, and again once a callback reopens it.',
    }),
    closedAt: t.expose('closedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it closed; null until then, and again once a callback reopens it.',
    }),
    archivedAt: t.expose('archivedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was archived; null until then.',
    }),
    firstResponder: t.field({
      type: UserRef,
      nullable: true,
      description:
        'Who first registered the contact, responsible for it for life (首问负责, D10); null for partner cases and for partners.',
      resolve: (c, _, ctx) => internal(ctx, null, () => userField(ctx, c.firstResponderId)),
    }),
    partner: t.field({
      type: PartnerRef,
      nullable: true,
      description: 'The partner carrier that submitted it; null for other cases.',
      resolve: (c, _, ctx) =>
        c.partnerId
          ? ctx.loaders.partner.load(c.partnerId).then((p) => p && tag('Partner', p))
          : null,
    }),
    externalRef: t.exposeString('externalRef', {
      nullable: true,
      description:
        "The reference of whoever transferred or submitted it (the regulator's or the partner's ticket); null when none.",
    }),
    externalDeadline: t.expose('externalDeadline', {
      type: 'DateTime',
      nullable: true,
      description: "A transfer's own deadline (D9), which replaces the RESOLVE clock.",
    }),
    handlingUnit: t.field({
      type: OrgUnitRef,
      nullable: true,
      description:
        'The unit that holds the case now: the province until the first dispatch, then the unit it was dispatched or delegated to (D53); null for partners.',
      resolve: (c, _, ctx) => internal(ctx, null, () => loadUnit(ctx, c.handlingUnitId)),
    }),
    assignments: t.field({
      type: [AssignmentRef],
      description: 'Every dispatch and delegation, oldest first; empty for partners.',
      resolve: (c, _, ctx) => internal(ctx, [], () => ctx.loaders.assignments.load(c.id)),
    }),
    investigations: t.field({
      type: [InvestigationRef],
      description: 'Every investigation recorded, oldest first; empty for partners.',
      resolve: (c, _, ctx) => internal(ctx, [], () => ctx.loaders.investigations.load(c.id)),
    }),
    responsibility: t.field({
      type: FindingRef,
      nullable: true,
      description:
        'The latest responsibility finding; null until one is recorded, and for partners (D12).',
      resolve: (c, _, ctx) =>
        internal(ctx, null, async () => (await ctx.loaders.findings.load(c.id)).at(-1) ?? null),
    }),
    contacts: t.field({
      type: [ContactRef],
      description: 'Every contact with the customer and every reply, oldest first.',
      resolve: (c, _, ctx) => ctx.loaders.contacts.load(c.id),
    }),
    callbacks: t.field({
      type: [CallbackRef],
      description: 'Every callback, oldest first; empty for partners.',
      resolve: (c, _, ctx) => internal(ctx, [], () => ctx.loaders.callbacks.load(c.id)),
    }),
    escalationLevel: t.int({
      description: 'How many escalations were approved (D13); 0 for partners.',
      resolve: (c, _, ctx) => (isPartner(ctx) ? 0 : c.escalationLevel),
    }),
    supervisionNotes: t.field({
      type: [SupervisionNoteRef],
      description: 'Every supervision note, oldest first; empty for partners.',
      resolve: (c, _, ctx) => internal(ctx, [], () => ctx.loaders.supervisionNotes.load(c.id)),
    }),
    reopenCount: t.exposeInt('reopenCount', {
      description: 'How many times an unsatisfied callback reopened the case (D14).',
    }),
    rejectionReason: t.field({
      type: RejectionReasonEnum,
      nullable: true,
      description: 'Why it was rejected; null unless it was.',
      resolve: (c) => c.rejectionReason,
    }),
    clocks: t.field({
      type: [SlaClockRef],
      description: 'Every clock the case ever had, oldest first (D25).',
      resolve: (c, _, ctx) => ctx.loaders.clocks.load(c.id),
    }),
    viewerActions: t.field({
      type: [ComplaintActionEnum],
      description: 'The actions this viewer may take on the case now (D60).',
      resolve: (c, _, ctx) => viewerActions(whoOf(ctx), c, ctx.services.lines),
    }),
  }),
});

builder.queryFields((t) => ({
  complaint: t.field({
    type: ComplaintRef,
    nullable: true,
    description:
      'By global ID or case number; null when absent or not readable (D54), or when the ID is malformed (D57).',
    args: {
      id: t.arg.id({ description: "The case's global ID (`Complaint.id`)." }),
      number: t.arg.string({
        description: 'The case number, e.g. GD20261122000042; used when `id` is not given.',
      }),
    },
    resolve: async (_, args, ctx) => {
      if (args.id != null) return loadComplaint(ctx, idOf(args.id, 'Complaint'));
      if (args.number != null) {
        const [row] = await ctx.db
          .select(complaintColumns)
          .from(complaints)
          .where(eq(complaints.number, args.number.trim()));
        return readable(ctx, row);
      }
      return null;
    },
  }),
}));
