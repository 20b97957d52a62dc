import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { complaintsWhere } from '../../src/auth/sql.js';
import type { Db } from '../../src/db/client.js';
import { complaintEvents } from '../../src/db/schema.js';
import {
  batchReply,
  candidateIds,
  closeIncident,
  linkComplaints,
  openIncident,
  recordIncidentNotice,
} from '../../src/domain/incidents.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { engine, HOUR, refusal } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { useWorld, type World } from '../support/world.js';

/** D76 incidents: open, candidates by the match rule, link, the NOTICE clock, batch reply, close; counted in briefings and listed. */

const world = useWorld();

function kit(w: World, db: Db) {
  const e = engine(w, db);
  const who = (u: string) => e.who(u);
  const as = (u: string) => w.staff[u]!;
  const open = (u: string, units: string[], over: Record<string, unknown> = {}) =>
    openIncident(e.env, as(u), {
      title: 'Fibre cut in Tianhe',
      category: 'NETWORK_TECHNICAL',
      unitIds: units.map((c) => w.units[c]!.id),
      startedAt: new Date(w.clock.now().getTime() - HOUR),
      ...over,
    });

  const replies = async (id: string) =>
    (
      await db
        .select()
        .from(complaintEvents)
        .where(
          and(eq(complaintEvents.complaintId, id), eq(complaintEvents.action, 'REPLY_TO_CUSTOMER')),
        )
    ).length;
  return { e, who, as, open, refused: refusal, replies };
}

describe('D76: opening an incident', () => {
  it('D76: a province LEGAL_OFFICER or a DUTY_MANAGER opens one for units their grants cover; the notice is due 2 hours after (NOTICE)', () =>
    world().tx(async (db) => {
      const w = world();
      const { open, refused } = kit(w, db);
      const i = await open('gd.legal', ['GD-GZ', 'GD-SZ']);
      expect(i.noticeDueAt.getTime() - i.openedAt.getTime()).toBe(2 * HOUR);
      expect(i.endedAt).toBeNull();
      expect((await open('gz.duty', ['GD-GZ-TH'])).unitIds).toEqual([w.units['GD-GZ-TH']!.id]);
      expect((await refused(open('gz.duty', ['GD-SZ']))).code).toBe('FORBIDDEN'); // not covered
      expect((await refused(open('gz.handler', ['GD-GZ']))).code).toBe('FORBIDDEN'); // role kind
      expect((await refused(open('gd.legal', ['GD-GZ', 'ZJ-HZ']))).code).toBe('FORBIDDEN'); // another province is not covered
      const blank = await refused(open('gd.legal', ['GD-GZ'], { title: '  ' }));
      expect([blank.code, blank.field]).toEqual(['VALIDATION', ['input', 'title']]);
      const cat = await refused(open('gd.legal', ['GD-GZ'], { category: 'NO_SUCH' }));
      expect([cat.code, cat.field]).toEqual(['VALIDATION', ['input', 'category']]);
      const future = await refused(
        open('gd.legal', ['GD-GZ'], { startedAt: new Date(w.clock.now().getTime() + HOUR) }),
      );
      expect(future.field).toEqual(['input', 'startedAt']);
    }));

  it('D76: through the API: openIncident, incidents(open: true) and dutyBriefing.openIncidents of the duty managers at or above its units', () =>
    world().tx(async (db) => {
      const w = world();
      const app = w.app(db);
      const opened = await gql(
        app,
        `mutation($i: OpenIncidentInput!) { openIncident(input: $i) { incident { id title noticeDueAt openedAt units { code } openedBy { username } } userErrors { code field } } }`,
        {
          i: {
            title: 'Outage',
            category: 'NETWORK_TECHNICAL',
            unitIds: [toGlobalId('OrgUnit', w.units['GD-GZ']!.id)],
            startedAt: new Date(w.clock.now().getTime() - HOUR).toISOString(),
          },
        },
        { token: await w.token('gd.duty') },
      );
      const inc = opened.data.openIncident.incident;
      expect(inc).toMatchObject({
        title: 'Outage',
        units: [{ code: 'GD-GZ' }],
        openedBy: { username: 'gd.duty' },
      });
      expect(Date.parse(inc.noticeDueAt) - Date.parse(inc.openedAt)).toBe(2 * HOUR);
      const malformed = await gql(
        app,
        `mutation($i: OpenIncidentInput!) { openIncident(input: $i) { userErrors { code field } } }`,
        { i: { title: 'x', unitIds: ['nope'], startedAt: w.clock.now().toISOString() } },
        { token: await w.token('gd.duty') },
      );
      expect(malformed.data.openIncident.userErrors).toEqual([
        { code: 'VALIDATION', field: ['input', 'unitIds', '0'] },
      ]);
      const briefing = async (u: string) =>
        (await gql(app, `{ dutyBriefing { openIncidents } }`, {}, { token: await w.token(u) })).data
          .dutyBriefing.openIncidents;
      expect([
        await briefing('gd.duty'),
        await briefing('gz.duty'),
        await briefing('sz.duty'),
        await briefing('th.duty'),
      ]).toEqual([1, 1, 0, 0]);
      const list = async (u: string, open?: boolean) =>
        (
          await gql(
            app,
            `query($open: Boolean) { incidents(open: $open) { edges { node { id title } } } }`,
            { open },
            { token: await w.token(u) },
          )
        ).data.incidents.edges.map((x: any) => x.node.id);
      expect(await list('gz.duty', true)).toEqual([inc.id]);
      expect(await list('sz.duty', true)).toEqual([]);
      const close = async (u: string) =>
        (
          await gql(
            app,
            `mutation($id: ID!) { closeIncident(id: $id) { incident { endedAt } userErrors { code } } }`,
            { id: inc.id },
            { token: await w.token(u) },
          )
        ).data.closeIncident;
      expect((await close('sz.duty')).userErrors).toEqual([{ code: 'NOT_FOUND' }]);
      expect((await close('gz.duty')).incident.endedAt).not.toBeNull(); // whoever may open it closes it
      expect([await briefing('gd.duty'), await briefing('gz.duty')]).toEqual([0, 0]);
      expect(await list('gz.duty', true)).toEqual([]);
      expect(await list('gz.duty', false)).toEqual([inc.id]);
      expect((await close('gd.legal')).userErrors).toEqual([{ code: 'INVALID_TRANSITION' }]);
    }));
});

