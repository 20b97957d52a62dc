import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { type Db, openPostgres, rowsOf } from '../../src/db/client.js';
import { hotspotAlerts, registrationMinutes } from '../../src/db/schema.js';
import { watchOnce } from '../../src/domain/hotspots.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { listen } from '../../src/server/http.js';
import { collect, waitFor, wsClient } from '../live/support.js';
import { engine, HOUR } from '../support/cases.js';
import { onPostgres } from '../support/db.js';
import { gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

/**
 * D76 hotspots: registrations counted per key (the city the address names,
 * else the province; the business line) and minute in the registration's
 * transaction; the watcher raises one alert per key and clock hour when the
 * 60 minutes up to now hold ≥ 10 cases and ≥ 3 × the key's average for the
 * same hour over the previous 4 weeks.
 */
const world = useWorld();
const T = { minCount: 10, ratio: 3 };
const MIN = 60_000;
const WEEK = 7 * 24 * HOUR;

async function registerMany(
  db: Db,
  n: number,
  over: Record<string, unknown> = {},
  as = 'gd.agent',
) {
  const e = engine(world(), db);
  for (let i = 0; i < n; i++)
    await e.register(as, { businessLine: 'mobile', category: 'NETWORK_TECHNICAL', ...over });
}

const alertsOf = (db: Db) => db.select().from(hotspotAlerts).orderBy(hotspotAlerts.position);

describe('D76: the watcher over the rollup', () => {
  it('D76: 10 registrations of one key in an hour raise one alert, once per key and clock hour', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      await registerMany(db, 9);
      expect(await watchOnce(db, new Date(T0.getTime() + MIN), T)).toBe(0); // 9 < 10
      await registerMany(db, 1);
      expect(await watchOnce(db, new Date(T0.getTime() + MIN), T)).toBe(1);
      const [a] = await alertsOf(db);
      expect(a).toMatchObject({
        unitId: world().units.GD!.id,
        line: 'mobile',
        count: 10,
        baseline: 0,
      });
      // Still hot in the same clock hour, with more cases: no second alert.
      world().clock.set(new Date(T0.getTime() + 20 * MIN));
      await registerMany(db, 5);
      expect(await watchOnce(db, new Date(T0.getTime() + 21 * MIN), T)).toBe(0);
      // 10:21 → 11:05: the window [10:06, 11:06) still holds the 5 cases of 10:20 only: not hot.
      expect(await watchOnce(db, new Date(T0.getTime() + 65 * MIN), T)).toBe(0);
      // A new hour with 10 more: one more alert for the key.
      world().clock.set(new Date(T0.getTime() + 70 * MIN));
      await registerMany(db, 10);
      expect(await watchOnce(db, new Date(T0.getTime() + 71 * MIN), T)).toBe(1);
      expect((await alertsOf(db)).map((x) => x.count)).toEqual([10, 15]);
      // Other lines and lineless cases are keys of their own.
      await registerMany(db, 10, { businessLine: null, category: null });
      expect(await watchOnce(db, new Date(T0.getTime() + 72 * MIN), T)).toBe(1);
      expect((await alertsOf(db)).at(-1)).toMatchObject({ line: '', count: 10 });
    }));

  it("D76: against the key's 4-week average for the same hour: 3 × the baseline is needed", () =>
    world().tx(async (db) => {
      // 4 cases in the same hour of each of the previous 4 weeks: baseline 4, so 12 are needed.
      for (let w = 1; w <= 4; w++) {
        world().clock.set(new Date(T0.getTime() - w * WEEK));
        await registerMany(db, 4);
      }
      world().clock.set(T0);
      await registerMany(db, 11);
      const now = new Date(T0.getTime() + MIN);
      expect(await watchOnce(db, now, T)).toBe(0);
      await registerMany(db, 1);
      expect(await watchOnce(db, now, T)).toBe(1);
      expect((await alertsOf(db))[0]).toMatchObject({ count: 12, baseline: 4 });
      // The thresholds are configuration (config.hotspot): a ratio of 4 would not have fired.
      await db.delete(hotspotAlerts);
      expect(await watchOnce(db, now, { minCount: 10, ratio: 4 })).toBe(0);
    }));

  it("D76, D34: the key's unit is the city the address names; `hotspots` reaches staff at or above it", () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      await registerMany(db, 10, {
        customer: { name: '李四', phone: '13912345678', address: '广东省 Unit GD-SZ 南山' },
      });
      expect(await watchOnce(db, new Date(T0.getTime() + MIN), T)).toBe(1);
      const app = world().app(db);
      const q = `query($from: DateTime!, $to: DateTime!, $unitId: ID) { hotspots(from: $from, to: $to, unitId: $unitId) { unit { code } businessLine { code } category count baseline windowStart } }`;
      const vars = {
        from: new Date(T0.getTime() - HOUR).toISOString(),
        to: new Date(T0.getTime() + HOUR).toISOString(),
      };
      const as = async (u: string, extra = {}) =>
        (await gql(app, q, { ...vars, ...extra }, { token: await world().token(u) })).data
          ?.hotspots;
      expect(await as('sz.duty')).toEqual([
        {
          unit: { code: 'GD-SZ' },
          businessLine: { code: 'mobile' },
          category: null,
          count: 10,
          baseline: 0,
          windowStart: expect.any(String),
        },
      ]);
      expect(await as('gd.duty')).toHaveLength(1);
      expect(
        await as('gd.duty', { unitId: toGlobalId('OrgUnit', world().units['GD-GZ']!.id) }),
      ).toEqual([]);
      expect(await as('gz.duty')).toEqual([]); // another city
      expect(await as('ns.handler')).toEqual([]); // below the key's unit
      expect(await as('zj.legal')).toEqual([]); // another province
      const partner = await gql(app, q, vars, { apiKey: world().partnerKey });
      expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }));

  it('D76: the watcher reads the rollup, not the cases (one row per key and minute)', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      await registerMany(db, 12);
      const rows = await db.select().from(registrationMinutes);
      expect(rows).toEqual([
        { unitId: world().units.GD!.id, line: 'mobile', minute: T0, count: 12 },
      ]);
    }));
});

