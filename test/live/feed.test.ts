import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { submitInterconnectionComplaint } from '../../plugins/interconnection/submit.js';
import { rowsOf } from '../../src/db/client.js';
import { appendEvent, EVENTS_CHANNEL } from '../../src/events/append.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { SLOW_CONSUMER_CLOSE } from '../../src/graphql/subscriptions.js';
import { type EventFeed, feedFor } from '../../src/live/feed.js';
import { type App, createApp } from '../../src/server/app.js';
import { type Listening, listen } from '../../src/server/http.js';
import { scanOnce } from '../../src/sla/scanner.js';
import { engine, HOUR } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { accepted, contact, interconnectionInput, investigation } from '../support/inputs.js';
import { T0, useWorld } from '../support/world.js';
import {
  type Collected,
  collect,
  type Ev,
  FEED,
  first,
  type LiveClient,
  positionOf,
  strictlyIncreasing,
  waitFor,
  wsClient,
  wsUrl,
} from './support.js';

/**
 * Live feeds over graphql-ws (D13, D21, D40, D54, D56) on a real port, over
 * the file's committed fixture database: every change here commits, and the
 * EventFeed reads it back from the log (LISTEN/NOTIFY on PostgreSQL, the
 * in-process notifications on PGlite).
 *
 * Where a test is about *who* may see an event, it lets the feed take each
 * change before making the next (`settle`): the feed decides against the case
 * as it is when it reads the event (one read per batch), and the test wants
 * that moment to be the moment of the event. Everywhere else delivery is
 * never driven by hand: events reach subscribers through the database's
 * notifications.
 */
const world = useWorld();

let app: App;
let server: Listening;
let feed: EventFeed;
const clients: LiveClient[] = [];

beforeAll(async () => {
  const w = world();
  app = w.app(w.database.db);
  server = await listen(app, { port: 0, host: '127.0.0.1' });
  feed = await feedFor(w.database);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server?.close();
});

beforeEach(async () => {
  world().clock.set(T0);
  await settle(); // nothing of an earlier test still on its way
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await waitFor(() => feed.size === 0, 'every subscription of the test to end on the server');
});

const gid = (c: { id: string }) => toGlobalId('Complaint', c.id);
const unit = (code: string) => world().units[code]!.id;
const e = () => engine(world(), world().database.db);

/** The inputs of the steps these tests play, by what they do. */
const dispatchTo = (code: string) => ({ toUnitId: unit(code), deadline: e().deadline() });
const delegateToTh = () => ({ toUnitId: unit('GD-GZ-TH'), deadline: e().deadline(4) });

/** The feed has read and offered everything committed so far. */
const settle = async () => {
  await feed.pump();
};

async function as(username: string, server_: Listening = server) {
  const client = wsClient(server_, { authorization: `Bearer ${await world().token(username)}` });
  clients.push(client);
  return client;
}
function asPartner(apiKey: string) {
  const client = wsClient(server, { apiKey });
  clients.push(client);
  return client;
}

