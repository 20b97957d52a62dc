import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db } from '../../src/db/client.js';
import { personalDataReads } from '../../src/db/schema.js';
import { checkPlugins } from '../../src/domain/lines.js';
import { definePlugin } from '../../src/domain/plugin.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { engine } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

/**
 * D50 (issue 18): the personal-data fields a line declares in `details`
 * (msisdn, phoneNumber, callingNumber, calledNumber as phones;
 * broadbandAccount, customerCode as account numbers) are masked and logged
 * exactly like the customer's fields.
 */
const world = useWorld();

const Q = `query ($id: ID!) { complaint(id: $id) { customer { phone masked } details } }`;

/** A mobile case with `details`, under investigation at the city, with the app to read it through. */
async function mobileCase(db: Db, details: Record<string, unknown>) {
  const w = world();
  w.clock.set(T0);
  const c = await engine(w, db).investigating('city', { businessLine: 'mobile', details });
  return { w, c, app: w.app(db), id: toGlobalId('Complaint', c.id) };
}

describe('D50: personal data inside details', () => {
  it('D50: an AUDITOR and a DUTY_MANAGER read details.msisdn masked like customer.phone; nothing is logged for them', () =>
    world().tx(async (db) => {
      const { w, c, app, id } = await mobileCase(db, {
        msisdn: '13812345678',
        cellId: 'GZ-0042',
      });
      for (const who of ['gd.auditor', 'gd.duty', 'gz.auditor', 'gz.duty']) {
        const r = await gql(app, Q, { id }, { token: await w.token(who) });
        expect(r.data.complaint, who).toEqual({
          customer: { phone: '138****5678', masked: true },
          details: { msisdn: '138****5678', cellId: 'GZ-0042' },
        });
      }
      expect(
        await db.select().from(personalDataReads).where(eq(personalDataReads.complaintId, c.id)),
      ).toEqual([]);
    }));

  it('D50: those who work the case read it in full, and the read is logged naming the detail field', () =>
    world().tx(async (db) => {
      const { w, c, app, id } = await mobileCase(db, { msisdn: '13812345678' });
      const r = await gql(
        app,
        `query ($id: ID!) { complaint(id: $id) { details } }`,
        { id },
        { token: await w.token('gz.handler') },
      );
      expect(r.data.complaint.details).toEqual({ msisdn: '13812345678' });
      const reads = await db
        .select()
        .from(personalDataReads)
        .where(eq(personalDataReads.complaintId, c.id));
      expect(reads.map((x) => [x.viewerUserId, x.fields])).toEqual([
        [w.staff['gz.handler']!.id, ['details.msisdn']],
      ]);
      const audit = await gql(
        app,
        `{ personalDataReads { edges { node { fields viewer { ... on User { username } } } } } }`,
        {},
        { token: await w.token('gz.auditor') },
      );
      expect(audit.data.personalDataReads.edges.map((x: any) => x.node)).toEqual([
        { fields: ['details.msisdn'], viewer: { username: 'gz.handler' } },
      ]);
    }));

  it('D50: every line declares its personal-data fields with their masks; one that names an unknown field does not load', () => {
    const lines = world().lines;
    expect(lines.personalData('mobile')).toEqual({ msisdn: 'phone' });
    expect(lines.personalData('fixed-line')).toEqual({ phoneNumber: 'phone' });
    expect(lines.personalData('interconnection')).toEqual({
      callingNumber: 'phone',
      calledNumber: 'phone',
    });
    expect(lines.personalData('broadband')).toEqual({ broadbandAccount: 'account' });
    expect(lines.personalData('enterprise')).toEqual({ customerCode: 'account' });
    expect(lines.personalData('billing-dispute')).toEqual({});
    const bad = definePlugin({
      code: 'iptv',
      name: 'IPTV',
      details: z.strictObject({ stbId: z.string().optional() }),
      personalData: { subscriber: 'name' },
    });
    expect(() => checkPlugins([bad])).toThrow(/personalData names subscriber/);
  });

  it('D50: an account number in details (broadband) is masked to its last 4 for a masked reader', () =>
    world().tx(async (db) => {
      const w = world();
      w.clock.set(T0);
      const c = await engine(w, db).accepted(
        {
          businessLine: 'broadband',
          details: { broadbandAccount: 'GZ-BB-00012345', planMbps: 300 },
        },
        'broadband',
      );
      const r = await gql(
        w.app(db),
        Q,
        { id: toGlobalId('Complaint', c.id) },
        { token: await w.token('gd.duty') },
      );
      expect(r.data.complaint.details).toEqual({
        broadbandAccount: '**********2345',
        planMbps: 300,
      });
    }));
});