describe('D76: candidates and links', () => {
  it('D76: candidates are cases of its category, handled in or routed to its units, registered since it started, not linked', () =>
    world().tx(async (db) => {
      const w = world();
      const { e, open, refused, as } = kit(w, db);
      const before = await e.accepted({
        customer: { name: '李四', phone: '13900000001', address: 'Unit GD-GZ 体育西路1号' },
      });
      w.clock.advance(2 * HOUR);
      const i = await open('gd.legal', ['GD-GZ']); // started 1 hour ago: `before` was registered earlier
      const routed = await e.accepted({
        customer: { name: '李四', phone: '13900000002', address: 'Unit GD-GZ 体育西路2号' },
      }); // D34: the address names the city
      const handled = await e.investigating('city');
      const elsewhere = await e.accepted({
        customer: { name: '李四', phone: '13900000003', address: 'Unit GD-SZ 深南大道' },
      });
      const otherCategory = await e.register('gd.agent', {
        customer: { name: '李四', phone: '13900000004', address: 'Unit GD-GZ 体育西路3号' },
      });
      await e.act('gd.agent', 'ACCEPT', otherCategory, {
        businessLine: 'mobile',
        category: 'TARIFF_POLICY',
        severity: 'ORDINARY',
      });
      const readable = complaintsWhere(e.who('gd.legal').ability, 'read');
      const ids = await candidateIds(db, e.env, readable, i);
      expect(new Set(ids)).toEqual(new Set([routed.id, handled.id]));
      expect(ids).not.toContain(before.id);
      expect(ids).not.toContain(elsewhere.id);
      await linkComplaints(e.env, as('gd.legal'), e.who('gd.legal').ability, i.id, [routed.id]);
      expect(await candidateIds(db, e.env, readable, i)).toEqual([handled.id]);
      // A case belongs to one incident at most; linking it again to the same one changes nothing.
      await linkComplaints(e.env, as('gd.legal'), e.who('gd.legal').ability, i.id, [routed.id]);
      const j = await open('gd.legal', ['GD-GZ'], { title: 'Second' });
      const twice = await refused(
        linkComplaints(e.env, as('gd.legal'), e.who('gd.legal').ability, j.id, [
          handled.id,
          routed.id,
        ]),
      );
      expect(twice.code).toBe('INVALID_TRANSITION');
      expect(twice.message.startsWith(routed.number)).toBe(true);
      expect(await candidateIds(db, e.env, readable, i)).toEqual([handled.id]); // all or nothing: `handled` was not linked to j
      // Only whoever may open it links; a case the viewer cannot read is NOT_FOUND.
      expect(
        (
          await refused(
            linkComplaints(e.env, as('sz.duty'), e.who('sz.duty').ability, i.id, [handled.id]),
          )
        ).code,
      ).toBe('NOT_FOUND');
      const szCase = await e.investigating('city');
      const k = await open('sz.duty', ['GD-SZ'], { title: 'Shenzhen' });
      expect(
        (
          await refused(
            linkComplaints(e.env, as('sz.duty'), e.who('sz.duty').ability, k.id, [szCase.id]),
          )
        ).code,
      ).toBe('NOT_FOUND');
    }));

  it('D76: Incident.complaints and candidates, and Complaint.incident, through the API', () =>
    world().tx(async (db) => {
      const w = world();
      const { e, open, as } = kit(w, db);
      const i = await open('gd.legal', ['GD-GZ']);
      const a = await e.investigating('city');
      const b = await e.investigating('city');
      await linkComplaints(e.env, as('gd.legal'), e.who('gd.legal').ability, i.id, [a.id]);
      const app = w.app(db);
      const r = await gql(
        app,
        `query($id: ID!, $c: ID!) { node(id: $id) { ... on Incident { complaints { totalCount edges { node { number } } } candidates(first: 10) { edges { node { number } } } } }
          c: node(id: $c) { ... on Complaint { incident { title } } } }`,
        { id: toGlobalId('Incident', i.id), c: toGlobalId('Complaint', a.id) },
        { token: await w.token('gz.duty') },
      );
      expect(r.data.node.complaints).toEqual({
        totalCount: 1,
        edges: [{ node: { number: a.number } }],
      });
      expect(r.data.node.candidates.edges).toEqual([{ node: { number: b.number } }]);
      expect(r.data.c.incident).toEqual({ title: 'Fibre cut in Tianhe' });
    }));
});