/** Subscribes and waits until the server holds the subscription(s). */
async function live<T = Ev>(
  client: LiveClient,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Collected<T>> {
  const before = feed.size;
  const sub = collect<T>(client, query, variables);
  await waitFor(() => feed.size > before || sub.done, 'the subscription to reach the feed');
  if (sub.done) throw new Error(`the subscription ended at once: ${JSON.stringify(sub.error)}`);
  return sub;
}

/** Waits until `sub` holds an event for which `pred` holds. */
const received = (sub: Collected<Ev>, pred: (e: Ev) => boolean, what: string, timeout = 5_000) =>
  waitFor(
    () => sub.items.some(pred),
    () => `${what}; got ${JSON.stringify(sub.items.map((x) => [x.complaint.number, x.action]))}`,
    timeout,
  );

/** The errors an operation was refused with: an `error` message, or a result with errors and no data. */
const refusal = (sub: Collected<unknown>) =>
  Array.isArray(sub.error) ? sub.error : (sub.resultErrors[0] as unknown[] | undefined);
const tooMany = [
  expect.objectContaining({
    extensions: expect.objectContaining({ code: 'TOO_MANY_SUBSCRIPTIONS' }),
  }),
];

const isEvent = (c: { id: string }, action: string) => (x: Ev) =>
  x.complaint.id === gid(c) && x.action === action;
const pairs = (items: Ev[]) => items.map((x) => [x.complaint.id, x.action]);
/** The pairs `pairs` gives, written as runs of one case's actions: `[c, 'A', 'B'], [d, 'C']`. */
const events = (...runs: [{ id: string }, ...string[]][]) =>
  runs.flatMap(([c, ...actions]) => actions.map((action) => [gid(c), action]));

/** The events of the log a staff viewer reads, through the `complaintEvents` query. */
async function queried(username: string, filter: Record<string, unknown>, after?: string) {
  const token = await world().token(username);
  const edges: { cursor: string; node: { action: string; complaint: { id: string } } }[] = [];
  let cursor = after ?? null;
  for (;;) {
    const r = await gql(
      app,
      `query ($filter: ComplaintEventFilter, $after: String) {
        complaintEvents(filter: $filter, first: 100, after: $after) { edges { cursor node { action complaint { id } } } pageInfo { hasNextPage endCursor } }
      }`,
      { filter, after: cursor },
      { token },
    );
    expect(r.errors).toBeUndefined();
    edges.push(...r.data.complaintEvents.edges);
    if (!r.data.complaintEvents.pageInfo.hasNextPage) return edges;
    cursor = r.data.complaintEvents.pageInfo.endCursor;
  }
}

/**
 * `n` progress contacts of the case's holder written straight into the log, in
 * one transaction, chained like the engine chains them: history to replay,
 * without paying for `n` mutations.
 */
async function history(c: { id: string }, n: number) {
  const w = world();
  await w.database.db.transaction(async (tx) => {
    const [row] = rowsOf<{ h: string; status: 'ACCEPTED' }>(
      await tx.execute(sql`select last_event_hash as h, status from complaints where id = ${c.id}`),
    );
    let prev = row!.h;
    for (let i = 0; i < n; i++) {
      const ev = await appendEvent(tx, {
        complaintId: c.id,
        prevHash: prev,
        action: 'CONTACT_CUSTOMER',
        fromStatus: row!.status,
        toStatus: row!.status,
        actor: { kind: 'user', id: w.staff['gd.agent']!.id },
        at: w.clock.now(),
        payload: { method: 'PHONE' },
      });
      prev = ev.hash;
    }
  });
}

/**
 * A burst of `n` events of one case committed at once, written with one
 * statement (their hashes are not chained: only the feed reads them). The
 * advisory lock and the NOTIFY are appendEvent's.
 */
async function burst(c: { id: string }, n: number) {
  await world().database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(5170424031)`);
    await tx.execute(sql`insert into complaint_events (position, complaint_id, action, from_status, to_status, at, payload, hash)
      select nextval('complaint_event_position_seq'), c.id, 'CONTACT_CUSTOMER', c.status, c.status, ${world().clock.now().toISOString()}::timestamptz, '{"method":"PHONE"}'::jsonb, md5(g::text)
      from complaints c, generate_series(1, ${n}::int) g where c.id = ${c.id} order by g`);
    await tx.execute(
      sql`select pg_notify(${EVENTS_CHANNEL}, (select max(position)::text from complaint_events))`,
    );
  });
}

const positionsOf = async (c: { id: string }) =>
  rowsOf<{ p: string }>(
    await world().database.db.execute(
      sql`select position::text as p from complaint_events where complaint_id = ${c.id} order by position`,
    ),
  ).map((r) => BigInt(r.p));

/** A heavy selection: the case's description rides along with every event. */
const HEAVY = `subscription ($filter: ComplaintEventFilter, $after: String) { complaintEvents(filter: $filter, after: $after) { cursor complaint { description } } }`;
const CURSORS = `subscription ($filter: ComplaintEventFilter, $after: String) { complaintEvents(filter: $filter, after: $after) { cursor } }`;

/**
 * The subscriber stops reading (its socket's buffers fill up) while 1,500 more events of `c` commit
 * and the feed offers them all: it must be cut off as a slow consumer (4429).
 */
async function stallUntilCutOff(client: LiveClient, sub: Collected<unknown>, c: { id: string }) {
  client.socket()!.pause();
  await burst(c, 1_500); // more than it may hold back
  await settle(); // the feed has offered all of them to it
  client.socket()!.resume();
  await waitFor(
    () => sub.done,
    () => `the subscriber to be cut off; got ${sub.items.length}`,
    20_000,
  );
  expect(client.closes.map((cl) => cl.code)).toEqual([SLOW_CONSUMER_CLOSE]);
}

/**
 * What a cut-off `sub` got is the start of the log `all`, in order, with no gap; resubscribed after
 * its last cursor it gets the rest: together the log, once each.
 */
async function resumeRest(sub: Collected<{ cursor: string }>, all: bigint[]) {
  const got = sub.items.map((ev) => positionOf(ev.cursor));
  expect(got.length).toBeLessThan(all.length);
  expect(got).toEqual(all.slice(0, got.length));
  const last = sub.items.at(-1)!.cursor;
  const complaintId = (
    await world()
      .database.db.execute(
        sql`select complaint_id as id from complaint_events where position = ${positionOf(last).toString()}::bigint`,
      )
      .then((r) => rowsOf<{ id: string }>(r))
  )[0]!.id;
  const client = await as('gd.duty');
  const again = collect<{ cursor: string }>(client, CURSORS, {
    filter: { complaintId: gid({ id: complaintId }) },
    after: last,
  });
  await waitFor(
    () => again.items.length >= all.length - got.length,
    () => `the rest; got ${again.items.length} of ${all.length - got.length}`,
    20_000,
  );
  expect([...got, ...again.items.map((ev) => positionOf(ev.cursor))]).toEqual(all);
  expect(client.closes).toEqual([]);
}

const interconnection = (key: string) =>
  interconnectionInput(key, { details: { trunkId: 'TRUNK-7' } });

describe('scope (D54, D13, D40): exactly the events of the cases the subscriber may read at the moment of the event', () => {
  it('a GZ duty manager gets GZ-subtree events from the dispatch on, and never those of an SZ case', async () => {
    const x = e();
    const gz = await live(await as('gz.duty'), FEED);
    const gd = await live(await as('gd.duty'), FEED);

    const sz = await x.accepted();
    await x.act('gd.agent', 'DISPATCH', sz, dispatchTo('GD-SZ'));
    await x.act('sz.handler', 'ACKNOWLEDGE', sz, {});
    const g = await x.accepted();
    await settle(); // REGISTER and ACCEPT were the province's: gz.duty could not read the case then
    await x.act('gd.agent', 'DISPATCH', g, dispatchTo('GD-GZ'));
    await x.act('gz.handler', 'ACKNOWLEDGE', g, {});
    await x.act('gz.handler', 'DELEGATE', g, delegateToTh());
    await x.act('sz.handler', 'RECORD_INVESTIGATION', sz, investigation('Checked the SZ cell.'));
    await x.act('th.handler', 'ACKNOWLEDGE', g, {});

    // in log order the last event is g's county acknowledgement: once it is in, everything before it was decided
    await received(
      gz,
      (ev) => isEvent(g, 'ACKNOWLEDGE')(ev) && ev.complaint.handlingUnit?.code === 'GD-GZ-TH',
      'the county acknowledgement',
    );
    await received(
      gd,
      (ev) => isEvent(g, 'ACKNOWLEDGE')(ev) && ev.complaint.handlingUnit?.code === 'GD-GZ-TH',
      'the county acknowledgement at province level',
    );
    expect(pairs(gz.items)).toEqual(
      events([g, 'DISPATCH', 'ACKNOWLEDGE', 'DELEGATE', 'ACKNOWLEDGE']),
    );
    // the province duty manager reads both cases, every event, interleaved in log order
    expect(pairs(gd.items)).toEqual(
      events(
        [sz, 'REGISTER', 'ACCEPT', 'DISPATCH', 'ACKNOWLEDGE'],
        [g, 'REGISTER', 'ACCEPT', 'DISPATCH', 'ACKNOWLEDGE', 'DELEGATE'],
        [sz, 'RECORD_INVESTIGATION'],
        [g, 'ACKNOWLEDGE'],
      ),
    );
    expect(strictlyIncreasing(gd.items.map((ev) => ev.cursor))).toBe(true);
  });

  it('a county duty manager gets a case once it is delegated to the county, and never a case kept in the city; a unit filter drops a case returned out of its subtree', async () => {
    const x = e();
    const th = await live(await as('th.duty'), FEED);
    const intoTh = await live(await as('gz.duty'), FEED, {
      filter: { unitId: toGlobalId('OrgUnit', unit('GD-GZ-TH')) },
    });

    const a = await x.investigating('city'); // at GZ
    const b = await x.investigating('city'); // stays at GZ
    await settle();
    await x.act('gz.handler', 'DELEGATE', a, delegateToTh());
    await x.act('gz.handler', 'RECORD_INVESTIGATION', b, investigation('City-level check.'));
    await settle();
    await x.act('th.handler', 'RETURN', a, {
      note: 'Not a county matter: the trunk is the city’s.',
    }); // back to GZ
    await settle();
    await x.act('gz.handler', 'RECORD_INVESTIGATION', a, investigation('City took it back.'));
    const c = await x.investigating('city');
    await settle();
    await x.act('gz.handler', 'DELEGATE', c, delegateToTh());

    await received(th, isEvent(c, 'DELEGATE'), 'the second delegation to reach th.duty');
    await received(
      intoTh,
      isEvent(c, 'DELEGATE'),
      'the second delegation to reach the TH-filtered feed',
    );
    // th.duty keeps reading `a` once it was in TH's dispatch chain (D54); `b` never reached TH
    expect(pairs(th.items)).toEqual(
      events([a, 'DELEGATE', 'RETURN', 'RECORD_INVESTIGATION'], [c, 'DELEGATE']),
    );
    // filtered on TH's subtree: `a` stops producing events once it left it
    expect(pairs(intoTh.items)).toEqual(events([a, 'DELEGATE'], [c, 'DELEGATE']));
  });

  it('a partner gets only its own cases, with no payload and no actor but itself; another partner gets nothing of them', async () => {
    const x = e();
    const w = world();
    const mine = await live(asPartner(w.partnerKey), FEED);
    const theirs = await live(asPartner(w.zjPartnerKey), FEED);
    const legal = await live(await as('gd.legal'), FEED);

    const staffCase = await x.accepted();
    const zj = await submitInterconnectionComplaint(
      x.env,
      x.who(w.zjPartner),
      interconnection(`feed-zj-${Date.now()}`),
    );
    const p = await submitInterconnectionComplaint(
      x.env,
      x.who(w.partner),
      interconnection(`feed-gd-${Date.now()}`),
    );
    await x.act('gd.legal', 'ACCEPT', p, {
      businessLine: 'interconnection',
      category: 'CALL_COMPLETION',
      severity: 'MAJOR',
    });
    await x.act('gd.legal', 'DISPATCH', p, {
      toUnitId: unit('GD-GZ'),
      deadline: x.deadline(),
      note: 'Internal: check trunk 7 with the GZ NOC',
    });
    await x.act('gz.handler', 'ACKNOWLEDGE', p, {});
    await x.act('gd.agent', 'CONTACT_CUSTOMER', staffCase, contact('PHONE', 'Staff-only case'));
    await x.act(w.partner, 'WITHDRAW', p, { note: 'Fixed on our side.' });

    await received(mine, isEvent(p, 'WITHDRAW'), 'the partner’s withdrawal in its own feed');
    await received(theirs, isEvent(zj, 'REGISTER'), 'the ZJ partner’s registration in its feed');
    await received(legal, isEvent(p, 'WITHDRAW'), 'the withdrawal in the legal officer’s feed');

    // D40 (issue 18): internal steps (DISPATCH, ACKNOWLEDGE) are absent from a partner's feed.
    expect(mine.items.map((ev) => [ev.complaint.id, ev.action, ev.actor, ev.payload])).toEqual([
      [gid(p), 'REGISTER', { __typename: 'Partner', name: 'Partner GD' }, null],
      [gid(p), 'ACCEPT', null, null],
      [gid(p), 'WITHDRAW', { __typename: 'Partner', name: 'Partner GD' }, null],
    ]);
    for (const ev of mine.items) expect(ev.complaint.handlingUnit).toBeNull(); // D40: internal parts read null
    expect(JSON.stringify(mine.items)).not.toMatch(/gd\.legal|gz\.handler|Name of|NOC/);
    // the ZJ partner: its own registration, nothing of GD's partner or of staff cases
    expect(pairs(theirs.items)).toEqual([[gid(zj), 'REGISTER']]);
    // staff of the province see the same events with actors and payloads
    const staffView = legal.items.filter((ev) => ev.complaint.id === gid(p));
    expect(staffView.map((ev) => ev.actor?.username ?? ev.actor?.name ?? null)).toEqual([
      'Partner GD',
      'gd.legal',
      'gd.legal',
      'gz.handler',
      'Partner GD',
    ]);
    expect(staffView[2]!.payload).not.toBeNull();
    expect(legal.items.some((ev) => ev.complaint.id === gid(zj))).toBe(false);
    // the partner's stream carries the same cursors as the staff's for its case
    const spoken = ['REGISTER', 'ACCEPT', 'WITHDRAW'];
    expect(mine.items.map((ev) => ev.cursor)).toEqual(
      legal.items
        .filter((ev) => ev.complaint.id === gid(p) && spoken.includes(ev.action))
        .map((ev) => ev.cursor),
    );
  });
});

describe('filters', () => {
  it('complaintId, actions, severity and unitId narrow the feed, judged on the case as it is at each event', async () => {
    const x = e();
    const client = await as('gd.duty'); // one socket, four subscriptions
    const step = async <T>(p: Promise<T>) => {
      const r = await p;
      await settle();
      return r;
    };
    const a = await step(x.register());
    const b = await step(x.register());
    const byCase = await live(client, FEED, { filter: { complaintId: gid(b) } });
    const byAction = await live(client, FEED, {
      filter: { actions: ['ACCEPT', 'RECORD_INVESTIGATION'] },
    });
    const bySeverity = await live(client, FEED, { filter: { severity: ['MAJOR', 'URGENT'] } });
    const byUnit = await live(client, FEED, {
      filter: { unitId: toGlobalId('OrgUnit', unit('GD-SZ')) },
    });

    await step(x.act('gd.agent', 'ACCEPT', a, accepted('ORDINARY')));
    await step(
      x.act('gd.agent', 'CONTACT_CUSTOMER', b, contact('PHONE', 'Registered, we call back.')),
    );
    await step(x.act('gd.agent', 'ACCEPT', b, accepted('MAJOR')));
    await step(x.act('gd.agent', 'DISPATCH', a, dispatchTo('GD-GZ')));
    await step(x.act('gd.agent', 'DISPATCH', b, dispatchTo('GD-SZ')));
    await step(x.act('gz.handler', 'ACKNOWLEDGE', a, {}));
    await step(x.act('sz.handler', 'ACKNOWLEDGE', b, {}));
    await step(x.act('gz.handler', 'RECORD_INVESTIGATION', a, investigation('GZ check.')));
    await step(x.act('sz.handler', 'RECORD_INVESTIGATION', b, investigation('SZ check.'))); // matches all four

    for (const sub of [byCase, byAction, bySeverity, byUnit])
      await received(
        sub,
        isEvent(b, 'RECORD_INVESTIGATION'),
        'the last event, which every filter lets through',
      );
    expect(pairs(byCase.items)).toEqual(
      events([b, 'CONTACT_CUSTOMER', 'ACCEPT', 'DISPATCH', 'ACKNOWLEDGE', 'RECORD_INVESTIGATION']),
    );
    expect(pairs(byAction.items)).toEqual(
      events(
        [a, 'ACCEPT'],
        [b, 'ACCEPT'],
        [a, 'RECORD_INVESTIGATION'],
        [b, 'RECORD_INVESTIGATION'],
      ),
    );
    // b became MAJOR at its acceptance: its earlier contact was not MAJOR then
    expect(pairs(bySeverity.items)).toEqual(
      events([b, 'ACCEPT', 'DISPATCH', 'ACKNOWLEDGE', 'RECORD_INVESTIGATION']),
    );
    expect(pairs(byUnit.items)).toEqual(
      events([b, 'DISPATCH', 'ACKNOWLEDGE', 'RECORD_INVESTIGATION']),
    );
    // the query with the same filters agrees with what the feeds delivered
    const since = byCase.items[0]!.cursor;
    for (const [sub, filter] of [
      [byAction, { actions: ['ACCEPT', 'RECORD_INVESTIGATION'] }],
      [byUnit, { unitId: toGlobalId('OrgUnit', unit('GD-SZ')) }],
    ] as const) {
      const q = (await queried('gd.duty', filter)).filter(
        (edge) => positionOf(edge.cursor) >= positionOf(sub.items[0]!.cursor),
      );
      expect(q.map((edge) => edge.cursor)).toEqual(sub.items.map((ev) => ev.cursor));
    }
    expect(
      (await queried('gd.duty', { complaintId: gid(b) }, since)).map((edge) => edge.cursor),
    ).toEqual(byCase.items.slice(1).map((ev) => ev.cursor));
  });
});

describe('order and cursors (D56)', () => {
  it('delivers in log order; the cursors increase and equal those of the complaintEvents query and the timeline', async () => {
    const x = e();
    const client = await as('gd.duty');
    const all = await live(client, FEED);
    const mark = (await queried('gd.duty', {})).at(-1)?.cursor;
    // three cases moving at once: their events interleave in the log
    const cases = await Promise.all([
      x.resolved('county'),
      x.resolved('city'),
      x.resolved('centre'),
    ]);
    // a case's approval by the province is its last event: once the three are in, so is everything before them
    for (const c of cases)
      await received(
        all,
        (ev) => ev.complaint.id === gid(c) && ev.toStatus === 'RESOLVED',
        'each case’s approval',
      );

    const log = await queried('gd.duty', {}, mark);
    expect(log).toHaveLength(12 + 9 + 8); // county, city and centre routes
    expect(all.items.map((ev) => ev.cursor)).toEqual(log.map((edge) => edge.cursor));
    expect(all.items.map((ev) => ev.action)).toEqual(log.map((edge) => edge.node.action));
    expect(strictlyIncreasing(all.items.map((ev) => ev.cursor))).toBe(true);
    expect(new Set(all.items.map((ev) => ev.cursor)).size).toBe(all.items.length);

    const county = cases[0];
    const timeline = await gql(
      app,
      `query ($id: ID!) { complaint(id: $id) { timeline(first: 100) { edges { cursor node { cursor action } } } } }`,
      { id: gid(county) },
      { token: await world().token('gd.duty') },
    );
    const edges = timeline.data.complaint.timeline.edges as {
      cursor: string;
      node: { cursor: string; action: string };
    }[];
    const fed = all.items.filter((ev) => ev.complaint.id === gid(county));
    expect(fed.map((ev) => ev.cursor)).toEqual(edges.map((edge) => edge.cursor));
    expect(edges.every((edge) => edge.cursor === edge.node.cursor)).toBe(true);
    expect(fed.map((ev) => ev.action)).toEqual([
      'REGISTER',
      'ACCEPT',
      'DISPATCH',
      'ACKNOWLEDGE',
      'DELEGATE',
      'ACKNOWLEDGE',
      'RECORD_INVESTIGATION',
      'DETERMINE_RESPONSIBILITY',
      'SUBMIT_REPORT',
      'REVIEW_REPORT',
      'CONFIRM_REPORT',
      'REVIEW_REPORT',
    ]);
  });
});

describe('the log and its notifications', () => {
  it('NOTIFY carries only the new event’s position; the feed reads the rest from the log', async () => {
    const w = world();
    const x = e();
    const heard: string[] = [];
    const unlisten = await w.database.listen(EVENTS_CHANNEL, (payload) => heard.push(payload));
    try {
      const c = await x.register();
      await x.act('gd.agent', 'CONTACT_CUSTOMER', c, contact('PHONE', 'Noted.'));
      await waitFor(() => heard.length >= 2, 'two notifications');
      const positions = (await positionsOf(c)).map(String);
      expect(heard).toEqual(positions);
      for (const payload of heard) expect(payload).toMatch(/^\d+$/);
    } finally {
      await unlisten();
    }
  });
});

describe('fan-out: one execution per audience and event (issue "live feeds")', () => {
  const PII = `subscription ($filter: ComplaintEventFilter) { complaintEvents(filter: $filter) { cursor action complaint { id customer { name phone masked } } } }`;
  type PiiEv = {
    cursor: string;
    action: string;
    complaint: { id: string; customer: { name: string; phone: string; masked: boolean } };
  };
  const results = async () => {
    const m = await app.metrics.liveResults.get();
    const of = (how: string) => m.values.find((v) => v.labels.how === how)?.value ?? 0;
    return { executed: of('executed'), shared: of('shared') };
  };
  const readsBy = async (username: string, c: { id: string }) =>
    Number(
      rowsOf<{ n: string }>(
        await world().database.db.execute(
          sql`select count(*)::text as n from personal_data_reads where complaint_id = ${c.id} and viewer_user_id = ${world().staff[username]!.id}`,
        ),
      )[0]!.n,
    );

  it('subscriptions of one viewer share each result; other viewers get their own, masked or not per D50, and only unmasked reads are logged', async () => {
    const x = e();
    const c = await x.accepted();
    const filter = { complaintId: gid(c) };
    await settle();
    const legal = [
      await live<PiiEv>(await as('gd.legal'), PII, { filter }),
      await live<PiiEv>(await as('gd.legal'), PII, { filter }),
    ];
    const agent = await live<PiiEv>(await as('gd.agent2'), PII, { filter });
    const duty = [
      await live<PiiEv>(await as('gd.duty'), PII, { filter }),
      await live<PiiEv>(await as('gd.duty'), PII, { filter }),
    ];
    const before = await results();

    await x.act(
      'gd.agent',
      'CONTACT_CUSTOMER',
      c,
      contact('PHONE', 'Called back about the signal.'),
    );
    await x.act('gd.agent', 'CONTACT_CUSTOMER', c, contact('SMS', 'Sent the engineer visit time.'));
    const all = [...legal, agent, ...duty];
    await waitFor(
      () => all.every((s) => s.items.length === 2),
      () => `two events each; got ${all.map((s) => s.items.length)}`,
    );

    // 5 subscriptions in 3 audiences (gd.legal, gd.agent2, gd.duty), 2 events: 6 executions, 4 shared results
    const after = await results();
    expect({
      executed: after.executed - before.executed,
      shared: after.shared - before.shared,
    }).toEqual({ executed: 6, shared: 4 });
    expect(legal[1]!.items).toEqual(legal[0]!.items);
    expect(duty[1]!.items).toEqual(duty[0]!.items);
    expect(legal[0]!.items.map((ev) => ev.complaint.customer)).toEqual([
      { name: '张三', phone: '13812345678', masked: false },
      { name: '张三', phone: '13812345678', masked: false },
    ]);
    expect(agent.items).toEqual(legal[0]!.items); // same data, its own execution
    expect(duty[0]!.items.map((ev) => ev.complaint.customer)).toEqual([
      { name: '张*', phone: '138****5678', masked: true },
      { name: '张*', phone: '138****5678', masked: true },
    ]);
    // D50: each unmasked reader's read is logged under its own name; masked reads are not
    expect(await readsBy('gd.legal', c)).toBeGreaterThan(0);
    expect(await readsBy('gd.agent2', c)).toBeGreaterThan(0);
    expect(await readsBy('gd.duty', c)).toBe(0);
  });

  it('each event is executed with the case as it is at that event: nested relations (clocks) are not answered from an earlier event', async () => {
    const x = e();
    const c = await x.register('gd.agent');
    await settle();
    const q = `subscription ($filter: ComplaintEventFilter) { complaintEvents(filter: $filter) { action complaint { status clocks { kind state } } } }`;
    type ClockEv = {
      action: string;
      complaint: { status: string; clocks: { kind: string; state: string }[] };
    };
    const sub = await live<ClockEv>(await as('gd.duty'), q, { filter: { complaintId: gid(c) } });
    await x.act('gd.agent', 'ACCEPT', c, accepted('ORDINARY'));
    await waitFor(() => sub.items.length === 1, 'the ACCEPT event'); // children (clocks) are read when the event is executed
    await x.act('gd.agent', 'CONTACT_CUSTOMER', c, {
      method: 'PHONE',
      content: 'Called the customer back.',
      substantive: true,
    });
    await waitFor(
      () => sub.items.length === 2,
      () => `two events; got ${sub.items.length}`,
    );
    const state = (ev: ClockEv, kind: string) =>
      ev.complaint.clocks.find((k) => k.kind === kind)?.state;
    expect(sub.items.map((ev) => ev.action)).toEqual(['ACCEPT', 'CONTACT_CUSTOMER']);
    expect([state(sub.items[0]!, 'ACCEPT'), state(sub.items[0]!, 'ANSWER')]).toEqual([
      'MET',
      'RUNNING',
    ]);
    expect(state(sub.items[1]!, 'ANSWER')).toBe('MET'); // a substantive CONTACT_CUSTOMER stopped it (D23)
  });

  it('a subscription that leaves a quiet feed is let go at once (its slot and feed entry freed while no event comes)', async () => {
    const client = await as('gz.duty');
    const sizeBefore = feed.size;
    const sub = await live(client, FEED);
    expect(feed.size).toBe(sizeBefore + 1);
    sub.stop();
    await waitFor(() => feed.size === sizeBefore, 'the server to drop the subscription');
  });
});

describe('replay with after (D56)', () => {
  it('replays since the cursor, then goes live: no gap and no duplicate at the seam, even with changes made during the replay', async () => {
    const x = e();
    const c = await x.accepted();
    const progress = (i: number) =>
      x.act('gd.agent', 'CONTACT_CUSTOMER', c, contact('PHONE', `Progress note ${i}`));
    await history(c, 230); // more than one replay page (200)
    const [registered] = await queried('gd.duty', { complaintId: gid(c) });

    const client = await as('gd.duty');
    const sub = collect<Ev>(client, FEED, {
      filter: { complaintId: gid(c) },
      after: registered!.cursor,
    });
    // changes while the replay runs: some commit before the subscription reads, some during, some after
    for (let i = 230; i < 245; i++) await progress(i);
    const expected = await queried('gd.duty', { complaintId: gid(c) }, registered!.cursor);
    expect(expected).toHaveLength(1 + 230 + 15);
    await waitFor(
      () => sub.items.length >= expected.length,
      () => `all ${expected.length} events; got ${sub.items.length}`,
      15_000,
    );
    await progress(245); // and live after it
    await waitFor(
      () => sub.items.length === expected.length + 1,
      () => `the live event after the replay; got ${sub.items.length}`,
    );

    const cursors = sub.items.map((ev) => ev.cursor);
    const all = await queried('gd.duty', { complaintId: gid(c) }, registered!.cursor);
    expect(cursors).toEqual(all.map((edge) => edge.cursor));
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(strictlyIncreasing(cursors)).toBe(true);
    expect(sub.items[0]!.action).toBe('ACCEPT');
  });

  it('a subscriber that loses its socket resubscribes with its last cursor and gets every missed event, in order, once', async () => {
    const x = e();
    const c = await x.investigating('city');
    const first_ = wsClient(server, { authorization: `Bearer ${await world().token('gz.duty')}` });
    clients.push(first_);
    const before = await live(first_, FEED, { filter: { complaintId: gid(c) } });
    await x.act('gz.handler', 'RECORD_INVESTIGATION', c, investigation('First look.'));
    await x.act('gz.handler', 'CONTACT_CUSTOMER', c, contact('PHONE', 'We are on it.'));
    await received(before, isEvent(c, 'CONTACT_CUSTOMER'), 'the contact before the drop');
    const last = before.items.at(-1)!.cursor;

    first_.socket()!.terminate(); // the connection dies without a close frame
    await waitFor(() => feed.size === 0, 'the server to drop the dead socket’s subscription');
    expect(first_.closes.map((c) => c.code)).toEqual([1006]);

    await x.act('gz.handler', 'DELEGATE', c, delegateToTh());
    await x.act('th.handler', 'ACKNOWLEDGE', c, {});
    await x.act('th.handler', 'RECORD_INVESTIGATION', c, investigation('County look.'));
    await x.act('th.handler', 'CONTACT_CUSTOMER', c, contact('SMS', 'County is on it.'));

    const again = collect<Ev>(await as('gz.duty'), FEED, {
      filter: { complaintId: gid(c) },
      after: last,
    });
    await received(again, isEvent(c, 'CONTACT_CUSTOMER'), 'the missed contact');
    await x.act('th.handler', 'DETERMINE_RESPONSIBILITY', c, {
      nature: 'VALID',
      rootCause: 'Cell down',
      remedy: { kind: 'SERVICE_RESTORED' },
    });
    await received(
      again,
      isEvent(c, 'DETERMINE_RESPONSIBILITY'),
      'the live event after the catch-up',
    );

    expect(again.items.map((ev) => ev.action)).toEqual([
      'DELEGATE',
      'ACKNOWLEDGE',
      'RECORD_INVESTIGATION',
      'CONTACT_CUSTOMER',
      'DETERMINE_RESPONSIBILITY',
    ]);
    const all = [...before.items, ...again.items].map((ev) => ev.cursor);
    expect(all).toEqual(
      (await queried('gz.duty', { complaintId: gid(c) }))
        .filter((edge) => positionOf(edge.cursor) >= positionOf(before.items[0]!.cursor))
        .map((edge) => edge.cursor),
    );
    expect(new Set(all).size).toBe(all.length);
  });
});

const ALERTS = `subscription ($unitId: ID) { slaAlerts(unitId: $unitId) { kind clock dueAt at complaint { id handlingUnit { code } } } }`;
type Alert = {
  kind: string;
  clock: string;
  dueAt: string;
  at: string;
  complaint: { id: string; handlingUnit: { code: string } | null };
};

describe('slaAlerts (D21)', () => {
  it('warnings and breaches of the cases under the unit reach its duty managers and those above, not others', async () => {
    const w = world();
    const x = e();
    const gzAlerts = await live<Alert>(await as('gz.duty'), ALERTS, {
      unitId: toGlobalId('OrgUnit', unit('GD-GZ')),
    });
    const szAlerts = await live<Alert>(await as('sz.duty'), ALERTS, {
      unitId: toGlobalId('OrgUnit', unit('GD-SZ')),
    });
    const gdAlerts = await live<Alert>(await as('gd.duty'), ALERTS);
    try {
      // the SZ case starts 2 hours before the GZ one: each of its alerts comes one scan before the GZ case's
      const s = await x.accepted();
      await x.act('gd.agent', 'DISPATCH', s, dispatchTo('GD-SZ'));
      await x.act('sz.handler', 'ACKNOWLEDGE', s, {});
      w.clock.advance(2 * HOUR);
      const g = await x.investigating('city');
      const scanAt = async (hoursAfterT0: number) => {
        w.clock.set(new Date(T0.getTime() + hoursAfterT0 * HOUR));
        return scanOnce(w.database.db, w.clock.now());
      };
      // INITIAL_INVESTIGATION: 48 hours from acceptance, warned at 80 % (38.4 h)
      await scanAt(39); // s warned
      await scanAt(41); // g warned
      await scanAt(49); // s breached
      await scanAt(51); // g breached

      const mineOf = (items: Alert[], c: { id: string }) =>
        items.filter((a) => a.complaint.id === gid(c)).map((a) => [a.kind, a.clock]);
      await waitFor(
        () => mineOf(gzAlerts.items, g).some(([k]) => k === 'BREACH'),
        () => `g's breach; got ${JSON.stringify(gzAlerts.items)}`,
      );
      await waitFor(
        () => mineOf(szAlerts.items, s).some(([k]) => k === 'BREACH'),
        () => `s's breach; got ${JSON.stringify(szAlerts.items)}`,
      );
      await waitFor(
        () => mineOf(gdAlerts.items, g).some(([k]) => k === 'BREACH'),
        () => `g's breach at province level; got ${JSON.stringify(gdAlerts.items)}`,
      );

      expect(mineOf(gzAlerts.items, g)).toEqual([
        ['WARNING', 'INITIAL_INVESTIGATION'],
        ['BREACH', 'INITIAL_INVESTIGATION'],
      ]);
      expect(mineOf(szAlerts.items, s)).toEqual([
        ['WARNING', 'INITIAL_INVESTIGATION'],
        ['BREACH', 'INITIAL_INVESTIGATION'],
      ]);
      expect(mineOf(gzAlerts.items, s)).toEqual([]); // the SZ case never reaches GZ (its alerts came before g's last)
      expect(mineOf(szAlerts.items, g)).toEqual([]);
      expect(gzAlerts.items.every((a) => a.complaint.handlingUnit!.code.startsWith('GD-GZ'))).toBe(
        true,
      );
      expect(szAlerts.items.every((a) => a.complaint.handlingUnit!.code.startsWith('GD-SZ'))).toBe(
        true,
      );
      expect(mineOf(gdAlerts.items, s)).toEqual(mineOf(szAlerts.items, s));
      expect(mineOf(gdAlerts.items, g)).toEqual(mineOf(gzAlerts.items, g));
      const breach = gzAlerts.items.find((a) => a.complaint.id === gid(g) && a.kind === 'BREACH')!;
      expect(breach.at).toMatch(/\+08:00$/); // as served (D57)
      expect(new Date(breach.at).getTime()).toBe(T0.getTime() + 51 * HOUR);
      expect(new Date(breach.dueAt).getTime()).toBe(T0.getTime() + 2 * HOUR + 48 * HOUR);
    } finally {
      w.clock.set(T0);
    }
  });
});

