import { randomUUID } from 'node:crypto';
import { and, eq, gte, lte, ne, type SQL, sql } from 'drizzle-orm';
import { registrarOf } from '../auth/complaint-rules.js';
import type { Viewer } from '../auth/viewer.js';
import { type Db, keepPlans, rowsOf } from '../db/client.js';
import { rowReader } from '../db/rows.js';
import { caseNumberSequences, complaintColumns, complaints, slaClocks } from '../db/schema.js';
import { appendEvent } from '../events/append.js';
import { shanghaiDate } from '../sla/calendar.js';
import { budgetFor, type ClockCtx, clockRows, dueAtAmong, lazyCalendar } from '../sla/clocks.js';
import { actorOf, afterCommitted, type Env, type Who } from './complaint-env.js';
import { INPUT } from './complaint-inputs.js';
import { handledBy, type NewComplaint } from './complaint-steps.js';
import { answerBudget } from './contacts.js';
import {
  ANSWERED_KINDS,
  type Channel,
  type ContactKind,
  type Source,
  TRANSFER_SOURCES,
} from './enums.js';
import { validation } from './errors.js';
import { registrationCount } from './hotspots.js';
import { futureDeadline, LIMITS, pastInstant, phone, text } from './input.js';
import type { ComplaintRow } from './lifecycle.js';
import { type OrgUnit, unitById } from './org.js';
import type { BusinessLinePlugin } from './plugin.js';

/**
 * The lifecycle table's first row (D5, D8, D9, D10, D31, D41, D53, D70, D74):
 * a new case, RECEIVED at its province, numbered, with its first clocks and
 * its REGISTER event; `insertCase` also writes the complaint a contact is
 * converted into (D71).
 */

export type RegisterInput = {
  channel: Channel;
  source?: Source | null;
  businessLine?: string | null;
  /** Partners name a category at submission. */
  category?: string | null;
  title: string;
  description: string;
  customer: { name: string; phone: string; address?: string | null; accountNumber?: string | null };
  details?: unknown;
  contactAt?: Date | null;
  /** D8: when the event happened; the acceptance window is measured back to it. */
  occurredAt?: Date | null;
  externalDeadline?: Date | null;
  externalRef?: string | null;
  /** D70: what the contact is (default COMPLAINT). */
  kind?: ContactKind | null;
  /** D74: for transfers, the body that transferred the case. */
  transferredBy?: string | null;
};

const REPEAT_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * D31: the same customer and line within 30 days before this registration.
 * An expression the case's own insert or update computes (issue 25: no round
 * trip of its own); `false` when there is no line yet.
 */
export function isRepeat(
  phoneNumber: string,
  line: string | null,
  at: Date,
  exceptId?: string,
): SQL | boolean {
  if (!line) return false;
  const conds = [
    eq(complaints.customerPhone, phoneNumber),
    eq(complaints.businessLine, line),
    gte(complaints.registeredAt, new Date(at.getTime() - REPEAT_WINDOW_MS)),
    lte(complaints.registeredAt, at),
  ];
  if (exceptId) conds.push(ne(complaints.id, exceptId));
  return sql`exists (select 1 from ${complaints} where ${and(...conds)})`;
}

const readComplaint = rowReader(complaints, ['searchGrams']);

/**
 * D5: `<PROVINCE><YYYYMMDD><000001>`, numbered per province and Shanghai day:
 * the number of a case inserted by the statement this expression is part of,
 * which must also run `counterOf` as its CTE `counter`. The counter row's lock
 * serialises a province's registrations until they commit, so it is taken in
 * the registration's last statement but the event's (issue 25): only the event
 * and the commit follow while the row is locked. Numbers stay unique and never
 * reused (a rollback takes the counter back with the case, so a day's numbers
 * have no gaps), and within a province and day they follow the order in which
 * the registrations commit, which is their REGISTER events' order.
 */
const numberFromCounter = (provinceCode: string, day: string) =>
  sql`(select ${`${provinceCode}${day}`} || lpad(serial::text, greatest(6, length(serial::text)), '0') from counter)`;

const counterOf = (provinceCode: string, day: string) => {
  const s = caseNumberSequences;
  return sql`insert into ${s} as s (${sql.identifier(s.provinceCode.name)}, ${sql.identifier(s.day.name)}, ${sql.identifier(s.last.name)})
    values (${provinceCode}, ${day}, 1)
    on conflict (${sql.identifier(s.provinceCode.name)}, ${sql.identifier(s.day.name)}) do update set ${sql.identifier(s.last.name)} = s.${sql.identifier(s.last.name)} + 1
    returning s.${sql.identifier(s.last.name)} as serial`;
};

