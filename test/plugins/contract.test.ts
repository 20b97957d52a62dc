import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { submitInterconnectionComplaint } from '../../plugins/interconnection/submit.js';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import type { Db } from '../../src/db/client.js';
import { complaintEvents, orgUnits } from '../../src/db/schema.js';
import { DomainError } from '../../src/domain/errors.js';
import { addLineRecord, lineAction, lineRecordsOf } from '../../src/domain/line-actions.js';
import { BASE_ROOT_CAUSES, LineRegistry, loadPlugins } from '../../src/domain/lines.js';
import { maskDetails } from '../../src/domain/mask.js';
import { type CommittedEvent, definePlugin } from '../../src/domain/plugin.js';
import { anonymiseExpired } from '../../src/domain/retention.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { createApp } from '../../src/server/app.js';
import { type Engine, engine } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { interconnectionInput, investigation } from '../support/inputs.js';
import { T0, useWorld, type World } from '../support/world.js';

/** A case's events, in log order. */
const eventsOf = (db: Db, c: { id: string }) =>
  db
    .select()
    .from(complaintEvents)
    .where(eq(complaintEvents.complaintId, c.id))
    .orderBy(complaintEvents.position);

/**
 * DOMAIN §6 (D33–D37): a business line is one folder. Every folder under
 * plugins/ goes through the same contract suite; the rest proves what a line
 * may declare and add — routing, hooks, its own API — over the API as a
 * portal would use it.
 */

const world = useWorld();
const PLUGINS = fileURLToPath(new URL('../../plugins', import.meta.url));
const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const FOLDERS = readdirSync(PLUGINS)
  .filter((f) => statSync(join(PLUGINS, f)).isDirectory())
  .sort();

const run =
  (fn: (e: Engine, db: Db, w: World) => Promise<void>, lines?: (w: World) => LineRegistry) => () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const w = lines ? { ...world(), lines: lines(world()) } : world();
      await fn(engine(w, db), db, w);
    });

/** Real names for the fixture's units, as the routing rule reads them (D34). */
async function nameUnits(db: Db, w: World) {
  const names: Record<string, string> = {
    'GD-GZ': '广州市',
    'GD-GZ-TH': '天河区',
    'GD-SZ': '深圳市',
    'GD-SZ-NS': '南山区',
    'GD-BC': '大客户中心',
  };
  for (const [code, name] of Object.entries(names))
    await db.update(orgUnits).set({ name }).where(eq(orgUnits.id, w.units[code]!.id));
}

const ADDRESS = '广东省广州市天河区体育西路1号';

