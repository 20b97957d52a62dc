import { and, gt, sql } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { complaintSubject } from '../auth/complaint-rules.js';
import { eventFilterRefusal, visibleEventActions } from '../auth/guards.js';
import { complaintEvents } from '../db/schema.js';
import type { ComplaintRow } from '../domain/lifecycle.js';
import { caseAtEvent, type EventRow, feedFor, readEvents, sameCase } from '../live/feed.js';
import { builder } from './builder.js';
import { ClockKindEnum, ComplaintRef, readable } from './complaint.js';
import { audienceOf, type Context } from './context.js';
import { documented } from './enum-docs.js';
import {
  ComplaintEventFilterRef,
  ComplaintEventRef,
  checkEventFilter,
  eventCursor,
  eventsWhere,
} from './events.js';
import { idOf } from './global-id.js';
import { checkSlot, type LiveSink, liveSink, SUBSCRIBER_BUFFER } from './live-rows.js';
import { relearnCase } from './loaders.js';
import { unitPathOf } from './org-unit.js';

/**
 * Live feeds (D13, D21, D40): `complaintEvents` and `slaAlerts` over
 * graphql-ws, fed by the instance's EventFeed (src/live/feed.ts). Each
 * event is checked against the subscriber's ability and filter with the case
 * as it is at that moment.
 */

/** The close code for a consumer that cannot keep up (a socket that fills its buffer). */
export const SLOW_CONSUMER_CLOSE = 4429;
/** An event subscriber too slow is cut off with its socket. */
const SLOW_EVENTS = { what: 'event', close: SLOW_CONSUMER_CLOSE };

type Filter = {
  unitId?: string | null;
  complaintId?: string | null;
  severity?: readonly string[] | null;
  actions?: readonly string[] | null;
};

/** The filter as an in-memory predicate over (event, case now). */
async function matcher(ctx: Context, filter: Filter | null | undefined) {
  const refused = eventFilterRefusal(
    ctx.viewer,
    filter as Record<string, unknown> | null | undefined,
  );
  if (refused) throw new GraphQLError(refused, { extensions: { code: 'FORBIDDEN' } });
  checkEventFilter(filter);
  const unitPath = await unitPathOf(ctx, filter?.unitId);
  const complaintId =
    filter?.complaintId != null ? (idOf(filter.complaintId, 'Complaint') ?? false) : null;
  const visible = visibleEventActions(ctx.viewer); // D40: a partner's feed has only the events that speak to it
  // The cheap filters first; the ability (seats, CASL) only for what they let through.
  return (e: EventRow, c: ComplaintRow) =>
    (visible === null || visible.includes(e.action)) &&
    (unitPath === null || (unitPath !== false && c.handlingPath.startsWith(unitPath))) &&
    (complaintId === null || e.complaintId === complaintId) &&
    (!filter?.severity?.length || (c.severity !== null && filter.severity.includes(c.severity))) &&
    (!filter?.actions?.length || filter.actions.includes(e.action)) &&
    ctx.ability.can('read', complaintSubject(c));
}

/**
 * A live stream of the events `accepts` lets through, optionally replaying
 * the log after `after` first. Live events arriving during the replay wait
 * in a buffer and are released after it, skipping what the replay already
 * gave: no gap and no duplicate at the seam.
 */
async function stream<T>(
  ctx: Context,
  group: string,
  accepts: (e: EventRow, c: ComplaintRow) => boolean,
  map: (e: EventRow) => T,
  replay?: { after: bigint; where: Parameters<typeof and>[0] },
): Promise<AsyncIterableIterator<T>> {
  const feed = await feedFor(ctx.services.database);
  let last = replay?.after ?? -1n;
  let replaying = !!replay;
  const waiting: EventRow[] = [];
  const send = (sink: LiveSink<T>, e: EventRow) => {
    if (e.position <= last) return;
    last = e.position;
    sink.offer(map(e));
  };
  const sink = await liveSink<T>(ctx, SLOW_EVENTS, (sink) =>
    feed.subscribe({
      group,
      accepts,
      deliver: (e) => {
        if (sink.queue.done) return;
        if (!replaying) return send(sink, e);
        // Over the cap while still catching up: cut off. Sending it now would overtake the replay.
        if (waiting.length >= SUBSCRIBER_BUFFER) return sink.cutOff();
        waiting.push(e);
      },
    }),
  );
  const { queue } = sink;
  if (replay) {
    void (async () => {
      try {
        for (;;) {
          const rows = await readEvents.select(
            ctx.db,
            and(replay.where, gt(complaintEvents.position, last)),
            sql`order by ${complaintEvents.position} limit 200`,
          );
          for (const e of rows) {
            last = e.position;
            queue.push(map(e));
          }
          await queue.drained(); // a page at a time: the log is read as fast as the subscriber takes it
          if (queue.done || rows.length < 200) break;
        }
        replaying = false;
        for (const e of waiting.splice(0)) send(sink, e);
      } catch (e) {
        queue.end(e);
      }
    })();
  }
  return queue;
}

/**
 * Before a live event's selection runs in a subscriber's context (once per
 * audience, src/live/shared-subscriptions.ts): the context's loaders learn
 * the case as the feed read it with the event, and forget its children, so
 * a long-lived subscription never answers from what it loaded before.
 */
export function learnEvent(ctx: Context, payload: unknown) {
  const c = typeof payload === 'object' && payload !== null ? caseAtEvent(payload) : undefined;
  if (c) relearnCase(ctx.loaders, c);
}

type AlertRow = {
  kind: 'WARNING' | 'BREACH';
  clock: string;
  complaintId: string;
  dueAt: Date;
  at: Date;
  position: bigint;
};

