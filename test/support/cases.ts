import { eq } from 'drizzle-orm';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import type { Viewer } from '../../src/auth/viewer.js';
import type { Db } from '../../src/db/client.js';
import { complaintColumns, complaints } from '../../src/db/schema.js';
import type { CaseAction, Env, Inputs, RegisterInput, Who } from '../../src/domain/complaints.js';
import { registerComplaint, transition } from '../../src/domain/complaints.js';
import { TRANSFER_SOURCES } from '../../src/domain/enums.js';
import { DomainError } from '../../src/domain/errors.js';
import type { ComplaintRow } from '../../src/domain/lifecycle.js';
import { DAY } from './time.js';
import type { World } from './world.js';

export { DAY, HOUR } from './time.js';

export const aComplaint = (over: Partial<RegisterInput> = {}): RegisterInput => ({
  channel: 'PHONE',
  title: 'No signal at home',
  description: 'Since Monday the phone shows no signal in the flat.',
  customer: {
    name: '张三',
    phone: '13812345678',
    address: '广东省广州市天河区体育西路1号',
    accountNumber: 'ACC-0001-2345',
  },
  ...over,
});

/** The DomainError a domain call is refused with (fails the test when it succeeds; other errors pass through). */
export async function refusal(call: Promise<unknown>, what = 'the call') {
  try {
    await call;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error(`${what} was expected to be refused`);
}

/** The classification most tests accept a case with (§3): a mobile network fault, ORDINARY. */
export const MOBILE = {
  businessLine: 'mobile',
  category: 'NETWORK_TECHNICAL',
  severity: 'ORDINARY',
} as const;

/**
 * The event actions (D56) of a case taken through a city unit from registration to ARCHIVE,
 * with `investigations` findings recorded on the way: one event per step, none for clocks.
 */
export const cityTrail = (investigations = 1) => [
  'REGISTER',
  'ACCEPT',
  'DISPATCH',
  'ACKNOWLEDGE',
  ...Array<string>(investigations).fill('RECORD_INVESTIGATION'),
  'DETERMINE_RESPONSIBILITY',
  'SUBMIT_REPORT',
  'CONFIRM_REPORT',
  'REVIEW_REPORT',
  'REPLY_TO_CUSTOMER',
  'RECORD_CALLBACK',
  'ARCHIVE',
];

/** How far down the dispatch chain a case goes on its way (D7, D11). */
export type Route = 'city' | 'county' | 'centre';

/**
 * The lifecycle engine driven directly (no GraphQL), as one user or another,
 * inside a test's transaction: short, readable set-ups for every state.
 */
export function engine(world: World, db: Db) {
  const env: Env = { db, clock: world.clock, lines: world.lines, config: world.config };
  const who = (v: string | Viewer): Who => {
    const viewer = typeof v === 'string' ? (v === 'partner' ? world.partner : world.staff[v]) : v;
    if (!viewer) throw new Error(`no fixture user ${String(v)}`);
    return { viewer, ability: defineAbilityFor(viewer) };
  };
  const deadline = (days = 5) => new Date(world.clock.now().getTime() + days * DAY);

  const e = {
    env,
    who,
    deadline,
    register: (as: string | Viewer = 'gd.agent', over: Partial<RegisterInput> = {}) =>
      registerComplaint(env, who(as), aComplaint(over)),
    act: <A extends CaseAction>(
      as: string | Viewer,
      action: A,
      c: { id: string },
      input: Inputs[A],
      expectedVersion?: number,
    ) => transition(env, who(as), action, c.id, input, expectedVersion),
    /** The DomainError an action is refused with (fails the test when it succeeds). */
    refused: <A extends CaseAction>(
      as: string | Viewer,
      action: A,
      c: { id: string },
      input: Inputs[A],
      expectedVersion?: number,
    ) =>
      refusal(
        transition(env, who(as), action, c.id, input, expectedVersion),
        `${action} by ${String(as)}`,
      ),
    reload: async (c: { id: string }) =>
      (await db.select(complaintColumns).from(complaints).where(eq(complaints.id, c.id)))[0]!,

    accepted: async (
      over: Partial<RegisterInput> = {},
      line = 'mobile',
      severity: 'ORDINARY' | 'MAJOR' | 'URGENT' = 'ORDINARY',
    ) => {
      const c = await e.register(
        over.source && over.source !== 'CUSTOMER' ? 'gd.legal' : 'gd.agent',
        over,
      );
      const by = c.legalOwned ? 'gd.legal' : 'gd.agent';
      return e.act(by, 'ACCEPT', c, { ...MOBILE, businessLine: line, severity });
    },
    /** INVESTIGATING at GD-GZ (city), GD-GZ-TH (county, via the city) or GD-BC (centre). */
    investigating: async (
      route: Route = 'city',
      over: Partial<RegisterInput> = {},
      line = 'mobile',
    ) => {
      const c = await e.accepted(over, line);
      const by = c.legalOwned ? 'gd.legal' : 'gd.agent';
      const to = route === 'centre' ? 'GD-BC' : 'GD-GZ';
      let x = await e.act(by, 'DISPATCH', c, {
        toUnitId: world.units[to]!.id,
        deadline: deadline(),
      });
      x = await e.act(route === 'centre' ? 'bc.handler' : 'gz.handler', 'ACKNOWLEDGE', x, {});
      if (route !== 'county') return x;
      x = await e.act('gz.handler', 'DELEGATE', x, {
        toUnitId: world.units['GD-GZ-TH']!.id,
        deadline: deadline(4),
      });
      return e.act('th.handler', 'ACKNOWLEDGE', x, {});
    },
    /** An ACCEPTED case dispatched to GD-SZ and delegated to its county GD-SZ-NS: INVESTIGATING there (D7). */
    atNanshan: async (c: { id: string }) => {
      let x = await e.act('gd.agent', 'DISPATCH', c, {
        toUnitId: world.units['GD-SZ']!.id,
        deadline: deadline(),
      });
      x = await e.act('sz.handler', 'ACKNOWLEDGE', x, {});
      x = await e.act('sz.handler', 'DELEGATE', x, {
        toUnitId: world.units['GD-SZ-NS']!.id,
        deadline: deadline(4),
      });
      return e.act('ns.handler', 'ACKNOWLEDGE', x, {});
    },
    /** A walk-in at the Tianhe hall (its first responder, D10), accepted as PROCESS and dispatched to GD-SZ. */
    walkIn: async (details?: Record<string, unknown>) => {
      const c = await e.register('th.handler', {
        channel: 'VISIT',
        title: 'Walk-in at the Tianhe hall',
      });
      const accepted = await e.act('gd.agent', 'ACCEPT', c, {
        businessLine: 'mobile',
        category: 'PROCESS',
        severity: 'ORDINARY',
        ...(details && { details }),
      });
      return e.act('gd.agent', 'DISPATCH', accepted, {
        toUnitId: world.units['GD-SZ']!.id,
        deadline: deadline(),
      });
    },
    handlerOf: (route: Route) =>
      route === 'centre' ? 'bc.handler' : route === 'county' ? 'th.handler' : 'gz.handler',
    /** The handler of an INVESTIGATING case records a finding and a responsibility (D12) and submits the report. */
    report: async (
      c: { id: string },
      handler: string,
      remedy: Inputs['DETERMINE_RESPONSIBILITY']['remedy'] = { kind: 'COMPENSATION', amount: 20 },
    ) => {
      await e.act(handler, 'RECORD_INVESTIGATION', c, {
        kind: 'INITIAL',
        findings: 'Cell GZ-0042 was down for maintenance.',
      });
      await e.act(handler, 'DETERMINE_RESPONSIBILITY', c, {
        nature: 'VALID',
        rootCause: 'Maintenance without notice',
        remedy,
      });
      return e.act(handler, 'SUBMIT_REPORT', c, {});
    },
    /** A finding recorded and the report submitted by the handling unit. */
    reported: async (route: Route = 'city', over: Partial<RegisterInput> = {}, line = 'mobile') =>
      e.report(await e.investigating(route, over, line), e.handlerOf(route)),
    /** RESOLVED by the province's approval, through every step of D11 for the route. */
    resolved: async (route: Route = 'city', over: Partial<RegisterInput> = {}, line = 'mobile') => {
      let c = await e.reported(route, over, line);
      if (route === 'county') c = await e.act('gz.handler', 'REVIEW_REPORT', c, { approve: true });
      if (route !== 'centre') c = await e.act('gz.leader', 'CONFIRM_REPORT', c, { approve: true });
      return e.act(c.legalOwned ? 'gd.legal' : 'gd.agent', 'REVIEW_REPORT', c, { approve: true });
    },
    replied: async (route: Route = 'city', over: Partial<RegisterInput> = {}, line = 'mobile') => {
      const c = await e.resolved(route, over, line);
      return e.act(c.legalOwned ? 'gd.legal' : 'gd.agent', 'REPLY_TO_CUSTOMER', c, {
        method: 'PHONE',
        content: 'The cell is back; 20 yuan credited.',
      });
    },
    closed: async (route: Route = 'city', over: Partial<RegisterInput> = {}, line = 'mobile') => {
      const c = await e.replied(route, over, line);
      // D14: a county's work is called back by its city, a billing dispute a city handled by that city.
      const caller =
        route === 'county' || (route === 'city' && line === 'billing-dispute')
          ? 'gz.handler'
          : c.legalOwned
            ? 'gd.legal'
            : 'gd.agent';
      // D74: a transfer closes only once its feedback to the transferring body is recorded.
      if (TRANSFER_SOURCES.includes(c.source))
        await e.act('gd.legal', 'RECORD_TRANSFER_FEEDBACK', c, {
          method: 'LETTER',
          content: 'Resolved; reported back.',
        });
      return e.act(caller, 'RECORD_CALLBACK', await e.reload(c), { result: 'SATISFIED' });
    },
    archived: async () => e.act('gd.agent', 'ARCHIVE', await e.closed(), {}),
  };
  return e;
}

export type Engine = ReturnType<typeof engine>;
export type { ComplaintRow };
