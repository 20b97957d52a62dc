import { describe, expect, it } from 'vitest';
import { engine } from '../support/cases.js';
import { data, q } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

/**
 * No N+1 on the portal's list: every relation of a complaint resolves
 * through a per-request batch (src/graphql/loaders.ts, the timeline's window
 * query, the batched personal-data log), so a page of 100 costs the same
 * number of SQL statements as a page of 10. Counted by the database's own
 * statement counter (the drizzle logger sees every statement, inside
 * transactions too).
 */

const world = useWorld();

const PORTAL = `query ($first: Int!) {
  complaints(first: $first) {
    totalCount
    nodes {
      number
      handlingUnit { code }
      firstResponder { username }
      assignments { toUnit { code } }
      investigations { findings }
      responsibility { nature }
      contacts { content }
      callbacks { result }
      supervisionNotes { note }
      partner { name }
      businessLine { code }
      clocks { kind state }
      customer { name }
      viewerActions
      timeline(last: 3) { edges { node { action actor { __typename } } } }
    }
  }
}`;

type Node = Record<string, any>;

/** Which relations a page exercises: each must be non-empty somewhere in it, or its loader would not fire. */
function coverage(nodes: Node[]) {
  return {
    handlingUnit: nodes.some((n) => n.handlingUnit),
    firstResponder: nodes.some((n) => n.firstResponder),
    assignments: nodes.some((n) => n.assignments.length),
    investigations: nodes.some((n) => n.investigations.length),
    responsibility: nodes.some((n) => n.responsibility),
    contacts: nodes.some((n) => n.contacts.length),
    callbacks: nodes.some((n) => n.callbacks.length),
    supervisionNotes: nodes.some((n) => n.supervisionNotes.length),
    partner: nodes.some((n) => n.partner),
    clocks: nodes.some((n) => n.clocks.length),
    userActor: nodes.some((n) =>
      n.timeline.edges.some((e: Node) => e.node.actor?.__typename === 'User'),
    ),
    partnerActor: nodes.some((n) =>
      n.timeline.edges.some((e: Node) => e.node.actor?.__typename === 'Partner'),
    ),
    unmaskedCustomer: nodes.some((n) => n.customer.name === '张三'),
  };
}