describe('D33 D37: every folder under plugins/ honours the contract', () => {
  it('D37: each folder registers one line named after it; iptv is among them', async () => {
    const registry = await loadPlugins();
    expect(
      registry
        .all()
        .map((l) => l.code)
        .sort(),
    ).toEqual(FOLDERS);
    expect(FOLDERS).toContain('iptv');
  });

  it('D33: src/ names no line — a search for every line code finds nothing', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true }))
        e.isDirectory() ? walk(join(dir, e.name)) : files.push(join(dir, e.name));
    };
    walk(SRC);
    const hits = files.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return FOLDERS.filter((code) => new RegExp(`(?<![\\w-])${code}(?![\\w-])`).test(text)).map(
        (code) => `${f.slice(SRC.length)}: ${code}`,
      );
    });
    expect(hits).toEqual([]);
  });

  for (const code of FOLDERS) {
    it(`D33 D37 D50 D58 (${code}): details schema, masks, declarations and routing are well formed`, async () => {
      const line = (await loadPlugins()).require(code);
      const registry = await loadPlugins();
      const schema = registry.detailsSchema(code) as {
        type: string;
        additionalProperties: boolean;
        properties: Record<string, unknown>;
      };
      expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
      expect(registry.validateDetails(code, {}, ['input', 'details'])).toEqual({});
      expect(() =>
        registry.validateDetails(code, { noSuchField: 1 }, ['input', 'details']),
      ).toThrow(DomainError);
      for (const [field, kind] of Object.entries(line.personalData ?? {})) {
        expect(Object.keys(schema.properties)).toContain(field);
        const raw =
          kind === 'phone'
            ? '13812345678'
            : kind === 'name'
              ? '张三丰'
              : kind === 'address'
                ? ADDRESS
                : 'ACC-0001-2345';
        expect(maskDetails({ [field]: raw }, line.personalData!)[field]).not.toBe(raw);
      }
      expect(line.categories.slice(0, 5).map((c) => c.code)).toEqual([
        'SERVICE_QUALITY',
        'NETWORK_TECHNICAL',
        'TARIFF_POLICY',
        'PROCESS',
        'BILLING_DISPUTE',
      ]);
      expect(typeof line.suggest).toBe('function'); // D34: all seven lines route
    });

    it(
      `D37 D30 D50 (${code}): registered, accepted, dispatched, masked and counted like the others`,
      run(async (e, db, w) => {
        await nameUnits(db, w);
        const line = w.lines.require(code);
        const field = Object.keys(line.personalData ?? {})[0];
        const details = field
          ? { [field]: line.personalData![field] === 'phone' ? '13812345678' : 'ACC-0001-2345' }
          : {};
        const partners = line.registeredBy === 'PARTNERS_AND_LEGAL';
        const c = partners
          ? await submitInterconnectionComplaint(e.env, e.who('partner'), {
              idempotencyKey: `contract-${code}`,
              title: 'Calls fail',
              description: 'Since 09:00',
              category: 'NETWORK_TECHNICAL',
              customer: { name: '李四', phone: '13900001111', address: ADDRESS },
              details,
            })
          : await e.register('gd.agent', {
              businessLine: code,
              details,
              customer: { name: '张三', phone: '13812345678', address: ADDRESS },
            });
        const desk = c.legalOwned ? 'gd.legal' : 'gd.agent';
        expect(c.legalOwned).toBe(line.heldBy === 'LEGAL_OFFICER');
        await e.act(desk, 'ACCEPT', c, {
          businessLine: code,
          category: 'NETWORK_TECHNICAL',
          severity: 'ORDINARY',
        });
        const app = w.app(db);
        const id = toGlobalId('Complaint', c.id);
        const Q = `query ($id: ID!) { node(id: $id) { ... on Complaint { details customer { phone } suggestedDispatch { unit { code } reason } } } }`;
        const read = async (as: string) =>
          (await gql(app, Q, { id }, { token: await w.token(as) })).data.node;
        const suggestion = (await read(desk)).suggestedDispatch;
        const target = code === 'enterprise' ? 'GD-BC' : 'GD-GZ'; // D34: the centre for big customers, else the city the address names
        expect(suggestion.unit.code).toBe(target);
        await e.act(desk, 'DISPATCH', c, { toUnitId: w.units[target]!.id, deadline: e.deadline() });
        const duty = await read('gz.duty'); // D50: a duty manager reads masked data
        if (target === 'GD-GZ') {
          expect(duty.customer.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
          if (field) expect(duty.details[field]).not.toBe(details[field]);
        }
        const stats = await gql(
          app,
          `query ($i: StatsInput!) { complaintStats(input: $i) { keys count } }`,
          {
            i: {
              from: '2026-11-01T00:00:00+08:00',
              to: '2026-12-01T00:00:00+08:00',
              groupBy: ['BUSINESS_LINE'],
            },
          },
          { token: await w.token('gd.agent') },
        );
        expect(stats.errors).toBeUndefined();
        expect(stats.data.complaintStats).toContainEqual({
          keys: { BUSINESS_LINE: code },
          count: 1,
        });
      }),
    );
  }
});

