import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintEvents, complaints } from '../../src/db/schema.js';
import { verifyChain } from '../../src/events/append.js';
import { type EventFeed, feedFor } from '../../src/live/feed.js';
import { type Listening, listen } from '../../src/server/http.js';
import { scanOnce } from '../../src/sla/scanner.js';
import { cityTrail, DAY, engine } from '../support/cases.js';
import { PASSWORD, T0, useWorld } from '../support/world.js';

/**
 * Issue 26: the examples in examples/ (npm run example:portal, example:partner, example:duty) run as a
 * portal team would run them, as child processes against a server on a real port (the app in-process over
 * the file's fixture database), configured only by their environment. Their generated code
 * (examples/gql, npm run examples:codegen) must be current with schema/schema.graphql.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const world = useWorld();

let server: Listening;
let feed: EventFeed;
let dir = '';
beforeAll(async () => {
  const w = world();
  w.clock.set(T0);
  server = await listen(w.app(w.database.db), { port: 0, host: '127.0.0.1' });
  feed = await feedFor(w.database);
  dir = mkdtempSync(join(tmpdir(), 'examples-'));
});
afterAll(async () => {
  await server?.close();
  world().clock.set(T0);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Run = { code: number | null; output: string; done: Promise<void> };

/** Starts `examples/<name>.ts` as `npm run example:…` does (tsx), with only the environment given. */
function start(name: string, env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${name}.ts`], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GRAPHQL_URL: server.url,
      EXAMPLE_PASSWORD: PASSWORD,
      DATA_DIR: dir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const r: Run = { code: null, output: '', done: Promise.resolve() };
  child.stdout.on('data', (d) => (r.output += d));
  child.stderr.on('data', (d) => (r.output += d));
  r.done = new Promise((ok) => child.on('close', (code) => ((r.code = code), ok())));
  return r;
}
async function example(name: string, env: Record<string, string> = {}) {
  const r = start(name, env);
  await r.done;
  if (process.env.SHOW_EXAMPLES) console.log(r.output);
  expect(r.code, r.output).toBe(0);
  return r.output;
}
async function until(what: string, ok: () => boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const numbers = (text: string) => [...new Set(text.match(/\bGD\d{14}\b/g) ?? [])];

describe('examples (issue 26)', () => {
  it('D11 D55: the portal example signs in, lists, and works a new case through every step to ARCHIVED, each step by its role', async () => {
    const out = await example('portal');
    expect(out).toMatch(/ 1\. Sign in as gd\.agent/);
    expect(out).toMatch(/signed in: gd\.agent \(ACCEPTANCE_AGENT @ GD\)/);
    const number = /Done: (GD\d+) went through its lifecycle to ARCHIVED/.exec(out)?.[1];
    expect(number, out).toBeTruthy();
    const [row] = await world()
      .database.db.select()
      .from(complaints)
      .where(eq(complaints.number, number!));
    expect(row!.status).toBe('ARCHIVED');
    const events = await world()
      .database.db.select()
      .from(complaintEvents)
      .where(eq(complaintEvents.complaintId, row!.id))
      .orderBy(complaintEvents.position);
    expect(events.map((e) => e.action)).toEqual(cityTrail());
    expect(await verifyChain(world().database.db, row!.id)).toEqual({
      ok: true,
      checked: events.length,
    });
  }, 90_000);

  it('D40 D41 D56: the partner example submits once per idempotency key, follows the feed, and after a restart of both sides resumes after its saved cursor', async () => {
    const w = world();
    const state = join(dir, 'partner.json');
    const env = { PARTNER_API_KEY: w.partnerKey, PARTNER_STATE_FILE: state, FOLLOW_SECONDS: '20' };
    const first = await example('partner', env);
    expect(first).toMatch(/No saved cursor: reading the feed from its start/);
    expect(first).toMatch(/the same case, no duplicate/);
    const firstNumbers = numbers(first);
    expect(firstNumbers).toHaveLength(2); // the submission (sent twice) and the one submitted while following
    const rows = await w.database.db
      .select()
      .from(complaints)
      .where(inArray(complaints.number, firstNumbers));
    expect(rows.map((r) => r.partnerId)).toEqual([w.partner.id, w.partner.id]);
    expect(first).toMatch(new RegExp(`${firstNumbers[1]}\\s+REGISTER`)); // seen on the live feed
    const saved = JSON.parse(readFileSync(state, 'utf8')).cursor as string;
    expect(first).toContain(`Saved cursor ${saved}`);

    // The server restarts (a new process would listen anew; here a new listener on the same database).
    await server.close();
    server = await listen(w.app(w.database.db), { port: 0, host: '127.0.0.1' });
    const second = await example('partner', env);
    expect(second).toContain(`Resuming the feed after the saved cursor ${saved}`);
    const resumed = second.slice(second.indexOf('Resuming the feed'));
    for (const n of firstNumbers) expect(resumed).not.toContain(n); // nothing of the first run twice
    expect(numbers(resumed)).toHaveLength(2); // this run's two submissions, each once per action
  }, 120_000);

  it('D21 D32: the duty manager example reads the briefing, then prints live case events and SLA alerts as they happen', async () => {
    const w = world();
    const before = feed.size;
    const run = start('duty-feed', {
      DUTY_USER: 'gd.duty',
      DUTY_STATE_FILE: join(dir, 'duty.json'),
      FOLLOW_SECONDS: '40',
      STOP_AFTER_ALERTS: '1',
    });
    await until('the example to subscribe', () => feed.size >= before + 2 || run.code !== null);
    expect(run.output).toMatch(/Read the duty briefing/);
    expect(run.output).toMatch(/GD .*: \d+ overdue, \d+ MAJOR\/URGENT open/);

    const x = engine(w, w.database.db);
    const c = await x.accepted();
    w.clock.set(new Date(T0.getTime() + 30 * DAY));
    const scanned = await scanOnce(w.database.db, w.clock.now());
    expect(scanned.warnings + scanned.breaches).toBeGreaterThan(0);
    await run.done;
    if (process.env.SHOW_EXAMPLES) console.log(run.output);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`event ACCEPT on ${c.number} → ACCEPTED`);
    expect(run.output).toMatch(
      new RegExp(`SLA (WARNING|BREACH) \\w+ on ${c.number} \\(ACCEPTED, ORDINARY\\)`),
    );
    expect(JSON.parse(readFileSync(join(dir, 'duty.json'), 'utf8')).alertCursor).toEqual(
      expect.any(String),
    );
  }, 90_000);

  it('the generated code in examples/gql is current with schema/schema.graphql (npm run examples:codegen)', async () => {
    const r = await new Promise<{ code: number | null; output: string }>((ok) => {
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'node_modules/@graphql-codegen/cli/cjs/bin.js'),
          '--config',
          'codegen.ts',
          '--check',
        ],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (code) => ok({ code, output }));
    });
    expect(r.code, `examples/gql is stale: run npm run examples:codegen\n${r.output}`).toBe(0);
  }, 90_000);
});