/** Who registers, for which province (D53, D9, D41), or a FORBIDDEN refusal: decided in src/auth. */
function registrar(viewer: Viewer, input: RegisterInput, line: BusinessLinePlugin | null) {
  return registrarOf(viewer, {
    source: input.source ?? 'CUSTOMER',
    channel: input.channel,
    partnerOnlyLine: line?.registeredBy === 'PARTNERS_AND_LEGAL',
    kind: input.kind ?? 'COMPLAINT',
  });
}

/** The table's first row: a new case, RECEIVED, held by its province (D53), numbered (D5), with its first responder (D10). */
export async function registerComplaint(
  env: Env,
  who: Who,
  input: RegisterInput,
): Promise<ComplaintRow> {
  const { viewer } = who;
  // D55: FORBIDDEN (who may register) before VALIDATION (the input): an unknown line is reported after the registrar check.
  const line = input.businessLine ? (env.lines.get(input.businessLine) ?? null) : null;
  const { provinceId, legal } = registrar(viewer, input, line);
  if (input.businessLine && !line) env.lines.require(input.businessLine, INPUT('businessLine'));
  const source: Source =
    viewer.kind === 'partner' ? 'PARTNER_CARRIER' : (input.source ?? 'CUSTOMER');
  const kind: ContactKind = viewer.kind === 'partner' ? 'COMPLAINT' : (input.kind ?? 'COMPLAINT');
  const now = env.clock.now();

  // Input (VALIDATION), in the order of the input type's fields.
  if (viewer.kind === 'user' && input.channel === 'API')
    throw validation(INPUT('channel'), 'API is the channel of partner submissions');
  const title = text(input.title, INPUT('title'), { required: true, max: LIMITS.title });
  const description = text(input.description, INPUT('description'), {
    required: true,
    max: LIMITS.description,
  });
  const customerName = text(input.customer.name, ['input', 'customer', 'name'], {
    required: true,
    max: LIMITS.name,
  });
  const customerPhone = phone(input.customer.phone, ['input', 'customer', 'phone']);
  const customerAddress = text(input.customer.address, ['input', 'customer', 'address'], {
    max: LIMITS.address,
  });
  const customerAccount = text(
    input.customer.accountNumber,
    ['input', 'customer', 'accountNumber'],
    { max: LIMITS.accountNumber },
  );
  if (input.category != null && (!line || !env.lines.hasCategory(line.code, input.category))) {
    throw validation(
      INPUT('category'),
      `Category ${input.category} is not one of ${line?.code ?? 'the line'}'s`,
    );
  }
  const details = env.lines.validateDetails(line?.code ?? null, input.details, INPUT('details'));
  const contactAt = input.contactAt ?? now;
  if (Number.isNaN(contactAt.getTime()) || contactAt.getTime() > now.getTime()) {
    throw validation(INPUT('contactAt'), 'contactAt must not lie in the future');
  }
  const occurredAt =
    input.occurredAt != null ? pastInstant(input.occurredAt, now, INPUT('occurredAt')) : null;
  let externalDeadline: Date | null = null;
  if (input.externalDeadline != null) {
    if (!TRANSFER_SOURCES.includes(source)) {
      throw validation(
        INPUT('externalDeadline'),
        'Only a transfer from above carries its own deadline (D9)',
      );
    }
    externalDeadline = futureDeadline(input.externalDeadline, now, null, INPUT('externalDeadline'));
  }
  const externalRef = text(input.externalRef, INPUT('externalRef'), { max: LIMITS.externalRef });
  const transferredBy = text(input.transferredBy, INPUT('transferredBy'), { max: LIMITS.name });
  if (transferredBy && !TRANSFER_SOURCES.includes(source))
    throw validation(
      INPUT('transferredBy'),
      'Only a transfer from above has a transferring body (D74)',
    );

  const { row, event } = await env.db.transaction(async (tx) => {
    await keepPlans(tx);
    const province = (await unitById(tx, provinceId))!;
    await line?.hooks?.beforeTransition?.({
      action: 'REGISTER',
      from: null,
      to: 'RECEIVED',
      category: input.category ?? null,
      details,
    });
    return insertCase(
      env,
      tx,
      province,
      now,
      {
        kind,
        channel: input.channel,
        source,
        businessLine: line?.code ?? null,
        category: input.category ?? null,
        title,
        description,
        customerName,
        customerPhone,
        customerAddress,
        customerAccount,
        details,
        contactAt,
        occurredAt,
        firstResponderId: viewer.kind === 'user' ? viewer.id : null,
        partnerId: viewer.kind === 'partner' ? viewer.id : null,
        externalRef,
        externalDeadline,
        transferredBy,
        legalOwned: legal,
        convertedFromId: null,
      },
      viewer,
    );
  });
  await afterCommitted(env, row.businessLine, row.number, event);
  return row;
}