describe('limits', () => {
  it('the 21st subscription on one socket is refused with TOO_MANY_SUBSCRIPTIONS; the 20 others go on', async () => {
    const x = e();
    const client = await as('gd.duty');
    const c = await x.accepted();
    const subs: Collected<Ev>[] = [];
    for (let i = 0; i < 20; i++)
      subs.push(await live(client, FEED, { filter: { complaintId: gid(c) } }));
    expect(feed.size).toBe(20);

    const refused = collect<Ev>(client, FEED, { filter: { complaintId: gid(c) } });
    await waitFor(() => refused.done, 'the 21st subscription to be refused');
    expect(refusal(refused)).toEqual(tooMany);
    expect(feed.size).toBe(20);
    expect(client.closes).toEqual([]);

    await x.act('gd.agent', 'CONTACT_CUSTOMER', c, contact('PHONE', 'Still there?'));
    for (const sub of subs)
      await received(sub, isEvent(c, 'CONTACT_CUSTOMER'), 'the event on each of the 20');

    subs[0]!.stop(); // one ends: there is room for one more
    await waitFor(() => feed.size === 19, 'the ended subscription to leave the feed');
    const room = await live(client, FEED, { filter: { complaintId: gid(c) } });
    expect(room.done).toBe(false);
    const again = collect<Ev>(client, FEED, { filter: { complaintId: gid(c) } });
    await waitFor(() => again.done, 'another 21st to be refused');
    expect(refusal(again)).toEqual(tooMany);
  });

  it('a viewer holds at most maxSubscriptionsPerViewer subscriptions across its sockets', async () => {
    const w = world();
    const capped = await listen(
      createApp({
        ...w.services(w.database.db),
        config: { ...w.config, maxSubscriptionsPerViewer: 2 },
      }),
      { port: 0, host: '127.0.0.1' },
    );
    try {
      const one = await as('sz.duty', capped);
      const two = await as('sz.duty', capped);
      const a = await live(one, FEED);
      const b = await live(two, FEED);
      const third = collect<Ev>(two, FEED);
      await waitFor(() => third.done, 'the third subscription of sz.duty to be refused');
      expect(refusal(third)).toEqual(tooMany);
      expect(feed.size).toBe(2);
      // another viewer is not affected
      const other = await live(await as('gz.duty', capped), FEED);
      expect(other.done).toBe(false);
      // one ends: sz.duty may subscribe again
      a.stop();
      await waitFor(() => feed.size === 2, 'the ended subscription to leave the feed');
      const again = await live(one, FEED);
      expect(again.done).toBe(false);
      expect(b.done).toBe(false);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
      await capped.close();
    }
  });

  it('a consumer 1,000 events behind while it catches up is cut off (4429) without a gap, and resumes from its last cursor', async () => {
    const x = e();
    const c = await x.accepted({ description: 'Long. '.repeat(1_600) }); // ~10 kB per event on the wire
    await burst(c, 2_000); // history to replay
    const start = (await queried('gd.duty', { complaintId: gid(c) }))[0]!.cursor;

    const client = await as('gd.duty');
    const sub = await live<{ cursor: string }>(client, HEAVY, {
      filter: { complaintId: gid(c) },
      after: start,
    });
    await stallUntilCutOff(client, sub, c);
    await resumeRest(sub, (await positionsOf(c)).slice(1)); // after REGISTER
  });

  it('a live consumer that falls 1,000 events behind is cut off (4429) without a gap, and resumes from its last cursor', async () => {
    const x = e();
    const c = await x.accepted({ description: 'Long. '.repeat(1_600) });
    await settle(); // the relay has offered ACCEPT before the subscription starts "live from now" (it raced on PostgreSQL in CI)
    const client = await as('gd.duty');
    const sub = await live<{ cursor: string }>(client, HEAVY, { filter: { complaintId: gid(c) } });
    await x.act('gd.agent', 'CONTACT_CUSTOMER', c, contact('PHONE', 'First.'));
    await waitFor(() => sub.items.length === 1, 'the first live event');
    await stallUntilCutOff(client, sub, c);
    await resumeRest(sub, (await positionsOf(c)).slice(2)); // after REGISTER and ACCEPT
  });

  it('a socket that sends no connection_init within 3 s is closed with 4408', {
    timeout: 10_000,
  }, async () => {
    const started = Date.now();
    const socket = new WebSocket(wsUrl(server), 'graphql-transport-ws');
    const code = await new Promise<number>((resolve, reject) => {
      socket.on('close', (c) => resolve(c));
      socket.on('error', reject);
    });
    expect(code).toBe(4408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('credentials arrive in connection_init: a subscription without them is UNAUTHENTICATED', async () => {
    const anonymous = wsClient(server);
    clients.push(anonymous);
    const r = await first(anonymous, FEED);
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(feed.size).toBe(0);
  });
});
