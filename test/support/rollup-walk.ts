import { and } from 'drizzle-orm';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import { readCover } from '../../src/auth/read-cover.js';
import { complaintsWhere } from '../../src/auth/sql.js';
import type { Viewer } from '../../src/auth/viewer.js';
import type { Db } from '../../src/db/client.js';
import { DEFAULT_KINDS, kindsWhere } from '../../src/domain/complaint-list.js';
import { type CaseAction, transition, viewerActions } from '../../src/domain/complaints.js';
import { type ContactKind, TRANSFER_SOURCES } from '../../src/domain/enums.js';
import { DomainError } from '../../src/domain/errors.js';
import type { ComplaintRow } from '../../src/domain/lifecycle.js';
import { unitById } from '../../src/domain/org.js';
import type { StatsCover } from '../../src/domain/stats-rollup.js';
import { formatDateTime } from '../../src/graphql/datetime.js';
import { shanghaiMidnight } from '../../src/sla/calendar.js';
import { validInputs } from '../lifecycle/kit.js';
import { DAY, type Engine, HOUR } from './cases.js';
import type { prng } from './random.js';
import { STAFF, type World } from './world.js';

/**
 * The random walk of the statistics rollups' property tests (issue 25, D59):
 * registrations of every kind, source and route, random transitions each by a
 * viewer it is listed for, and the viewers' read rules as the resolvers build
 * them. Used by test/stats/rollup.test.ts, count-rollup.test.ts and
 * measures.test.ts.
 */

export type Rand = ReturnType<typeof prng>;

/** Registrations of every kind, source and registrar the fixture has (D9, D41, D70), and cases being worked. */
export const REGISTRATIONS: ((e: Engine) => Promise<{ id: string }>)[] = [
  (e) => e.register('gd.agent'),
  (e) => e.register('gd.agent', { channel: 'ONLINE', source: 'CUSTOMER' }),
  (e) => e.register('th.handler', { channel: 'VISIT', title: 'Walk-in' }),
  (e) => e.register('gd.legal', { source: 'GOVERNMENT_TRANSFER' }),
  (e) => e.register('th.duty', { kind: 'CONSULTATION', channel: 'ONLINE' }),
  (e) => e.register('gz.handler', { kind: 'BUSINESS_REQUEST', channel: 'PHONE' }),
  (e) => e.register('bc.handler', { kind: 'FAULT_REPORT', channel: 'PHONE' }),
  (e) =>
    e.register('partner', {
      channel: 'API',
      businessLine: 'interconnection',
      category: 'SMS_BLOCKING',
    }),
  (e) => e.register('zj.agent'),
  (e) => e.accepted({}, 'broadband', 'MAJOR'),
  (e) => e.investigating('county'),
  (e) => e.investigating('centre'),
];

/** The registrations above and cases already resolved, replied and closed (the measures' walk). */
export const REGISTRATIONS_FAR_ALONG: ((e: Engine) => Promise<{ id: string }>)[] = [
  ...REGISTRATIONS,
  (e) => e.resolved('county'),
  (e) => e.replied('city'),
  (e) => e.closed('county'),
  (e) => e.closed('centre'),
];

/** Valid input for an action on this case, as test/privacy/viewer-actions-property.test.ts makes it. */
export function inputFor(w: World, c: ComplaintRow, viewer: Viewer, action: CaseAction): unknown {
  const inputs = validInputs(w);
  const county = Object.values(w.units).find(
    (u) => u.parentId === c.handlingUnitId && u.level === 'COUNTY',
  );
  const soon = new Date(w.clock.now().getTime() + HOUR);
  const fault = c.kind === 'FAULT_REPORT';
  switch (action) {
    case 'DISPATCH':
      return fault ? { ...inputs.DISPATCH, deadline: soon } : inputs.DISPATCH;
    case 'DELEGATE':
      return { ...inputs.DELEGATE, toUnitId: county?.id ?? null, ...(fault && { deadline: soon }) };
    case 'RECORD_CALLBACK':
      return TRANSFER_SOURCES.includes(c.source) && !c.transferFeedbackAt
        ? { result: 'UNSATISFIED', note: 'Still broken' }
        : inputs.RECORD_CALLBACK;
    case 'HAND_OVER_SUPERVISION':
      return { toUserId: viewer.id };
    case 'ACCEPT':
      return {
        ...inputs.ACCEPT,
        businessLine: c.businessLine ?? 'mobile',
        category: c.category ?? 'NETWORK_TECHNICAL',
      };
    default:
      return inputs[action];
  }
}

