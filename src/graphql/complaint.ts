import DataLoader from 'dataloader';
import { eq } from 'drizzle-orm';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { canRead, seesPersonalData } from '../auth/complaint-rules.js';
import { readsInternals } from '../auth/guards.js';
import { complaints, personalDataReads, slaClocks } from '../db/schema.js';
import { viewerActions, type Who } from '../domain/complaints.js';
import {
  ACTIONS,
  CALLBACK_RESULTS,
  CHANNELS,
  CLOCK_KINDS,
  CLOCK_STATES,
  CONTACT_METHODS,
  FINDING_NATURES,
  INVESTIGATION_KINDS,
  REJECTION_REASONS,
  REMEDY_KINDS,
  SEVERITIES,
  SOURCES,
  STATUSES,
  type ClockState,
} from '../domain/enums.js';
import type { ComplaintRow } from '../domain/lifecycle.js';
import { customerView, maskDetails, type CustomerView } from '../domain/mask.js';
import type { BusinessLinePlugin } from '../domain/plugin.js';
import { suggestDispatch } from '../domain/routing.js';
import type { OrgUnit } from '../domain/org.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { toGlobalId, idOf } from './global-id.js';
import { PartnerRef, UserRef } from './identity.js';
import { NodeRef, registerNode, tag } from './node.js';
import { OrgUnitRef } from './org-unit.js';

export const ComplaintStatusEnum = builder.enumType('ComplaintStatus', { values: STATUSES });
export const ChannelEnum = builder.enumType('Channel', { values: CHANNELS });
export const SourceEnum = builder.enumType('Source', { values: SOURCES });
export const SeverityEnum = builder.enumType('Severity', { values: SEVERITIES });
export const RejectionReasonEnum = builder.enumType('RejectionReason', { values: REJECTION_REASONS });
export const FindingNatureEnum = builder.enumType('FindingNature', { values: FINDING_NATURES });
export const RemedyKindEnum = builder.enumType('RemedyKind', { values: REMEDY_KINDS });
export const ContactMethodEnum = builder.enumType('ContactMethod', { values: CONTACT_METHODS });
export const CallbackResultEnum = builder.enumType('CallbackResult', { values: CALLBACK_RESULTS });
export const InvestigationKindEnum = builder.enumType('InvestigationKind', { values: INVESTIGATION_KINDS });
export const ClockKindEnum = builder.enumType('ClockKind', { values: CLOCK_KINDS });
export const ClockStateEnum = builder.enumType('ClockState', { values: CLOCK_STATES });
export const ComplaintActionEnum = builder.enumType('ComplaintAction', {
  values: ACTIONS,
  description: 'What can be done to a complaint: one value per complaint mutation (D56).',
});

// ---------------------------------------------------------------- business lines

const CategoryRef = builder.objectRef<{ code: string; name: string }>('Category').implement({
  fields: (t) => ({ code: t.exposeString('code'), name: t.exposeString('name') }),
});

export const BusinessLineRef = builder.objectRef<BusinessLinePlugin>('BusinessLine').implement({
  description: 'A business line (固话, 宽带, 移动, …), contributed by a plugin folder (D33).',
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    categories: t.field({ type: [CategoryRef], resolve: (l) => [...l.categories] }),
    detailsSchema: t.field({
      type: 'JSON',
      description: 'JSON Schema of the line\'s `details` (D58), for portals to draw the form.',
      resolve: (l, _, ctx) => ctx.services.lines.detailsSchema(l.code),
    }),
  }),
});

