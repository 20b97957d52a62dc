import { afterAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/server/app.js';
import { operationLabel } from '../../src/server/metrics.js';
import { useWorld } from '../support/world.js';

/**
 * Issue 19: /metrics labels operations by a bounded set of names (the schema's root fields and
 * METRICS_OPERATIONS; `anonymous`; else `other`), so a client cannot grow the series at will; and it is
 * not public: a bearer token (METRICS_TOKEN) or a port of its own (METRICS_PORT), and in production without
 * either it is not served.
 */
const world = useWorld();

const appWith = (metrics: Partial<App['services']['config']['metrics']>, production = false) => {
  const w = world();
  return createApp({
    ...w.services(w.database.db),
    config: {
      ...w.config,
      staffRate: { perSecond: 100_000, burst: 100_000 },
      production,
      nodeEnv: production ? 'production' : 'test',
      metrics: { ...w.config.metrics, ...metrics },
    },
  });
};
const query = (app: App, token: string, name: string) =>
  app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: `query ${name} { __typename }` }),
  });
const scrape = (app: App, authorization?: string) =>
  app.yoga.fetch('http://test/metrics', { headers: authorization ? { authorization } : {} });

const servers: { close(): void }[] = [];
afterAll(() => servers.forEach((s) => s.close()));

describe('issue 19: /metrics', () => {
  it('issue 19: 150 distinct operation names make one `other` series; known names keep theirs', async () => {
    const app = appWith({ operations: ['DutyBoard'] });
    const token = await world().token('gz.handler');
    for (let i = 0; i < 150; i++) await query(app, token, `Probe${i}`);
    await query(app, token, 'DutyBoard');
    await query(app, token, 'complaints');
    const text = await (await scrape(app)).text();
    const series = text.split('\n').filter((l) => l.startsWith('graphql_operations_total{'));
    expect(series).toEqual(
      expect.arrayContaining([
        'graphql_operations_total{operation="other",type="query",outcome="ok"} 150',
        'graphql_operations_total{operation="DutyBoard",type="query",outcome="ok"} 1',
        'graphql_operations_total{operation="complaints",type="query",outcome="ok"} 1',
      ]),
    );
    expect(series).toHaveLength(3);
    expect(text).not.toMatch(/Probe\d/);
    expect(operationLabel(undefined, new Set())).toBe('anonymous');
  });

  it('issue 19: with METRICS_TOKEN, /metrics needs it as a bearer token (401 otherwise)', async () => {
    const app = appWith({ token: 'scrape-token-0123456789' });
    expect((await scrape(app)).status).toBe(401);
    expect((await scrape(app, 'Bearer wrong-token-0123456789')).status).toBe(401);
    const ok = await scrape(app, 'Bearer scrape-token-0123456789');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('graphql_operations_total');
  });

  it('issue 19: in production without a token or a port of its own, /metrics is not served; with METRICS_PORT it is not on the API’s port', async () => {
    expect((await scrape(appWith({}, true))).status).toBe(404);
    expect(
      (
        await scrape(
          appWith({ token: 'scrape-token-0123456789' }, true),
          'Bearer scrape-token-0123456789',
        )
      ).status,
    ).toBe(200);
    expect((await scrape(appWith({ port: 9464 }))).status).toBe(404);
  });
});