describe('D33: what a line declares, the engine reads', () => {
  it(
    'D8 D33: the acceptance window is the line’s, overridable per line by configuration',
    run(async (e, _db, w) => {
      const old = { occurredAt: new Date(T0.getTime() - 200 * 24 * 3600_000) }; // ~6.5 months
      const billing = {
        businessLine: 'billing-dispute',
        category: 'BILLING_DISPUTE',
        severity: 'ORDINARY',
      } as const;
      expect(
        await e.refused('gd.agent', 'ACCEPT', await e.register('gd.agent', old), billing),
      ).toMatchObject({ code: 'VALIDATION', field: ['input', 'occurredAt'] });
      expect(
        await e.act('gd.agent', 'ACCEPT', await e.register('gd.agent', old), {
          ...billing,
          businessLine: 'mobile',
        }),
      ).toMatchObject({ status: 'ACCEPTED' });
      const wide = engine(
        {
          ...w,
          config: {
            ...w.config,
            acceptanceWindowMonths: { default: 24, byLine: { 'billing-dispute': 12 } },
          },
        },
        e.env.db,
      );
      expect(
        await wide.act('gd.agent', 'ACCEPT', await wide.register('gd.agent', old), billing),
      ).toMatchObject({ status: 'ACCEPTED' });
    }),
  );

  it(
    'D8 D40 D41: a line always in scope refuses OUT_OF_SCOPE; a line registered by partners and legal officers is held by the LEGAL_OFFICER',
    run(async (e) => {
      const c = await e.register('gd.legal', { businessLine: 'interconnection' });
      expect(c.legalOwned).toBe(true);
      expect(
        await e.refused('gd.legal', 'REJECT', c, { reason: 'OUT_OF_SCOPE', note: 'Not ours' }),
      ).toMatchObject({ code: 'VALIDATION', field: ['input', 'reason'] });
      expect(
        await e.refused('gd.agent', 'ACCEPT', c, {
          businessLine: 'interconnection',
          category: 'CALL_COMPLETION',
          severity: 'ORDINARY',
        }),
      ).toMatchObject({ code: 'FORBIDDEN' });
      const agent = await e
        .register('gd.agent', { businessLine: 'interconnection' })
        .catch((err: DomainError) => err);
      expect(agent).toMatchObject({ code: 'FORBIDDEN' });
    }),
  );

  it(
    'D79: rootCauses lists the base causes, then the lines’ own',
    run(async (_e, db, w) => {
      const res = await gql(
        w.app(db),
        '{ rootCauses { code name } }',
        {},
        { token: await w.token('gd.agent') },
      );
      const codes = (res.data.rootCauses as { code: string }[]).map((c) => c.code);
      expect(codes.slice(0, BASE_ROOT_CAUSES.length)).toEqual(BASE_ROOT_CAUSES.map((c) => c.code));
      expect(codes).toContain('HEADEND_FAULT'); // iptv's own
    }),
  );

  it('D33: an invalid declaration stops the registry naming the line and the field; two lines with one code are refused', () => {
    const base = { code: 'x-line', name: 'X', details: z.strictObject({}) };
    expect(
      () =>
        new LineRegistry([{ ...definePlugin(base), callback: 'SOMEONE' }], ['in folder "x-line"']),
    ).toThrow(/in folder "x-line": callback must be PROVINCE or HANDLING_CITY/);
    expect(() => new LineRegistry([{ ...definePlugin(base), acceptanceWindowMonths: 0 }])).toThrow(
      /acceptanceWindowMonths/,
    );
    expect(
      () =>
        new LineRegistry(
          [definePlugin(base), definePlugin(base)],
          ['in folder "a"', 'in folder "b"'],
        ),
    ).toThrow(/duplicate line code "x-line"/);
  });
});