builder.queryFields((t) => ({
  businessLines: t.field({ type: [BusinessLineRef], resolve: (_, __, ctx) => ctx.services.lines.all() }),
  rootCauses: t.field({
    type: [CategoryRef],
    description: 'Root-cause codes (D79): the base list, then the business lines\' own.',
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
  description: 'Personal data; masked (e.g. 张*, 138****5678) unless the viewer works the case.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
    address: t.exposeString('address', { nullable: true }),
    accountNumber: t.exposeString('accountNumber', { nullable: true }),
    masked: t.exposeBoolean('masked'),
  }),
});

const PERSONAL_FIELDS = ['name', 'phone', 'address', 'accountNumber'] as const;

/** The personal fields a `customer { … }` selection asks for (fragments included). */
function personalFieldsOf(info: GraphQLResolveInfo): string[] {
  const asked = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) asked.add(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
      else if (sel.kind === Kind.FRAGMENT_SPREAD) walk(info.fragments[sel.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  return PERSONAL_FIELDS.filter((f) => asked.has(f));
}

const readLogs = new WeakMap<object, DataLoader<{ complaintId: string; fields: string[] }, true, string>>();

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
async function customerOf(ctx: Context, c: ComplaintRow, info: GraphQLResolveInfo): Promise<CustomerView> {
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
    await logRead(ctx, c.id, present.map((f) => `details.${f}`));
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

const unitField = (ctx: Context, id: string | null) => (id ? ctx.loaders.unit.load(id).then((u) => u && tag('OrgUnit', u)) : null);
const userField = (ctx: Context, id: string | null) => (id ? ctx.loaders.user.load(id).then((u) => u && tag('User', u)) : null);

const AssignmentRef = builder.objectRef<AssignmentRow>('Assignment').implement({
  fields: (t) => ({
    fromUnit: t.field({ type: OrgUnitRef, resolve: async (a, _, ctx) => (await unitField(ctx, a.fromUnitId))! }),
    toUnit: t.field({ type: OrgUnitRef, resolve: async (a, _, ctx) => (await unitField(ctx, a.toUnitId))! }),
    deadline: t.expose('deadline', { type: 'DateTime' }),
    assignedAt: t.expose('assignedAt', { type: 'DateTime' }),
    acknowledgedAt: t.expose('acknowledgedAt', { type: 'DateTime', nullable: true }),
    reportedAt: t.expose('reportedAt', { type: 'DateTime', nullable: true }),
    returnedAt: t.expose('returnedAt', { type: 'DateTime', nullable: true, description: 'When the receiving unit sent it back (wrong unit).' }),
  }),
});

const InvestigationRef = builder.objectRef<InvestigationRow>('Investigation').implement({
  fields: (t) => ({
    kind: t.field({ type: InvestigationKindEnum, resolve: (i) => i.kind }),
    findings: t.exposeString('findings'),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
    recordedBy: t.field({ type: UserRef, resolve: async (i, _, ctx) => (await userField(ctx, i.recordedBy))! }),
  }),
});

const RemedyRef = builder.objectRef<{ kind: FindingRow['remedyKind']; amount: number | null }>('Remedy').implement({
  fields: (t) => ({
    kind: t.field({ type: RemedyKindEnum, resolve: (r) => r.kind }),
    amount: t.exposeFloat('amount', { nullable: true }),
  }),
});

const FindingRef = builder.objectRef<FindingRow>('ResponsibilityFinding').implement({
  fields: (t) => ({
    nature: t.field({ type: FindingNatureEnum, resolve: (f) => f.nature }),
    responsibleUnit: t.field({ type: OrgUnitRef, nullable: true, resolve: (f, _, ctx) => unitField(ctx, f.responsibleUnitId) }),
    responsiblePerson: t.exposeString('responsiblePerson', { nullable: true }),
    rootCause: t.exposeString('rootCause'),
    remedy: t.field({
      type: RemedyRef,
      resolve: (f) => ({ kind: f.remedyKind, amount: f.remedyAmount === null ? null : Number(f.remedyAmount) }),
    }),
    rectification: t.exposeString('rectification', { nullable: true }),
    determinedAt: t.expose('determinedAt', { type: 'DateTime' }),
  }),
});

const ContactRef = builder.objectRef<ContactRow>('CustomerContact').implement({
  fields: (t) => ({
    method: t.field({ type: ContactMethodEnum, resolve: (c) => c.method }),
    content: t.exposeString('content'),
    final: t.exposeBoolean('final'),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const CallbackRef = builder.objectRef<CallbackRow>('Callback').implement({
  fields: (t) => ({
    result: t.field({ type: CallbackResultEnum, resolve: (c) => c.result }),
    note: t.exposeString('note', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
    second: t.exposeBoolean('second', { description: 'The second callback of D14, recorded on the closed case.' }),
  }),
});

const SupervisionNoteRef = builder.objectRef<NoteRow>('SupervisionNote').implement({
  fields: (t) => ({
    note: t.exposeString('note'),
    by: t.field({ type: UserRef, resolve: async (n, _, ctx) => (await userField(ctx, n.byUserId))! }),
    at: t.expose('at', { type: 'DateTime' }),
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
  fields: (t) => ({
    kind: t.field({ type: ClockKindEnum, resolve: (c) => c.kind }),
    state: t.field({ type: ClockStateEnum, resolve: (c, _, ctx) => clockState(c, ctx.services.clock.now()) }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true }),
    stoppedAt: t.expose('stoppedAt', { type: 'DateTime', nullable: true }),
  }),
});

const DispatchSuggestionRef = builder.objectRef<{ unit: OrgUnit; reason: string }>('DispatchSuggestion').implement({
  description: 'Where a line suggests dispatching a case (D34).',
  fields: (t) => ({
    unit: t.field({ type: OrgUnitRef, resolve: (s) => tag('OrgUnit', s.unit) }),
    reason: t.exposeString('reason'),
  }),
});

export const ComplaintRef = builder.objectRef<ComplaintRow>('Complaint');

/** D40: a partner reads none of the internal parts of its cases. */
const internal = <T>(ctx: Context, empty: T, read: () => T | Promise<T>): T | Promise<T> => (isPartner(ctx) ? empty : read());

ComplaintRef.implement({
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({ resolve: (c) => toGlobalId('Complaint', c.id) }),
    number: t.exposeString('number'),
    version: t.exposeInt('version'),
    status: t.field({ type: ComplaintStatusEnum, resolve: (c) => c.status }),
    suspended: t.exposeBoolean('suspended'),
    channel: t.field({ type: ChannelEnum, resolve: (c) => c.channel }),
    source: t.field({ type: SourceEnum, resolve: (c) => c.source }),
    businessLine: t.field({
      type: BusinessLineRef,
      nullable: true,
      resolve: (c, _, ctx) => (c.businessLine ? (ctx.services.lines.get(c.businessLine) ?? null) : null),
    }),
    suggestedDispatch: t.field({
      type: DispatchSuggestionRef,
      nullable: true,
      description:
        "Where the case's business line suggests dispatching it (D34), for the province desk; a suggestion, not a decision. Null when the line has none, and for partners.",
      resolve: async (c, _, ctx) => {
        if (ctx.viewer?.kind !== 'user' || !c.businessLine) return null;
        const s = suggestDispatch(ctx.services.lines, c, await ctx.loaders.provinceUnits.load(c.provinceId));
        const unit = s && (await ctx.loaders.unit.load(s.unitId));
        return s && unit ? { unit, reason: s.reason } : null;
      },
    }),
    category: t.exposeString('category', { nullable: true }),
    severity: t.field({ type: SeverityEnum, nullable: true, resolve: (c) => c.severity }),
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    customer: t.field({ type: CustomerRef, resolve: (c, _, ctx, info) => customerOf(ctx, c, info) }),
    details: t.field({
      type: 'JSON',
      nullable: true,
      description: "Line-specific details, validated by the business line's plugin; its personal-data fields masked like `customer` (D50).",
      resolve: (c, _, ctx) => detailsOf(ctx, c),
    }),
    contactAt: t.expose('contactAt', { type: 'DateTime' }),
    occurredAt: t.expose('occurredAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the event complained about happened, as given at registration or acceptance (D8).',
    }),
    registeredAt: t.expose('registeredAt', { type: 'DateTime' }),
    acceptedAt: t.expose('acceptedAt', { type: 'DateTime', nullable: true }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
    archivedAt: t.expose('archivedAt', { type: 'DateTime', nullable: true }),
    firstResponder: t.field({
      type: UserRef,
      nullable: true,
      resolve: (c, _, ctx) => internal(ctx, null, () => userField(ctx, c.firstResponderId)),
    }),
    partner: t.field({
      type: PartnerRef,
      nullable: true,
      resolve: (c, _, ctx) => (c.partnerId ? ctx.loaders.partner.load(c.partnerId).then((p) => p && tag('Partner', p)) : null),
    }),
    externalRef: t.exposeString('externalRef', { nullable: true }),
    externalDeadline: t.expose('externalDeadline', {
      type: 'DateTime',
      nullable: true,
      description: "A transfer's own deadline (D9), which replaces the RESOLVE clock.",
    }),
    handlingUnit: t.field({
      type: OrgUnitRef,
      nullable: true,
      resolve: (c, _, ctx) => internal(ctx, null, () => unitField(ctx, c.handlingUnitId)),
    }),
    assignments: t.field({
      type: [AssignmentRef],
      resolve: (c, _, ctx) => internal(ctx, [], () => ctx.loaders.assignments.load(c.id)),
    }),
    investigations: t.field({
      type: [InvestigationRef],
      resolve: (c, _, ctx) => internal(ctx, [], () => ctx.loaders.investigations.load(c.id)),
    }),
    responsibility: t.field({
      type: FindingRef,
      nullable: true,
      description: 'The latest responsibility finding (D12).',
      resolve: (c, _, ctx) => internal(ctx, null, async () => (await ctx.loaders.findings.load(c.id)).at(-1) ?? null),
    }),
    contacts: t.field({ type: [ContactRef], resolve: (c, _, ctx) => ctx.loaders.contacts.load(c.id) }),
    callbacks: t.field({
      type: [CallbackRef],
      resolve: (c, _, ctx) => internal(ctx, [], () => ctx.loaders.callbacks.load(c.id)),
    }),
    escalationLevel: t.int({ resolve: (c, _, ctx) => (isPartner(ctx) ? 0 : c.escalationLevel) }),
    supervisionNotes: t.field({
      type: [SupervisionNoteRef],
      resolve: (c, _, ctx) => internal(ctx, [], () => ctx.loaders.supervisionNotes.load(c.id)),
    }),
    reopenCount: t.exposeInt('reopenCount'),
    rejectionReason: t.field({ type: RejectionReasonEnum, nullable: true, resolve: (c) => c.rejectionReason }),
    clocks: t.field({ type: [SlaClockRef], resolve: (c, _, ctx) => ctx.loaders.clocks.load(c.id) }),
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
    description: 'By global ID or case number; null when absent or not readable (D54), or when the ID is malformed (D57).',
    args: { id: t.arg.id(), number: t.arg.string() },
    resolve: async (_, args, ctx) => {
      if (args.id != null) return loadComplaint(ctx, idOf(args.id, 'Complaint'));
      if (args.number != null) {
        const [row] = await ctx.db.select().from(complaints).where(eq(complaints.number, args.number.trim()));
        return readable(ctx, row);
      }
      return null;
    },
  }),
}));