export const VIEWERS = (w: World): [string, Viewer][] => [
  ...STAFF.map((s) => [s.username, w.staff[s.username]!] as [string, Viewer]),
  ['partner', w.partner],
];

/** One random transition that the engine accepts, on a random case, by a viewer it lists the action for (D60). */
export async function randomTransition(w: World, db: Db, e: Engine, r: Rand, ids: string[]) {
  for (let attempt = 0; attempt < 8; attempt++) {
    const c = await e.reload({ id: r.pick(ids) });
    const candidates = VIEWERS(w).flatMap(([, v]) =>
      viewerActions(e.who(v), c).map((a) => [v, a] as const),
    );
    if (!candidates.length) continue;
    const [viewer, action] = r.pick(candidates);
    try {
      await db.transaction(async (sp) => {
        await transition(
          { ...e.env, db: sp },
          e.who(viewer),
          action,
          c.id,
          inputFor(w, c, viewer, action) as never,
        );
      });
      return action;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
    }
  }
  return null;
}

/** What the GraphQL resolvers give the statistics for this viewer (src/graphql/stats.ts), built the same way. */
export async function readingOf(
  w: World,
  db: Db,
  viewer: Viewer,
  kinds: readonly ContactKind[] | null,
) {
  const ability = defineAbilityFor(viewer, w.lines.abilities);
  const everyKind = complaintsWhere(ability, 'read');
  const readable = and(everyKind, kindsWhere(kinds))!;
  const rc = readCover(ability);
  const cover: StatsCover | null = rc && {
    units: (await Promise.all(rc.units.map((id) => unitById(db, id)))).map((u) => u!),
    me: rc.me,
    kinds: kinds ?? DEFAULT_KINDS,
  };
  return { everyKind, readable, cover };
}

/**
 * The walk's next instant: 0–30 hours on, and one step in five 4–12 days on, so that a walk of a few dozen steps
 * spans two months or more and the windows below hold whole months (the month rollups of migration 0024).
 */
export function nextInstant(r: Rand, now: Date): Date {
  const by = r.next() < 1 / 5 ? (4 + r.next() * 8) * DAY : r.next() * 30 * HOUR;
  return new Date(now.getTime() + Math.floor(by));
}

/** A random instant of [start, end) at the first Shanghai midnight of its month (a whole month's edge). */
export function monthStart(r: Rand, start: Date, end: Date): Date {
  const t = new Date(start.getTime() + Math.floor(r.next() * (end.getTime() - start.getTime())));
  return shanghaiMidnight(`${formatDateTime(t).slice(0, 7)}-01`);
}

/**
 * A window [from, to): Shanghai midnights mostly (a first of the month among them), odd instants otherwise; one in
 * three holds a whole month of the walk and reaches past it on either side by nothing, whole days or an odd instant.
 */
export function randomWindow(r: Rand, start: Date, end: Date): [Date, Date] {
  const span = end.getTime() - start.getTime();
  const instant = () => new Date(start.getTime() + Math.floor(r.next() * span));
  const midnight = () => shanghaiMidnight(formatDateTime(instant()).slice(0, 10));
  const pick = () => {
    const x = r.next();
    return x < 0.35 ? midnight() : x < 0.6 ? monthStart(r, start, end) : instant();
  };
  if (r.next() < 1 / 3) {
    const m = monthStart(r, start, end);
    const next = monthStart(r, new Date(m.getTime() + 32 * DAY), new Date(m.getTime() + 33 * DAY));
    const by = () => (r.chance(0.4) ? 0 : r.chance(0.5) ? r.int(12) * DAY : r.next() * 12 * DAY);
    return [new Date(m.getTime() - Math.floor(by())), new Date(next.getTime() + Math.floor(by()))];
  }
  let [a, b] = [pick(), pick()];
  if (a.getTime() > b.getTime()) [a, b] = [b, a];
  if (a.getTime() === b.getTime()) b = new Date(a.getTime() + DAY);
  return [a, b];
}