describe('D34: routing suggests, a person decides', () => {
  const Q = `query ($id: ID!) { node(id: $id) { ... on Complaint { suggestedDispatch { unit { code } reason } } } }`;
  it(
    'D34: the city the address names, or the city of the county it names; none when it names none; null for partners',
    run(async (e, db, w) => {
      await nameUnits(db, w);
      const app = w.app(db);
      const suggest = async (address: string | undefined, as = 'gd.agent', line = 'mobile') => {
        const c = await e.register('gd.agent', {
          businessLine: line,
          customer: { name: '张三', phone: '13812345678', ...(address ? { address } : {}) },
        });
        return (
          await gql(app, Q, { id: toGlobalId('Complaint', c.id) }, { token: await w.token(as) })
        ).data.node.suggestedDispatch;
      };
      expect(await suggest('广州市越秀区北京路5号')).toEqual({
        unit: { code: 'GD-GZ' },
        reason: "The customer's address names 广州市",
      });
      expect(await suggest('南山区科技园8栋')).toEqual({
        unit: { code: 'GD-SZ' },
        reason: "The customer's address names 南山区, a county of 深圳市",
      });
      expect(await suggest('北京市朝阳区')).toBeNull();
      expect(await suggest(undefined)).toBeNull();
      expect(await suggest('深圳福田', 'gd.agent', 'enterprise')).toMatchObject({
        unit: { code: 'GD-BC' },
      });
      const own = await submitInterconnectionComplaint(e.env, e.who('partner'), {
        idempotencyKey: 'route-1',
        title: 't',
        description: 'd',
        category: 'CALL_COMPLETION',
        customer: { name: '李四', phone: '13900001111', address: ADDRESS },
      });
      expect(
        (await gql(app, Q, { id: toGlobalId('Complaint', own.id) }, { apiKey: w.partnerKey })).data
          .node.suggestedDispatch,
      ).toBeNull();
    }),
  );
});

describe('D35: hooks', () => {
  const seen: CommittedEvent[] = [];
  let failing = false;
  const hookLine = definePlugin({
    code: 'hook-test',
    name: 'Hook test line',
    details: z.strictObject({ frozen: z.boolean().optional() }),
    hooks: {
      refuse: ({ action, details }) =>
        details.frozen && action === 'ESCALATE' ? 'Frozen cases are not escalated' : null,
      afterCommit(event) {
        if (failing) throw new Error('the notifier is down');
        seen.push(event);
      },
    },
  });
  const withHooks = (w: World) => new LineRegistry([...w.lines.all(), hookLine]);

  it(
    'D35: after-hooks run once per event, after the commit; a refused transition runs none; a failing hook is counted and undoes nothing',
    run(async (e, db, w) => {
      seen.length = 0;
      const c = await e.register('gd.agent', { businessLine: 'hook-test' });
      await e.act('gd.agent', 'ACCEPT', c, {
        businessLine: 'hook-test',
        category: 'PROCESS',
        severity: 'ORDINARY',
      });
      await e.refused('gd.agent', 'ACCEPT', c, {
        businessLine: 'hook-test',
        category: 'PROCESS',
        severity: 'ORDINARY',
      });
      const events = await eventsOf(db, c);
      expect(seen.map((x) => [x.action, x.position, x.number])).toEqual(
        events.map((x) => [x.action, x.position, c.number]),
      );

      failing = true;
      const reported: unknown[] = [];
      w.lines.onHookError = (err) => reported.push(err);
      try {
        const after = await e.act('gd.agent', 'SUSPEND', c, { note: 'Waiting' });
        expect(after.suspended).toBe(true); // the event stands
      } finally {
        failing = false;
      }
      expect(reported).toHaveLength(1);
      expect(w.lines.hookFailures.get('hook-test')).toBe(1);
      expect((await eventsOf(db, c)).map((x) => x.action)).toContain('SUSPEND');
    }, withHooks),
  );

  it(
    'D35 D60: a line’s refusal is an INVALID_TRANSITION and viewerActions leaves the action out',
    run(async (e, db, w) => {
      const c = await e.register('gd.agent', {
        businessLine: 'hook-test',
        details: { frozen: true },
      });
      expect(await e.refused('gd.agent', 'ESCALATE', c, { note: 'Please' })).toMatchObject({
        code: 'INVALID_TRANSITION',
        message: 'Frozen cases are not escalated',
      });
      const app = createApp({ ...w.services(db), lines: w.lines }); // the app of this registry (the hook-test line included)
      const res = await gql(
        app,
        `query ($id: ID!) { node(id: $id) { ... on Complaint { viewerActions } } }`,
        { id: toGlobalId('Complaint', c.id) },
        { token: await w.token('gd.agent') },
      );
      expect(res.data.node.viewerActions).not.toContain('ESCALATE');
      expect(res.data.node.viewerActions).toContain('SUSPEND');
    }, withHooks),
  );

  const wide = definePlugin({
    code: 'wide-line',
    name: 'Wide',
    details: z.strictObject({}),
    abilities: (_v, b) => b.can('read', 'Complaint'),
  });
  it(
    'D33: a line’s permission rules reach its own cases only',
    run(
      async (e, _db, w) => {
        const registry = w.lines;
        const mobile = await e.register('gd.agent', { businessLine: 'mobile' });
        const own = await e.register('gd.agent', { businessLine: 'wide-line' });
        const auditor = defineAbilityFor(w.staff['zj.agent']!, registry.abilities); // another province: reads nothing of GD
        const { canRead } = await import('../../src/auth/complaint-rules.js');
        expect(canRead(auditor, own)).toBe(true);
        expect(canRead(auditor, mobile)).toBe(false);
        const bad = definePlugin({
          code: 'bad-line',
          name: 'Bad',
          details: z.strictObject({}),
          abilities: (_v, b) => b.can('manage', 'Calendar'),
        });
        expect(() =>
          defineAbilityFor(w.staff['zj.agent']!, new LineRegistry([bad]).abilities),
        ).toThrow(/own complaints only/);
      },
      (w) => new LineRegistry([...w.lines.all(), wide]),
    ),
  );
});

