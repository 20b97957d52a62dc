import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgres, rowsOf } from '../../src/db/client.js';
import { lsnValue, type ReadRouting, replicated } from '../../src/db/replica.js';
import type { App } from '../../src/server/app.js';
import { createApp } from '../../src/server/app.js';
import { onPostgres } from '../support/db.js';
import { gql } from '../support/gql.js';
import { useWorld } from '../support/world.js';

/**
 * Issue 25: with a streaming replica (`DATABASE_REPLICA_URL`), lists, statistics and exports read from it,
 * and a client that has just written reads its own write. CI starts a real replica next to its PostgreSQL
 * (`pg_basebackup -R`) and names it in TEST_REPLICA_URL; the test pauses the replica's replay, so what the
 * replica has not seen is certain, not a matter of timing.
 */
const replicaAdmin = process.env.TEST_REPLICA_URL;

const REGISTER = `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id number } userErrors { message } } }`;
const LIST = `query($search: String) { complaints(first: 50, filter: { search: $search }) { totalCount edges { node { number } } } }`;
const STATS = `query($input: StatsInput!) { complaintStats(input: $input) { keys count } }`;

const input = (title: string) => ({
  channel: 'PHONE',
  businessLine: 'mobile',
  title,
  description: 'No signal at home since Monday',
  customer: { name: '张三', phone: '13812345678' },
});

describe.skipIf(!onPostgres || !replicaAdmin)(
  "read replicas and reading one's own writes (issue 25)",
  () => {
    const world = useWorld();
    let replica: Database;
    let reads: ReadRouting;
    let app: App;
    const notes: string[] = [];

    async function replay(on: boolean) {
      await replica.db.execute(
        on ? sql`select pg_wal_replay_resume()` : sql`select pg_wal_replay_pause()`,
      );
    }

    /** Waits until the replica has replayed everything the primary has written so far. */
    async function caughtUp() {
      const [p] = rowsOf<{ lsn: string }>(
        await world().database.db.execute(sql`select pg_current_wal_insert_lsn()::text as lsn`),
      );
      for (let i = 0; i < 200; i++) {
        const [r] = rowsOf<{ lsn: string }>(
          await replica.db.execute(sql`select pg_last_wal_replay_lsn()::text as lsn`),
        );
        if (lsnValue(r!.lsn) >= lsnValue(p!.lsn)) return;
        await new Promise((res) => setTimeout(res, 25));
      }
      throw new Error('the replica did not catch up within 5 s');
    }

    /** Pauses the replica's replay once it has caught up (the caller resumes it) and registers a case as `username`. */
    async function registerUnreplayed(key: string, username: string) {
      await caughtUp();
      await replay(false);
      const reg = await gql(app, REGISTER, { input: input(key) }, await auth(username));
      expect(reg.errors).toBeUndefined();
      return reg;
    }

    beforeAll(async () => {
      const w = world();
      const url = new URL(replicaAdmin!);
      url.pathname = new URL(w.database.url!).pathname;
      // The file's database was created on the primary a moment ago: wait for the replica to have replayed it.
      for (let i = 0; ; i++) {
        try {
          replica = await openPostgres(url.toString(), { max: 4 });
          await replica.ping();
          break;
        } catch (err) {
          if (i > 100) throw err;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      reads = replicated(w.database, replica, { warn: (_, m) => notes.push(m) });
      app = createApp({ ...w.services(w.database.db), reads });
      await caughtUp();
    });
    afterAll(async () => {
      await replay(true).catch(() => {});
      await reads?.close();
    });

    const auth = async (username: string) => ({ token: await world().token(username) });

    it('issue 25: the replica is a standby, and the routing uses it for a viewer that has written nothing', async () => {
      const [r] = rowsOf<{ standby: boolean }>(
        await replica.db.execute(sql`select pg_is_in_recovery() as standby`),
      );
      expect(r!.standby).toBe(true);
      expect(await reads.readerFor('user:nobody')).toBe(replica.db);
    });

    it('issue 25: a writer reads its own write at once (from the primary) while the replica has not replayed it; others read the replica', async () => {
      try {
        const reg = await registerUnreplayed('replica-own-write', 'gd.agent');
        const number = reg.data.registerComplaint.complaint.number as string;

        // The writer: list, count and statistics all see the new case.
        const own = await gql(app, LIST, { search: 'replica-own-write' }, await auth('gd.agent'));
        expect(own.errors).toBeUndefined();
        expect(
          own.data.complaints.edges.map((e: { node: { number: string } }) => e.node.number),
        ).toEqual([number]);
        expect(own.data.complaints.totalCount).toBe(1);

        // Another reader of the same cases reads the replica, which has not replayed the registration yet:
        // proof that lists are served by the replica.
        const other = await gql(app, LIST, { search: 'replica-own-write' }, await auth('gd.duty'));
        expect(other.errors).toBeUndefined();
        expect(other.data.complaints.totalCount).toBe(0);

        const statsInput = {
          input: {
            from: '2000-01-01T00:00:00+08:00',
            to: '2100-01-01T00:00:00+08:00',
            groupBy: ['STATUS'],
          },
        };
        const ownStats = await gql(app, STATS, statsInput, await auth('gd.agent'));
        const otherStats = await gql(app, STATS, statsInput, await auth('gd.duty'));
        expect(ownStats.errors).toBeUndefined();
        expect(otherStats.errors).toBeUndefined();
        const total = (rows: { count: number }[]) => rows.reduce((n, r) => n + r.count, 0);
        expect(total(ownStats.data.complaintStats)).toBe(total(otherStats.data.complaintStats) + 1);
      } finally {
        await replay(true);
      }
      // Once the replica has replayed the write, the writer's reads go back to it, and everyone sees the case.
      await caughtUp();
      expect(await reads.readerFor(`user:${world().staff['gd.agent']!.id}`)).toBe(replica.db);
      const other = await gql(app, LIST, { search: 'replica-own-write' }, await auth('gd.duty'));
      expect(other.data.complaints.totalCount).toBe(1);
    });

    it('issue 25: the note of a write is kept in the database, so another instance routes the writer the same way', async () => {
      try {
        await registerUnreplayed('replica-second-instance', 'gd.agent2');
        // A second instance: its own routing, nothing shared in memory with the first.
        const second = replicated(world().database, replica);
        expect(await second.readerFor(`user:${world().staff['gd.agent2']!.id}`)).toBe(
          world().database.db,
        );
        expect(await second.readerFor(`user:${world().staff['gd.duty']!.id}`)).toBe(replica.db);
      } finally {
        await replay(true);
      }
    });

    it('issue 25: a replica that does not answer sends reads to the primary and says so once', async () => {
      const w = world();
      const dead = await openPostgres('postgres://ci:ci@127.0.0.1:1/none', { max: 1 });
      const routing = replicated(w.database, dead, { warn: (_, m) => notes.push(m) });
      const before = notes.length;
      expect(await routing.readerFor(null)).toBe(w.database.db);
      expect(await routing.readerFor(null)).toBe(w.database.db);
      expect(notes.length - before).toBe(1);
      await dead.close().catch(() => {});
    });
  },
);