describe('D76: thresholds are configuration', () => {
  it('D76: HOTSPOT_MIN_COUNT, HOTSPOT_RATIO and HOTSPOT_SCAN_INTERVAL_MS: defaults 10, 3 and 30 s; values given; bad values refused', () => {
    const base = { DATA_DIR: '/tmp/hotspot-config-test', JWT_SECRET: 'x'.repeat(40) };
    expect(loadConfig(base).hotspot).toEqual({ minCount: 10, ratio: 3, scanIntervalMs: 30_000 });
    expect(
      loadConfig({
        ...base,
        HOTSPOT_MIN_COUNT: '25',
        HOTSPOT_RATIO: '2.5',
        HOTSPOT_SCAN_INTERVAL_MS: '5000',
      }).hotspot,
    ).toEqual({ minCount: 25, ratio: 2.5, scanIntervalMs: 5000 });
    expect(() => loadConfig({ ...base, HOTSPOT_MIN_COUNT: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, HOTSPOT_RATIO: '-1' })).toThrow(/HOTSPOT_RATIO/);
  });
});

describe('D76: live and on many instances (committed)', () => {
  afterAll(async () => {
    const db = world().database.db;
    await db.delete(hotspotAlerts);
  });

  it('D76: the hotspotAlerts subscription delivers an alert to staff at or above its unit only', async () => {
    const w = world();
    const db = w.database.db;
    const server = await listen(w.app(db), { port: 0, host: '127.0.0.1' });
    const at = new Date(T0.getTime() + 2 * WEEK);
    w.clock.set(at);
    const clients = [] as ReturnType<typeof wsClient>[];
    try {
      const sub = async (u: string) => {
        const c = wsClient(server, { authorization: `Bearer ${await w.token(u)}` });
        clients.push(c);
        return collect(
          c,
          'subscription { hotspotAlerts { unit { code } count businessLine { code } } }',
        );
      };
      const gdDuty = await sub('gd.duty');
      const gzDuty = await sub('gz.duty');
      const zj = await sub('zj.legal');
      await new Promise((r) => setTimeout(r, 300)); // the subscriptions reach the server
      await registerMany(db, 10, { businessLine: 'broadband', category: null });
      expect(await watchOnce(db, new Date(at.getTime() + MIN), T)).toBe(1);
      await waitFor(() => gdDuty.items.length === 1, 'the alert on gd.duty');
      expect(gdDuty.items).toEqual([
        { unit: { code: 'GD' }, count: 10, businessLine: { code: 'broadband' } },
      ]);
      await new Promise((r) => setTimeout(r, 200));
      expect(gzDuty.items).toEqual([]);
      expect(zj.items).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
      await server.close();
    }
  });

  it.skipIf(!onPostgres)(
    'D76, D22: two watchers on two connections pools raise each alert exactly once (PostgreSQL)',
    async () => {
      const w = world();
      const a = await openPostgres(w.database.url!, { max: 4 });
      const b = await openPostgres(w.database.url!, { max: 4 });
      try {
        const at = new Date(T0.getTime() + 5 * WEEK);
        w.clock.set(at);
        // Six keys hot at once (six lines; the LEGAL_OFFICER registers for every line, D41).
        const lines = w.lines
          .all()
          .map((l) => l.code)
          .slice(0, 6);
        for (const line of lines)
          await registerMany(w.database.db, 10, { businessLine: line, category: null }, 'gd.legal');
        const before = (await w.database.db.select().from(hotspotAlerts)).length;
        // Many passes of both watchers over the same minutes, interleaved.
        const passes = [];
        for (let i = 0; i < 8; i++) {
          const now = new Date(at.getTime() + MIN + i * 1000);
          passes.push(watchOnce(a.db, now, T), watchOnce(b.db, now, T));
        }
        const raised = (await Promise.all(passes)).reduce((x, y) => x + y, 0);
        expect(raised).toBe(lines.length);
        const rows = rowsOf<{ line: string; n: number }>(
          await w.database.db.execute(
            sql`select line, count(*)::int as n from hotspot_alerts where at >= ${at.toISOString()}::timestamptz group by line`,
          ),
        );
        expect(rows.map((r) => r.n)).toEqual(lines.map(() => 1));
        expect((await w.database.db.select().from(hotspotAlerts)).length - before).toBe(
          lines.length,
        );
      } finally {
        await a.close();
        await b.close();
      }
    },
  );
});