describe('D76: the written notice', () => {
  it('D76: recordIncidentNotice records it once (meeting NOTICE); blank is VALIDATION; a closed incident takes none', () =>
    world().tx(async (db) => {
      const w = world();
      const { e, open, refused, as } = kit(w, db);
      const i = await open('gd.legal', ['GD-GZ']);
      const blank = await refused(recordIncidentNotice(e.env, as('gd.legal'), i.id, ' '));
      expect([blank.code, blank.field]).toEqual(['VALIDATION', ['input', 'notice']]);
      w.clock.advance(HOUR);
      const n = await recordIncidentNotice(
        e.env,
        as('gz.duty'),
        i.id,
        'Fibre cut at 09:00, repair crews on site',
      );
      expect(n.noticeAt!.getTime()).toBeLessThanOrEqual(n.noticeDueAt.getTime());
      expect(n.notice).toBe('Fibre cut at 09:00, repair crews on site');
      expect((await refused(recordIncidentNotice(e.env, as('gd.legal'), i.id, 'again'))).code).toBe(
        'INVALID_TRANSITION',
      );
      const j = await open('gd.legal', ['GD-GZ'], { title: 'Another' });
      await closeIncident(e.env, as('gd.legal'), j.id);
      expect((await refused(recordIncidentNotice(e.env, as('gd.legal'), j.id, 'late'))).code).toBe(
        'INVALID_TRANSITION',
      );
    }));
});