const SlaAlertKindEnum = builder.enumType('SlaAlertKind', {
  description: 'Which threshold a clock crossed.',
  values: documented(['WARNING', 'BREACH'] as const, {
    WARNING: 'The clock passed 80 % of its budget (configurable).',
    BREACH: 'The clock passed its due time.',
  }),
});

const SlaAlertRef = builder.objectRef<AlertRow>('SlaAlert').implement({
  description:
    'A clock of a case crossed its warning threshold or its due time: an SLA_WARNING or SLA_BREACH event of the log, raised once across all server instances (D21, D22).',
  fields: (t) => ({
    kind: t.field({
      type: SlaAlertKindEnum,
      description: 'Warning or breach.',
      resolve: (a) => a.kind,
    }),
    clock: t.field({
      type: ClockKindEnum,
      description: 'Which clock.',
      resolve: (a) => a.clock as never,
    }),
    complaint: t.field({
      type: ComplaintRef,
      description: 'The case.',
      resolve: async (a, _, ctx) => readable(ctx, await ctx.loaders.complaint.load(a.complaintId))!,
    }),
    dueAt: t.expose('dueAt', { type: 'DateTime', description: 'When the clock is (or was) due.' }),
    at: t.expose('at', { type: 'DateTime', description: 'When the alert was raised.' }),
    cursor: t.string({
      nullable: true,
      description: "The alert's event cursor (D56): pass it as `after` to resume.",
      resolve: (a) => eventCursor.encode(a.position),
    }),
  }),
});

const ALERTS = ['SLA_WARNING', 'SLA_BREACH'];

const alerts = new WeakMap<EventRow, AlertRow>();
/** An alert event as an SlaAlert; one object per event, so subscribers can share its execution. */
function alertOf(e: EventRow): AlertRow {
  let a = alerts.get(e);
  if (!a) {
    const p = (e.payload ?? {}) as { clock?: string; dueAt?: string };
    const kind = e.action === 'SLA_WARNING' ? 'WARNING' : 'BREACH';
    alerts.set(
      e,
      (a = {
        kind,
        clock: p.clock ?? 'RESOLVE',
        complaintId: e.complaintId,
        dueAt: new Date(p.dueAt ?? e.at),
        at: e.at,
        position: e.position,
      }),
    );
    sameCase(a, e);
  }
  return a;
}

builder.subscriptionType({
  description:
    'Live feeds over WebSocket (graphql-ws protocol, at /graphql; send the token as `authorization: "Bearer …"` or a partner key as `apiKey` in connection_init) or SSE. Each feed resumes without loss from a saved cursor with `after`. At most 20 subscriptions per socket (TOO_MANY_SUBSCRIPTIONS); a subscriber that does not keep up is ended with SLOW_CONSUMER; a disabled user\'s subscriptions end with UNAUTHENTICATED.',
});
builder.subscriptionFields((t) => ({
  complaintEvents: t.field({
    type: ComplaintEventRef,
    description:
      'Events the viewer may see, live, in commit order; `after` replays what was missed since that cursor first, then goes on live. A partner gets the events of its own cases that speak to it (D40); a first responder those of the cases they first answered (D10); a duty manager follows MAJOR and URGENT cases with `filter: { severity: [MAJOR, URGENT] }` (D13).',
    args: {
      filter: t.arg({
        type: ComplaintEventFilterRef,
        description: 'Which events; none: all the viewer may see.',
      }),
      after: t.arg.string({
        description:
          'The cursor of the last event you processed: the events after it are replayed first (exclusive).',
      }),
    },
    subscribe: async (_, args, ctx) => {
      checkSlot(ctx); // refused here, a GraphQL error of the operation; the stream claims the slot when it starts
      const accepts = await matcher(ctx, args.filter);
      const after = eventCursor.decode(args.after, 'after');
      const replay =
        after !== null ? { after, where: await eventsWhere(ctx, args.filter) } : undefined;
      // One decision per event for every subscription of the same audience and filter.
      const group = `complaintEvents\n${audienceOf(ctx)}\n${JSON.stringify(args.filter ?? null)}`;
      return stream(ctx, group, accepts, (e) => e, replay);
    },
    resolve: (e) => e,
  }),
  slaAlerts: t.field({
    type: SlaAlertRef,
    description:
      'SLA warnings and breaches of the cases the viewer reads, live: what a duty manager watches (D21). `after` replays the alerts raised since that cursor first (D21, D56), so nothing raised while disconnected is lost. Staff only in effect: a partner may not use `unitId` (FORBIDDEN) and sees no alerts.',
    args: {
      unitId: t.arg.id({
        description: "Only the alerts of cases handled anywhere in this unit's subtree.",
      }),
      after: t.arg.string({
        description:
          'The cursor of the last alert you processed (`SlaAlert.cursor`): the alerts after it are replayed first (exclusive).',
      }),
    },
    subscribe: async (_, args, ctx) => {
      checkSlot(ctx);
      const filter = { unitId: args.unitId, actions: ALERTS };
      const base = await matcher(ctx, filter);
      // D21: alerts are events of the log, so a duty manager's feed resumes from an alert's cursor like the event feed.
      const after = eventCursor.decode(args.after, 'after');
      const replay = after !== null ? { after, where: await eventsWhere(ctx, filter) } : undefined;
      return stream(
        ctx,
        `slaAlerts\n${audienceOf(ctx)}\n${args.unitId ?? ''}`,
        base,
        alertOf,
        replay,
      );
    },
    resolve: (a) => a,
  }),
}));