type CaseFacts = Pick<
  NewComplaint,
  | 'kind'
  | 'channel'
  | 'source'
  | 'businessLine'
  | 'category'
  | 'title'
  | 'description'
  | 'customerName'
  | 'customerPhone'
  | 'customerAddress'
  | 'customerAccount'
  | 'details'
  | 'contactAt'
  | 'occurredAt'
  | 'firstResponderId'
  | 'partnerId'
  | 'externalRef'
  | 'externalDeadline'
  | 'transferredBy'
  | 'legalOwned'
  | 'convertedFromId'
>;

/**
 * Writes a new case, RECEIVED at its province, with its first clocks and its
 * REGISTER event, in the caller's transaction: a registration, or the
 * complaint a contact is converted into (D71).
 */
export async function insertCase(
  env: Env,
  tx: Db,
  province: OrgUnit,
  now: Date,
  f: CaseFacts,
  viewer: Viewer,
) {
  const line = f.businessLine ? (env.lines.get(f.businessLine) ?? null) : null;
  const kind = f.kind ?? 'COMPLAINT';
  const id = randomUUID();
  const clocks: ClockCtx = {
    tx,
    calendar: lazyCalendar(tx),
    complaintId: id,
    at: now,
    warnRatio: env.config.sla.warnRatio,
  };
  const contactAt = f.contactAt ?? now;
  const firstClocks = await clockRows(clocks, [
    { kind: 'REGISTER', startedAt: contactAt, budget: budgetFor('REGISTER', line), stopped: true }, // D6: measured, never alerted
    // D71: consultations, queries and requests are answered, never accepted: no ACCEPT clock.
    ...(ANSWERED_KINDS.includes(kind)
      ? []
      : [{ kind: 'ACCEPT' as const, budget: budgetFor('ACCEPT', line) }]),
    { kind: 'ANSWER', budget: answerBudget(kind, line) },
    // D74: the feedback to the transferring body is due at its own deadline.
    ...(f.externalDeadline && TRANSFER_SOURCES.includes(f.source)
      ? [{ kind: 'FEEDBACK' as const, dueAt: f.externalDeadline, fixed: true }]
      : []),
  ]);
  // D76: the hotspot rollup, in the registration's transaction; like the D5 counter, its row is shared by
  // every registration of the key and minute, so it is taken in the counter's statement and held only to the commit.
  const hotspotMinute = await registrationCount(tx, {
    provinceId: province.id,
    customerAddress: f.customerAddress ?? null,
    businessLine: f.businessLine ?? null,
    registeredAt: now,
  });
  const day = shanghaiDate(now).replaceAll('-', '');
  const insert = tx
    .insert(complaints)
    .values({
      ...f,
      id,
      number: numberFromCounter(province.code, day), // D5
      status: 'RECEIVED',
      registeredAt: now,
      provinceId: province.id,
      ...handledBy(province),
      readerUnits: [province.id],
      isRepeat: isRepeat(f.customerPhone, line?.code ?? null, now),
      dueAt: dueAtAmong(firstClocks),
    })
    .returning(complaintColumns);
  // Issue 25: one statement writes the case once, numbered, with its clocks (their rows' checks and rollup
  // triggers run at its end, the case inserted), the counter and the hotspot minute.
  const [raw] = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`with hotspot_minute as (${hotspotMinute}),
      counter as (${counterOf(province.code, day)}),
      inserted as ${insert},
      clocks as ${tx.insert(slaClocks).values(firstClocks)}
      select ${readComplaint.columns} from inserted`),
  );
  const numbered = readComplaint.map(raw!);
  const { number } = numbered;
  const event = await appendEvent(tx, {
    complaintId: id,
    prevHash: null,
    action: 'REGISTER',
    fromStatus: null,
    toStatus: 'RECEIVED',
    actor: actorOf(viewer),
    at: now,
    payload: {
      number,
      channel: f.channel,
      source: f.source,
      businessLine: line?.code ?? null,
      category: f.category ?? null,
      ...(kind !== 'COMPLAINT' && { kind }),
      ...(f.convertedFromId && { convertedFrom: f.convertedFromId }),
    },
  });
  return { row: { ...numbered, lastEventHash: event.hash }, event };
}