describe('D76: batch reply', () => {
  it('D76: one REPLY_TO_CUSTOMER per linked RESOLVED case; the others skipped with their number first; a second run replies to nothing', () =>
    world().tx(async (db) => {
      const w = world();
      const { e, open, refused, as, who, replies } = kit(w, db);
      const i = await open('gd.legal', ['GD-GZ']);
      const r1 = await e.resolved('city');
      const r2 = await e.resolved('city');
      const busy = await e.investigating('city');
      await linkComplaints(e.env, as('gd.legal'), e.who('gd.legal').ability, i.id, [
        r1.id,
        r2.id,
        busy.id,
      ]);
      expect(
        (
          await refused(
            batchReply(e.env, who('gz.duty'), i.id, { method: 'SMS', content: 'Fixed' }),
          )
        ).code,
      ).toBe('FORBIDDEN');
      const blank = await refused(
        batchReply(e.env, who('gd.agent'), i.id, { method: 'SMS', content: '' }),
      );
      expect(blank.field).toEqual(['input', 'content']);
      const first = await batchReply(e.env, who('gd.agent'), i.id, {
        method: 'SMS',
        content: 'The fibre is repaired; we apologise.',
      });
      expect(new Set(first.replied.map((c) => c.id))).toEqual(new Set([r1.id, r2.id]));
      expect(first.replied.every((c) => c.status === 'REPLIED')).toBe(true);
      expect(first.skipped.map((s) => [s.code, s.message.startsWith(busy.number)])).toEqual([
        ['INVALID_TRANSITION', true],
      ]);
      const again = await batchReply(e.env, who('gd.agent'), i.id, {
        method: 'SMS',
        content: 'The fibre is repaired; we apologise.',
      });
      expect(again.replied).toEqual([]);
      expect(again.skipped).toHaveLength(3);
      expect([await replies(r1.id), await replies(r2.id), await replies(busy.id)]).toEqual([
        1, 1, 0,
      ]);
    }));

  it('D76: retried after a failure half-way, the batch replies to each case once (each case its own transaction)', () =>
    world().tx(async (db) => {
      const w = world();
      const { e, open, as, who, replies } = kit(w, db);
      const i = await open('gd.legal', ['GD-GZ']);
      const cases = [await e.resolved('city'), await e.resolved('city'), await e.resolved('city')];
      await linkComplaints(
        e.env,
        as('gd.legal'),
        e.who('gd.legal').ability,
        i.id,
        cases.map((c) => c.id),
      );
      // The database goes away at the second case's transaction.
      let n = 0;
      const failing = new Proxy(db, {
        get(target, p) {
          if (p === 'transaction') {
            return (fn: never) => {
              if (++n === 2) throw new Error('connection lost');
              return target.transaction(fn);
            };
          }
          const v = Reflect.get(target, p);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      await expect(
        batchReply({ ...e.env, db: failing }, who('gd.agent'), i.id, {
          method: 'SMS',
          content: 'Repaired',
        }),
      ).rejects.toThrow('connection lost');
      expect(await Promise.all(cases.map((c) => replies(c.id)))).toEqual([1, 0, 0]); // the first committed on its own
      const retry = await batchReply(e.env, who('gd.agent'), i.id, {
        method: 'SMS',
        content: 'Repaired',
      });
      expect(retry.replied).toHaveLength(2);
      expect(retry.skipped).toHaveLength(1);
      expect(await Promise.all(cases.map((c) => replies(c.id)))).toEqual([1, 1, 1]);
    }));

  it('D76: batchReply through the API lists replied cases and skipped ones as userErrors', () =>
    world().tx(async (db) => {
      const w = world();
      const { e, open, as } = kit(w, db);
      const i = await open('gd.legal', ['GD-GZ']);
      const r1 = await e.resolved('city');
      const busy = await e.investigating('city');
      await linkComplaints(e.env, as('gd.legal'), e.who('gd.legal').ability, i.id, [
        r1.id,
        busy.id,
      ]);
      const r = await gql(
        w.app(db),
        `mutation($i: BatchReplyInput!) { batchReply(input: $i) { replied { number status } skipped { code message } userErrors { code } } }`,
        { i: { incidentId: toGlobalId('Incident', i.id), method: 'SMS', content: 'Repaired' } },
        { token: await w.token('gd.legal') },
      );
      expect(r.data.batchReply.replied).toEqual([{ number: r1.number, status: 'REPLIED' }]);
      expect(r.data.batchReply.skipped.map((s: any) => s.message.split(':')[0])).toEqual([
        busy.number,
      ]);
      expect(r.data.batchReply.userErrors).toEqual([]);
    }));
});