describe('statements per request (no N+1)', () => {
  it(
    'the portal list costs the same number of statements for 10 and for 100 complaints',
    () =>
      world().tx(async (db) => {
        const w = world();
        w.clock.set(T0);
        const e = engine(w, db);
        const tick = () => w.clock.advance(1000);

        // 110 plain cases (registered and accepted), oldest first…
        for (let i = 0; i < 110; i++) {
          await e.accepted({ title: `Plain case ${i}` }, i % 2 ? 'mobile' : 'broadband');
          tick();
        }
        // …then the newest ten, each with other relations, so that both pages (10 and 100) hold every kind.
        const partnerCase = await e.register(w.partner, {
          channel: 'API',
          businessLine: 'interconnection',
          category: 'CALL_COMPLETION',
        });
        tick();
        await e.closed('county'); // assignments, investigations, a finding, a reply (contact), a callback
        tick();
        const supervised = await e.investigating('city');
        await e.act('gd.legal', 'ADD_SUPERVISION_NOTE', supervised, { note: 'Report by Friday' });
        tick();
        const contacted = await e.investigating('centre');
        await e.act('bc.handler', 'CONTACT_CUSTOMER', contacted, {
          method: 'PHONE',
          content: 'We are on it',
        });
        tick();
        await e.reported('county');
        tick();
        await e.replied('city');
        tick();
        const walkIn = await e.register('th.handler', { channel: 'VISIT' });
        await e.act('gd.agent', 'ACCEPT', walkIn, {
          businessLine: 'mobile',
          category: 'PROCESS',
          severity: 'MAJOR',
        });
        tick();
        await e.investigating('county');
        tick();
        await e.register();
        tick();
        await e.act('gd.legal', 'ACCEPT', partnerCase, {
          businessLine: 'interconnection',
          category: 'CALL_COMPLETION',
          severity: 'ORDINARY',
        });
        await e.register(w.partner, {
          channel: 'API',
          businessLine: 'interconnection',
          category: 'SMS_BLOCKING',
        });
        tick();

        const counter = w.database.statements;
        const run = async (first: number) => {
          const before = counter.count;
          const d = await data(w, db, 'gd.agent', PORTAL, { first });
          return { statements: counter.count - before, page: d.complaints };
        };

        const ten = await run(10);
        const hundred = await run(100);
        expect(ten.page.totalCount).toBe(120);
        expect(hundred.page.totalCount).toBe(120);
        expect(ten.page.nodes).toHaveLength(10);
        expect(hundred.page.nodes).toHaveLength(100);

        // Both pages exercise every loader.
        const all = Object.fromEntries(Object.keys(coverage([])).map((k) => [k, true]));
        expect(coverage(ten.page.nodes)).toEqual(all);
        expect(coverage(hundred.page.nodes)).toEqual(all);

        expect(hundred.statements, `10 → ${ten.statements}, 100 → ${hundred.statements}`).toBe(
          ten.statements,
        );
        // A small constant: authentication, the page, its count, one per relation (and per batch wave), one log INSERT.
        expect(ten.statements).toBeLessThanOrEqual(25);

        // The same again (fresh request, same data): stable.
        expect((await run(100)).statements).toBe(hundred.statements);
      }),
    180_000,
  );

  it('a complaint read by id with every relation costs no more than through the list', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      const c = await e.closed('county');
      const counter = w.database.statements;
      const before = counter.count;
      const d = await data(
        w,
        db,
        'gd.agent',
        `query ($n: String!) { complaint(number: $n) { number assignments { toUnit { code } } investigations { findings } callbacks { result } timeline(last: 3) { edges { node { action actor { __typename } } } } } }`,
        { n: c.number },
      );
      // Both assignments were made at the same (manual) clock time: their order is the id tiebreak's, so compare as a set.
      expect(d.complaint.assignments.map((a: Node) => a.toUnit.code).sort()).toEqual([
        'GD-GZ',
        'GD-GZ-TH',
      ]);
      expect(counter.count - before).toBeLessThanOrEqual(12);
    }));

  it('D56 D57: a request for totalCount alone reads no page, and still checks its cursor (issue 25, P8)', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const e = engine(w, db);
      // Cases the province reads, three of them handled in the county (its handler reads those: D54).
      for (let i = 0; i < 3; i++) {
        await e.investigating('county', { title: `宽带 down ${i}` });
        w.clock.advance(1000);
      }
      await e.accepted({ title: '宽带 slow' });
      await e.accepted({ title: 'Billing' });
      const counter = w.database.statements;
      const run = async (as: string, selection: string, variables: Record<string, unknown>) => {
        const before = counter.count;
        const d = await data(
          w,
          db,
          as,
          `query ($filter: ComplaintFilter) { complaints(filter: $filter) { ${selection} } }`,
          variables,
        );
        return { statements: counter.count - before, c: d.complaints };
      };
      const cases = [
        { as: 'gd.agent', filter: {}, total: 5 },
        { as: 'gd.agent', filter: { search: '宽带' }, total: 4 },
        // a county's search: its page goes month by month (SearchProbe.months), several statements
        { as: 'th.handler', filter: { search: '宽带' }, total: 3 },
      ];
      for (const { as, filter, total } of cases) {
        const label = `${as} ${JSON.stringify(filter)}`;
        const alone = await run(as, 'totalCount', { filter });
        const both = await run(as, 'totalCount nodes { number }', { filter });
        const fragment = await run(as, '__typename ... on ComplaintConnection { totalCount }', {
          filter,
        });
        const pageOnly = await run(as, 'pageInfo { hasNextPage }', { filter });
        expect(alone.c.totalCount, label).toBe(total);
        expect(both.c.totalCount, label).toBe(total);
        expect(both.c.nodes, label).toHaveLength(total);
        expect(fragment.c.totalCount, label).toBe(total);
        expect(pageOnly.c.pageInfo.hasNextPage, label).toBe(false);
        // The page costs at least one statement, and the count alone goes without it.
        expect(alone.statements, label).toBeLessThan(both.statements);
        expect(fragment.statements, label).toBe(alone.statements);
      }
      // Without a search, the request is the viewer, the count and the page, each on its own: exactly additive.
      const base = (await run('gd.agent', '__typename', { filter: {} })).statements;
      const [alone, both, pageOnly] = [
        await run('gd.agent', 'totalCount', { filter: {} }),
        await run('gd.agent', 'totalCount nodes { number }', { filter: {} }),
        await run('gd.agent', 'pageInfo { hasNextPage }', { filter: {} }),
      ];
      expect(pageOnly.statements - base).toBeGreaterThanOrEqual(1);
      expect(both.statements - base).toBe(alone.statements - base + (pageOnly.statements - base));
      // A bad cursor is refused whatever the selection asks for.
      for (const selection of ['totalCount', 'nodes { number }']) {
        const r = await q(
          w,
          db,
          'gd.agent',
          `{ complaints(after: "not-a-cursor") { ${selection} } }`,
        );
        expect(r.errors?.[0]?.extensions?.code, selection).toBe('VALIDATION');
        expect(r.errors?.[0]?.message).toBe('after is not a cursor of this list and order');
      }
    }));
});
