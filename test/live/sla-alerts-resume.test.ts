import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { type EventFeed, feedFor } from '../../src/live/feed.js';
import { type Listening, listen } from '../../src/server/http.js';
import { scanOnce } from '../../src/sla/scanner.js';
import { engine, HOUR } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';
import { collect, type LiveClient, waitFor, wsClient } from './support.js';

/**
 * D21 (revised), D56: a duty manager's alert feed resumes like the event feed. Each SlaAlert carries its event's
 * cursor; `slaAlerts(after:)` replays what was raised since, then goes on live, with no gap and no duplicate.
 */
const world = useWorld();

let server: Listening;
let feed: EventFeed;
const clients: LiveClient[] = [];
beforeAll(async () => {
  const w = world();
  server = await listen(w.app(w.database.db), { port: 0, host: '127.0.0.1' });
  feed = await feedFor(w.database);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server?.close();
  world().clock.set(T0);
});
beforeEach(() => world().clock.set(T0));

const ALERTS = `subscription ($unitId: ID, $after: String) { slaAlerts(unitId: $unitId, after: $after) { cursor kind clock at complaint { id } } }`;
type Alert = { cursor: string; kind: string; clock: string; at: string; complaint: { id: string } };

async function as(username: string) {
  const client = wsClient(server, { authorization: `Bearer ${await world().token(username)}` });
  clients.push(client);
  return client;
}
async function subscribe(client: LiveClient, variables: Record<string, unknown>) {
  const before = feed.size;
  const sub = collect<Alert>(client, ALERTS, variables);
  await waitFor(() => feed.size > before || sub.done, 'the subscription to reach the feed');
  if (sub.done) throw new Error(`ended at once: ${JSON.stringify(sub.error)}`);
  return sub;
}

describe('D21: slaAlerts resumes from a cursor', () => {
  it('D21 D56: alerts raised while a duty manager was disconnected are replayed from its last cursor, then live ones follow, none twice', async () => {
    const w = world();
    const x = engine(w, w.database.db);
    const gz = toGlobalId('OrgUnit', w.units['GD-GZ']!.id);
    const scanAt = async (hours: number) => {
      w.clock.set(new Date(T0.getTime() + hours * HOUR));
      return scanOnce(w.database.db, w.clock.now());
    };
    const g = await x.investigating('city');
    const h = await x.investigating('city');
    const mine = (items: Alert[]) =>
      items.filter((a) =>
        [g.id, h.id].map((id) => toGlobalId('Complaint', id)).includes(a.complaint.id),
      );

    // Connected: the warnings arrive, each with a cursor.
    const first = await as('gz.duty');
    const before = await subscribe(first, { unitId: gz });
    await scanAt(39); // INITIAL_INVESTIGATION warns at 80 % of 48 h
    await waitFor(
      () => mine(before.items).length === 2,
      () => `two warnings; got ${JSON.stringify(before.items)}`,
    );
    expect(mine(before.items).map((a) => a.kind)).toEqual(['WARNING', 'WARNING']);
    const last = before.items.at(-1)!.cursor;
    expect(last).toEqual(expect.any(String));

    // Disconnected: both breaches are raised meanwhile.
    await first.dispose();
    await waitFor(() => feed.size === 0, 'the subscription to leave the feed');
    await scanAt(49);

    // Back, from the last cursor: the two breaches (replayed), then a live alert of a new case.
    const again = await subscribe(await as('gz.duty'), { unitId: gz, after: last });
    await waitFor(
      () => mine(again.items).length === 2,
      () => `the two breaches replayed; got ${JSON.stringify(again.items)}`,
    );
    // (same due time: the scanner raises them in an order of its own)
    expect(
      mine(again.items)
        .map((a) => [a.kind, a.complaint.id])
        .sort(),
    ).toEqual(
      [
        ['BREACH', toGlobalId('Complaint', g.id)],
        ['BREACH', toGlobalId('Complaint', h.id)],
      ].sort(),
    );
    w.clock.set(new Date(T0.getTime() + 49 * HOUR));
    const k = await x.investigating('city');
    await scanAt(49 + 39);
    await waitFor(
      () => again.items.some((a) => a.complaint.id === toGlobalId('Complaint', k.id)),
      () => `k's live warning; got ${JSON.stringify(again.items)}`,
    );

    // What was received across the reconnect is exactly the log's alerts of those cases after the first one, in order, once each.
    const received = [...before.items, ...again.items];
    const cursors = received.map((a) => a.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
    const log = await gql(
      w.app(w.database.db),
      'query ($f: ComplaintEventFilter) { complaintEvents(filter: $f, first: 100) { edges { cursor node { action } } } }',
      { f: { unitId: gz, actions: ['SLA_WARNING', 'SLA_BREACH'] } },
      { token: await w.token('gz.duty') },
    );
    const logged = log.data.complaintEvents.edges.map((e: { cursor: string }) => e.cursor);
    const from = logged.indexOf(cursors[0]);
    expect(from).toBeGreaterThanOrEqual(0);
    expect(cursors).toEqual(logged.slice(from));
  });

  it('D56 D57: a cursor that is not an event cursor is VALIDATION', async () => {
    const sub = collect<Alert>(await as('gz.duty'), ALERTS, { after: 'bm90LWEtY3Vyc29y' });
    await waitFor(() => sub.done, 'the refusal');
    expect(JSON.stringify([sub.error ?? null, sub.resultErrors])).toMatch(
      /after is not a cursor of this list/,
    );
    expect(sub.items).toEqual([]);
  });
});