describe('D36: a line’s own API', () => {
  const RECORD = `mutation ($i: BillingAdjustmentInput!) { recordBillingAdjustment(input: $i) {
    complaint { version billingAdjustment { amount billingPeriod note by { username } at } } userErrors { code field message } } }`;

  it(
    'D36: recordBillingAdjustment by a HANDLER of the handling unit, one RECORD_BILLING_ADJUSTMENT event; refusals in D55’s order; null on other lines',
    run(async (e, db, w) => {
      const c = await e.investigating('city', {}, 'billing-dispute');
      const app = w.app(db);
      const id = toGlobalId('Complaint', c.id);
      const record = async (as: string, input: Record<string, unknown>) =>
        (await gql(app, RECORD, { i: { id, ...input } }, { token: await w.token(as) })).data
          .recordBillingAdjustment;

      expect((await record('gd.agent', { amount: 12.5 })).userErrors).toMatchObject([
        { code: 'FORBIDDEN' },
      ]); // not a HANDLER
      expect((await record('sz.handler', { amount: 12.5 })).userErrors).toMatchObject([
        { code: 'NOT_FOUND' },
      ]); // cannot read it
      expect((await record('gz.handler', { amount: -1 })).userErrors).toMatchObject([
        { code: 'VALIDATION', field: ['input', 'amount'] },
      ]);
      expect(
        (await record('gz.handler', { amount: 5, billingPeriod: '2026-13' })).userErrors,
      ).toMatchObject([{ code: 'VALIDATION', field: ['input', 'billingPeriod'] }]);
      expect(
        (await record('gz.handler', { amount: 5, expectedVersion: 1 })).userErrors,
      ).toMatchObject([{ code: 'CONFLICT' }]);
      const ok = await record('gz.handler', {
        amount: 12.5,
        billingPeriod: '2026-10',
        note: 'Roaming charge refunded',
      });
      expect(ok.userErrors).toEqual([]);
      expect(ok.complaint.billingAdjustment).toEqual({
        amount: 12.5,
        billingPeriod: '2026-10',
        note: 'Roaming charge refunded',
        by: { username: 'gz.handler' },
        at: '2026-11-23T10:00:00.000+08:00',
      });
      const events = await eventsOf(db, c);
      expect(events.at(-1)).toMatchObject({
        action: 'RECORD_BILLING_ADJUSTMENT',
        fromStatus: 'INVESTIGATING',
        toStatus: 'INVESTIGATING',
      });
      expect(events.at(-1)!.payload).toMatchObject({ amount: 12.5, billingPeriod: '2026-10' });
      expect(JSON.stringify(events.at(-1)!.payload)).not.toContain('Roaming charge refunded'); // D51: free text beside the chain

      const mobile = await e.investigating('city', {}, 'mobile');
      const other = await gql(
        app,
        RECORD,
        { i: { id: toGlobalId('Complaint', mobile.id), amount: 1 } },
        { token: await w.token('gz.handler') },
      );
      expect(other.data.recordBillingAdjustment.userErrors).toMatchObject([
        { code: 'INVALID_TRANSITION' },
      ]);
      const field = await gql(
        app,
        `query ($id: ID!) { node(id: $id) { ... on Complaint { billingAdjustment { amount } } } }`,
        { id: toGlobalId('Complaint', mobile.id) },
        { token: await w.token('gz.handler') },
      );
      expect(field.data.node.billingAdjustment).toBeNull();
      const partner = await gql(app, RECORD, { i: { id, amount: 1 } }, { apiKey: w.partnerKey });
      expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }),
  );

  it(
    'D15 D36: a line’s records lose their free text when the case is anonymised; their figures stay',
    run(async (e, db, w) => {
      const c = await e.investigating('city', {}, 'billing-dispute');
      const rule = {
        action: 'RECORD_BILLING_ADJUSTMENT',
        line: 'billing-dispute',
        from: ['INVESTIGATING'] as const,
        roles: ['HANDLER'] as const,
        who: ['handler'] as const,
      };
      await lineAction(e.env, e.who('gz.handler'), c.id, rule, async (tx, row, at) => {
        await addLineRecord(tx, {
          line: 'billing-dispute',
          kind: 'ADJUSTMENT',
          complaintId: row.id,
          data: { amount: 8, billingPeriod: null, note: '张三 asked for it' },
          byUserId: at.actorUserId,
          at: at.now,
        });
        return { payload: { amount: 8 } };
      });
      await e.act('gz.handler', 'RECORD_INVESTIGATION', c, investigation('Double charge'));
      await e.act('gz.handler', 'DETERMINE_RESPONSIBILITY', c, {
        nature: 'VALID',
        rootCause: 'Billing error',
        remedy: { kind: 'BILL_ADJUSTED', amount: 8 },
      });
      await e.act('gz.handler', 'SUBMIT_REPORT', c, {});
      await e.act('gz.leader', 'CONFIRM_REPORT', c, { approve: true });
      await e.act('gd.agent', 'REVIEW_REPORT', c, { approve: true });
      await e.act('gd.agent', 'REPLY_TO_CUSTOMER', c, { method: 'PHONE', content: 'Refunded' });
      await e.act('gz.handler', 'RECORD_CALLBACK', c, { result: 'SATISFIED' });
      w.clock.set(new Date(T0.getTime() + 4 * 366 * 24 * 3600_000));
      expect(await anonymiseExpired(db, w.clock.now(), 3, w.lines)).toBeGreaterThan(0);
      const [record] = await lineRecordsOf(db, 'billing-dispute', 'ADJUSTMENT', c.id);
      expect(record!.data).toEqual({ amount: 8, billingPeriod: null });
    }),
  );

  it(
    'D36 D40: submitInterconnectionComplaint is the interconnection line’s own mutation, for partners only',
    run(async (_e, db, w) => {
      const M = `mutation ($i: InterconnectionComplaintInput!) { submitInterconnectionComplaint(input: $i) { complaint { businessLine { code } status } userErrors { code } } }`;
      const i = interconnectionInput('own-api-1', {
        title: '跨网呼叫失败',
        description: 'Since 09:00',
      });
      const ok = await gql(w.app(db), M, { i }, { apiKey: w.partnerKey });
      expect(ok.data.submitInterconnectionComplaint).toEqual({
        complaint: { businessLine: { code: 'interconnection' }, status: 'RECEIVED' },
        userErrors: [],
      });
      const staff = await gql(w.app(db), M, { i }, { token: await w.token('gd.legal') });
      expect(staff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }),
  );
});
