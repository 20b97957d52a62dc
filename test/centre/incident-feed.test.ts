import { describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { listen } from '../../src/server/http.js';
import { collect, waitFor, wsClient } from '../live/support.js';
import { gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

/**
 * D76, issue 23: an incident is reported at once on the feeds of those who read it — the province's legal
 * department and the duty managers at or above one of its units — through `incidentOpened`, and to nobody
 * else (another city's duty manager, another province). Committed for real: the relay reads the table.
 */
const world = useWorld();

const OPEN = `mutation($i: OpenIncidentInput!) { openIncident(input: $i) { incident { id title } userErrors { code message } } }`;
const SUB = 'subscription { incidentOpened { id title units { code } } }';

describe('D76: incidents opened, live', () => {
  it('D76: an incident opened for GD-GZ reaches gd.legal, gd.duty and gz.duty at once; sz.duty, zj.legal and a filter on GD-SZ see nothing', async () => {
    const w = world();
    const db = w.database.db;
    w.clock.set(T0);
    const server = await listen(w.app(db), { port: 0, host: '127.0.0.1' });
    const clients = [] as ReturnType<typeof wsClient>[];
    try {
      const sub = async (u: string, query = SUB) => {
        const c = wsClient(server, { authorization: `Bearer ${await w.token(u)}` });
        clients.push(c);
        return collect(c, query);
      };
      const watchers = {
        'gd.legal': await sub('gd.legal'),
        'gd.duty': await sub('gd.duty'),
        'gz.duty': await sub('gz.duty'),
        'sz.duty': await sub('sz.duty'),
        'zj.legal': await sub('zj.legal'),
        'gd.duty on GD-SZ': await sub(
          'gd.duty',
          `subscription { incidentOpened(unitId: "${toGlobalId('OrgUnit', w.units['GD-SZ']!.id)}") { id title units { code } } }`,
        ),
      };
      await new Promise((r) => setTimeout(r, 300)); // the subscriptions reach the server
      const opened = await gql(
        w.app(db),
        OPEN,
        {
          i: {
            title: '天河区光缆中断',
            unitIds: [toGlobalId('OrgUnit', w.units['GD-GZ']!.id)],
            startedAt: new Date(T0.getTime() - 3_600_000).toISOString(),
          },
        },
        { token: await w.token('gd.duty') },
      );
      expect(opened.data.openIncident.userErrors).toEqual([]);
      const expected = {
        id: opened.data.openIncident.incident.id,
        title: '天河区光缆中断',
        units: [{ code: 'GD-GZ' }],
      };
      for (const u of ['gd.legal', 'gd.duty', 'gz.duty'] as const) {
        await waitFor(() => watchers[u].items.length === 1, `the incident on ${u}`, 2_000);
        expect(watchers[u].items).toEqual([expected]);
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(watchers['sz.duty'].items).toEqual([]);
      expect(watchers['zj.legal'].items).toEqual([]);
      expect(watchers['gd.duty on GD-SZ'].items).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
      await server.close();
    }
  });

  it('D40 D55: partners may not subscribe (FORBIDDEN)', async () => {
    const w = world();
    const r = await gql(w.app(w.database.db), SUB, {}, { apiKey: w.partnerKey });
    expect(JSON.stringify(r.errors ?? r)).toMatch(/FORBIDDEN/);
  });
});
